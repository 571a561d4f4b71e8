"""Question sets: reading, checking and resolving each question's evidence."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from calciquiz.core.documents import MAX_QUOTE_CHARS, Document, locate_quote
from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import FileProblems, InputError, Problem
from calciquiz.core.yamlfile import Mapping, Sequence, read_yaml

KINDS = ("mcq", "vignette")
SKILLS = ("recall", "application")
TOPICS = (
    "classification",
    "pathogenesis",
    "dystrophic",
    "metastatic",
    "idiopathic",
    "iatrogenic",
    "calciphylaxis",
    "rare-variants",
    "crest",
    "clinical-features",
    "complications",
    "diagnosis",
    "treatment",
    "prognosis",
    "epidemiology",
)
QUESTION_FIELDS = (
    "id",
    "kind",
    "topics",
    "skill",
    "stem",
    "options",
    "answer",
    "explanation",
    "learning_point",
    "evidence",
)
OPTIONAL_QUESTION_FIELDS = ("accept_warnings", "image")
IMAGE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_IMAGE_BYTES = 5_000_000
# Longer than any sane relative path, and short enough that no system refuses it as too long.
MAX_IMAGE_NAME_CHARS = 200
# What a field may hold, in characters and lines: about six times the longest in the shipped bank
# (stem 788 characters and 3 lines, option 74, rationale 195, explanation 847, learning point 153,
# quote 258), and far below what makes the study screen slow (a 10,000-line stem took 2.7 s to show).
FIELD_LIMITS = {
    "stem": (5_000, 60),
    "explanation": (5_000, 60),
    "learning_point": (1_000, 10),
    "text": (500, 5),  # an option
    "rationale": (3_000, 30),
    "quote": (MAX_QUOTE_CHARS, 30),
    "document": (80, 1),
}
MAX_REASON_CHARS = 1_000  # why a lint warning is accepted
MAX_EVIDENCE = 10
OPTION_FIELDS = ("text", "rationale")
# Item-writing warnings that `calciquiz lint` gives; a question may accept one with a reason.
WARNING_CODES = {
    "negative-lead-in": "the lead-in asks for an exception (EXCEPT, NOT, LEAST)",
    "absolute-word": "an option uses an absolute word (always, never, all, none, only ...)",
    "key-longest": "the key is clearly the longest option",
    "uneven-options": "the options are of very uneven length",
    "lead-in-not-question": "the lead-in is not a question",
    "stem-word-in-key": "a word of the stem is repeated in the key and in no other option",
}
EVIDENCE_FIELDS = ("document", "quote")
FILE_FIELDS = ("title", "questions")
LETTERS = "ABCDEFGHIJ"
MAX_OPTIONS = len(LETTERS)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")
QUESTION_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Option:
    text: str
    rationale: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Evidence:
    """A quote from a document that supports a question's key, and where it stands."""

    document_id: str
    quote: str
    passage_ordinal: int = -1
    start: int = -1
    end: int = -1
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    topics: tuple[str, ...]
    skill: str
    stem: str
    options: tuple[Option, ...]
    answer: int  # index into options, as authored
    explanation: str
    learning_point: str
    evidence: tuple[Evidence, ...]
    file: str = ""
    line: int = 0
    accepted_warnings: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    image: str = ""  # a path relative to the question file's folder, resolved and checked at load
    image_data: bytes = field(default=b"", compare=False, repr=False)

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


def question_files(directory: Path) -> list[Path]:
    """The question-set files below a directory, in a stable order.

    Anything named *.yaml that is not a folder is listed, so a FIFO or a broken link gets an
    error of its own instead of being skipped without a word.
    """
    return sorted(p for p in directory.rglob("*") if p.suffix in QUESTION_SUFFIXES and not p.is_dir())


