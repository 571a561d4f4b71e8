"""The question bank: a SQLite file built from documents and question sets, read-only once built."""
from __future__ import annotations

import contextlib
import gc
import glob
import os
import re
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from calciquiz.core.bank_writer import SCHEMA_VERSION, BankWriter
from calciquiz.core.documents import Passage
from calciquiz.core.linking import LinkCache
from calciquiz.core.questions import Evidence, Option, Question
from calciquiz.core.subjects import LoadedSubject, Subject, id_range, load_subjects

BUILDING_SUFFIX = ".building"
# A killed build leaves its temporary file beside the bank. A running build writes that file all the
# time, so one untouched this long belongs to no running build, wherever that build runs.
STALE_AFTER_SECONDS = 15 * 60
# The temporary file's name carries its builder's pid; once that process is gone on this machine the
# file is removed sooner, after a short quiet time in case the folder is shared with another machine
# (where the pid means nothing here).
QUIET_SECONDS = 60


class BankUnusable(Exception):
    """A file that cannot be studied from as a bank; the message says why, in plain words."""


class BankOutdated(BankUnusable):
    """A bank file from an earlier schema; the message says how to make a new one."""


@dataclass(frozen=True)
class BuildReport:
    path: Path
    subjects: int
    documents: int
    passages: int
    questions: int
    vignettes: int
    bank_id: str
    skipped: tuple = ()  # Problems: what was read but left out, with file and line
    linked: int = 0  # questions the linker ranked (not found in the previous bank's link cache)


HIT_START, HIT_END = "\x02", "\x03"  # FTS5 snippet markers; never present in document text


@dataclass(frozen=True)
class SubjectInfo:
    """A subject of the bank: its id, its title and its topics (in the order of its subject.yaml)."""

    id: str
    title: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class SetInfo:
    """A question set of the bank (one question file)."""

    id: str
    subject_id: str
    title: str
    file: str
    questions: int


@dataclass(frozen=True)
class SearchHit:
    document_id: str
    ordinal: int
    section: str
    snippet: str  # passage text around the match, matched words between HIT_START and HIT_END


# A search is a few words. FTS5's work grows with the square of the terms (a pasted page of
# 5,000 words took a minute), so only the first words are searched, each once.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 20
QUERY_WORD = re.compile(r"[\w’'-]+")


def query_words(text: str) -> list[str]:
    """The words a search looks for: from its first MAX_QUERY_CHARS characters, each once, at most MAX_QUERY_WORDS."""
    distinct: dict[str, str] = {}
    for word in QUERY_WORD.findall(text[:MAX_QUERY_CHARS]):
        distinct.setdefault(word.casefold(), word)
    return list(distinct.values())[:MAX_QUERY_WORDS]


def query_is_cut(text: str) -> bool:
    """Whether some of `text` is left out of its search."""
    words = {w.casefold() for w in QUERY_WORD.findall(text[:MAX_QUERY_CHARS])}
    return len(text.strip()) > MAX_QUERY_CHARS or len(words) > MAX_QUERY_WORDS


