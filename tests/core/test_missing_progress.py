"""A progress file that is empty or missing while backups hold answers is damage, not a fresh start."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def answers_in(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("select count(*) from reviews").fetchone()[0]
    finally:
        conn.close()


def progress_with_answers(path: Path, answers: int = 6, backups: int = 1) -> None:
    store = ProgressStore(path, backup_minutes=10**6)
    for i in range(answers):
        store.record_answer(f"q-{i}", 0, True, answered_at=T0)
    for _ in range(backups):
        store.backup()
    store.close()


def test_an_empty_progress_file_beside_backups_with_answers_is_reported_not_started_afresh(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    progress_with_answers(path)
    path.write_bytes(b"")
    with pytest.raises(safekeeping.ProgressDamaged) as caught:
        ProgressStore(path)
    assert "empty" in caught.value.detail and "holds 6 answers" in caught.value.detail
    assert caught.value.set_aside.read_bytes() == b""  # the empty file is kept too, never deleted
    assert answers_in(safekeeping.list_backups(path)[0].path) == 6
    fresh = ProgressStore(path, start_fresh=True)  # the learner chose to start with empty progress
    assert fresh.review_count() == 0
    fresh.close()
    ProgressStore(path).close()  # and is not asked again


def test_a_missing_progress_file_with_its_wal_left_behind_is_reported_and_the_wal_kept(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    progress_with_answers(path)
    wal = Path(str(path) + "-wal")
    wal.write_bytes(b"a write-ahead log whose main file was deleted")
    path.unlink()
    with pytest.raises(safekeeping.ProgressDamaged) as caught:
        ProgressStore(path)
    assert "missing" in caught.value.detail and "holds 6 answers" in caught.value.detail
    assert not wal.exists()
    assert Path(str(caught.value.set_aside) + "-wal").read_bytes() == b"a write-ahead log whose main file was deleted"


def test_a_brand_new_learner_starts_fresh_without_a_word(tmp_path: Path):
    store = ProgressStore(tmp_path / "progress.sqlite")
    assert store.review_count() == 0
    store.close()


def test_starting_fresh_never_rotates_away_the_last_backup_with_more_answers(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    progress_with_answers(path, answers=6, backups=10)
    path.write_bytes(b"")
    with pytest.raises(safekeeping.ProgressDamaged):
        ProgressStore(path)
    store = ProgressStore(path, start_fresh=True)
    store.record_answer("q-new", 0, True, answered_at=T0)
    for _ in range(12):
        store.backup()
    store.close()
    held = [answers_in(b.path) for b in safekeeping.list_backups(path)]
    assert held.count(1) == 10 and held.count(6) == 1


def test_the_commands_refuse_an_empty_progress_file_beside_good_backups(data_dir: Path, tmp_path: Path):
    path = data_dir / "progress.sqlite"
    progress_with_answers(path)
    path.write_bytes(b"")
    for command in (["export-progress", str(tmp_path / "out.json")], ["backup"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "calciquiz restore" in result.output
        assert "is empty (0 bytes) but a backup" in result.output or "is missing but a backup" in result.output
        assert "exported 0" not in result.output and "Traceback" not in result.output
    restored = CliRunner().invoke(cli, ["restore"])
    assert restored.exit_code == 0, restored.output
    assert answers_in(path) == 6
