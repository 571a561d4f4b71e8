"""Writing a new bank file: its tables, then each subject and its questions as they are read, then its indexes.

A build in several processes writes each file's questions while the workers read the next files,
so the writer takes subjects, sets and questions one at a time, in bank order; a one-process
build hands them over the same way after reading, so both builds write the same rows.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from calciquiz import __version__
from calciquiz.core.documents import Document
from calciquiz.core.linking import LinkCache
from calciquiz.core.question_rows import QuestionRow, question_row, table_rows
from calciquiz.core.subjects import LoadedSubject, QuestionSet, Subject

# 2: images; 3: subjects, question sets, qualified ids; 4: evidence auto-linked (auto, score) and the
# link cache. A bundled bank of an older schema is rebuilt on start (paths.bundled_bank).
SCHEMA_VERSION = 4


class BankWriter:
    """A bank file being written; `finish` completes it, and until then it is no bank at all."""

    def __init__(self, path: Path):
        self.db = db = sqlite_utils.Database(path, recreate=True)
        # Foreign keys are declared (SQL readers see how the tables join) but not enforced while writing:
        # every row comes from questions this build checked, and checking each option, topic and evidence
        # row's question took 0.3 s of 100,000 questions' 2.3 s of inserts. Tests run foreign_key_check
        # on the banks they build. 16 KB pages instead of 4 KB: 0.3 s less for those inserts (fewer
        # overflow pages for question text), and the shipped bank is 1.4 MB instead of 1.0 MB.
        db.execute("PRAGMA page_size = 16384")
        # A new file that is thrown away on any error and moved into place only when complete needs no
        # rollback journal; a big page cache keeps 100,000 questions' indexes in memory while they grow.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA cache_size = -200000")
        with db.atomic():
            _create_tables(db)
        self.subjects = 0
        self.questions = 0
        self.vignettes = 0
        self.passage_ids: dict[tuple[str, int], int] = {}
        self.documents: list[Document] = []
        # The questions' part of the bank id, digested as they are written (the rest needs every set).
        self.question_digest = hashlib.sha256()

    def add_subject(self, subject: Subject, documents: list[Document]) -> None:
        """A subject with its documents and their passages, before any of its sets and questions."""
        db = self.db
        db["subjects"].insert({"id": subject.id, "title": subject.title, "position": self.subjects})
        self.subjects += 1
        db["subject_topics"].insert_all({"subject_id": subject.id, "topic": t, "position": i}
                                        for i, t in enumerate(subject.topics))
        db["documents"].insert_all(
            {"id": d.id, "subject_id": subject.id, "file": d.file.name, "title": d.title, "author": d.author,
             "publisher": d.publisher, "date": d.date, "note": d.note, "checksum": d.checksum} for d in documents)
        rows = []
        for document in documents:
            for passage in document.passages:
                passage_id = len(self.passage_ids) + 1
                self.passage_ids[(document.id, passage.ordinal)] = passage_id
                rows.append({"id": passage_id, "document_id": document.id, "ordinal": passage.ordinal,
                             "kind": passage.kind, "section": passage.section, "text": passage.text,
                             "line": passage.line})
        db["passages"].insert_all(rows)
        self.documents.extend(documents)

    def add_set(self, question_set: QuestionSet) -> None:
        q = question_set
        self.db.conn.execute("insert into question_sets (id, subject_id, title, file, position) values (?,?,?,?,?)",
                             (q.id, q.subject_id, q.title, q.file, q.position))

    def add_questions(self, questions: list[QuestionRow]) -> None:
        """Questions of sets already added, in bank order."""
        if questions:
            self.add_tables(table_rows(questions, self.passage_ids))

    def add_tables(self, tables: dict) -> None:
        """Questions as question_rows.table_rows made them (perhaps in a worker), in bank order."""
        # Plain executemany: sqlite-utils' insert_all inspects and converts every value of every row,
        # which took 80% of writing 100,000 questions (13 s).
        insert = self.db.conn.executemany
        first = self.questions
        insert("insert into questions (id, subject_id, set_id, local_id, position, new_rank, kind, skill, stem, "
               "answer, explanation, learning_point, file, line) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               [(q[0], q[1], q[2], q[3], position, *q[4:]) for position, q in enumerate(tables["questions"], first)])
        insert("insert into options (question_id, position, text, rationale) values (?,?,?,?)", tables["options"])
        insert("insert into question_topics (question_id, topic) values (?,?)", tables["question_topics"])
        insert("insert into images (question_id, name, data) values (?,?,?)", tables["images"])
        insert('insert into evidence (question_id, ordinal, passage_id, quote, start, "end", auto, score) '
               "values (?,?,?,?,?,?,?,?)", tables["evidence"])
        self.questions += len(tables["questions"])
        self.vignettes += tables["vignettes"]
        self.question_digest.update(tables["fingerprint"])

    def add_loaded(self, loaded: LoadedSubject) -> None:
        """A subject read in one process, with all its sets and questions."""
        self.add_subject(loaded.subject, loaded.documents)
        for question_set in loaded.sets:
            self.add_set(question_set)
        self.add_questions([question_row(q) for q in loaded.questions])

    def finish(self, subjects: Iterable[LoadedSubject], links: LinkCache | None) -> str:
        """The bank's meta data, link cache, indexes and search index; returns the bank's id."""
        db = self.db
        bank_id = self._fingerprint(list(subjects))
        db["meta"].insert_all([
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "bank_id", "value": bank_id},
            {"key": "built_at", "value": datetime.now(timezone.utc).isoformat(timespec="seconds")},
            {"key": "built_by", "value": f"calciquiz {__version__}"},
        ])
        # Keyed by a hash of a question's linking inputs and its subject's documents (linking.link_key);
        # no document_id means "no passage supports it", which is remembered too.
        db["link_cache"].insert_all(
            {"key": key, "document_id": e.document_id if e else None, "quote": e.quote if e else None,
             "ordinal": e.passage_ordinal if e else None, "start": e.start if e else None,
             "end": e.end if e else None, "score": e.score if e else None}
            for key, e in (links.used if links else {}).items()
        )
        db["passages"].create_index(["document_id", "ordinal"], unique=True)
        db["questions"].create_index(["new_rank"])
        db["questions"].create_index(["subject_id", "new_rank"])
        db["questions"].create_index(["set_id"])
        db["question_topics"].create_index(["topic"])
        db["evidence"].create_index(["passage_id"])
        db.conn.commit()
        db["passages"].enable_fts(["section", "text"], tokenize="porter")
        db.execute("PRAGMA user_version = %d" % SCHEMA_VERSION)
        db.conn.commit()
        return bank_id

    def close(self) -> None:
        self.db.close()

    def _fingerprint(self, subjects: list[LoadedSubject]) -> str:
        digest = hashlib.sha256()
        for loaded in subjects:
            subject = loaded.subject
            digest.update(repr((subject.id, subject.title, subject.topics,
                                [(s.id, s.title) for s in loaded.sets])).encode())
        for document in self.documents:
            digest.update(f"{document.id}\0{document.title}\0{document.checksum}\0".encode())
        # The questions' text, not the dataclasses' repr of every option (1.9 s of 100,000 questions);
        # a new digest of the same bank only makes progress files recount once.
        digest.update(self.question_digest.digest())
        return digest.hexdigest()[:16]


def _create_tables(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["subjects"].create({"id": str, "title": str, "position": int}, pk="id", not_null={"title"})
    db["subject_topics"].create(
        {"subject_id": str, "topic": str, "position": int},
        pk=("subject_id", "topic"),
        foreign_keys=[("subject_id", "subjects", "id")],
    )
    db["question_sets"].create(
        {"id": str, "subject_id": str, "title": str, "file": str, "position": int},
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"subject_id", "title"},
    )
    db["documents"].create(
        {"id": str, "subject_id": str, "file": str, "title": str, "author": str, "publisher": str, "date": str,
         "note": str, "checksum": str},
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id")],
        not_null={"title", "subject_id"},
    )
    db["passages"].create(
        {"id": int, "document_id": str, "ordinal": int, "kind": str, "section": str, "text": str, "line": int},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"document_id", "ordinal", "kind", "text"},
    )
    db["questions"].create(
        {"id": str, "subject_id": str, "set_id": str, "local_id": str, "position": int, "new_rank": int,
         "kind": str, "skill": str, "stem": str, "answer": int, "explanation": str, "learning_point": str,
         "file": str, "line": int},
        pk="id",
        foreign_keys=[("subject_id", "subjects", "id"), ("set_id", "question_sets", "id")],
        not_null={"subject_id", "set_id", "local_id", "kind", "stem", "answer"},
    )
    db["options"].create(
        {"question_id": str, "position": int, "text": str, "rationale": str},
        pk=("question_id", "position"),
        foreign_keys=[("question_id", "questions", "id")],
    )
    db["question_topics"].create(
        {"question_id": str, "topic": str},
        pk=("question_id", "topic"),
        foreign_keys=[("question_id", "questions", "id")],
    )
    db["images"].create(
        {"question_id": str, "name": str, "data": bytes},
        pk="question_id",
        foreign_keys=[("question_id", "questions", "id")],
    )
    db["evidence"].create(
        {"question_id": str, "ordinal": int, "passage_id": int, "quote": str, "start": int, "end": int,
         "auto": int, "score": float},
        pk=("question_id", "ordinal"),
        foreign_keys=[("question_id", "questions", "id"), ("passage_id", "passages", "id")],
    )
    db["link_cache"].create(
        {"key": str, "document_id": str, "quote": str, "ordinal": int, "start": int, "end": int, "score": float},
        pk="key",
    )
