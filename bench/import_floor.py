"""The least a direct import can cost on this machine: python -m bench.imports --floor [--size 100000] [--work DIR].

Issue 12 asks for 100,000 questions from CSV or Moodle XML built in under 3 s on two cores. This
times a build that does only what no build can leave out, on the same synthetic files as
bench.imports, through the same pool, hand-over and bank writer as a real build:

- each worker reads its file with the standard library's C parser (csv.reader, or C ElementTree for
  XML) and makes each question's table rows (question_rows.table_rows: the bank's order key, the
  options, topics and evidence rows), pickled to a file as import_pool does;
- the main process loads the documents, takes the files in order and inserts their rows with
  BankWriter, then writes the indexes and search index (BankWriter.finish).

Nothing is checked: no field, option, key or topic; no evidence quote is looked for in its passage
(every row cites the first passage); no line is known beyond a CSV row's; no id is derived; HTML is
left as written. Whatever a real build does beyond this floor must fit in what is left of 3 s.

A barer floor still (`bare`) leaves out what this design adds to writing rows, to see what any
design with Python's parsers and SQLite could reach: no bank id digest, the tables' keys indexed
after the rows are in (sorted once instead of a B-tree insert per row), 64 KB pages, and only the
four question tables (no documents, passages or search index).
"""
from __future__ import annotations

import csv
import gc
import io
import multiprocessing
import pickle
import random
import sqlite3
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.imports import cpu_seconds, inputs
from bench.synthetic import synthetic_subject, write_documents
from calciquiz.core.bank_writer import BankWriter
from calciquiz.core.documents import load_documents
from calciquiz.core.import_pool import worker_count
from calciquiz.core.question_rows import new_rank, table_rows
from calciquiz.core.subjects import QuestionSet, _set_id

LETTERS = "ABCDEFGHIJ"


def bare_rows(path: Path, subject: str, set_id: str, passage: tuple[str, int]) -> list[tuple]:
    """The file's questions as QuestionRows, read and not checked."""
    if path.suffix == ".csv":
        return _csv_rows(path, subject, set_id, passage)
    return _xml_rows(path, subject, set_id, passage)


def _csv_rows(path: Path, subject: str, set_id: str, passage: tuple[str, int]) -> list[tuple]:
    rows = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    at = {name: i for i, name in enumerate(next(rows))}
    text_at = [at[c] for c in "abcdefghij" if c in at]
    rationale_at = [at[f"rationale {c}"] for c in "abcdefghij" if c in at]
    id_, kind, skill, topics, stem, answer = (at[c] for c in ("id", "kind", "skill", "topics", "stem", "answer"))
    explanation, learning_point, quote = at["explanation"], at["learning point"], at["quote"]
    made = []
    for row in rows:
        local_id = row[id_]
        made.append((f"{subject}/{local_id}", subject, set_id, local_id, row[kind], row[skill], row[stem],
                     LETTERS.index(row[answer]), row[explanation], row[learning_point], str(path), rows.line_num,
                     tuple(row[topics].split(";")), tuple(zip((row[i] for i in text_at), (row[i] for i in rationale_at))),
                     "", b"", ((*passage, row[quote], 0, len(row[quote]), False, None),)))
    return made


def _xml_rows(path: Path, subject: str, set_id: str, passage: tuple[str, int]) -> list[tuple]:
    made = []
    for question in ElementTree.fromstring(path.read_bytes()).iter("question"):
        if question.get("type") != "multichoice":
            continue
        local_id = question.findtext("idnumber")
        answers = question.findall("answer")
        extra = question.find("calciquiz")
        quote = extra.findtext("evidence")
        made.append((f"{subject}/{local_id}", subject, set_id, local_id, extra.get("kind"), extra.get("skill"),
                     question.findtext("questiontext/text"),
                     next(i for i, a in enumerate(answers) if a.get("fraction") == "100"),
                     question.findtext("generalfeedback/text"), extra.findtext("learningpoint"), str(path), 0,
                     tuple(t.text for t in question.iterfind("tags/tag/text")),
                     tuple((a.findtext("text"), a.findtext("feedback/text")) for a in answers),
                     "", b"", ((*passage, quote, 0, len(quote), False, None),)))
    return made


def read_bare(path: Path, subject: str, set_id: str, passage: tuple[str, int],
              passage_ids: dict[tuple[str, int], int], result: Path, bare: bool = False) -> Path:
    """In a worker, as import_pool.read_file_rows: the file's table rows pickled into `result`
    (when `bare`, only the four tables' rows, without the bank id's text)."""
    gc.disable()
    rows = bare_rows(path, subject, set_id, passage)
    if bare:
        tables = ([(r[0], r[1], r[2], r[3], new_rank(r[0]), *r[4:12]) for r in rows],
                  [(r[0], i, text, rationale) for r in rows for i, (text, rationale) in enumerate(r[13])],
                  [(r[0], t) for r in rows for t in r[12]],
                  [(r[0], 0, 1, quote, start, end, 0, None) for r in rows for _d, _o, quote, start, end, _a, _s in r[16]])
    else:
        tables = table_rows(rows, passage_ids)
    with open(result, "wb") as file:
        pickle.dump(tables, file, protocol=pickle.HIGHEST_PROTOCOL)
    return result


