"""Subjects: a folder each, holding its title, its topics, its documents and its question sets.

    subjects/
      calcinosis-cutis/        the folder's name is the subject's id
        subject.yaml           title, topics, optional everyday_words
        documents/catalog.yaml and the documents it names
        questions/*.yaml       the question sets

Inside a bank and in a learner's progress, a question is known by its qualified id
"<subject>/<id>"; ids need only be unique within their subject.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence as Sequence_
from dataclasses import dataclass, field
from pathlib import Path

from calciquiz.core import formats
from calciquiz.core.documents import Document, load_documents
from calciquiz.core.linking import LinkCache, link_missing
from calciquiz.core.problems import FileProblems, InputError, Problem
from calciquiz.core.questions import Question, question_files
from calciquiz.core.validate import SetRules, check_question, resolve_evidence
from calciquiz.core.yamlfile import Mapping, Sequence, read_yaml

SUBJECT_FILE = "subject.yaml"
SUBJECT_FIELDS = ("title", "topics", "everyday_words")
# Short enough that "<subject>/<question id>" stays well within every id limit (80 + 1 + 60).
SUBJECT_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{0,59}$")
TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,59}$")
MAX_SUBJECT_BYTES = 100_000
MAX_TITLE_CHARS = 100
MAX_TOPICS = 100
MAX_EVERYDAY_WORDS = 2_000
DOCUMENTS_FOLDER = "documents"
QUESTIONS_FOLDER = "questions"


def subject_of(qualified_id: str) -> str:
    """The subject part of a qualified id ("calcinosis-cutis/cls-1" -> "calcinosis-cutis")."""
    return qualified_id.split("/", 1)[0]


def id_range(subject: str) -> tuple[str, str]:
    """Bounds (low inclusive, high exclusive) of every qualified id of a subject, for index range queries.

    '0' is the character after '/', so "s/" <= id < "s0" holds exactly the ids "s/...".
    """
    return f"{subject}/", f"{subject}0"


@dataclass(frozen=True)
class Subject:
    """A subject's settings and where its files are."""

    id: str
    title: str
    topics: tuple[str, ...]
    documents_dir: Path
    question_paths: tuple[Path, ...]  # question files, or folders of them
    everyday_words: frozenset[str] = frozenset()
    file: Path | None = None  # its subject.yaml

    @property
    def folder(self) -> Path:
        return self.file.parent if self.file else self.documents_dir.parent


@dataclass(frozen=True)
class QuestionSet:
    """One question file: id "<subject>/<file path in questions/ without suffix>", and its title."""

    id: str
    subject_id: str
    title: str
    file: str  # relative to the subject's folder, as the bank records it
    position: int


@dataclass
class LoadedSubject:
    """A subject with every input read and checked."""

    subject: Subject
    documents: list[Document]
    sets: list[QuestionSet] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    # What was read but left out of the bank, each with its file and line and why (a question type
    # CalciQuiz does not ask, a question no passage supports): said at every build, never an error.
    skipped: list[Problem] = field(default_factory=list)


def find_subjects(root: Path, only: Iterable[str] = ()) -> list[Path]:
    """The subject folders in `root` (a folder of subject folders, or one subject folder), sorted by id.

    `only` restricts them to these ids; a named subject that is not there is an error, as is a
    folder without subject.yaml (it would otherwise be left out without a word).
    """
    wanted = list(dict.fromkeys(only))
    if (root / SUBJECT_FILE).exists():
        folders = [root]
    else:
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        except OSError as error:
            raise InputError([Problem(root, None, f"cannot list the subjects: {error.strerror or error}")]) from None
        problems = [Problem(p, None, f"no {SUBJECT_FILE} in this folder; a subject folder holds {SUBJECT_FILE}, "
                                     f"{DOCUMENTS_FOLDER}/ and {QUESTIONS_FOLDER}/")
                    for p in children if not (p / SUBJECT_FILE).exists() and (not wanted or p.name in wanted)]
        if problems:
            raise InputError(problems)
        folders = children
    if wanted:
        missing = [w for w in wanted if w not in {f.name for f in folders}]
        if missing:
            known = ", ".join(f.name for f in folders) or "none"
            raise InputError([Problem(root, None, f"no subject '{m}' here (subjects: {known})") for m in missing])
        folders = [f for f in folders if f.name in wanted]
    if not folders:
        raise InputError([Problem(root, None, f"no subjects found (a subject is a folder with {SUBJECT_FILE})")])
    return folders