def load_question_sets(directories: list[Path], documents: list[Document]) -> list[Question]:
    """Read every question file, check it, and resolve its evidence; raise InputError listing all problems."""
    problems: list[Problem] = []
    questions: list[Question] = []
    first_seen: dict[str, tuple[Path, int]] = {}
    files = [f for d in directories for f in ([d] if d.is_file() else question_files(d))]
    if not files:
        where = ", ".join(str(d) for d in directories)
        raise InputError([Problem(Path(where), None, "no question files (*.yaml) found")])
    by_id = {d.id: d for d in documents}
    for path in files:
        found = FileProblems(path)
        try:
            loaded = _read_question_file(path, found)
        except InputError as exc:
            found.extend(exc.problems)
            loaded = []
        for question in loaded:
            if question.id in first_seen:
                other, other_line = first_seen[question.id]
                found.append(
                    Problem(path, question.line, f"duplicate id '{question.id}' (also in {other}:{other_line})")
                )
                continue
            first_seen[question.id] = (path, question.line)
            resolved = _resolve_evidence(question, by_id, path, found)
            if resolved is not None:
                questions.append(resolved)
        problems.extend(found.report())
    if problems:
        raise InputError(problems)
    return questions


def _read_question_file(path: Path, problems: FileProblems) -> list[Question]:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        # The bank stores the file name; bytes that are not UTF-8 cannot go into it.
        raise InputError([Problem(path, None, "file name is not valid UTF-8; rename the file")]) from None
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise InputError([Problem(path, 1, "expected a mapping with 'title' and 'questions'")])
    _unknown_fields(data, FILE_FIELDS, path, problems, "question file")
    if "questions" not in data:
        raise InputError([Problem(path, data.line, "missing field 'questions'")])
    items = data["questions"]
    if not isinstance(items, Sequence) or not items:
        raise InputError([Problem(path, data.line_of("questions"), "'questions' must be a non-empty list")])
    loaded = []
    for item, line in zip(items, items.item_lines):
        before = problems.found
        question = _parse_question(item, line, path, problems)
        if question is not None and problems.found == before:
            loaded.append(question)
    return loaded


def _unknown_fields(mapping: Mapping, known: tuple[str, ...], path: Path, problems: list[Problem], what: str) -> None:
    for key in mapping:
        if key not in known:
            # The hint costs a comparison with every known name; past the file's cap nobody reads it.
            full = getattr(problems, "full", False)
            hint = difflib.get_close_matches(key, known, n=1) if len(key) <= 80 and not full else []
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f" (known: {', '.join(known)})"
            problems.append(Problem(path, mapping.line_of(key), f"unknown field '{key}' in {what}{suggestion}"))


def _text(mapping: Mapping, key: str, path: Path, problems: list[Problem], where: str) -> str | None:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        kind = "missing" if key not in mapping else "empty or not text"
        problems.append(Problem(path, mapping.line_of(key), f"{where}: field '{key}' is {kind}"))
        return None
    value = value.strip()
    max_chars, max_lines = FIELD_LIMITS[key]
    if len(value) > max_chars:
        problems.append(Problem(path, mapping.line_of(key), f"{where}: field '{key}' is {len(value):,} characters "
                                                            f"long; at most {max_chars:,} are allowed"))
        return None
    lines = value.count("\n") + 1
    if lines > max_lines:
        problems.append(Problem(path, mapping.line_of(key),
                                f"{where}: field '{key}' has {lines:,} lines; at most {max_lines} are allowed"))
        return None
    return value


