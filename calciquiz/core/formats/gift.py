"""Moodle's GIFT format, read and written.

Read as Moodle's own importer reads it (question/format/gift/format.php): questions are runs of
lines between blank lines; a line starting with // is a comment; `::title::` names a question;
the first `{...}` holds its answers, and what those look like says the question's type. Only
single-best-answer multiple choice is imported; every other type is listed as skipped.

CalciQuiz's own fields ride in comments, which Moodle ignores, so a question survives
export -> import whole: `// [kind:vignette]`, `// [skill:application]`, `// [learning-point] TEXT`,
`// [evidence:DOCUMENT] QUOTE`, `// [accept:CODE] REASON`; Moodle's `// [id:...]` and `// [tag:...]`
are read as Moodle writes them.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from itertools import islice
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence, TakenIds, derive_id
from calciquiz.core.formats.textfile import blocks, read_text, too_long
from calciquiz.core.problems import InputError, Problem

if TYPE_CHECKING:  # exporting imports the subjects, which import this module: only the type here
    from calciquiz.core.exporting import ExportItem

SUFFIXES = (".gift",)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BLANK = "_____"  # what Moodle puts where a missing-word question's answers stood
SKIP_REASON = "(CalciQuiz asks single-best-answer questions only)"
# CalciQuiz asks at most ten options (the validator says so); past this many answers a block is not
# even split up, so a hostile block of millions of '~' costs no memory.
MAX_ANSWERS = 1_000

# A backslash escapes the next character, so every search for a special mark skips escapes first.
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n", "\\": "\\"}
_UNESCAPE = re.compile(r"\\([~=#{}:n\\])")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]*)?)%")
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
# Neither may run past the next '[': with "[^\]]*" a comment line of 2,000,000 unclosed "[id:" was
# scanned to its end from each one, and 14 MB took longer than minutes (50,000 took 37 s).
_MOODLE_ID = re.compile(r"\[id:([^\[\]]*)\]")
_MOODLE_TAG = re.compile(r"\[tag:([^\[\]]*)\]")
_OUR_COMMENT = re.compile(r"^\[(kind|skill|learning-point|evidence|accept)(?::([^\]]*))?\]\s?(.*)$", re.S)
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile("\n")
_COMMENT_ESCAPE = re.compile(r"\\(.)", re.S)
# Moodle's category paths start at a context ($course$, $system$ ...) and its "top" category; a
# name with '/' in it doubles the slash.
_CONTEXT = re.compile(r"^\$[a-z]+\$$")


def _marks(text: str, mark: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Where `mark` (a regular expression) stands in text[start:end], escaped characters not counted.

    An iterator: hostile text can hold millions of marks, and most callers want the first one or two.
    """
    end = len(text) if end is None else end
    if text.find("\\", start, end) < 0:  # most text has no escape, and a search for the mark alone is faster
        return (m.start() for m in _pattern(mark).finditer(text, start, end))
    return (m.start() for m in _pattern(r"\\.|" + mark).finditer(text, start, end) if m.group()[0] != "\\")


def _first(marks: Iterator[int]) -> int | None:
    return next(marks, None)


@functools.lru_cache(maxsize=None)
def _pattern(expression: str) -> re.Pattern:
    return re.compile(expression, re.S)


def unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: _ESCAPES[m.group(1)], text)


class _PlainText(HTMLParser):
    """HTML made plain: tags dropped, line breaks where paragraphs and <br> were, entities as characters."""

    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(_SPACES.sub(" ", data))  # in HTML a line break in the source is only a space


def html_to_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _formatted(text: str, default: str) -> tuple[str, str]:
    """The text in plain words and its format: a leading [html] etc., or else the question's."""
    found = _FORMAT.match(text)
    fmt = found.group(1) if found else default
    if found:
        text = text[found.end():]
    plain = unescape(text)
    if fmt == "html":
        plain = html_to_text(plain)
    return plain.strip(), fmt


def _comment_value(text: str) -> str:
    return _COMMENT_ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text.strip())


