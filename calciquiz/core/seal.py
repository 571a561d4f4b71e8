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


def read(progress_path: Path) -> Seal | None:
    try:
        data = json.loads(seal_path(progress_path).read_text(encoding="utf-8"))
        seal = Seal(data["reviews"], data["last_review"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if data.get("format") != FORMAT or not isinstance(seal.reviews, int) or not isinstance(seal.last_review, str):
        return None
    return seal


def write(progress_path: Path, seal: Seal) -> None:
    """Replace the seal atomically: a temporary file, flushed to disk, renamed over the old one.

    The folder is not fsynced: if power fails before the rename reaches the disk, the previous
    seal remains, which names fewer answers and so cannot raise a false alarm.
    """
    target = seal_path(progress_path)
    temporary = target.with_name(target.name + ".tmp")
    text = json.dumps({"format": FORMAT, "reviews": seal.reviews, "last_review": seal.last_review})
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
