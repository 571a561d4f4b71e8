"""`calciquiz convert`: question files of any format read by calciquiz.core.formats, written as one YAML set.

An instructor who brings a Moodle export or a spreadsheet can study it at once, but finishes it by
hand in the YAML format (adding explanations, evidence, topics). So the conversion loses nothing:
every field the reader found, multi-line text as block scalars, the tags that name no topic and
the items the reader skipped as comments with their file and line, images copied beside the set.
The questions are checked with the subject's rules first, so the file written builds.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import yaml

from calciquiz.core import formats
from calciquiz.core.bank import _collector_paused
from calciquiz.core.documents import load_documents
from calciquiz.core.formats.raw import RawQuestion
from calciquiz.core.formats.yaml_set import MAX_TITLE_CHARS
from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import FileProblems, InputError, Problem, one_line
from calciquiz.core.questions import MAX_IMAGE_BYTES, Question
from calciquiz.core.subjects import QUESTIONS_FOLDER, SUBJECT_FILE, Subject, read_subject
from calciquiz.core.validate import SetRules, check_question, resolve_evidence, topic_key

TEACHING_FIELDS = ("explanation", "learning_point", "evidence")
MAX_ID_CHARS = 80  # questions.ID_PATTERN
LINE_WIDTH = 100  # where long one-line text is folded (a fold reads back as one space: nothing changes)


@dataclass
class Converted:
    """What `convert` wrote: the set, how many questions, what was skipped and which images it copied."""

    output: Path
    subject: Subject
    questions: int = 0
    skipped: list[Problem] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    renamed: list[Problem] = field(default_factory=list)  # ids taken by an earlier file's question
    unfinished: int = 0  # questions without an explanation, a learning point or evidence


@dataclass
class _Entry:
    question: Question
    raw: RawQuestion
    source: Path
    note: list[str]  # comment lines above the question


def subject_folder_of(output: Path) -> Path:
    """The subject a set is written into: the folder above its questions/ folder."""
    # Made absolute first: "-o week3.yaml" run inside questions/ has "." for a parent, whose name is "".
    folder = Path(os.path.abspath(output)).parent
    while folder.name != QUESTIONS_FOLDER and folder != folder.parent:
        folder = folder.parent
    if folder.name != QUESTIONS_FOLDER or not (folder.parent / SUBJECT_FILE).is_file():
        raise InputError([Problem(output, None, f"cannot tell the subject: {output} is not inside a subject's "
                                                f"{QUESTIONS_FOLDER}/ folder; name the subject folder with -s")])
    return folder.parent


def convert(sources: list[Path], output: Path, subject_dir: Path | None = None, force: bool = False) -> Converted:
    """Read, check and write the sources as one YAML set; InputError (nothing written) names every problem."""
    # As for a build: many long-lived objects and no cycles, which the collector would rescan again and again.
    with _collector_paused():
        return _convert(sources, output, subject_dir, force)


def _convert(sources: list[Path], output: Path, subject_dir: Path | None, force: bool) -> Converted:
    output = Path(output)
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError([Problem(output, None, "the converted set is a YAML file: name it SET.yaml")])
    if output.exists() and not force:
        raise InputError([Problem(output, None, "already exists; choose another name or add --force to replace it")])
    subject = read_subject(Path(os.path.abspath(subject_dir)) if subject_dir else subject_folder_of(output))
    rules = SetRules(subject.id, f"{subject.id}/{output.stem}", subject.topics)
    result = Converted(output, subject)
    entries: list[_Entry] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}  # id -> where it was first seen
    titles: list[str] = []
    documents = None
    for source in sources:
        source = Path(source)
        found = FileProblems(source)
        reader = formats.READERS.get(source.suffix.lower())
        if reader is None:
            problems.append(Problem(source, None, f"unknown question file format '{source.suffix}' (known: "
                                                  f"{', '.join(formats.suffixes())})"))
            continue
        try:
            raw_set = reader(source, found)
        except InputError as error:
            problems.extend(error.problems)
            continue
        titles.append(raw_set.title)
        result.skipped.extend(raw_set.skipped)
        for raw in raw_set.questions:
            before = found.found
            question = check_question(raw, source, found, rules)
            if question is None or found.found != before:
                continue
            if question.evidence:
                if documents is None:
                    documents = {d.local_id: d for d in load_documents(subject.documents_dir, subject=subject.id)}
                if resolve_evidence(question, documents, source, found) is None:
                    continue
            note = [f"from {source.name}:{raw.line}"]
            if question.local_id in taken:
                new_id = _free_id(question.local_id, taken)
                moved = Problem(source, raw.line, f"id '{question.local_id}' is also {taken[question.local_id]}; "
                                                  f"written as '{new_id}'")
                result.renamed.append(moved)
                note.append(f"id was '{question.local_id}' (also {taken[question.local_id]})")
                question = _renamed(question, new_id, rules)
            taken[question.local_id] = f"in {source.name}:{raw.line}"
            entries.append(_Entry(question, raw, source, note + _notes(question, raw, subject)))
        problems.extend(found.report())
    if problems:
        raise InputError(problems)
    if not entries:
        raise InputError([Problem(Path(sources[0]) if len(sources) == 1 else output, None,
                                  "no question CalciQuiz can ask was found; nothing was written")])
    images = _images(entries, output, force)
    text = render_set(_title(titles, output), entries, sources, result.skipped)
    output.parent.mkdir(parents=True, exist_ok=True)
    for path, data in images.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, data)
    _write_atomically(output, text.encode("utf-8"))
    result.questions = len(entries)
    result.images = list(images)
    result.unfinished = sum(1 for e in entries if any(n.startswith("to write:") for n in e.note))
    return result


def _title(titles: list[str], output: Path) -> str:
    """The sources' title when they share one that a YAML set can hold, else one made from the file name."""
    shared = {" ".join(t.split()) for t in titles}
    if len(shared) == 1 and 0 < len(next(iter(shared))) <= MAX_TITLE_CHARS:
        return next(iter(shared))
    return output.stem.replace("-", " ").replace("_", " ").capitalize()