class _Reader:
    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.result = RawSet(path, path.stem)
        self.category: tuple[str, ...] = ()
        self.taken = TakenIds()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def skip(self, line: int, kind: str, name: str) -> None:
        self.result.skipped.append(Problem(self.path, line, f"{kind} question '{name}' {SKIP_REASON}"))

    def read_block(self, first: int, block: list[str] | None) -> None:
        if block is None:
            self.problems.append(too_long(self.path, first))
            return
        comments: list[tuple[int, str]] = []
        body: list[str] = []
        for number, line in enumerate(block, start=first):
            if line.lstrip().startswith("//"):
                comments.append((number, line.strip()[2:]))
                body.append("")  # kept as an empty line so offsets still count lines
            else:
                body.append(line)
        for index, line in enumerate(body):
            if line.strip():
                if line.lstrip().startswith("$CATEGORY:"):
                    self.category = _category_tags(line.lstrip()[len("$CATEGORY:"):])
                    body[index] = ""
                break
        text = "\n".join(body)
        if text.strip():
            _Question(self, text, first, comments).read()


def _category_tags(path: str) -> tuple[str, ...]:
    segments = path.strip().replace("//", "\0").split("/")
    names = [s.replace("\0", "/").strip() for s in segments]
    return tuple(n for n in names if n and not _CONTEXT.match(n) and n.casefold() != "top")