def fts_query(text: str, column: str = "text") -> str:
    """A user's words as a safe FTS5 query on one column: every word must occur; the last may be a prefix."""
    words = query_words(text)
    if not words:
        return ""
    quoted = [f'{column} : "{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


@dataclass(frozen=True)
class DocumentInfo:
    id: str  # qualified: "<subject>/<id in the catalog>"
    title: str
    author: str
    publisher: str
    date: str
    note: str
    file: str
    subject_id: str = ""

    @property
    def byline(self) -> str:
        return " · ".join(part for part in (self.author, self.publisher, self.date) if part)


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while a bank is read and written.

    A build makes millions of long-lived objects and no cycles; the collector's repeated full
    scans of them took 45% of a 30,000-question build (25.4 s with it, 13.9 s without).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_sources(subjects: list[Subject | Path], links: LinkCache | None = None,
                 workers: int = 1, writer: BankWriter | None = None) -> list[LoadedSubject]:
    """Read and check every subject (a Subject or a subject folder); InputError names each problem's file and line.

    With a `writer` each subject is written into the bank as it is read, and with `workers` > 1 a
    subject of many megabytes of question files is read in that many processes; its questions are
    then written and not kept (LoadedSubject.questions stays empty).
    """
    # Imported here, not at the top: the app imports this module to read a bank at every start, and the
    # process pool (multiprocessing, concurrent.futures) is only ever needed to build one.
    from calciquiz.core.import_pool import PooledLoader

    with _collector_paused(), PooledLoader(workers, writer) as loader:
        return load_subjects(subjects, links, loader)


def previous_links(output: Path) -> LinkCache:
    """The links the bank at `output` keeps from its build, if there is such a bank: none are made again."""
    cache = LinkCache()
    if not Path(output).is_file():
        return cache
    try:
        conn = sqlite3.connect(f"{Path(output).resolve().as_uri()}?mode=ro", uri=True)
        try:
            # A table only: a file made to look like a bank could hold a view that never ends (a recursive one).
            kind = conn.execute("select type from sqlite_master where name = 'link_cache'").fetchone()
            rows = [] if kind != ("table",) else conn.execute(
                "select key, document_id, quote, ordinal, start, end, score from link_cache").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return cache  # an older bank, or not a bank: everything is linked afresh
    for key, document_id, quote, ordinal, start, end, score in rows:
        cache.known[key] = None if document_id is None else Evidence(document_id, quote, ordinal, start, end,
                                                                     auto=True, score=score)
    return cache


def is_bank_file(path: Path) -> bool:
    """Whether `path` holds a CalciQuiz bank of any release, which a build may replace."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return False
    return {"meta", "questions", "passages"} <= tables


def build_bank(subjects: list[Subject | Path], output: Path, workers: int | None = None) -> BuildReport:
    """Check every subject's inputs, then write one bank to a temporary file and move it into place.

    The move is atomic, so on any error the previous bank at `output` is left as it was. Large
    subjects are read in `workers` processes (default: one per core); small ones in this process.
    """
    from calciquiz.core.import_pool import worker_count  # see load_sources

    output = Path(output)
    remove_stale_leftovers(output)
    links = previous_links(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.{os.getpid()}.", suffix=BUILDING_SUFFIX,
                                    dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with _collector_paused():
            loaded, writer, bank_id = _write_bank(tmp, subjects, links, worker_count() if workers is None else workers)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return BuildReport(
        path=output,
        subjects=len(loaded),
        documents=len(writer.documents),
        passages=len(writer.passage_ids),
        questions=writer.questions,
        vignettes=writer.vignettes,
        bank_id=bank_id,
        skipped=tuple(p for s in loaded for p in s.skipped),
        linked=links.linked,
    )


def remove_stale_leftovers(output: Path) -> list[Path]:
    """Remove the temporary files that killed builds of `output` left behind; a running build's stays."""
    try:
        candidates = list(output.parent.glob(f".{glob.escape(output.name)}.*{BUILDING_SUFFIX}"))
    except OSError:
        return []
    removed = []
    now = time.time()
    for leftover in candidates:
        try:
            info = leftover.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        quiet_for = now - info.st_mtime
        pid = _builder_pid(leftover.name, output.name)
        if quiet_for > STALE_AFTER_SECONDS or (
            pid is not None and quiet_for > QUIET_SECONDS and _process_is_gone(pid)
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


def _builder_pid(name: str, output_name: str) -> int | None:
    """The pid in '.<bank>.<pid>.<random>.building'; None for other names (such as an older release's)."""
    middle = name[len(output_name) + 2 : -len(BUILDING_SUFFIX)].split(".")
    return int(middle[0]) if len(middle) == 2 and middle[0].isdigit() else None


def _process_is_gone(pid: int) -> bool:
    if os.name != "posix":
        return False  # on Windows os.kill would end the process; there the age alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists but is not ours to signal
    return False


def _write_bank(path: Path, subjects: list[Subject | Path], links: LinkCache, workers: int) -> tuple:
    """Read the subjects and write them into a new bank file at `path`; (loaded subjects, writer, bank id)."""
    writer = BankWriter(path)
    try:
        loaded = load_sources(subjects, links, workers, writer)
        bank_id = writer.finish(loaded, links)
    finally:
        writer.close()
    return loaded, writer, bank_id


def open_checked(path: Path) -> Bank:
    """Open a bank built elsewhere (File › Open question bank…), refusing in plain words one that is
    missing, not a bank, from an earlier CalciQuiz or damaged; nothing is opened then.

    Every page is read (an integrity check), so a damaged file is refused now rather than halfway
    through a session.
    """
    from calciquiz.core.paths import is_sound_bank

    path = Path(path)
    if not path.is_file():
        raise BankUnusable(f"There is no question bank at {path}.")
    try:
        bank = Bank(path)
    except BankOutdated:
        raise
    except (sqlite3.Error, OSError) as error:
        raise BankUnusable(f"{path} is not a CalciQuiz question bank, or it is damaged ({error}).") from error
    if not is_sound_bank(path, SCHEMA_VERSION):
        bank.close()
        raise BankUnusable(f"The question bank {path} is damaged; build it again with `calciquiz build`.")
    return bank


class Bank:
    """Read-only access to a built bank."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no question bank at {self.path}")
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        try:
            self.meta = {row["key"]: row["value"] for row in self.db.query("select key, value from meta")}
        except BaseException:
            self.db.close()
            raise
        if self.meta.get("schema_version") != str(SCHEMA_VERSION):
            self.db.close()
            raise BankOutdated(f"The question bank {self.path} was built by an earlier CalciQuiz; "
                               f"rebuild it with `calciquiz build`.")

    def subjects(self) -> list[SubjectInfo]:
        """The bank's subjects, in the order they were built, each with its title and topics."""
        topics: dict[str, list[str]] = {}
        for subject_id, topic in self.db.execute(
                "select subject_id, topic from subject_topics order by subject_id, position"):
            topics.setdefault(subject_id, []).append(topic)
        return [SubjectInfo(r[0], r[1], tuple(topics.get(r[0], ())))
                for r in self.db.execute("select id, title from subjects order by position")]

    def question_sets(self, subject: str | None = None) -> list[SetInfo]:
        """The question sets (of one subject, or all), each with its number of questions."""
        where, args = ("where s.subject_id = ?", [subject]) if subject else ("", [])
        return [SetInfo(*r) for r in self.db.execute(
            "select s.id, s.subject_id, s.title, s.file, (select count(*) from questions q where q.set_id = s.id)"
            f" from question_sets s {where} order by (select position from subjects where id = s.subject_id),"
            " s.position", args)]

    @property
    def bank_id(self) -> str:
        return self.meta.get("bank_id", "")

    def close(self) -> None:
        self.db.close()

    def question_count(self, subject: str | None = None) -> int:
        if subject:
            return self.db.execute("select count(*) from questions where subject_id = ?", [subject]).fetchone()[0]
        return self.db.execute("select count(*) from questions").fetchone()[0]

    def question(self, question_id: str) -> Question:
        row = next(self.db.query("select * from questions where id = ?", [question_id]), None)
        if row is None:
            raise KeyError(question_id)
        options = tuple(
            Option(r["text"], r["rationale"])
            for r in self.db.query("select text, rationale from options where question_id = ? order by position",
                                   [question_id])
        )
        topics = tuple(
            r["topic"] for r in self.db.query("select topic from question_topics where question_id = ?",
                                              [question_id])
        )
        evidence = tuple(
            Evidence(r["document_id"], r["quote"], r["ordinal"], r["start"], r["end"], auto=bool(r["auto"]),
                     score=r["score"] or 0.0)
            for r in self.db.query(
                "select p.document_id, p.ordinal, e.quote, e.start, e.end, e.auto, e.score from evidence e"
                " join passages p on p.id = e.passage_id where e.question_id = ? order by e.ordinal",
                [question_id],
            )
        )
        return Question(
            id=row["id"], kind=row["kind"], topics=topics, skill=row["skill"], stem=row["stem"],
            options=options, answer=row["answer"], explanation=row["explanation"],
            learning_point=row["learning_point"], evidence=evidence, file=row["file"], line=row["line"],
            subject=row["subject_id"], set_id=row["set_id"], local_id=row["local_id"],
        )

    def image(self, question_id: str) -> bytes:
        """The question's image as stored in the bank (b"" when it has none)."""
        row = self.db.execute("select data from images where question_id = ?", [question_id]).fetchone()
        return bytes(row[0]) if row else b""

    def document(self, document_id: str) -> DocumentInfo:
        row = next(self.db.query("select * from documents where id = ?", [document_id]), None)
        if row is None:
            raise KeyError(document_id)
        return DocumentInfo(row["id"], row["title"], row["author"] or "", row["publisher"] or "",
                            row["date"] or "", row["note"] or "", row["file"], row["subject_id"])

    def documents(self, subject: str | None = None) -> list[DocumentInfo]:
        """The documents (of one subject, or all), in catalog order."""
        where, args = ("where subject_id = ?", [subject]) if subject else ("", [])
        return [self.document(r["id"]) for r in self.db.query(f"select id from documents {where} order by rowid",
                                                              args)]

    def passages(self, document_id: str) -> list[Passage]:
        return [
            Passage(r["document_id"], r["ordinal"], r["kind"], r["section"], r["text"], r["line"])
            for r in self.db.query(
                "select * from passages where document_id = ? order by ordinal", [document_id]
            )
        ]

    def search(self, text: str, limit: int = 50, subject: str | None = None) -> list[SearchHit]:
        """Full-text search of the teaching text of every document (or one subject's), best matches first."""
        query = fts_query(text)
        if not query:
            return []
        within, args = (("and p.document_id >= ? and p.document_id < ?", list(id_range(subject))) if subject
                        else ("", []))
        rows = self.db.execute(
            "select p.document_id, p.ordinal, p.section,"
            f" snippet(passages_fts, 1, '{HIT_START}', '{HIT_END}', ' … ', 24)"
            " from passages_fts join passages p on p.id = passages_fts.rowid"
            f" where passages_fts match ? and p.kind = 'text' {within} order by rank limit ?",
            [query, *args, limit],
        ).fetchall()
        return [SearchHit(*row) for row in rows]

    def citing_questions(self, document_id: str, ordinal: int) -> list[str]:
        """Ids of the questions whose evidence quotes this passage."""
        return [r[0] for r in self.db.execute(
            "select distinct e.question_id from evidence e join passages p on p.id = e.passage_id"
            " join questions q on q.id = e.question_id"
            " where p.document_id = ? and p.ordinal = ? order by q.position", [document_id, ordinal])]

    def citation_counts(self, document_id: str) -> dict[int, int]:
        return {r[0]: r[1] for r in self.db.execute(
            "select p.ordinal, count(distinct e.question_id) from evidence e join passages p on p.id = e.passage_id"
            " where p.document_id = ? group by p.ordinal", [document_id])}

    def passage(self, document_id: str, ordinal: int) -> Passage:
        row = next(
            self.db.query("select * from passages where document_id = ? and ordinal = ?", [document_id, ordinal]),
            None,
        )
        if row is None:
            raise KeyError((document_id, ordinal))
        return Passage(row["document_id"], row["ordinal"], row["kind"], row["section"], row["text"], row["line"])
