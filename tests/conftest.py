from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBJECTS = ROOT / "subjects"
CALCINOSIS = SUBJECTS / "calcinosis-cutis"
SHIPPED_DOCUMENTS = CALCINOSIS / "documents"
SHIPPED_QUESTIONS = CALCINOSIS / "questions"
# A second subject made only of files, never shipped: it proves a subject needs no code.
FIXTURE_SUBJECTS = Path(__file__).resolve().parent / "fixtures" / "subjects"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


@pytest.fixture
def subject_dir(tmp_path: Path) -> Path:
    """A subject folder (with the shipped subject.yaml) holding the small document and set below."""
    folder = tmp_path / "subjects" / "calcinosis-cutis"
    folder.mkdir(parents=True)
    shutil.copy(CALCINOSIS / "subject.yaml", folder / "subject.yaml")
    return folder


@pytest.fixture
def documents_dir(subject_dir: Path) -> Path:
    folder = subject_dir / "documents"
    folder.mkdir()
    (folder / "basics.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return folder


@pytest.fixture
def questions_dir(subject_dir: Path) -> Path:
    folder = subject_dir / "questions"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        "title: Test set\nquestions:\n" + question_yaml("q-one") + question_yaml("q-two", answer="A"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def shipped_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real bank, built from the shipped documents and question sets."""
    from calciquiz.core.bank import build_bank

    out = tmp_path_factory.mktemp("bank") / "bank.sqlite"
    build_bank([CALCINOSIS], out)
    return out


@pytest.fixture
def bank_copy(shipped_bank: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bank.sqlite"
    shutil.copy(shipped_bank, target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CALCIQUIZ_DATA_DIR", str(folder))
    return folder