def _free_id(wanted: str, taken: dict[str, str]) -> str:
    base = wanted[:MAX_ID_CHARS - 4].rstrip("-")  # room for "-999" within the id's 80 characters
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _renamed(question: Question, new_id: str, rules: SetRules) -> Question:
    return replace(question, id=f"{rules.subject}/{new_id}", local_id=new_id)


def _notes(question: Question, raw: RawQuestion, subject: Subject) -> list[str]:
    """Comment lines for what the YAML fields cannot hold or what the instructor has still to write."""
    notes = []
    known = {topic_key(t) for t in subject.topics}
    unmatched = [t for t in raw.tags if topic_key(t) not in known]
    if unmatched:
        notes.append(f"tags that name no topic of {subject.id}: {', '.join(unmatched)}")
    missing = [name for name, value in (("topics", question.topics), ("explanation", question.explanation),
                                        ("learning_point", question.learning_point), ("evidence", question.evidence))
               if not value]
    if missing:
        linked = " (the build links evidence until then; calciquiz link --accept writes it here)"
        notes.append(f"to write: {', '.join(missing)}" + (linked if "evidence" in missing else ""))
    return notes


def _images(entries: list[_Entry], output: Path, force: bool) -> dict[Path, bytes]:
    """Each question's image, to be written beside the set under the name the question gives it.

    Two images may share a name (Moodle questions often carry an "image.png" each), and a file of
    that name may already lie there: the later image then gets "-2", "-3"... and its question the
    new name, so no image is lost and none of the instructor's files is overwritten (unless --force).
    """
    images: dict[Path, bytes] = {}
    for entry in entries:
        question = entry.question
        if not question.image:
            continue
        wanted = PurePosixPath(question.image)
        name, n = wanted, 1
        while True:
            target = output.parent / name
            if images.get(target, question.image_data) == question.image_data and (
                    force or target in images or not target.exists() or _content(target) == question.image_data):
                break
            n += 1
            name = wanted.with_name(f"{wanted.stem}-{n}{wanted.suffix}")
        if name != wanted:
            entry.note.append(f"image was '{wanted}' (another image has that name)")
            entry.question = replace(question, image=name.as_posix())
        images[target] = question.image_data
    return images


def _content(path: Path) -> bytes | None:
    """A file's bytes if it is a regular file of image size (never blocking on a FIFO), else None."""
    try:
        return read_input_file(path, MAX_IMAGE_BYTES)
    except Refused:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Plain YAML the set reader takes: no anchors, multi-line text as block scalars.

    libyaml's emitter when PyYAML has it: PyYAML's own spent 90% of converting 2,000 questions.
    """

    def ignore_aliases(self, data) -> bool:
        return True


# Characters YAML reads as line breaks besides \n. PyYAML (6.0) writes them raw in block and
# single-quoted text, where they come back as a space or a \n, or break the file; escaped in double
# quotes (\N, \L, \P, \r) they come back as they were.
OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Otherwise PyYAML falls back to quoting by itself when a block scalar could not hold the text exactly.
    style = '"' if not OTHER_BREAKS.isdisjoint(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def question_fields(question: Question) -> dict:
    """The question in the YAML set's field order, leaving out what it does not have."""
    fields: dict = {"id": question.local_id, "kind": question.kind}
    if question.topics:
        fields["topics"] = list(question.topics)
    fields["skill"] = question.skill
    fields["stem"] = question.stem
    if question.image:
        fields["image"] = question.image
    fields["options"] = [{"text": o.text, **({"rationale": o.rationale} if o.rationale else {})}
                         for o in question.options]
    fields["answer"] = question.answer_letter
    for name in ("explanation", "learning_point"):
        if getattr(question, name):
            fields[name] = getattr(question, name)
    if question.evidence:
        fields["evidence"] = [{"document": e.document_id.split("/", 1)[-1], "quote": e.quote} for e in question.evidence]
    if question.accepted_warnings:
        fields["accept_warnings"] = dict(question.accepted_warnings)
    return fields


def _dump(value) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=LINE_WIDTH,
                     default_flow_style=False)


def _comment(text: str) -> str:
    return "# " + one_line(text)


def render_set(title: str, entries: list[_Entry], sources: list[Path], skipped: list[Problem]) -> str:
    """The YAML set's text: a heading comment, the title, the questions each with its comments."""
    lines = [_comment(f"Converted by calciquiz convert from {', '.join(Path(s).name for s in sources)}."),
             _comment("Questions marked 'to write:' build as they are; what they lack is listed by calciquiz lint.")]
    if skipped:
        lines.append(_comment("Left out (CalciQuiz asks single-best-answer questions only):"))
        lines.extend(_comment(f"  {problem}") for problem in skipped)
    lines.append(_dump({"title": title}).rstrip("\n"))
    lines.append("questions:")
    for entry in entries:
        lines.extend("  " + _comment(note) for note in entry.note)
        body = _dump([question_fields(entry.question)])
        lines.append("\n".join(("  " + line) if line else line for line in body.rstrip("\n").split("\n")))
    return "\n".join(lines) + "\n"
