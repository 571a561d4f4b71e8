"""A large build reads its question files in several processes: the bank, the skipped list and every
problem must be exactly those of a one-process build."""
from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from calciquiz.core import import_pool
from calciquiz.core.bank import build_bank
from calciquiz.core.problems import InputError
from tests.helpers import CALCINOSIS, ROOT, WOUNDS

FORMATS = ROOT / "tests" / "fixtures" / "formats"
TABLES = ("meta", "subjects", "subject_topics", "question_sets", "documents", "passages", "questions", "options",
          "question_topics", "images", "evidence", "link_cache")


@pytest.fixture
def every_file_in_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool takes subjects of any size (a real one takes only many megabytes of questions)."""
    monkeypatch.setattr(import_pool, "PARALLEL_MIN_BYTES", 0)


@pytest.fixture
def mixed_subject(tmp_path: Path) -> Path:
    """The shipped subject with imports beside its YAML sets: Moodle XML (other question types skipped,
    a question without evidence linked), CSV and Aiken files."""
    folder = tmp_path / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, folder)
    shutil.copy(FORMATS / "moodle-xml" / "question-types.xml", folder / "questions" / "types.xml")
    shutil.copy(FORMATS / "readme" / "example.csv", folder / "questions" / "example.csv")
    shutil.copy(FORMATS / "aiken" / "basic.txt", folder / "questions" / "aiken.txt")
    return folder


def tables(bank: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(bank)) as conn:
        # The writer does not enforce foreign keys while writing (bank_writer.BankWriter); every row must still join.
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr) for t in TABLES
                if t != "meta"} | {"meta": conn.execute(
                    "select key, value from meta where key not in ('built_at') order by key").fetchall()}


def test_a_build_in_two_processes_stores_what_a_build_in_one_stores(tmp_path: Path, mixed_subject: Path,
                                                                    every_file_in_the_pool: None) -> None:
    one = build_bank([mixed_subject], tmp_path / "one.sqlite", workers=1)
    two = build_bank([mixed_subject], tmp_path / "two.sqlite", workers=2)
    assert one.skipped and one.linked  # the imports were read: types skipped, questions linked
    assert (two.questions, two.vignettes, two.skipped, two.bank_id, two.linked) == (
        one.questions, one.vignettes, one.skipped, one.bank_id, one.linked)
    assert tables(tmp_path / "two.sqlite") == tables(tmp_path / "one.sqlite")


def test_subjects_read_in_the_pool_and_in_one_process_are_numbered_as_in_one_build(
        tmp_path: Path, mixed_subject: Path, every_file_in_the_pool: None) -> None:
    # The wound-healing subject has one file, so it is read in the main process, after and between
    # pooled ones: subject positions, passage ids and question positions must still follow bank order.
    order = [WOUNDS, mixed_subject]
    one = build_bank(order[:2], tmp_path / "one.sqlite", workers=1)
    two = build_bank(order[:2], tmp_path / "two.sqlite", workers=2)
    assert (two.subjects, two.questions, two.bank_id) == (one.subjects, one.questions, one.bank_id)
    assert tables(tmp_path / "two.sqlite") == tables(tmp_path / "one.sqlite")


def test_a_problem_found_in_a_worker_is_reported_as_by_one_process(tmp_path: Path, mixed_subject: Path,
                                                                   every_file_in_the_pool: None) -> None:
    questions = mixed_subject / "questions"
    broken = questions / "hospital-page.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("answer: B", "answer: Z", 1), encoding="utf-8")
    repeated = questions / "medicover-page.yaml"
    first_id = next(line.split(":", 1)[1].strip() for line in (questions / "consumer-article.yaml")
                    .read_text(encoding="utf-8").splitlines() if line.strip().startswith("- id:"))
    text = repeated.read_text(encoding="utf-8")
    old_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("- id:"))
    repeated.write_text(text.replace(f"id: {old_id}\n", f"id: {first_id}\n", 1), encoding="utf-8")
    out = tmp_path / "bank.sqlite"
    build_bank([CALCINOSIS], out, workers=1)
    before = out.read_bytes()
    errors = []
    for workers in (1, 2):
        with pytest.raises(InputError) as raised:
            build_bank([mixed_subject], out, workers=workers)
        errors.append([str(p) for p in raised.value.problems])
    assert errors[1] == errors[0]
    assert any(": answer must be an option letter" in e and "hospital-page.yaml:" in e for e in errors[0])
    assert any(f"duplicate id '{first_id}' (also in " in e and "medicover-page.yaml:" in e for e in errors[0])
    assert out.read_bytes() == before


def test_a_small_build_starts_no_processes(tmp_path: Path, mixed_subject: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small build")

    monkeypatch.setattr(import_pool, "ProcessPoolExecutor", no_pool)
    report = build_bank([mixed_subject], tmp_path / "bank.sqlite", workers=2)
    assert report.questions > 180


def test_a_build_goes_on_in_one_process_when_no_worker_can_start(tmp_path: Path, mixed_subject: Path,
                                                                 every_file_in_the_pool: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError("no processes here")

    one = build_bank([mixed_subject], tmp_path / "one.sqlite", workers=1)
    monkeypatch.setattr(import_pool, "ProcessPoolExecutor", NoProcesses)
    two = build_bank([mixed_subject], tmp_path / "two.sqlite", workers=2)
    assert (two.questions, two.skipped, two.bank_id) == (one.questions, one.skipped, one.bank_id)
    assert tables(tmp_path / "two.sqlite") == tables(tmp_path / "one.sqlite")