def read_subject(folder: Path) -> Subject:
    """Read a subject folder's subject.yaml; InputError names each problem's file and line."""
    path = folder / SUBJECT_FILE
    if not SUBJECT_ID.match(folder.name):
        raise InputError([Problem(folder, None, f"subject folder name '{folder.name}' is its id: use lowercase "
                                                "letters, digits and dashes (at most 60)")])
    data = read_yaml(path, MAX_SUBJECT_BYTES)
    if not isinstance(data, Mapping):
        raise InputError([Problem(path, 1, "expected a mapping with 'title' and 'topics'")])
    problems = FileProblems(path)
    for key in data:
        if key not in SUBJECT_FIELDS:
            problems.append(Problem(path, data.line_of(key),
                                    f"unknown field '{key}' (known: {', '.join(SUBJECT_FIELDS)})"))
    title = data.get("title")
    if "title" not in data:
        problems.append(Problem(path, data.line, "missing field 'title'"))
    elif not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS or "\n" in title.strip():
        problems.append(Problem(path, data.line_of("title"),
                                f"'title' must be one line of text of at most {MAX_TITLE_CHARS} characters"))
    topics = _names(data, "topics", TOPIC_NAME, MAX_TOPICS, path, problems, required=True)
    words = _names(data, "everyday_words", None, MAX_EVERYDAY_WORDS, path, problems, required=False)
    if problems.found:
        raise InputError(problems.report())
    return Subject(
        id=folder.name, title=title.strip(), topics=topics, documents_dir=folder / DOCUMENTS_FOLDER,
        question_paths=(folder / QUESTIONS_FOLDER,), everyday_words=frozenset(w.lower() for w in words), file=path,
    )


def _names(data: Mapping, key: str, pattern: re.Pattern | None, limit: int, path: Path, problems: FileProblems,
           *, required: bool) -> tuple[str, ...]:
    """A list of distinct short names (topics, words), each checked on its own line."""
    if key not in data:
        if required:
            problems.append(Problem(path, data.line, f"missing field '{key}'"))
        return ()
    raw = data[key]
    if not isinstance(raw, Sequence) or (required and not raw):
        problems.append(Problem(path, data.line_of(key), f"'{key}' must be a {'non-empty ' if required else ''}list"))
        return ()
    if len(raw) > limit:
        problems.append(Problem(path, data.line_of(key), f"'{key}' holds {len(raw):,} entries; at most {limit:,}"))
        return ()
    seen: dict[str, int] = {}
    for name, line in zip(raw, raw.item_lines):
        if pattern is not None and not (isinstance(name, str) and pattern.match(name)):
            problems.append(Problem(path, line, f"{key[:-1]} {name!r} must be lowercase letters, digits and dashes"))
        elif pattern is None and not (isinstance(name, str) and name.isalpha() and len(name) <= 40):
            problems.append(Problem(path, line, f"{key[:-1].replace('_', ' ')} {name!r} must be one word of "
                                                "letters (at most 40)"))
        elif name in seen:
            problems.append(Problem(path, line, f"'{name}' is listed twice (first on line {seen[name]})"))
        else:
            seen[name] = line
    return tuple(seen)


def load_subject(subject: Subject, links: LinkCache | None = None) -> LoadedSubject:
    """Read and check a subject's documents and question sets; InputError lists every problem.

    Questions without evidence are then linked to a passage (from `links` where an earlier build did it).
    """
    documents = load_documents(subject.documents_dir, subject=subject.id)
    loaded = LoadedSubject(subject, documents)
    by_local_id = {d.local_id: d for d in documents}
    problems: list[Problem] = []
    first_seen: dict[str, tuple[Path, int]] = {}
    for path in question_files_of(subject):
        load_file(loaded, path, by_local_id, first_seen, problems)
    if problems:
        raise InputError(problems)
    loaded.questions, unsupported = link_missing(loaded.questions, documents, subject.id, links)
    loaded.skipped.extend(unsupported)
    return loaded


