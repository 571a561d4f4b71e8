"""Read-only folders and files, and odd lock files, get a clear one-line message, never a traceback.

Root writes through any permission, so as root these commands run as the user 'nobody'.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[2]
SITE = next(Path(p) for p in sys.path if p.endswith("site-packages") and (Path(p) / "sqlite_utils").is_dir())
NOBODY = 65534


def learner_python() -> str:
    """A Python that the unprivileged learner can run (the venv's may live under /root)."""
    if os.geteuid() != 0:
        return sys.executable
    for candidate in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        try:
            probe = subprocess.run([candidate, "-c", "import sqlite3"], preexec_fn=lambda: os.setuid(NOBODY),
                                   capture_output=True)
        except OSError:
            continue
        if probe.returncode == 0:
            return candidate
    pytest.skip("no Python the unprivileged user can run")


@pytest.fixture
def home():
    """A folder the learner owns, outside root's private temp folder."""
    folder = Path(tempfile.mkdtemp(prefix="calciquiz-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def as_learner(home: Path, *args: str) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        for path in [home, *home.rglob("*")]:
            os.chown(path, NOBODY, -1, follow_symlinks=False)
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), str(SITE)]), "PATH": os.environ.get("PATH", ""),
           "HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run([learner_python(), "-m", "calciquiz", "--data-dir", str(home / "data"), *args],
                          preexec_fn=(lambda: os.setuid(NOBODY)) if os.geteuid() == 0 else None,
                          capture_output=True, text=True, env=env, timeout=60)


def progress_in(home: Path) -> Path:
    path = home / "data" / "progress.sqlite"
    store = ProgressStore(path)
    store.record_answer("q-1", 0, True, answered_at=T0)
    store.backup()
    store.close()
    return path


def read_only(path: Path) -> None:
    path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)


def one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_a_read_only_data_folder_is_named(home: Path):
    (home / "data").mkdir()
    read_only(home / "data")
    one_clear_line(as_learner(home, "backup"), str(home / "data"), "read-only")


def test_a_read_only_data_folder_with_progress_in_it_is_named(home: Path):
    progress_in(home)
    read_only(home / "data")
    one_clear_line(as_learner(home, "export-progress", str(home / "out.json")), str(home / "data"), "read-only")


def test_a_data_folder_made_read_only_whole_names_the_folder_not_the_lock(home: Path):
    """Everything in it read-only (chmod -R a-w, read-only media): removing the lock, as the message said,
    was impossible; the folder is what must change."""
    path = progress_in(home)
    (path.parent / (path.name + ".lock")).touch()
    for item in [*path.parent.rglob("*"), path.parent]:
        read_only(item)
    one_clear_line(as_learner(home, "backup"), f"data folder {home / 'data'} is read-only")


def test_a_read_only_progress_file_is_named(home: Path):
    path = progress_in(home)
    read_only(path)
    one_clear_line(as_learner(home, "backup"), str(path), "read-only")


def test_a_read_only_backups_folder_is_named(home: Path):
    path = progress_in(home)
    read_only(safekeeping.backup_dir(path))
    one_clear_line(as_learner(home, "backup"), str(safekeeping.backup_dir(path)), "read-only")


def test_good_backups_on_read_only_media_are_reported_good(home: Path):
    path = progress_in(home)
    for backup in safekeeping.list_backups(path):
        assert backup.path.read_bytes()[18:20] == b"\x02\x02"  # a WAL-mode database
    for companion in [*safekeeping.backup_dir(path).glob("*-wal"), *safekeeping.backup_dir(path).glob("*-shm")]:
        companion.unlink()  # as copied onto read-only media: the backups alone
    read_only(safekeeping.backup_dir(path))
    listing = as_learner(home, "restore", "--list")
    assert listing.returncode == 0, listing.stderr
    assert "progress-" in listing.stdout and "damaged" not in listing.stdout


def test_a_lock_file_that_is_a_folder_is_named(tmp_path: Path):
    lock = tmp_path / "progress.sqlite.lock"
    lock.mkdir()
    with pytest.raises(safekeeping.ProgressUnwritable, match="is a folder"):
        ProgressStore(tmp_path / "progress.sqlite")


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(tmp_path: Path):
    precious = tmp_path / "precious.txt"
    precious.write_text("the learner's own file")
    (tmp_path / "progress.sqlite.lock").symlink_to(precious)
    with pytest.raises(safekeeping.ProgressUnwritable, match="symbolic link"):
        ProgressStore(tmp_path / "progress.sqlite")
    assert precious.read_text() == "the learner's own file"


def test_a_data_folder_that_cannot_be_created_is_named(home: Path):
    read_only(home)
    for command in (["backup"], ["restore"], ["restore", "--list"]):
        one_clear_line(as_learner(home, *command), str(home / "data"))
