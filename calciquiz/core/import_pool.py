"""A large build reads its question files in several processes, one file per task.

Each worker reads a file, checks every question (validate.check_question) and finds every evidence
quote, as the one-process build does, and hands back the bank's table rows (question_rows), not
Questions, in a file of its own. The main process takes the files' results in file order, does what
needs them all (repeated ids across files, auto-linking) and writes each file's rows into the bank
while the workers read the next files.

A file whose worker found anything wrong (a problem, a repeated id, a worker that failed) is read
again in the main process by the one-process code (subjects.load_file), so every message, its line
and its order are exactly those of a one-process build: the pool only ever speeds up clean files.

Workers are started with "spawn" on every system, as macOS and Windows must: the worker function is
at the top of this module, and an entry point that builds calls multiprocessing.freeze_support()
first, so a frozen app starts workers too. A small build reads in one process: starting two workers
costs more than reading ten megabytes of questions (PARALLEL_MIN_BYTES).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from calciquiz.core import formats
from calciquiz.core.documents import Document, load_documents, locate_quote
from calciquiz.core.linking import LinkCache, link_missing
from calciquiz.core.problems import FileProblems, InputError, Problem
from calciquiz.core.question_rows import LINE, LOCAL_ID, QuestionRow, question_row, table_rows
from calciquiz.core.questions import Question
from calciquiz.core.subjects import (
    LoadedSubject,
    QuestionSet,
    Subject,
    _name_is_text,
    _relative,
    _set_id,
    load_file,
    load_subject,
    question_files_of,
)
from calciquiz.core.validate import SetRules, check_question

if TYPE_CHECKING:  # the writer's module imports subjects, as this one does; only its type is needed here
    from calciquiz.core.bank_writer import BankWriter

# Below this many bytes of question files a subject is read in one process. Measured with two CSV
# files (python -m bench.imports --threshold; 2 cores): 9.5 MB took 0.57 s in one process and 0.61 s
# in two, 19 MB 0.95 s and 0.85 s, 38 MB 1.73 s and 1.40 s. Starting the workers costs about 0.3 s.
PARALLEL_MIN_BYTES = 12_000_000


def worker_count() -> int:
    """How many processes a large build reads with: the machine's cores, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


class PooledLoader:
    """Loads one subject at a time (for subjects.load_subjects) and, given a bank writer, writes it.

    A subject of many megabytes of question files is read in the pool when there are `workers` > 1;
    its questions are written as their files come back, while the workers read the next ones.
    """

    def __init__(self, workers: int, writer: BankWriter | None = None, min_bytes: int | None = None):
        self.workers, self.writer = workers, writer
        self.min_bytes = PARALLEL_MIN_BYTES if min_bytes is None else min_bytes
        self.pool: Executor | None = None
        self.results: Path | None = None  # a folder for the workers' results

    def __enter__(self) -> PooledLoader:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.results is not None:
            shutil.rmtree(self.results, ignore_errors=True)

    def __call__(self, subject: Subject, links: LinkCache | None) -> LoadedSubject:
        writer = self.writer
        files = question_files_of(subject)
        if writer is None or self.workers < 2 or len(files) < 2 or _size(files) < self.min_bytes:
            loaded = load_subject(subject, links)
            if writer is not None:
                writer.add_loaded(loaded)
            return loaded
        documents = load_documents(subject.documents_dir, subject=subject.id)
        writer.add_subject(subject, documents)
        passage_ids = {(d.id, p.ordinal): writer.passage_ids[(d.id, p.ordinal)] for d in documents for p in d.passages}
        try:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            if self.results is None:
                self.results = Path(tempfile.mkdtemp(prefix="calciquiz-build-"))
            futures = [self.pool.submit(read_file_rows, subject, path, documents, passage_ids,
                                        self.results / f"{n}.pickle") for n, path in enumerate(files)]
        except Exception:  # noqa: BLE001 - no worker could be started (a locked-down system): read it here
            self.workers = 1
            loaded = load_subject(subject, links)
            for question_set in loaded.sets:
                writer.add_set(question_set)
            writer.add_questions([question_row(q) for q in loaded.questions])
            return loaded
        loaded = LoadedSubject(subject, documents)
        by_local_id = {d.local_id: d for d in documents}
        first_seen: dict[str, tuple[Path, int]] = {}
        problems: list[Problem] = []
        # Questions read but not yet written (a file's table rows, or questions): from the first question
        # that needs linking on, all wait for the end, where they are linked (or left out) in order, as a
        # one-process build does.
        waiting: list[dict | QuestionRow | Question] = []
        for path, future in zip(files, futures):
            result = _result(future)
            sets = len(loaded.sets)
            if result is None or not _take(loaded, path, result, first_seen, waiting):
                load_file(loaded, path, by_local_id, first_seen, problems)
                waiting.extend(loaded.questions)
                loaded.questions.clear()
            if problems:
                continue  # the build fails: nothing more is written
            for question_set in loaded.sets[sets:]:
                writer.add_set(question_set)
            if not any(isinstance(q, Question) and not q.evidence for q in waiting):
                _write(writer, waiting)
                waiting.clear()
        if problems:
            raise InputError(problems)
        unlinked = [q for q in waiting if isinstance(q, Question) and not q.evidence]
        kept, unsupported = link_missing(unlinked, documents, subject.id, links)
        linked = {q.id: q for q in kept}
        loaded.skipped.extend(unsupported)
        _write(writer, [item if not isinstance(item, Question) or item.evidence else linked[item.id]
                        for item in waiting if not isinstance(item, Question) or item.evidence or item.id in linked])
        return loaded


