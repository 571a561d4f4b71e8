"""Keeping a learner's progress safe: one app at a time, integrity checks, rotating backups, restore.

Backups use SQLite's online backup API, never a file copy, so a backup of a live WAL
database is always a consistent snapshot. A damaged progress file is never overwritten:
it is set aside under a new name and the newest good backup can take its place.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_KEEP = 10
DEFAULT_INTERVAL_MINUTES = 15


class ProgressInUse(Exception):
    """Another running CalciQuiz has this progress file open."""


class ProgressDamaged(Exception):
    """The progress file failed its integrity check; it has been set aside."""

    def __init__(self, path: Path, set_aside: Path | None, detail: str):
        self.path, self.set_aside, self.detail = path, set_aside, detail
        super().__init__(f"the progress file {path} is damaged ({detail})")


class ProgressMissing(ProgressDamaged):
    """The progress file is missing or empty while a backup (or its own WAL) still holds answers."""

    def __init__(self, path: Path, set_aside: Path | None, detail: str):
        self.path, self.set_aside, self.detail = path, set_aside, detail
        Exception.__init__(self, f"the progress file {path} is {detail}")


class ProgressUnwritable(Exception):
    """The progress file, its folder, its backups or its lock cannot be written; says which, in plain words."""


WRITE_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS}
# SQLite's primary codes for "cannot write here": PERM, READONLY, CANTOPEN.
SQLITE_REFUSED = {3, 8, 14}


def refuses_writing(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in WRITE_REFUSED
    if isinstance(error, sqlite3.OperationalError):
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in SQLITE_REFUSED
    return False


def explain_unwritable(progress_path: Path) -> ProgressUnwritable:
    """Name what cannot be written: the progress file itself, or the folder it lives in (first: a writable
    file in a read-only folder still cannot keep its write-ahead log beside it)."""
    folder = progress_path.parent
    if progress_path.exists() and not os.access(progress_path, os.W_OK) and os.access(folder, os.W_OK):
        return ProgressUnwritable(f"your progress file {progress_path} is read-only; "
                                  "CalciQuiz needs to write your answers to it")
    return ProgressUnwritable(f"the data folder {progress_path.parent} is read-only (or not yours); "
                              "CalciQuiz needs to write your progress there; use --data-dir for another folder")


class InstanceLock:
    """An exclusive lock next to the progress file, held while the app runs."""

    def __init__(self, progress_path: Path):
        self.path = progress_path.with_name(progress_path.name + ".lock")
        self.handle = None

    def _open(self):
        # O_NOFOLLOW: a lock planted as a symbolic link must never get the PID written through it.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        if self.path.is_symlink():  # where O_NOFOLLOW does not exist (Windows)
            raise ProgressUnwritable(f"the lock file {self.path} is a symbolic link; CalciQuiz will not write "
                                     "through it: remove it and start again")
        try:
            descriptor = os.open(self.path, flags, 0o644)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ProgressUnwritable(f"the lock file {self.path} is a symbolic link; CalciQuiz will not "
                                         "write through it: remove it and start again") from None
            if error.errno == errno.EISDIR or self.path.is_dir():
                raise ProgressUnwritable(f"the lock file {self.path} is a folder; remove it and start again") from None
            if refuses_writing(error):
                folder_writable = error.errno != errno.EROFS and os.access(self.path.parent, os.W_OK)
                if self.path.exists() and folder_writable:  # else the lock cannot be removed either: name the folder
                    raise ProgressUnwritable(f"the lock file {self.path} cannot be written (permission denied); "
                                             "make it writable or remove it") from None
                raise explain_unwritable(self.path.with_name(self.path.name[:-len(".lock")])) from None
            raise
        return os.fdopen(descriptor, "r+")

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if refuses_writing(error):
                raise ProgressUnwritable(f"cannot create the data folder {self.path.parent}: permission denied"
                                         ) from None
            raise
        handle = self._open()
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


def read_only_uri(path: Path) -> str:
    """A URI that reads a closed database without writing anything beside it.

    With no -wal beside the file, `immutable` reads it exactly and SQLite creates no -shm, so a
    check leaves nothing behind and works on read-only media. A file with a -wal must be read
    through it (its last commits live there).
    """
    no_wal = not Path(f"{path}-wal").exists()
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if no_wal else "")


def check_integrity(path: Path) -> str:
    """'ok', or what SQLite says is wrong with the file (a file that is not a database included)."""
    if not path.exists():
        return "ok"
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "ok" if rows == ["ok"] else "; ".join(rows[:3])


# ".seal" is the review count kept beside the file (issue 9 item 7, merged on main): it travels with it.
COMPANIONS = ("", "-wal", "-shm", ".seal")


def move_without_overwrite(source: Path, target: Path) -> None:
    """Rename `source` to `target`, raising FileExistsError rather than ever replacing an existing file."""
    try:
        os.link(source, target)  # fails with FileExistsError if the name is taken: no window for a race
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links (FAT on a USB stick): check, then rename. Only the
        # holder of the instance lock moves these files, so nothing else can take the name between.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
        os.rename(source, target)
        return
    os.unlink(source)


def numbered(target: Path, number: int) -> Path:
    """`name.sqlite`, then `name-2.sqlite`, `name-3.sqlite` ..."""
    return target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")


def move_to_free_name(source: Path, target: Path, companions: tuple[str, ...] = ("",)) -> Path:
    """Move `source` (and its companions, e.g. -wal and -shm) to `target` or the first free numbered name.

    A name is used only if neither it nor any of its companions exists, so a move never replaces
    a file, and a set-aside file always keeps its own WAL beside it.
    """
    number = 1
    while True:
        candidate = numbered(target, number)
        number += 1
        if any(os.path.lexists(str(candidate) + suffix) for suffix in companions):
            continue
        try:
            move_without_overwrite(source, candidate)
        except FileExistsError:
            continue
        for suffix in companions[1:]:
            companion = Path(str(source) + suffix)
            if companion.exists():
                move_without_overwrite(companion, Path(str(candidate) + suffix))
        return candidate


def set_aside(path: Path, why: str = "damaged") -> Path:
    """Move a file (and its WAL files) out of the way under a dated name; never delete or replace one.

    `why` goes into the name: "damaged", or "replaced" for a sound file a restore puts aside.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{why}-{stamp}{path.suffix}")
    if not path.exists():
        # Only a -wal or -shm is left: it is kept under the dated name with its own suffix.
        path.touch()  # an empty stand-in, so the WAL keeps a main-file name beside it
    return move_to_free_name(path, target, COMPANIONS)


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime

    @property
    def label(self) -> str:
        return self.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def backup_dir(progress_path: Path) -> Path:
    return progress_path.parent / "backups"


