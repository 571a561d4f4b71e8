"""A full disk: the backup after an answer fails, the answer stays stored once, the learner is told."""
from __future__ import annotations

import errno
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore
from tests.helpers import query

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
REAL_CONNECT = sqlite3.connect


def full_disk_for_backups(target, *args, **kwargs):
    """sqlite3.connect, except that a backup being written runs out of room after one page (SQLITE_FULL)."""
    conn = REAL_CONNECT(target, *args, **kwargs)
    if str(target).endswith(".partial"):
        conn.execute("PRAGMA max_page_count = 1")
    return conn


def test_a_backup_that_fills_the_disk_keeps_the_answer_once_and_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    store = ProgressStore(tmp_path / "progress.sqlite")
    monkeypatch.setattr(sqlite3, "connect", full_disk_for_backups)
    record, schedule = store.record_answer("q-one", 2, True, answered_at=T0)  # the first answer takes a backup
    assert [r.id for r in store.reviews()] == [record.id]
    assert schedule.reps == 1
    assert store.backup_problem == "the disk is full"
    assert [p.name for p in (tmp_path / "backups").iterdir()] == []  # no 0-byte .partial left behind

    # The next answer tries the backup again; once there is room it is written and the problem clears.
    monkeypatch.setattr(sqlite3, "connect", REAL_CONNECT)
    second, _ = store.record_answer("q-two", 0, False, answered_at=T0)
    assert [r.id for r in store.reviews()] == [record.id, second.id]
    assert store.backup_problem is None
    (backup,) = safekeeping.list_backups(store.path)
    assert query(backup.path, "select count(*) from reviews") == [(2,)]
    store.close()


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   PermissionError(errno.EACCES, "Permission denied")])
def test_any_failure_of_the_backup_after_the_commit_is_reported_not_raised(tmp_path: Path, monkeypatch, error):
    store = ProgressStore(tmp_path / "progress.sqlite")

    def failing_backup(*args, **kwargs):
        raise error

    monkeypatch.setattr(safekeeping, "make_backup", failing_backup)
    store.record_answer("q-one", 2, True, answered_at=T0)
    assert store.review_count() == 1
    expected = "the disk is full" if error.errno == errno.ENOSPC else "Permission denied"
    assert store.backup_problem == expected
    store.close()


def test_a_seal_that_cannot_be_written_on_opening_does_not_keep_the_learner_out(tmp_path: Path, monkeypatch):
    from calciquiz.core import seal

    def no_room(self, value):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(seal.SealFile, "write", no_room)
    store = ProgressStore(tmp_path / "progress.sqlite")
    assert store.backup_problem == "the disk is full"
    store.record_answer("q-one", 0, True, answered_at=T0)
    assert store.review_count() == 1 and store.backup_problem == "the disk is full"
    store.close()
