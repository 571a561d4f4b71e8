"""Leftovers in backups/ (killed backups, files SQLite made while checking) are cleaned on the next run."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_leftovers_beside_backups_are_removed_on_the_next_opening_and_nothing_else(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    store = ProgressStore(path)
    store.record_answer("q-1", 0, True, answered_at=T0)
    store.close()
    folder = safekeeping.backup_dir(path)
    (backup,) = safekeeping.list_backups(path)
    leftovers = [folder / "progress-20260302-090000-000000.partial", Path(f"{backup.path}-wal"),
                 Path(f"{backup.path}-shm")]
    for leftover in leftovers:
        leftover.write_bytes(b"left by a killed run")
    (folder / "my notes.txt").write_text("mine")
    (tmp_path / "elsewhere.partial").write_text("not in the backups folder")
    ProgressStore(path).close()
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".sqlite") == ["my notes.txt"]
    assert backup.path.exists()
    assert (tmp_path / "elsewhere.partial").exists()


def test_checking_backups_leaves_no_wal_or_shm_beside_them(data_dir: Path):
    path = data_dir / "progress.sqlite"
    store = ProgressStore(path)
    store.record_answer("q-1", 0, True, answered_at=T0)
    store.backup()
    store.close()
    assert CliRunner().invoke(cli, ["restore", "--list"]).exit_code == 0
    assert safekeeping.newest_good_backup(path) is not None
    assert CliRunner().invoke(cli, ["restore"]).exit_code == 0
    folder = safekeeping.backup_dir(path)
    assert sorted(os.listdir(folder)) == sorted(b.path.name for b in safekeeping.list_backups(path))
