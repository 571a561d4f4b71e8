"""Moodle XML question files (Moodle's "Moodle XML format"): reading single-best-answer questions, and writing them.

What is read, in Moodle's words: <question type="category"> sets the category of the questions
after it (its path's names become their tags, and tags that name a subject's topic become its
topics); <question type="multichoice"> with <single>true</single> and exactly one answer at
fraction 100 becomes a question: <name> (or <idnumber>, which wins) its id, <questiontext> its
stem, each <answer> an option with its <feedback> as the rationale, <generalfeedback> the
explanation, <tags> more tags, and one image embedded in the question text as <file
encoding="base64"> referenced by @@PLUGINFILE@@/name. Every other question type is listed as
skipped, with its line. Elements Moodle does not know are ignored, as Moodle ignores them, so
CalciQuiz keeps its own fields in one such element for round trips:

    <calciquiz kind="vignette" skill="application">
      <learningpoint>Dystrophic calcification is the most common type.</learningpoint>
      <evidence document="basics">The quote, word for word.</evidence>
      <accept code="stem-gives-away">The stem names the type on purpose: the item asks for its cause.</accept>
    </calciquiz>

The file is parsed with expat directly, streamed a chunk at a time, with defusedxml's
protections: a DTD is refused outright (so no entity can be declared, expanded or fetched) and
every element remembers the line of its start tag, which ElementTree would forget.
"""
from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from calciquiz.core.formats.raw import EmbeddedImage, Mapping, RawQuestion, RawSet, Sequence, TakenIds, derive_id
from calciquiz.core.inputfiles import Refused, read_input_chunks
from calciquiz.core.problems import InputError, Problem
from calciquiz.core.yamlfile import BAD_CHARACTER

if TYPE_CHECKING:  # the exporter imports this module, so this one may not import it back at run time
    from calciquiz.core.exporting import ExportItem

SUFFIXES = (".xml",)
# 100,000 questions with five options, feedback, explanation and evidence took 381 MB as Moodle
# XML. The file is streamed (64 KB of text at a time, and one question's elements), so the cap
# bounds the time a build may take; memory goes to the questions read (1.6 GB at 100,000).
MAX_FILE_BYTES = 1_000_000_000
# The text of one element: an embedded image of the largest size a question may have (5 MB)
# takes 6.7 MB in base64. A longer text is refused where it starts, before it fills memory.
MAX_ELEMENT_CHARS = 7_000_000
MAX_DEPTH = 40  # Moodle's own files nest seven deep
# A question's elements are all kept until it ends: a few dozen in Moodle's files (ten answers with
# feedback, tags, files), while 120 MB of '<a/>' in one question would take 8 GB.
MAX_QUESTION_ELEMENTS = 10_000
LETTERS = "ABCDEFGHIJ"
# How a skipped question's type is named to an instructor.
TYPE_NAMES = {"truefalse": "true/false", "shortanswer": "short answer", "multianswer": "cloze",
              "numerical": "numerical", "essay": "essay", "matching": "matching", "description": "description",
              "calculated": "calculated", "calculatedsimple": "calculated", "calculatedmulti": "calculated",
              "randomsamatch": "random short-answer matching", "ddwtos": "drag and drop",
              "gapselect": "select missing words", "ordering": "ordering"}
SKIP_REASON = "(CalciQuiz asks single-best-answer questions only)"
PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s>?#]+)")


class _Element:
    """An element as read: its tag, attributes, start line, child elements and text."""

    __slots__ = ("tag", "attrs", "line", "children", "parts", "size")

    def __init__(self, tag: str, attrs: dict[str, str], line: int):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[_Element] = []
        self.parts: list[str] = []
        self.size = 0

    def find(self, tag: str) -> _Element | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def all(self, tag: str) -> list[_Element]:
        return [child for child in self.children if child.tag == tag]

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def inner_text(self, tag: str = "text") -> tuple[str, int] | None:
        """The text of this element's <text> child (how Moodle holds every text), and its line."""
        child = self.find(tag)
        return None if child is None else (child.text, child.line)


MAX_ERROR_LINE_BYTES = 1_000_000  # how much of the failing line is read again to explain the error


def _error_line(path: Path, lineno: int) -> bytes:
    """The bytes of line `lineno` (at most MAX_ERROR_LINE_BYTES of it), read again only to word an error."""
    try:
        with path.open("rb") as file:
            for number, line in enumerate(file, 1):
                if number == lineno:
                    return line[:MAX_ERROR_LINE_BYTES]
                if number > lineno:
                    break
    except OSError:
        pass
    return b""