def _write(writer: BankWriter, waiting: list[dict | QuestionRow | Question]) -> None:
    """Questions in bank order: a worker's table rows as they are, runs of questions made into rows here."""
    run: list[QuestionRow] = []
    for item in waiting:
        if isinstance(item, dict):
            writer.add_questions(run)
            run = []
            writer.add_tables(item)
        else:
            run.append(question_row(item) if isinstance(item, Question) else item)
    writer.add_questions(run)


def _result(future: Future) -> tuple | None:
    """A worker's result, read from the file it wrote; None if the worker failed (the file is read again here)."""
    try:
        path = future.result()
        if path is None:
            return None
        with open(path, "rb") as file:
            result = pickle.load(file)
        os.unlink(path)
        return result
    except Exception:  # noqa: BLE001 - whatever went wrong there, reading the file here shows it as ever
        return None


def _size(files: list[Path]) -> int:
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            pass  # the reader says what is wrong with it
    return total


def _take(loaded: LoadedSubject, path: Path, result: tuple, first_seen: dict[str, tuple[Path, int]],
          items: list) -> bool:
    """Add a worker's clean file to `loaded`; False (nothing added) if one of its ids was seen before."""
    title, skipped, ids, payload = result
    seen_here: set[str] = set()
    for local_id, _line in ids:
        if local_id in first_seen or local_id in seen_here:
            return False
        seen_here.add(local_id)
    subject = loaded.subject
    question_set = QuestionSet(_set_id(subject, path), subject.id, title, _relative(subject, path), len(loaded.sets))
    if question_set.id in {s.id for s in loaded.sets}:
        return False
    for local_id, line in ids:
        first_seen[local_id] = (path, line)
    loaded.skipped.extend(skipped)
    loaded.sets.append(question_set)
    if isinstance(payload, dict):
        items.append(payload)
    else:
        items.extend(payload)
    return True


def read_file_rows(subject: Subject, path: Path, documents: list[Document], passage_ids: dict[tuple[str, int], int],
                   result: Path) -> Path | None:
    """In a worker: a clean file's (title, skipped, ids and lines, questions) pickled into `result`; None when
    anything is wrong (the main process reads the file again).

    The questions are the bank's table rows (question_rows.table_rows) when all have evidence, else
    QuestionRows and, for those without evidence, the Questions the main process links.

    Written to a file rather than returned: a returned result goes through a pipe of 64 KB that the main
    process drains between writing rows, and the worker waited on it (a 100,000-question build used one
    core of two).
    """
    gc.disable()  # as in the main process: many long-lived objects and no cycles
    read = _file_rows(subject, path, documents)
    if read is None:
        return None
    title, skipped, rows = read
    ids = [(r.local_id, r.line) if isinstance(r, Question) else (r[LOCAL_ID], r[LINE]) for r in rows]
    payload = rows if any(isinstance(r, Question) for r in rows) else table_rows(rows, passage_ids)
    with open(result, "wb") as file:
        pickle.dump((title, skipped, ids, payload), file, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _file_rows(subject: Subject, path: Path, documents: list[Document]) -> tuple | None:
    by_local_id = {d.local_id: d for d in documents}
    found = FileProblems(path)
    try:
        _name_is_text(path)
        raw_set = formats.read_set(path, found)
    except InputError:
        return None
    if found.found:
        return None
    rules = SetRules(subject.id, _set_id(subject, path), subject.topics)
    rows: list[QuestionRow | Question] = []
    for raw in raw_set.questions:
        question = check_question(raw, path, found, rules)
        if question is None or found.found:
            return None
        if not question.evidence:
            rows.append(question)
            continue
        evidence = _resolved(question, by_local_id)
        if evidence is None:
            return None
        rows.append(question_row(question, evidence))
    return raw_set.title, raw_set.skipped, rows


def _resolved(question: Question, documents: dict[str, Document]) -> tuple | None:
    """The question's evidence as a row's, each quote found where validate.resolve_evidence finds it;
    None if one is not found (the main process then reads the file and words the problem).

    Without resolve_evidence's copies of the question and its evidence (dataclasses.replace), about a
    tenth of a worker's time.
    """
    resolved = []
    for evidence in question.evidence:
        document = documents.get(evidence.document_id)
        if document is None:
            return None
        found = locate_quote(document, evidence.quote, hint=False)
        if isinstance(found, str):
            return None
        passage, start, end = found
        resolved.append((document.id, passage.ordinal, evidence.quote, start, end, evidence.auto, evidence.score))
    return tuple(resolved)