def backup_prefix(progress_path: Path) -> str:
    """`progress-` for progress.sqlite: each progress file in a folder has backups of its own."""
    return f"{progress_path.stem}-"


STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
STAMP_LENGTH = len("20260302-090000-000000")


def list_backups(progress_path: Path) -> list[Backup]:
    """Backups of this progress file, newest first."""
    folder = backup_dir(progress_path)
    found = []
    prefix = backup_prefix(progress_path)
    for path in folder.glob(f"{prefix}*.sqlite") if folder.is_dir() else []:
        name = path.stem[len(prefix):]
        stamp, number = name[:STAMP_LENGTH], name[STAMP_LENGTH + 1:] or "1"  # "-2" when a name was taken
        try:
            made = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        if not number.isdigit() or (len(name) > STAMP_LENGTH and name[STAMP_LENGTH] != "-"):
            continue
        found.append((made, int(number), Backup(path, made)))
    return [backup for _, _, backup in sorted(found, key=lambda item: item[:2], reverse=True)]


def make_backup(conn: sqlite3.Connection, progress_path: Path, keep: int = DEFAULT_KEEP) -> Backup:
    """Snapshot the open progress database with SQLite's backup API; keep the newest `keep`."""
    folder = backup_dir(progress_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if refuses_writing(error):
            raise ProgressUnwritable(f"cannot create the backups folder {folder}: permission denied") from None
        raise
    made = datetime.now(timezone.utc)
    target = folder / f"{backup_prefix(progress_path)}{made.strftime(STAMP_FORMAT)}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        destination = sqlite3.connect(partial)
        try:
            conn.backup(destination)
        finally:
            destination.close()
        target = move_to_free_name(partial, target)
    except BaseException as error:
        for leftover in (partial, Path(f"{partial}-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        if refuses_writing(error):
            raise ProgressUnwritable(f"cannot write a backup in {folder}: the folder is read-only (or not yours); "
                                     "make it writable") from None
        raise
    backups = list_backups(progress_path)
    spared = last_with_more_answers(backups, answers_in(target) or 0)
    for old in backups[keep:]:
        if old != spared:
            old.path.unlink(missing_ok=True)
    return Backup(target, made)


def last_with_more_answers(backups: list[Backup], current: int) -> Backup | None:
    """The newest backup holding more answers than the progress file now does, kept out of rotation.

    After a restore of an older backup, or a fresh start, the later backups are all that is
    left of those answers; ten rounds of rotation must not delete the last of them.
    """
    return next((b for b in backups if (answers_in(b.path) or 0) > current), None)


def answers_in(path: Path) -> int | None:
    """How many answers a closed progress file or backup holds; None if it cannot be read."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return conn.execute("select count(*) from reviews").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def newest_backup_with_answers(progress_path: Path) -> tuple[Backup, int] | None:
    for backup in list_backups(progress_path):
        answers = answers_in(backup.path)
        if answers and check_integrity(backup.path) == "ok":
            return backup, answers
    return None


def check_not_lost(progress_path: Path) -> None:
    """Refuse to start afresh when the progress file is missing or empty but answers survive beside it.

    A brand-new learner has no file, no WAL and no backup: that is the one silent fresh start.
    Raises ProgressMissing after setting aside whatever is left (the empty file, a -wal, a -shm).
    """
    if progress_path.exists() and progress_path.stat().st_size > 0:
        return
    state = "empty (0 bytes)" if progress_path.exists() else "missing"
    wal = Path(f"{progress_path}-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    found = newest_backup_with_answers(progress_path)
    if not found and not wal_size:
        return
    reasons = []
    if wal_size:
        reasons.append(f"its write-ahead log ({wal_size} bytes) was left behind")
    if found:
        backup, answers = found
        reasons.append(f"a backup from {backup.label} holds {answers} answer{'s' if answers != 1 else ''}")
    left = any(Path(f"{progress_path}{suffix}").exists() for suffix in COMPANIONS)
    raise ProgressMissing(progress_path, set_aside(progress_path) if left else None,
                          f"{state} but {' and '.join(reasons)}")


def set_aside_leftovers(progress_path: Path) -> Path | None:
    """Before a fresh start the learner chose: keep (never delete) what is left of the old file."""
    if progress_path.exists() and progress_path.stat().st_size > 0:
        return None
    if any(Path(f"{progress_path}{suffix}").exists() for suffix in COMPANIONS):
        return set_aside(progress_path)
    return None


LEFTOVER_PATTERNS = ("*.partial", "*.partial-journal", "*.partial-wal", "*.partial-shm",
                     "*.sqlite-wal", "*.sqlite-shm")


def clean_backup_leftovers(progress_path: Path) -> None:
    """Remove what killed backups and earlier checks left in backups/: only this file's, only those patterns.

    Called under the instance lock, so no backup of this file is being written meanwhile. A
    backup is always complete without a -wal (it is written through a rollback journal), so its
    -wal or -shm holds nothing.
    """
    folder = backup_dir(progress_path)
    if not folder.is_dir():
        return
    for pattern in LEFTOVER_PATTERNS:
        for leftover in folder.glob(backup_prefix(progress_path) + pattern):
            try:
                leftover.unlink()
            except OSError:
                pass  # a read-only backups folder: harmless leftovers, and making a backup says so


def newest_good_backup(progress_path: Path) -> Backup | None:
    for backup in list_backups(progress_path):
        if check_integrity(backup.path) == "ok":
            return backup
    return None


def restore(backup: Path, progress_path: Path) -> Path | None:
    """Put a backup in place of the progress file; the current file, if any, is set aside first."""
    if check_integrity(backup) != "ok":
        raise ProgressDamaged(backup, None, "the backup itself fails its integrity check")
    try:
        return _restore(backup, progress_path)
    except (OSError, sqlite3.OperationalError) as error:
        if refuses_writing(error):
            raise explain_unwritable(progress_path) from None
        raise


def _restore(backup: Path, progress_path: Path) -> Path | None:
    # A -wal left without its main file would be replayed into the restored file: set it aside too.
    present = any(Path(str(progress_path) + suffix).exists() for suffix in COMPANIONS)
    previous = set_aside(progress_path, "replaced") if present else None
    partial = progress_path.with_name(progress_path.name + ".restoring")
    for suffix in ("", "-journal"):
        Path(str(partial) + suffix).unlink(missing_ok=True)  # left by a restore that was killed
    source = sqlite3.connect(read_only_uri(backup), uri=True)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    # The seal described the file set aside above; the restored one must not be judged by it.
    Path(f"{progress_path}.seal").unlink(missing_ok=True)
    os.replace(partial, progress_path)  # the progress name is free: it was set aside above, under the lock
    return previous