def _explain(path: Path, exc: expat.ExpatError, what: str) -> str:
    """expat's words, made into what an instructor can act on where they are not enough.

    'undefined entity' names the entity (an HTML one such as &nbsp; is the usual cause: XML knows only
    &amp; &lt; &gt; &quot; &apos;), and 'not well-formed (invalid token)' on a line that is not UTF-8
    says so (a file saved as Latin-1 or Windows-1252).
    """
    line = _error_line(path, exc.lineno)
    if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
        found = re.match(rb"&([\w.:-]{1,40});", line[exc.offset:exc.offset + 50])
        if found:
            name = found.group(1).decode("utf-8", "replace")
            return (f"malformed XML: undefined entity &{name}; (XML knows only &amp; &lt; &gt; &quot; &apos;; "
                    f"write the character itself or a numeric reference such as &#160;)")
    if exc.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN] and line:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return f"file is not UTF-8 (line {exc.lineno}); save it as UTF-8"
    return f"malformed XML: {what}"


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read a Moodle XML file; a file that is not well-formed, or holds a DTD, raises InputError with its line."""
    reader = _Reader(path, problems)
    parser = reader.parser
    try:
        for chunk in read_input_chunks(path, MAX_FILE_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Refused as exc:
        raise InputError([Problem(path, None, f"file {exc}")]) from exc
    except expat.ExpatError as exc:
        what = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise InputError([Problem(path, exc.lineno, _explain(path, exc, what))]) from None
    except DTDForbidden:
        raise InputError([Problem(path, parser.CurrentLineNumber, "a DTD (<!DOCTYPE ...>) is not allowed in a "
                                                                  "question file: it can declare entities that "
                                                                  "expand without end or read other files")]) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise InputError([Problem(path, parser.CurrentLineNumber, "entity declarations and external entities "
                                                                  "are not allowed in a question file")]) from None
    except _Refusal as exc:
        raise InputError([Problem(path, exc.line, exc.message)]) from None
    except LookupError as exc:  # expat asks Python for the codec an XML declaration names: "TF-8" has none
        raise InputError([Problem(path, parser.CurrentLineNumber or 1, f"malformed XML: {exc}")]) from None
    if not reader.seen_root:
        raise InputError([Problem(path, 1, "file is empty")])
    return RawSet(path, path.stem, reader.questions, reader.skipped)


class _Refusal(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class _Reader:
    """expat's handlers: a small tree per <question>, made into a RawQuestion at its end tag."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path, self.problems = path, problems
        self.questions: list[RawQuestion] = []
        self.skipped: list[Problem] = []
        self.category: tuple[str, ...] = ()
        self.taken = TakenIds()
        self.stack: list[_Element] = []
        self.seen_root = False
        self.elements = 0  # in the current question
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.UnparsedEntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        self.parser = parser

    @staticmethod
    def _doctype(*_args) -> None:
        raise DTDForbidden(None, None, None)

    @staticmethod
    def _entity(name, *_args) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    @staticmethod
    def _external(context, base, system_id, public_id) -> None:
        raise ExternalReferenceForbidden(context, base, system_id, public_id)

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        depth = len(stack)
        if 2 <= depth < MAX_DEPTH:  # inside a <question> (nearly every element): kept until the question ends
            self.elements += 1
            if self.elements > MAX_QUESTION_ELEMENTS:
                raise _Refusal(stack[1].line, f"a question with more than {MAX_QUESTION_ELEMENTS:,} elements; "
                                              "Moodle writes a few dozen")
            element = _Element(tag, attrs, self.parser.CurrentLineNumber)
            stack[-1].children.append(element)
            stack.append(element)
            return
        line = self.parser.CurrentLineNumber
        if depth >= MAX_DEPTH:
            raise _Refusal(line, f"elements nested deeper than {MAX_DEPTH} levels")
        if not depth:
            if tag != "quiz":
                raise _Refusal(line, f"expected a Moodle XML file, whose first element is <quiz>, not <{tag}>")
            self.seen_root = True
        self.elements = 0  # a <question> (or another child of <quiz>) starts
        stack.append(_Element(tag, attrs, line))

    def _data(self, text: str) -> None:
        stack = self.stack
        if len(stack) >= 3:
            element = stack[-1]
            element.size += len(text)
            if element.size > MAX_ELEMENT_CHARS:
                raise _Refusal(element.line, f"<{element.tag}> holds more than {MAX_ELEMENT_CHARS:,} characters")
            element.parts.append(text)

    def _end(self, tag: str) -> None:
        element = self.stack.pop()
        if len(self.stack) == 1 and tag == "question":
            self._question(element)

    def _question(self, element: _Element) -> None:
        kind = element.attrs.get("type", "")
        if kind == "category":
            path = element.find("category")
            held = path.inner_text() if path is not None else None
            self.category = category_tags(held[0] if held else (path.text if path is not None else ""))
            return
        held = element.find("name")
        name = _shortened(" ".join((held.inner_text() or ("", 0))[0].split()) if held is not None else "")
        if kind != "multichoice":
            what = TYPE_NAMES.get(kind) or _shortened(kind) or "untyped"
            self.skipped.append(Problem(self.path, element.line, f"{what} question '{name}' {SKIP_REASON}"))
            return
        made = multichoice(element, name, self.category, self.taken, self.path, self.problems)
        if isinstance(made, str):
            self.skipped.append(Problem(self.path, element.line, made))
        else:
            self.questions.append(made)