def question_files_of(subject: Subject) -> list[Path]:
    """The subject's question files in build order; InputError if it has none."""
    files = _files(subject)
    if not files:
        where = ", ".join(str(p) for p in subject.question_paths)
        kinds = ", ".join(f"*{suffix}" for suffix in formats.suffixes())
        raise InputError([Problem(Path(where), None, f"no question files ({kinds}) found")])
    return files


def load_file(loaded: LoadedSubject, path: Path, documents: dict[str, Document],
              first_seen: dict[str, tuple[Path, int]], problems: list[Problem]) -> None:
    """Read, check and resolve one question file into `loaded`; its problems go to `problems`.

    `first_seen` holds the ids of the subject's files before this one (a repeated id is a problem).
    """
    subject = loaded.subject
    found = FileProblems(path)
    try:
        _name_is_text(path)
        raw_set = formats.read_set(path, found)
    except InputError as exc:
        found.extend(exc.problems)
        problems.extend(found.report())
        return
    loaded.skipped.extend(raw_set.skipped)
    question_set = QuestionSet(_set_id(subject, path), subject.id, raw_set.title, _relative(subject, path),
                               len(loaded.sets))
    # Said first: a converted set left beside its source also repeats every id, and those messages would
    # fill the file's cap of reported problems before this one, which names the cause.
    _name_clash(loaded, question_set, found)
    rules = SetRules(subject.id, question_set.id, subject.topics)
    for raw in raw_set.questions:
        before = found.found
        question = check_question(raw, path, found, rules)
        if question is None or found.found != before:
            continue
        if question.local_id in first_seen:
            other, other_line = first_seen[question.local_id]
            found.append(Problem(path, question.line,
                                 f"duplicate id '{question.local_id}' (also in {other}:{other_line})"))
            continue
        first_seen[question.local_id] = (path, question.line)
        resolved = resolve_evidence(question, documents, path, found)
        if resolved is not None:
            loaded.questions.append(resolved)
    loaded.sets.append(question_set)
    problems.extend(found.report())


def _name_clash(loaded: LoadedSubject, question_set: QuestionSet, found: FileProblems) -> None:
    other = next((s for s in loaded.sets if s.id == question_set.id), None)
    if other is not None:
        # A set's id is its file's path without the suffix (it keys progress), so set.csv beside set.yaml
        # would be one set twice. The name is at fault, not a line: the message is on the file's first.
        found.append(Problem(found.path, 1, f"{other.file} has the same name but for its suffix, and both would be "
                                            f"the set '{question_set.id}'; move one of them out of the folder or "
                                            "rename it"))


def load_subjects(sources: Sequence_[Subject | Path], links: LinkCache | None = None,
                  load: Callable[[Subject, LinkCache | None], LoadedSubject] | None = None) -> list[LoadedSubject]:
    """Read and check every subject (a Subject, or a subject folder); InputError lists all their problems.

    `load` reads one subject (load_subject unless a build reads in several processes).
    """
    load = load or load_subject
    problems: list[Problem] = []
    loaded: list[LoadedSubject] = []
    seen: set[str] = set()
    for source in sources:
        try:
            subject = source if isinstance(source, Subject) else read_subject(Path(source))
            if subject.id in seen:
                raise InputError([Problem(subject.folder, None, f"subject '{subject.id}' is named twice")])
            seen.add(subject.id)
            loaded.append(load(subject, links))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return loaded


def _files(subject: Subject) -> list[Path]:
    return [f for p in subject.question_paths for f in ([p] if p.is_file() else question_files(p))]


def _name_is_text(path: Path) -> None:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        # The bank stores the file name; bytes that are not UTF-8 cannot go into it.
        raise InputError([Problem(path, None, "file name is not valid UTF-8; rename the file")]) from None


def _relative(subject: Subject, path: Path) -> str:
    try:
        return path.relative_to(subject.folder).as_posix()
    except ValueError:
        return path.name


def _set_id(subject: Subject, path: Path) -> str:
    for base in subject.question_paths:
        if base.is_dir() and base in path.parents:
            return f"{subject.id}/{path.relative_to(base).with_suffix('').as_posix()}"
    return f"{subject.id}/{path.stem}"