def _parse_question(item: Any, line: int, path: Path, problems: list[Problem]) -> Question | None:
    if not isinstance(item, Mapping):
        problems.append(Problem(path, line, "each question must be a mapping of fields"))
        return None
    qid = item.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        problems.append(
            Problem(path, item.line_of("id"), "question 'id' is missing or not lowercase letters, digits and dashes")
        )
        return None
    where = f"question '{qid}'"
    _unknown_fields(item, QUESTION_FIELDS + OPTIONAL_QUESTION_FIELDS, path, problems, where)
    missing = [f for f in QUESTION_FIELDS if f not in item]
    if missing:
        problems.append(Problem(path, line, f"{where}: missing field(s): {', '.join(missing)}"))
        return None
    kind, skill = item["kind"], item["skill"]
    if kind not in KINDS:
        problems.append(Problem(path, item.line_of("kind"), f"{where}: kind must be one of {', '.join(KINDS)}"))
    if skill not in SKILLS:
        problems.append(Problem(path, item.line_of("skill"), f"{where}: skill must be one of {', '.join(SKILLS)}"))
    topics = item["topics"]
    if not isinstance(topics, Sequence) or not topics or not all(isinstance(t, str) for t in topics):
        problems.append(Problem(path, item.line_of("topics"), f"{where}: topics must be a non-empty list of tags"))
        topics = Sequence()
    elif len(topics) > len(TOPICS):
        problems.append(Problem(path, item.line_of("topics"),
                                f"{where}: at most {len(TOPICS)} topics, found {len(topics):,}"))
        topics = Sequence()
    for topic, topic_line in zip(topics, getattr(topics, "item_lines", [])):
        if topic not in TOPICS:
            problems.append(Problem(path, topic_line, f"{where}: unknown topic '{topic}' (see the README's taxonomy)"))
    stem = _text(item, "stem", path, problems, where)
    explanation = _text(item, "explanation", path, problems, where)
    learning_point = _text(item, "learning_point", path, problems, where)
    options = _parse_options(item, path, problems, where)
    answer = _parse_answer(item, len(options) if options else 0, path, problems, where)
    evidence = _parse_evidence(item, path, problems, where)
    accepted = _parse_accepted(item, path, problems, where)
    image = _parse_image(item, path, problems, where)
    if None in (stem, explanation, learning_point, options, answer, evidence, accepted, image):
        return None
    return Question(
        id=qid,
        kind=kind,
        topics=tuple(dict.fromkeys(topics)),
        skill=skill,
        stem=stem,
        options=options,
        answer=answer,
        explanation=explanation,
        learning_point=learning_point,
        evidence=evidence,
        file=str(path),
        line=line,
        accepted_warnings=accepted,
        image=image[0],
        image_data=image[1],
    )


def _parse_image(item: Mapping, path: Path, problems: list[Problem], where: str) -> tuple[str, bytes] | None:
    """An optional image, which must be a PNG or JPEG file inside the question file's folder."""
    raw = item.get("image")
    if raw is None:
        return "", b""
    line = item.line_of("image")
    if not isinstance(raw, str) or not raw.strip():
        problems.append(Problem(path, line, f"{where}: image must be a file name"))
        return None
    name = raw.strip()
    if len(name) > MAX_IMAGE_NAME_CHARS:
        problems.append(Problem(path, line, f"{where}: image name is longer than {MAX_IMAGE_NAME_CHARS} characters"))
        return None
    if not name.isprintable():
        problems.append(Problem(path, line, f"{where}: image name '{name}' holds a control character"))
        return None
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or name.startswith(("~", "\\")):
        problems.append(Problem(path, line, f"{where}: image '{raw}' must be a path inside {path.parent} "
                                            "(no absolute paths, no '..')"))
        return None
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        problems.append(Problem(path, line, f"{where}: image '{raw}' must be a .png or .jpg file"))
        return None
    try:
        data = read_input_file(path.parent / relative, MAX_IMAGE_BYTES, folder=path.parent)
    except Refused as exc:
        problems.append(Problem(path, line, f"{where}: image '{raw}' {exc}"))
        return None
    return relative.as_posix(), data


def _parse_accepted(item: Mapping, path: Path, problems: list[Problem], where: str) -> tuple | None:
    raw = item.get("accept_warnings")
    if raw is None:
        return ()
    line = item.line_of("accept_warnings")
    if not isinstance(raw, Mapping) or not raw:
        problems.append(Problem(path, line, f"{where}: accept_warnings must map warning codes to reasons"))
        return None
    accepted = []
    for code, reason in raw.items():
        if code not in WARNING_CODES:
            problems.append(Problem(path, raw.line_of(code),
                                    f"{where}: unknown warning code '{code}' (known: {', '.join(WARNING_CODES)})"))
            return None
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(path, raw.line_of(code), f"{where}: accepting '{code}' needs a reason"))
            return None
        if len(reason) > MAX_REASON_CHARS:
            problems.append(Problem(path, raw.line_of(code), f"{where}: the reason for accepting '{code}' is "
                                                             f"longer than {MAX_REASON_CHARS:,} characters"))
            return None
        accepted.append((code, reason.strip()))
    return tuple(accepted)