def _shortened(text: str, most: int = 60) -> str:
    """A name for a message: a hostile file's 20 MB type or name would otherwise be a 20 MB line."""
    return text if len(text) <= most else text[:most - 1] + "…"


def category_tags(path: str) -> tuple[str, ...]:
    """The names in a category path ("$course$/top/Calcinosis cutis/Treatment"), without Moodle's own."""
    names = (n.replace("//", "/").strip() for n in re.split(r"(?<!/)/(?!/)", path))
    return tuple(n for n in names if n and not n.startswith("$") and n.lower() != "top")


def multichoice(element: _Element, name: str, category: tuple[str, ...], taken: set[str], path: Path,
                problems: list[Problem]) -> RawQuestion | str:
    """A single-best-answer question's fields with their lines, or why it is skipped."""
    single = element.find("single")
    if single is not None and single.text.strip().lower() not in ("true", "1"):
        return f"multiple-answer question '{name}' {SKIP_REASON}"
    answers = element.all("answer")
    fractions = []
    for answer in answers:
        raw = answer.attrs.get("fraction", "0")
        try:
            fractions.append(float(raw))
        except ValueError:
            problems.append(Problem(path, answer.line, f"answer fraction '{raw[:40]}' is not a number"))
            fractions.append(0.0)
    keys = [i for i, f in enumerate(fractions) if abs(f - 100) < 1e-6]
    if len(keys) > 1:
        return f"multiple-answer question '{name}' (it has {len(keys)} answers at 100%; {SKIP_REASON[1:]}"
    if any(0 < f < 100 - 1e-6 for f in fractions):
        return f"partial-credit question '{name}' {SKIP_REASON}"
    values: dict[str, object] = {}
    lines: dict[str, int] = {}

    def put(key: str, value: object, line: int) -> None:
        values[key], lines[key] = value, line

    question_text = element.find("questiontext")
    stem, image_names = "", []
    if question_text is not None:
        held = question_text.inner_text()
        raw_stem = held[0] if held else ""
        image_names = [unquote(n) for n in PLUGINFILE.findall(raw_stem)]
        stem = to_text(raw_stem, question_text.attrs.get("format", ""))
        put("stem", _checked(stem, held[1] if held else question_text.line), held[1] if held else question_text.line)
    idnumber = element.find("idnumber")
    wanted = idnumber.text.strip() if idnumber is not None else ""
    if wanted and re.fullmatch(r"[a-z0-9][a-z0-9\-]{0,79}", wanted) and wanted not in taken:
        taken.add(wanted)
        qid = wanted
    else:
        qid = derive_id(wanted or name, stem, taken)
    put("id", qid, (idnumber if wanted else element.find("name") or element).line)
    extra = element.find("calciquiz")
    if extra is not None:
        for key in ("kind", "skill"):
            if key in extra.attrs:
                put(key, extra.attrs[key], extra.line)
    options, option_lines = [], []
    for answer in answers:
        held = answer.inner_text()
        text, line = (held if held else ("", answer.line))
        option = {"text": _checked(to_text(text, answer.attrs.get("format", "")), line)}
        option_lines_ = {"text": line}
        feedback = answer.find("feedback")
        held = feedback.inner_text() if feedback is not None else None
        if held and held[0].strip():
            option["rationale"] = _checked(to_text(held[0], feedback.attrs.get("format", "")), held[1])
            option_lines_["rationale"] = held[1]
        options.append(Mapping.of(option, answer.line, option_lines_))
        option_lines.append(answer.line)
    if answers:
        put("options", Sequence.of(options, answers[0].line, option_lines), answers[0].line)
    if keys:
        # A key past J still goes to the validator, which then names the real fault: too many options.
        put("answer", LETTERS[keys[0]] if keys[0] < len(LETTERS) else "J", answers[keys[0]].line)
    general = element.find("generalfeedback")
    held = general.inner_text() if general is not None else None
    if held and held[0].strip():
        put("explanation", _checked(to_text(held[0], general.attrs.get("format", "")), held[1]), held[1])
    if extra is not None:
        point = extra.find("learningpoint")
        if point is not None:
            put("learning_point", _checked(point.text, point.line), point.line)
        quotes = extra.all("evidence")
        if quotes:
            evidence = [Mapping.of({"document": q.attrs.get("document", ""), "quote": _checked(q.text, q.line)},
                                   q.line) for q in quotes]
            put("evidence", Sequence.of(evidence, quotes[0].line, [q.line for q in quotes]), quotes[0].line)
        accepted = extra.all("accept")
        if accepted:
            codes: dict[str, _Element] = {}
            for entry in accepted:
                code = entry.attrs.get("code", "")
                if code in codes:  # as a YAML set's mapping says of a key written twice
                    problems.append(Problem(path, entry.line, f"question '{qid}': warning '{code[:80]}' is accepted "
                                                              f"twice (first on line {codes[code].line})"))
                codes.setdefault(code, entry)
            put("accept_warnings", Mapping.of({code: _checked(a.text, a.line) for code, a in codes.items()},
                                              accepted[0].line, {code: a.line for code, a in codes.items()}),
                accepted[0].line)
    image = _image(question_text, image_names, path, problems)
    if isinstance(image, str):
        return f"multichoice question '{name}' {image}"
    if image is not None:
        put("image", image, image.line)
    tags = element.find("tags")
    own_tags = tuple(t.inner_text()[0].strip() for t in tags.all("tag") if t.inner_text()) if tags is not None else ()
    return RawQuestion(element.line, Mapping.of(values, element.line, lines), category + own_tags)


