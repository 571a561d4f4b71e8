"""Checking a question as read, whatever its file format, and making it a Question.

Every reader in calciquiz.core.formats hands over RawQuestions; every check and every message
lives here, so a question in any format gets the same checks and the same words.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

from calciquiz.core.documents import Document, locate_quote
from calciquiz.core.formats.raw import EmbeddedImage, Mapping, RawQuestion, Sequence
from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import Problem
from calciquiz.core.questions import (
    DEFAULT_KIND,
    DEFAULT_SKILL,
    EVIDENCE_FIELDS,
    FIELD_LIMITS,
    ID_PATTERN,
    IMAGE_SUFFIXES,
    KINDS,
    LETTERS,
    MAX_EVIDENCE,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_NAME_CHARS,
    MAX_OPTIONS,
    MAX_REASON_CHARS,
    OPTION_FIELDS,
    OPTIONAL_QUESTION_FIELDS,
    QUESTION_FIELDS,
    SKILLS,
    WARNING_CODES,
    Evidence,
    Option,
    Question,
)


@dataclass(frozen=True)
class SetRules:
    """What a question's checks depend on beyond the question: its subject's taxonomy and its set."""

    subject: str
    set_id: str
    topics: tuple[str, ...]


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


def _optional_text(mapping: Mapping, key: str, path: Path, problems: list[Problem], where: str) -> str | None:
    """A text field that may be left out ("" then), but if written must be text within its limits."""
    return "" if key not in mapping else _text(mapping, key, path, problems, where)


def topic_key(name: str) -> str:
    """How an imported tag is compared with a topic: 'Clinical Features' and 'clinical_features' match 'clinical-features'."""
    return "-".join(name.casefold().replace("_", " ").split())


def _parse_topics(item: Mapping, tags: tuple[str, ...], path: Path, problems: list[Problem], where: str,
                  rules: SetRules) -> tuple[str, ...] | None:
    """The topics as written; or, when none are written, the imported tags that name one of the subject's topics."""
    if "topics" not in item:
        known = {topic_key(t): t for t in rules.topics}
        return tuple(dict.fromkeys(known[topic_key(t)] for t in tags if topic_key(t) in known))
    topics = item["topics"]
    if not isinstance(topics, Sequence) or not topics or not all(isinstance(t, str) for t in topics):
        problems.append(Problem(path, item.line_of("topics"), f"{where}: topics must be a non-empty list of tags"))
        return None
    if len(topics) > len(rules.topics):
        problems.append(Problem(path, item.line_of("topics"),
                                f"{where}: at most {len(rules.topics)} topics, found {len(topics):,}"))
        return None
    ok = True
    for topic, topic_line in zip(topics, topics.item_lines):
        if topic not in rules.topics:
            same = [t for t in rules.topics if topic_key(t) == topic_key(topic)]
            hint = f"; did you mean '{same[0]}'?" if same else ""
            problems.append(Problem(path, topic_line, f"{where}: unknown topic '{topic}' (not among the topics "
                                                      f"in the subject.yaml of '{rules.subject}'){hint}"))
            ok = False
    return tuple(dict.fromkeys(topics)) if ok else None


def check_question(raw: RawQuestion, path: Path, problems: list[Problem], rules: SetRules) -> Question | None:
    """Check one question as read and make it, or report every problem with its line and return None."""
    item, line = raw.fields, raw.line
    if not isinstance(item, Mapping):
        problems.append(Problem(path, line, "each question must be a mapping of fields"))
        return None
    qid = item.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        problems.append(
            Problem(path, item.line_of("id"), "question 'id' is missing or not lowercase letters, digits and dashes"
                    + (f" (it is '{qid[:80]}')" if isinstance(qid, str) and qid.strip() else ""))
        )
        return None
    where = f"question '{qid}'"
    _unknown_fields(item, QUESTION_FIELDS + OPTIONAL_QUESTION_FIELDS, path, problems, where)
    missing = [f for f in QUESTION_FIELDS if f not in item]
    if missing:
        problems.append(Problem(path, line, f"{where}: missing field(s): {', '.join(missing)}"))
        return None
    kind, skill = item.get("kind", DEFAULT_KIND), item.get("skill", DEFAULT_SKILL)
    if kind not in KINDS:
        problems.append(Problem(path, item.line_of("kind"), f"{where}: kind must be one of {', '.join(KINDS)}"))
    if skill not in SKILLS:
        problems.append(Problem(path, item.line_of("skill"), f"{where}: skill must be one of {', '.join(SKILLS)}"))
    topics = _parse_topics(item, raw.tags, path, problems, where, rules)
    stem = _text(item, "stem", path, problems, where)
    explanation = _optional_text(item, "explanation", path, problems, where)
    learning_point = _optional_text(item, "learning_point", path, problems, where)
    options = _parse_options(item, path, problems, where)
    answer = _parse_answer(item, len(options) if options else 0, path, problems, where)
    evidence = _parse_evidence(item, path, problems, where)
    accepted = _parse_accepted(item, path, problems, where)
    image = _parse_image(item, path, problems, where)
    if None in (stem, explanation, learning_point, options, answer, evidence, accepted, image, topics):
        return None
    return Question(
        id=f"{rules.subject}/{qid}",
        kind=kind,
        topics=topics,
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
        subject=rules.subject,
        set_id=rules.set_id,
        local_id=qid,
    )