def _parse_options(item: Mapping, path: Path, problems: list[Problem], where: str) -> tuple[Option, ...] | None:
    raw = item["options"]
    line = item.line_of("options")
    if not isinstance(raw, Sequence):
        problems.append(Problem(path, line, f"{where}: options must be a list"))
        return None
    if len(raw) < 2:
        problems.append(Problem(path, line, f"{where}: needs at least two options, found {len(raw)}"))
        return None
    if len(raw) > MAX_OPTIONS:
        problems.append(Problem(path, line, f"{where}: at most {MAX_OPTIONS} options, found {len(raw)}"))
        return None
    options: list[Option] = []
    seen: dict[str, int] = {}
    ok = True
    for index, (entry, entry_line) in enumerate(zip(raw, raw.item_lines)):
        label = f"{where}, option {LETTERS[index]}"
        if not isinstance(entry, Mapping):
            problems.append(Problem(path, entry_line, f"{label}: must be a mapping with 'text' and 'rationale'"))
            ok = False
            continue
        _unknown_fields(entry, OPTION_FIELDS, path, problems, label)
        text = _text(entry, "text", path, problems, label)
        rationale = _text(entry, "rationale", path, problems, label)
        if text is None or rationale is None:
            ok = False
            continue
        key = " ".join(text.lower().split())
        if key in seen:
            problems.append(
                Problem(path, entry_line, f"{label}: duplicate option '{text}' (same as option {LETTERS[seen[key]]})")
            )
            ok = False
        seen[key] = index
        options.append(Option(text, rationale, line=entry_line))
    return tuple(options) if ok else None


def _parse_answer(item: Mapping, n_options: int, path: Path, problems: list[Problem], where: str) -> int | None:
    raw = item["answer"]
    line = item.line_of("answer")
    if not isinstance(raw, str) or len(raw.strip()) != 1 or raw.strip().upper() not in LETTERS:
        problems.append(Problem(path, line, f"{where}: answer must be an option letter (A, B, C, ...), not {raw!r}"))
        return None
    index = LETTERS.index(raw.strip().upper())
    if n_options and index >= n_options:
        last = LETTERS[n_options - 1]
        problems.append(
            Problem(path, line, f"{where}: answer '{raw}' is out of range: there are {n_options} options (A-{last})")
        )
        return None
    return index


def _parse_evidence(item: Mapping, path: Path, problems: list[Problem], where: str) -> tuple[Evidence, ...] | None:
    raw = item["evidence"]
    line = item.line_of("evidence")
    if not isinstance(raw, Sequence) or not raw:
        problems.append(Problem(path, line, f"{where}: evidence must be a non-empty list of document quotes"))
        return None
    if len(raw) > MAX_EVIDENCE:
        problems.append(Problem(path, line, f"{where}: at most {MAX_EVIDENCE} evidence quotes, found {len(raw):,}"))
        return None
    result: list[Evidence] = []
    for entry, entry_line in zip(raw, raw.item_lines):
        if not isinstance(entry, Mapping):
            problems.append(Problem(path, entry_line, f"{where}: each evidence entry needs 'document' and 'quote'"))
            return None
        _unknown_fields(entry, EVIDENCE_FIELDS, path, problems, f"{where} evidence")
        document = _text(entry, "document", path, problems, f"{where} evidence")
        quote = _text(entry, "quote", path, problems, f"{where} evidence")
        if document is None or quote is None:
            return None
        result.append(Evidence(document, quote, line=entry.line_of("quote")))
    return tuple(result)


def _resolve_evidence(
    question: Question, documents: dict[str, Document], path: Path, problems: list[Problem]
) -> Question | None:
    resolved: list[Evidence] = []
    ok = True
    for evidence in question.evidence:
        line = evidence.line
        document = documents.get(evidence.document_id)
        if document is None:
            known = ", ".join(sorted(documents))
            problems.append(
                Problem(path, line, f"question '{question.id}': unknown document '{evidence.document_id}' (known: {known})")
            )
            ok = False
            continue
        # Past the file's cap of reported problems the closest-text hint would only be thrown away.
        found = locate_quote(document, evidence.quote, hint=not getattr(problems, "full", False))
        if isinstance(found, str):
            problems.append(Problem(path, line, f"question '{question.id}': evidence {found}"))
            ok = False
            continue
        passage, start, end = found
        resolved.append(replace(evidence, passage_ordinal=passage.ordinal, start=start, end=end))
    if not ok:
        return None
    return replace(question, evidence=tuple(resolved))