def _image(question_text: _Element | None, referenced: list[str], path: Path,
           problems: list[Problem]) -> EmbeddedImage | str | None:
    """The one image embedded in the question text, or why the question cannot be asked with its images."""
    if question_text is None:
        return None
    held = question_text.all("file")
    missing = [n for n in referenced if n not in {f.attrs.get("name") for f in held}]
    if missing:
        # Moodle writes each image its text shows as a <file>; without it the question would lose its image unseen.
        name = _shortened(missing[0])
        problems.append(Problem(path, question_text.line, f"the question text shows image '{name}', but no "
                                                          f'<file name="{name}"> holds it'))
        return None
    files = [f for f in held if not referenced or f.attrs.get("name") in referenced]
    if not files:
        return None
    if len(files) > 1:
        return f"has {len(files)} images in its text (CalciQuiz shows one image per question)"
    file = files[0]
    if file.attrs.get("encoding", "base64") != "base64":
        problems.append(Problem(path, file.line, f"image '{file.attrs.get('name', '')}': encoding must be base64"))
        return None
    try:
        data = base64.b64decode("".join(file.text.split()), validate=True)
    except (binascii.Error, ValueError):
        problems.append(Problem(path, file.line, f"image '{file.attrs.get('name', '')}' is not valid base64"))
        return None
    return EmbeddedImage(file.attrs.get("name", ""), data, file.line)


def _checked(text: str, line: int) -> str:
    bad = BAD_CHARACTER.search(text)
    if bad:
        raise _Refusal(line, "text contains a NUL character (\\x00)" if bad.group() == "\0"
                       else f"text contains a lone surrogate (\\u{ord(bad.group()):04x}), which is not a character")
    return text


# ---- HTML to the plain text CalciQuiz shows ------------------------------------------------------