def _parse_image(item: Mapping, path: Path, problems: list[Problem], where: str) -> tuple[str, bytes] | None:
    """An optional image, which must be a PNG or JPEG file inside the question file's folder."""
    raw = item.get("image")
    if raw is None:
        return "", b""
    line = item.line_of("image")
    if isinstance(raw, EmbeddedImage):
        return _embedded_image(raw, path, problems, where)
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
    return _is_image(relative.as_posix(), data, path, line, problems, where)


def _embedded_image(image: EmbeddedImage, path: Path, problems: list[Problem], where: str) -> tuple[str, bytes] | None:
    """An image carried in the question file itself (Moodle XML): named and sized as an image file must be."""
    name = image.name.strip()
    if not name or len(name) > MAX_IMAGE_NAME_CHARS or not name.isprintable():
        problems.append(Problem(path, image.line, f"{where}: image name '{name[:MAX_IMAGE_NAME_CHARS]}' must be a "
                                                  f"file name of at most {MAX_IMAGE_NAME_CHARS} characters"))
        return None
    if "/" in name or "\\" in name:
        problems.append(Problem(path, image.line, f"{where}: image name '{name}' must be a file name without "
                                                  "folders ('/' or '\\')"))
        return None
    if Path(name).suffix.lower() not in IMAGE_SUFFIXES:
        problems.append(Problem(path, image.line, f"{where}: image '{name}' must be a .png or .jpg file"))
        return None
    if len(image.data) > MAX_IMAGE_BYTES:
        problems.append(Problem(path, image.line, f"{where}: image '{name}' is larger than {MAX_IMAGE_BYTES:,} bytes"))
        return None
    return _is_image(name, image.data, path, image.line, problems, where)


# What every PNG and every JPEG file begins with. A file named .png that is not one (a renamed
# document, a truncated download) would show as a broken picture in the app and in an Anki deck.
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _is_image(name: str, data: bytes, path: Path, line: int, problems: list[Problem],
              where: str) -> tuple[str, bytes] | None:
    if not data.startswith(IMAGE_SIGNATURES):
        problems.append(Problem(path, line, f"{where}: image '{name}' is not a PNG or JPEG image (its first bytes "
                                            "are not those of either); save it again as PNG or JPEG"))
        return None
    return name, data


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
        rationale = _optional_text(entry, "rationale", path, problems, label)
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
    if "evidence" not in item:
        return ()  # the build links it to a passage (calciquiz.core.linking)
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


def resolve_evidence(
    question: Question, documents: dict[str, Document], path: Path, problems: list[Problem]
) -> Question | None:
    """The question with each quote found in its document (named by its id within the subject), or None."""
    resolved: list[Evidence] = []
    ok = True
    for evidence in question.evidence:
        line = evidence.line
        document = documents.get(evidence.document_id)
        if document is None:
            known = ", ".join(sorted(documents))
            problems.append(
                Problem(path, line, f"question '{question.name}': unknown document '{evidence.document_id}' (known: {known})")
            )
            ok = False
            continue
        # Past the file's cap of reported problems the closest-text hint would only be thrown away.
        found = locate_quote(document, evidence.quote, hint=not getattr(problems, "full", False))
        if isinstance(found, str):
            problems.append(Problem(path, line, f"question '{question.name}': evidence {found}"))
            ok = False
            continue
        passage, start, end = found
        resolved.append(replace(evidence, document_id=document.id, passage_ordinal=passage.ordinal, start=start,
                                end=end))
    if not ok:
        return None
    return replace(question, evidence=tuple(resolved))