class _Question:
    """One question's text (comments blanked), read into fields that each know their line."""

    def __init__(self, reader: _Reader, text: str, first_line: int, comments: list[tuple[int, str]]):
        self.reader, self.text, self.first, self.comments = reader, text, first_line, comments
        self.start = len(text) - len(text.lstrip())
        self.end = len(text.rstrip())
        self.breaks = [m.start() for m in _LINE_BREAK.finditer(text)]

    def line_at(self, offset: int) -> int:
        return self.first + bisect.bisect_left(self.breaks, offset)

    def read(self) -> None:
        reader, text = self.reader, self.text
        line = self.line_at(self.start)
        body = self.start
        title, title_line = "", line
        if text.startswith("::", body):
            closing = _first(_marks(text, "::", body + 2, self.end))
            if closing is None:
                reader.problem(line, "the question's title '::' is not closed with '::' (write \\: for a colon "
                                     "in a title)")
                return
            title = " ".join(unescape(text[body + 2:closing]).split())
            body = closing + 2
        # The first three braces tell a good answer block from every kind of broken one.
        braces = list(islice(_marks(text, "[{}]", body, self.end), 3))
        name = title or " ".join(unescape(text[body:body + 200]).split())[:60]
        if not braces:
            reader.skip(line, "description", name)
            return
        if not self.balanced(braces):
            return
        opening, closing = braces[:2]
        answers = text[opening + 1:closing]
        after = text[closing + 1:self.end]
        stem_text = text[body:opening] + (BLANK + after if after.strip() else "")
        stem, fmt = _formatted(stem_text, "moodle")
        if not title:
            name = " ".join(stem.split())[:60]
        general, general_line = "", None
        cut = None
        for cut in _marks(answers, "####"):  # the last one, as Moodle takes it
            pass
        if cut is not None:
            general_line = self.line_at(opening + 1 + cut)
            general = _formatted(answers[cut + 4:], fmt)[0]
            answers = answers[:cut]
        kind = _question_type(answers)
        if kind != "multiple-choice":
            reader.skip(line, kind, name)
            return
        self.multiple_choice(line, title, title_line, stem, fmt, answers, opening + 1, general, general_line, name)

    def balanced(self, braces: list[int]) -> bool:
        """One '{' and then one '}', or else a problem in plain words with the line of the brace at fault."""
        text, problem, line_at = self.text, self.reader.problem, self.line_at
        kinds = "".join(text[b] for b in braces)
        if kinds.startswith("}"):
            problem(line_at(braces[0]), "'}' with no '{' before it (write \\} for a brace in text)")
        elif kinds.startswith("{{"):
            problem(line_at(braces[1]), f"'{{' inside an answer block opened on line {line_at(braces[0])}: close it "
                                        "with '}' first (write \\{ for a brace in text)")
        elif kinds == "{":
            problem(line_at(braces[0]), "the answer block '{' is not closed with '}'")
        elif kinds == "{}}":
            problem(line_at(braces[2]), "'}' with no '{' before it (write \\} for a brace in text)")
        elif kinds == "{}{":
            problem(line_at(braces[2]), "a second answer block '{...}' in one question: separate questions with a "
                                        "blank line (write \\{ for a brace in text)")
        else:
            return True
        return False

    def multiple_choice(self, line: int, title: str, title_line: int, stem: str, fmt: str, answers: str,
                        offset: int, general: str, general_line: int | None, name: str) -> None:
        reader = self.reader
        if answers.count("~") + answers.count("=") > MAX_ANSWERS:
            reader.problem(line, f"question '{name}': more than {MAX_ANSWERS:,} answers in one answer block")
            return
        starts = list(_marks(answers, "[~=]"))
        parts = []
        lead = answers[:starts[0]]
        if lead.strip():  # Moodle takes text before the first mark as a wrong answer; so do we
            parts.append(("~", lead, offset))
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else len(answers)
            parts.append((answers[start], answers[start + 1:stop], offset + start))
        options, option_lines, weights = [], [], []
        for mark, content, position in parts:
            content = content.strip()
            weight = 100.0 if mark == "=" else 0.0
            found = _WEIGHT.match(content) if mark == "~" else None
            if found:
                weight = float(found.group(1))
                content = content[found.end():]
            cut = _first(_marks(content, "#"))
            option_text, feedback = (content, "") if cut is None else (content[:cut], content[cut + 1:])
            option = {"text": _formatted(option_text, fmt)[0]}
            rationale = _formatted(feedback, fmt)[0]
            if rationale:
                option["rationale"] = rationale
            option_line = self.line_at(position)
            options.append(Mapping.of(option, option_line, {k: option_line for k in option}))
            option_lines.append(option_line)
            weights.append(weight)
        positive = [i for i, w in enumerate(weights) if w > 0]
        right = [i for i, w in enumerate(weights) if w >= 100]
        if len(positive) > 1:
            marks = [mark for mark, _, _ in parts]
            kind = "partial-credit" if marks.count("=") == 1 else "multiple-answer"
            reader.skip(line, kind, name)
            return
        if len(right) != 1:
            reader.problem(self.line_at(offset), f"question '{name}': no right answer in its answer block: mark "
                                                 "the key with '=' (or '~%100%')")
            return
        self.emit(line, title, title_line, stem, options, option_lines, right[0], general, general_line)

    def emit(self, line: int, title: str, title_line: int, stem: str, options: list, option_lines: list[int],
             key: int, general: str, general_line: int | None) -> None:
        reader = self.reader
        values: dict = {}
        lines: dict[str, int] = {}
        tags: list[str] = []
        evidence, evidence_lines, accepted, accepted_lines = [], [], {}, {}
        moodle_id, id_line = None, title_line
        for number, comment in self.comments:
            found_id = _MOODLE_ID.search(comment)
            if found_id and found_id.group(1).strip():
                moodle_id, id_line = found_id.group(1).strip(), number
            tags.extend(t.strip() for t in _MOODLE_TAG.findall(comment) if t.strip())
            ours = _OUR_COMMENT.match(comment.strip())
            if not ours:
                continue
            field, argument, rest = ours.group(1), (ours.group(2) or "").strip(), _comment_value(ours.group(3))
            if field == "evidence":
                evidence.append(Mapping.of({"document": argument, "quote": rest}, number))
                evidence_lines.append(number)
            elif field == "accept":
                if argument in accepted:  # as a YAML set's mapping says of a key written twice
                    reader.problem(number, f"warning '{argument[:80]}' is accepted twice (first on line "
                                           f"{accepted_lines[argument]})")
                    continue
                accepted[argument] = rest
                accepted_lines[argument] = number
            elif field == "learning-point":
                values["learning_point"], lines["learning_point"] = rest, number
            else:
                values[field], lines[field] = argument, number
        values["id"] = moodle_id if moodle_id is not None else derive_id(title, stem, reader.taken)
        if moodle_id is not None:
            reader.taken.add(moodle_id)
        lines["id"] = id_line
        values["stem"], lines["stem"] = stem, line
        values["options"], lines["options"] = Sequence.of(options, option_lines[0], option_lines), option_lines[0]
        values["answer"], lines["answer"] = LETTERS[key] if key < len(LETTERS) else str(key + 1), option_lines[key]
        if general:
            values["explanation"], lines["explanation"] = general, general_line
        if evidence:
            values["evidence"], lines["evidence"] = Sequence.of(evidence, evidence_lines[0], evidence_lines), \
                evidence_lines[0]
        if accepted:
            first = min(accepted_lines.values())
            values["accept_warnings"], lines["accept_warnings"] = Mapping.of(accepted, first, accepted_lines), first
        tags.extend(reader.category)
        reader.result.questions.append(RawQuestion(line, Mapping.of(values, line, lines), tuple(tags)))


