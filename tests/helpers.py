"""What several test files share: the repository root and the subjects' folders, a small document and
its catalog, question text, a subject made of test folders and a tiny image. Fixtures stay in
conftest.py; test files import these from here."""
from __future__ import annotations

import json
import sqlite3
import struct
import textwrap
import zipfile
import zlib
from contextlib import closing
from pathlib import Path

from calciquiz.core.bank import Bank

ROOT = Path(__file__).resolve().parents[1]
SUBJECTS = ROOT / "subjects"
CALCINOSIS = SUBJECTS / "calcinosis-cutis"
SHIPPED_DOCUMENTS = CALCINOSIS / "documents"
SHIPPED_QUESTIONS = CALCINOSIS / "questions"
# A second subject made only of files, never shipped: it proves a subject needs no code.
FIXTURE_SUBJECTS = Path(__file__).resolve().parent / "fixtures" / "subjects"
WOUNDS = FIXTURE_SUBJECTS / "wound-healing"
DIAGNOSIS_SET = "calcinosis-cutis/diagnosis-and-treatment"

SMALL_DOCUMENT = """\
Calcinosis Basics

Calcinosis cutis is a condition in which calcium deposits form in the skin.

Book Appointment
040-68334455

Types

The main types include:
  • Dystrophic calcification is the most common type.
  • Metastatic calcification follows high calcium or phosphate in the blood.

Get a second opinion from trusted experts.

Treatment

Surgery may remove painful deposits.

Copyright © 2024 Example Hospital.
"""

CATALOG = """\
documents:
  - id: basics
    file: basics.txt
    title: Calcinosis Basics
    publisher: Example Hospital
"""


def question_yaml(qid: str = "q-one", **overrides: str) -> str:
    """One valid question in the file format, with fields replaceable by raw YAML text."""
    fields = {
        "kind": "mcq",
        "topics": "[classification]",
        "skill": "recall",
        "stem": "Which type of calcinosis cutis is the most common?",
        "options": textwrap.indent(
            textwrap.dedent("""\
            - text: Dystrophic
              rationale: Correct; the source names it the most common type.
            - text: Metastatic
              rationale: Follows high calcium or phosphate; not called the most common.
            - text: Iatrogenic
              rationale: Follows procedures; not called the most common.
            """),
            "      ",
        ),
        "answer": "A",
        "explanation": "The document calls dystrophic calcification the most common type.",
        "learning_point": "Dystrophic is the most common type.",
        "evidence": "\n        - document: basics\n          quote: Dystrophic calcification is the most common type.",
    }
    fields.update(overrides)
    lines = [f"  - id: {qid}"]
    for key, value in fields.items():
        if key == "options":
            lines.append(f"    options:\n{value.rstrip()}")
        elif value is not None:
            lines.append(f"    {key}: {value}")
    return "\n".join(lines) + "\n"


def subject_of(questions: Path, documents: Path, subject_id: str = "calcinosis-cutis"):
    """A subject whose question files and documents lie in the given folders, with the shipped taxonomy.

    Tests keep their question sets and documents in separate temporary folders; this names them a subject.
    """
    from calciquiz.core.subjects import Subject, read_subject

    shipped = read_subject(CALCINOSIS)
    return Subject(id=subject_id, title=shipped.title, topics=shipped.topics, documents_dir=documents,
                   question_paths=(questions,), everyday_words=shipped.everyday_words)


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of red pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def query(database: Path, sql: str, *parameters: object) -> list[tuple]:
    """Every row of one query on a database file, read through a connection that is closed after."""
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(sql, parameters).fetchall()


def question_count(bank_path: Path) -> int:
    """How many questions the bank at bank_path holds, opening and closing it."""
    with closing(Bank(bank_path)) as bank:
        return bank.question_count()


def show_active(qtbot, window):
    """Show a window and wait until it is on screen and active, as a resident's window is; returns it."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def read_deck(apkg: Path, tmp_path: Path) -> dict:
    """What Anki reads from a package: its notes (by GUID: fields by name, tags, note type), the decks of
    its cards and its media files (by name)."""
    from calciquiz.core.anki_deck import FIELDS

    with zipfile.ZipFile(apkg) as package:
        collection = tmp_path / f"{apkg.stem}.anki2"
        collection.write_bytes(package.read("collection.anki2"))
        media_names = json.loads(package.read("media"))
        media = {name: package.read(index) for index, name in media_names.items()}
    with closing(sqlite3.connect(collection)) as db:
        notes = {guid: {"fields": dict(zip(FIELDS, flds.split("\x1f"), strict=True)), "tags": tags.split(),
                        "model": mid}
                 for guid, flds, tags, mid in db.execute("select guid, flds, tags, mid from notes")}
        card_decks = {row[0] for row in db.execute("select did from cards")}
    return {"notes": notes, "card_decks": card_decks, "media": media}


def mutate(text: str, draw, alphabet: str, words: tuple[str, ...] = (), max_edits: int = 6) -> str:
    """A file's text with random edits, for the readers' hypothesis tests (`draw` is hypothesis's).

    Characters deleted, inserted from `alphabet` or replaced; whole format words from `words` inserted;
    lines dropped, doubled, indented or joined with the next.
    """
    from hypothesis import strategies as st

    ops = ["delete", "insert", "replace", "drop_line", "double_line", "indent", "join_lines"] + (["word"] if words
                                                                                                else [])
    for _ in range(draw(st.integers(1, max_edits))):
        op = draw(st.sampled_from(ops))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)):]
        elif op == "insert":
            text = text[:at] + draw(st.text(alphabet=alphabet, max_size=12)) + text[at:]
        elif op == "replace":
            text = text[:at] + draw(st.text(max_size=5)) + text[at + 5:]
        elif op == "word":
            text = text[:at] + draw(st.sampled_from(words)) + text[at:]
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            if op == "drop_line":
                del lines[index]
            elif op == "double_line":
                lines.insert(index, lines[index])
            elif op == "indent":
                lines[index] = "  " + lines[index]
            else:
                lines[index:index + 2] = [" ".join(lines[index:index + 2])]
            text = "\n".join(lines)
    return text


def fuzz_workspace(root: Path, name: str, text: str) -> tuple[Path, Path, bytes]:
    """For a reader's hypothesis test: the small documents, a bank built from one valid file, and its bytes."""
    from calciquiz.core.bank import build_bank

    documents = root / "documents"
    documents.mkdir()
    (documents / "basics.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    (documents / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    good = root / "good"
    good.mkdir()
    (good / name).write_text(text, encoding="utf-8")
    bank = root / "bank.sqlite"
    build_bank([subject_of(good, documents)], bank)
    return documents, bank, bank.read_bytes()