_BLOCKS = {"p", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
# HTML's white space, folded to one space; single spaces are left alone (they are most of it, and
# replacing each with itself was the reader's largest cost).
_SPACE = re.compile(r"[ \t\r\n\f]{2,}|[\t\r\n\f]")
# What our own writer makes (and much of what Moodle's editor makes): text with only <p> and <br>.
# It is turned into text by three substitutions instead of the HTML parser, which at 100,000
# questions of a dozen texts each would take most of the build.
_SIMPLE_HTML = re.compile(r"(?:[^<]|<(?:/?p|br ?/?)>)*")
_SIMPLE_TAG = re.compile(r"<(/?p|br ?/?)>")


def _fold(text: str) -> str:
    """HTML's runs of white space as one space; most texts have none to fold, and five searches say so."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACE.sub(" ", text)
    return text


def to_text(text: str, text_format: str) -> str:
    """A Moodle text as plain text: HTML's tags dropped, <br> and <p> as line breaks, entities unescaped."""
    if text_format in ("plain_text", "markdown"):
        return text.strip()
    if text_format != "html" and not re.search(r"<[A-Za-z/!]", text):  # moodle_auto_format: text unless it holds tags
        return text.strip()
    if "<" not in text and "&" not in text:
        return _fold(text).strip()
    if _SIMPLE_HTML.fullmatch(text):
        flat = _SIMPLE_TAG.sub(lambda m: "\n" if m.group(1).startswith("br") else "\n\n", _fold(text))
        return _tidy(html.unescape(flat))
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    return _tidy("".join(parser.out))


def _tidy(text: str) -> str:
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(_SPACE.sub(" ", data))


# ---- Writing ---------------------------------------------------------------------------------------

def to_html(text: str) -> str:
    """Plain text as Moodle's HTML: paragraphs as <p>, line breaks as <br>; one line stays as it is."""
    paragraphs = [html.escape(p.strip(), quote=False).replace("\n", "<br>") for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) == 1:
        return paragraphs[0]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# C0 controls other than tab and line ends are not XML 1.0 characters, even escaped: a file holding one
# is refused by Moodle and by the reader above. A question's text may hold them (pasted from a PDF),
# so the writer leaves them out.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cdata(text: str) -> str:
    """Text for a <text> element, in CDATA when it holds markup, as Moodle writes it."""
    text = _NOT_XML.sub("", text)
    if not re.search(r"[<>&]", text):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _xml(text).replace('"', "&quot;").replace("\n", "&#10;")


def _category_path(*names: str) -> str:
    return "/".join(["$course$", "top"] + [n.replace("/", "//") for n in names])


def write_set(items: Iterable[ExportItem], path: Path) -> None:
    """Write questions as Moodle XML: a category per subject and first topic, and CalciQuiz's own fields."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
        current = None
        for item in items:
            question = item.question
            category = _category_path(item.subject_title, *question.topics[:1])
            if category != current:
                current = category
                out.write(f'  <question type="category">\n    <category><text>{_xml(category)}</text></category>\n'
                          "  </question>\n")
            out.write(_question_xml(item))
        out.write("</quiz>\n")


def _question_xml(item: ExportItem) -> str:
    question = item.question
    stem = to_html(question.stem)
    image = ""
    if question.image:
        name = Path(question.image).name
        stem += f'<p><img src="@@PLUGINFILE@@/{html.escape(name)}" alt=""></p>'
        image = (f'\n      <file name="{_attr(name)}" path="/" encoding="base64">'
                 f"{base64.b64encode(item.image).decode('ascii')}</file>")
    name_words = " ".join(question.stem.split())
    name = name_words if len(name_words) <= 60 else name_words[:59] + "…"
    parts = [
        '  <question type="multichoice">\n',
        f"    <name><text>{_xml(name)}</text></name>\n",
        f'    <questiontext format="html"><text>{_cdata(stem)}</text>{image}\n    </questiontext>\n',
        f'    <generalfeedback format="html"><text>{_cdata(to_html(question.explanation))}</text></generalfeedback>\n',
        "    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
        f"    <idnumber>{_xml(question.local_id)}</idnumber>\n",
        "    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>\n"
        "    <answernumbering>ABCD</answernumbering>\n",
    ]
    for index, option in enumerate(question.options):
        fraction = 100 if index == question.answer else 0
        parts.append(f'    <answer fraction="{fraction}" format="html">\n'
                     f"      <text>{_cdata(to_html(option.text))}</text>\n"
                     f'      <feedback format="html"><text>{_cdata(to_html(option.rationale))}</text></feedback>\n'
                     "    </answer>\n")
    if question.topics:
        parts.append("    <tags>\n" + "".join(f"      <tag><text>{_xml(t)}</text></tag>\n" for t in question.topics)
                     + "    </tags>\n")
    parts.append(f'    <calciquiz kind="{_attr(question.kind)}" skill="{_attr(question.skill)}">\n')
    if question.learning_point:
        parts.append(f"      <learningpoint>{_xml(question.learning_point)}</learningpoint>\n")
    for evidence in question.evidence:
        if evidence.auto:
            continue  # linked by the build, unchecked: written, it would come back as an instructor's quote
        document = evidence.document_id.split("/", 1)[-1]
        parts.append(f'      <evidence document="{_attr(document)}">{_xml(evidence.quote)}</evidence>\n')
    for code, reason in question.accepted_warnings:
        parts.append(f'      <accept code="{_attr(code)}">{_xml(reason)}</accept>\n')
    parts.append("    </calciquiz>\n  </question>\n")
    return "".join(parts)