def _question_type(answers: str) -> str:
    """The question's type as Moodle tells it from its answer block."""
    stripped = answers.strip()
    if not stripped:
        return "essay"
    if stripped.startswith("#"):
        return "numerical"
    if _first(_marks(answers, "~")) is not None:
        return "multiple-choice"
    if _first(_marks(answers, "=")) is not None and _first(_marks(answers, "->")) is not None:
        return "matching"
    feedback = _first(_marks(stripped, "#"))
    if (stripped if feedback is None else stripped[:feedback]).strip() in _TRUE_FALSE:
        return "true/false"
    return "short answer"


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read one GIFT file; a file that cannot be read at all raises InputError."""
    return parse_set(path, read_text(path), problems)


def parse_set(path: Path, text: str, problems: list[Problem]) -> RawSet:
    reader = _Reader(path, problems)
    for first, block in blocks(text, path):
        reader.read_block(first, block)
    if not reader.result.questions and not reader.result.skipped and not problems:
        raise InputError([Problem(path, 1, "no questions found: a GIFT question is text followed by "
                                           "answers in braces, such as 'Question? {=right ~wrong}'")])
    return reader.result


# Writing -------------------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([~=#{}:\\])")


def escape(text: str) -> str:
    """Text as GIFT holds it: every mark escaped, and line breaks as \\n so a blank line cannot end the question."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def _comment(text: str) -> str:
    """One line of comment: a backslash and a line break escaped, which _comment_value undoes."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _category(*names: str) -> str:
    return "/".join(name.replace("/", "//") for name in names)


def _plain(text: str) -> str:
    # Text that starts with '[' could read as a format mark such as [html]; saying [plain] first keeps it text.
    return "[plain]" + text if text.lstrip().startswith("[") else text


def question_lines(item: ExportItem) -> list[str]:
    question = item.question
    lines = [f"// [id:{question.name}]"]
    lines += [f"// [tag:{topic}]" for topic in question.topics]
    lines += [f"// [kind:{question.kind}]", f"// [skill:{question.skill}]"]
    if question.learning_point:
        lines.append(f"// [learning-point] {_comment(question.learning_point)}")
    for evidence in question.evidence:
        # A passage the build linked by itself is linked again on import; written here it would come
        # back looking checked by the instructor.
        if not evidence.auto:
            document = evidence.document_id.split("/", 1)[-1]
            lines.append(f"// [evidence:{document}] {_comment(evidence.quote)}")
    lines += [f"// [accept:{code}] {_comment(reason)}" for code, reason in question.accepted_warnings]
    lines.append(f"::{escape(question.name)}::{_plain(escape(question.stem))} {{")
    for index, option in enumerate(question.options):
        mark = "=" if index == question.answer else "~"
        text = _plain(escape(option.text))
        if mark == "~" and _WEIGHT.match(text):
            text = "%0%" + text  # an option that starts like a weight ('%50% ...') must not be read as one
        feedback = f"#{_plain(escape(option.rationale))}" if option.rationale else ""
        lines.append(f"\t{mark}{text}{feedback}")
    if question.explanation:
        lines.append(f"\t####{_plain(escape(question.explanation))}")
    lines.append("}")
    return lines


def write_set(items: list[ExportItem], path: Path) -> None:
    """Write the questions as GIFT, each under a $CATEGORY of its subject and first topic."""
    out = ["// Written by CalciQuiz. Moodle reads it with Question bank > Import > GIFT format;",
           "// CalciQuiz reads it back whole, its own fields kept in the comments.", ""]
    category = None
    for item in items:
        topics = item.question.topics
        wanted = _category(item.subject_title, topics[0]) if topics else _category(item.subject_title)
        if wanted != category:
            category = wanted
            out += [f"$CATEGORY: {category}", ""]
        out += question_lines(item) + [""]
    path.write_text("\n".join(out), encoding="utf-8")
