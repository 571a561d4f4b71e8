"""A seal beside the progress file: how many answers it holds and the last one, kept outside SQLite.

A damaged write-ahead log (progress.sqlite-wal) makes SQLite silently drop every commit after
the damage and start again from what is left. The seal, written after each commit that adds
answers, lets the next opening notice that answers are missing and treat the file as damaged.

The seal may only ever lag behind the file, never run ahead of it: it is written after the
commit is durable (synchronous=FULL), so a crash between the two leaves a file with more answers
than sealed, which is not an error. A seal that is missing or unreadable is no seal (old files,
a first start); it can only weaken the check, never raise a false alarm.
"""
from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

from calciquiz.core import safekeeping

SUFFIX = ".seal"
FORMAT = "calciquiz-seal"


@dataclass(frozen=True)
class Seal:
    reviews: int
    last_review: str  # the id of the review added last ("" when there is none)


def seal_path(progress_path: Path) -> Path:
    return progress_path.with_name(progress_path.name + SUFFIX)


def _checksum(reviews: int, last_review: str) -> int:
    return zlib.crc32(f"{reviews}:{last_review}".encode())


def read(progress_path: Path) -> Seal | None:
    """The seal beside the file, or None when there is none or it is not whole (a torn write)."""
    try:
        data = json.loads(seal_path(progress_path).read_text(encoding="utf-8"))
        seal = Seal(data["reviews"], data["last_review"])
        whole = data["format"] == FORMAT and data["check"] == _checksum(seal.reviews, seal.last_review)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return seal if whole and isinstance(seal.reviews, int) and isinstance(seal.last_review, str) else None


class SealFile:
    """The seal of an open progress file, rewritten in place after each commit that adds answers.

    In place and not fsynced, because a temporary file renamed over the seal cost about 1 ms per
    answer here (the rename makes the file system flush), as much as the commit itself. This is
    safe because the seal is only written once the commit is durable: a seal that a power cut
    leaves stale names fewer answers, and one left torn fails its checksum and counts as no seal;
    neither raises a false alarm. What is given up: after a power cut, answers lost in the same
    cut may go unnoticed. A crash of the app alone loses nothing already written to the seal.
    """

    RECORD = 256  # padded to a fixed size so a shorter seal never leaves the end of a longer one

    def __init__(self, progress_path: Path):
        self.path = seal_path(progress_path)
        self.fd: int | None = None
        self.size = 0

    def write(self, seal: Seal) -> None:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self.size = os.fstat(self.fd).st_size
        text = json.dumps({"format": FORMAT, "reviews": seal.reviews, "last_review": seal.last_review,
                           "check": _checksum(seal.reviews, seal.last_review)})
        data = text.encode("utf-8").ljust(max(self.RECORD, self.size))  # JSON ignores the trailing spaces
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.write(self.fd, data)
        self.size = max(self.size, len(data))

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def current(conn: sqlite3.Connection) -> Seal:
    """The seal for what the database holds now."""
    has_log = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'reviews'").fetchone()
    if not has_log:
        return Seal(0, "")
    count = conn.execute("select count(*) from reviews").fetchone()[0]
    last = conn.execute("select id from reviews order by rowid desc limit 1").fetchone()
    return Seal(count, last[0] if last else "")


def missing_answers(conn: sqlite3.Connection, seal: Seal) -> str | None:
    """What is missing from the database compared with its seal, in plain words; None if nothing."""
    now = current(conn)
    lost = seal.reviews - now.reviews
    last_there = not seal.last_review or (now.reviews > 0 and conn.execute(
        "select 1 from reviews where id = ?", [seal.last_review]).fetchone() is not None)
    if lost > 0:
        return f"{lost} answer{'s' if lost != 1 else ''} you recorded earlier {'are' if lost != 1 else 'is'} missing from it"
    if not last_there:
        return "the last answer you recorded is missing from it"
    return None


def check(progress_path: Path) -> None:
    """Compare the file with its seal; when answers are missing, set the file aside (ProgressDamaged)."""
    seal = read(progress_path)
    if seal is None:
        return
    if not progress_path.exists():
        # Nothing to compare with; the file's absence is someone else's concern, and a new
        # empty file must not be judged by the seal of one that is gone.
        seal_path(progress_path).unlink(missing_ok=True)
        return
    conn = sqlite3.connect(f"{progress_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        missing = missing_answers(conn, seal)
    finally:
        conn.close()
    if missing is not None:
        aside = safekeeping.set_aside(progress_path)
        raise safekeeping.ProgressDamaged(progress_path, aside, missing)