BARE_TABLES = (
    "create table questions (id text, subject_id text, set_id text, local_id text, position int, new_rank int, "
    "kind text, skill text, stem text, answer int, explanation text, learning_point text, file text, line int)",
    "create table options (question_id text, position int, text text, rationale text)",
    "create table question_topics (question_id text, topic text)",
    'create table evidence (question_id text, ordinal int, passage_id int, quote text, start int, "end" int, '
    "auto int, score float)",
)
BARE_INDEXES = (
    "create unique index q on questions (id)", "create unique index o on options (question_id, position)",
    "create unique index t on question_topics (question_id, topic)", "create unique index e on evidence "
    "(question_id, ordinal)", "create index q1 on questions (new_rank)", "create index q2 on questions "
    "(subject_id, new_rank)", "create index q3 on questions (set_id)", "create index t1 on question_topics (topic)",
    "create index e1 on evidence (passage_id)",
)


class BareWriter:
    """The four question tables, keys indexed at the end, 64 KB pages, no journal: the cheapest writing."""

    def __init__(self, path: Path):
        self.conn = conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("page_size = 65536", "journal_mode = OFF", "cache_size = -200000"):
            conn.execute(f"PRAGMA {pragma}")
        for statement in BARE_TABLES:
            conn.execute(statement)
        conn.execute("begin")
        self.questions = 0

    def add(self, tables: tuple) -> None:
        questions, options, topics, evidence = tables
        insert = self.conn.executemany
        insert("insert into questions values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               [(q[0], q[1], q[2], q[3], n, *q[4:]) for n, q in enumerate(questions, self.questions)])
        insert("insert into options values (?,?,?,?)", options)
        insert("insert into question_topics values (?,?)", topics)
        insert("insert into evidence values (?,?,?,?,?,?,?,?)", evidence)
        self.questions += len(questions)

    def finish(self) -> None:
        for statement in BARE_INDEXES:
            self.conn.execute(statement)
        self.conn.execute("commit")
        self.conn.close()


def bare_build(folder: Path, documents: Path, workers: int, bare: bool = False) -> tuple[float, float]:
    """(wall seconds, CPU seconds of all processes) of the floor build of every file in `folder`."""
    subject = synthetic_subject(folder, documents)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".xml"))
    work = Path(tempfile.mkdtemp(prefix="calciquiz-floor-"))
    gc.disable()
    cpu, start = cpu_seconds(), time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        set_ids = [_set_id(subject, path) for path in files]
        if bare:
            passage, passage_ids = ("", 0), {}
            writer = BareWriter(work / "bank.sqlite")
        else:
            loaded = load_documents(subject.documents_dir, subject=subject.id)
            writer = BankWriter(work / "bank.sqlite")
            writer.add_subject(subject, loaded)
            passage, passage_ids = (loaded[0].id, loaded[0].passages[0].ordinal), writer.passage_ids
        futures = [pool.submit(read_bare, path, subject.id, set_id, passage, passage_ids, work / f"{n}.pickle", bare)
                   for n, (path, set_id) in enumerate(zip(files, set_ids))]
        for n, (path, set_id, future) in enumerate(zip(files, set_ids, futures)):
            with open(future.result(), "rb") as file:
                tables = pickle.load(file)
            if bare:
                writer.add(tables)
            else:
                writer.add_set(QuestionSet(set_id, subject.id, path.stem, path.name, n))
                writer.add_tables(tables)
        if bare:
            writer.finish()
        else:
            writer.finish([], None)
            writer.close()
    wall, used = time.perf_counter() - start, cpu_seconds() - cpu
    gc.enable()
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return wall, used


def reading_alone(folder: Path) -> float:
    """CPU seconds of the C parser alone over every file, in one process (no rows made)."""
    gc.disable()
    start = time.process_time()
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            for _row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))):
                pass
        elif path.suffix == ".xml":
            ElementTree.fromstring(path.read_bytes())
    used = time.process_time() - start
    gc.enable()
    return used


def figures(report, work: Path, size: int, repeats: int = 3) -> None:
    documents = work / "documents"
    sentences = write_documents(documents, random.Random(1))
    pool = worker_count()
    for file_format, label in (("csv", "CSV"), ("xml", "Moodle XML")):
        folder = inputs(work, size, 10, file_format, sentences)
        for bare, how in ((False, "this build's pool and writer"), (True, "bare writer")):
            wall, cpu = min(bare_build(folder, documents, pool, bare) for _ in range(repeats))
            report(f"floor: {size:,} q from {label}, 10 files, nothing checked, {how}, {pool} processes",
                   f"{wall:.2f} s (CPU {cpu:.1f} s)", "< 3 s" if size == 100_000 else "")
        report(f"floor: {label} parser alone over the same files, 1 process", f"CPU {reading_alone(folder):.2f} s")
