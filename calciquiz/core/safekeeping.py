"""Keeping a learner's progress safe: one app at a time, integrity checks, rotating backups, restore.

Backups use SQLite's online backup API, never a file copy, so a backup of a live WAL
database is always a consistent snapshot. A damaged progress file is never overwritten:
it is set aside under a new name and the newest good backup can take its place.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BACKUP_PREFIX = "progress-"
DEFAULT_KEEP = 10
DEFAULT_INTERVAL_MINUTES = 15


class ProgressInUse(Exception):
    """Another running CalciQuiz has this progress file open."""


class ProgressDamaged(Exception):
    """The progress file failed its integrity check; it has been set aside."""

    def __init__(self, path: Path, set_aside: Path | None, detail: str):
        self.path, self.set_aside, self.detail = path, set_aside, detail
        super().__init__(f"the progress file {path} is damaged ({detail})")


class InstanceLock:
    """An exclusive lock next to the progress file, held while the app runs."""

    def __init__(self, progress_path: Path):
        self.path = progress_path.with_name(progress_path.name + ".lock")
        self.handle = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise ProgressInUse(
                f"CalciQuiz is already running with this progress file{f' (process {holder})' if holder else ''}."
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing the file releases the lock
            self.handle = None


def check_integrity(path: Path) -> str:
    """'ok', or what SQLite says is wrong with the file (a file that is not a database included)."""
    if not path.exists():
        return "ok"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "ok" if rows == ["ok"] else "; ".join(rows[:3])


def set_aside(path: Path) -> Path:
    """Move a damaged file (and its WAL files and seal) out of the way under a dated name; never delete it."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm", ".seal"):
        source = Path(str(path) + suffix)
        if source.exists():
            os.replace(source, Path(str(target) + suffix))
    return target


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime

    @property
    def label(self) -> str:
        return self.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def backup_dir(progress_path: Path) -> Path:
    return progress_path.parent / "backups"


def list_backups(progress_path: Path) -> list[Backup]:
    """Backups of this progress file, newest first."""
    folder = backup_dir(progress_path)
    found = []
    for path in folder.glob(f"{BACKUP_PREFIX}*.sqlite") if folder.is_dir() else []:
        try:
            made = datetime.strptime(path.stem[len(BACKUP_PREFIX):], "%Y%m%d-%H%M%S-%f").replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        found.append(Backup(path, made))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def make_backup(conn: sqlite3.Connection, progress_path: Path, keep: int = DEFAULT_KEEP) -> Backup:
    """Snapshot the open progress database with SQLite's backup API; keep the newest `keep`."""
    folder = backup_dir(progress_path)
    folder.mkdir(parents=True, exist_ok=True)
    made = datetime.now(timezone.utc)
    target = folder / f"{BACKUP_PREFIX}{made.strftime('%Y%m%d-%H%M%S-%f')}.sqlite"
    partial = target.with_suffix(".partial")
    destination = sqlite3.connect(partial)
    try:
        conn.backup(destination)
    finally:
        destination.close()
    os.replace(partial, target)
    for old in list_backups(progress_path)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, made)


def newest_good_backup(progress_path: Path) -> Backup | None:
    for backup in list_backups(progress_path):
        if check_integrity(backup.path) == "ok":
            return backup
    return None


def restore(backup: Path, progress_path: Path) -> Path | None:
    """Put a backup in place of the progress file; the current file, if any, is set aside first."""
    if check_integrity(backup) != "ok":
        raise ProgressDamaged(backup, None, "the backup itself fails its integrity check")
    previous = set_aside(progress_path) if progress_path.exists() else None
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    partial = progress_path.with_name(progress_path.name + ".restoring")
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    # The seal describes the file being replaced; the restored one must not be judged by it.
    Path(str(progress_path) + ".seal").unlink(missing_ok=True)
    os.replace(partial, progress_path)
    return previous
