"""The learner's progress: an append-only review log and the schedule derived from it.

Progress lives in its own SQLite file, keyed by question id, so a rebuilt or replaced bank
never touches it. The review log is the source of truth; `cards` is a cache of the fsrs
schedule that `rebuild_schedule` can recompute from the log at any time.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from fsrs import Card, Rating, Scheduler, State

from calciquiz.core import safekeeping, seal
from calciquiz.core.schema import AGGREGATE_SQL, progress_migrations

MODES = ("study", "exam")


class Cancelled(Exception):
    """A long operation was cancelled by its progress callback; its transaction was rolled back."""


# A long operation reports (done, total) through this; returning False cancels it.
ProgressCallback = Callable[[int, int], bool]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


DISK_FULL = "the disk is full"


def write_problem(error: BaseException) -> str:
    """A failed write in the learner's words: a full disk is named as such."""
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(error) \
            or getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def rating_for(correct: bool, guessed: bool) -> Rating:
    """A wrong answer is Again; a right one Good, or Hard when the resident says it was a guess."""
    if not correct:
        return Rating.Again
    return Rating.Hard if guessed else Rating.Good


@dataclass(frozen=True)
class ReviewRecord:
    id: str
    question_id: str
    chosen: int
    correct: bool
    guessed: bool
    rating: int
    time_taken_ms: int
    answered_at: str
    mode: str
    session_id: str
    shown_order: str


REVIEW_FIELDS = tuple(ReviewRecord.__dataclass_fields__)


@dataclass(frozen=True)
class Schedule:
    question_id: str
    state: int
    due: datetime
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None


def make_scheduler() -> Scheduler:
    # Fuzzing off: the schedule must be a pure function of the review log, so that it can
    # be rebuilt (after a crash, a merge or a restore) and come out the same.
    return Scheduler(enable_fuzzing=False)


class ProgressStore:
    """Reads and writes one learner's progress file.

    Opening takes an exclusive lock (one running app per file), checks the file's integrity
    (a damaged file is set aside, never overwritten: ProgressDamaged; a missing or empty one beside
    backups with answers is refused: ProgressMissing, unless `start_fresh`), backs it up before any
    schema migration, and takes a backup on opening and at most every `backup_minutes` after.
    """

    def __init__(self, path: Path | str, *, backup_minutes: float = safekeeping.DEFAULT_INTERVAL_MINUTES,
                 keep_backups: int = safekeeping.DEFAULT_KEEP, start_fresh: bool = False):
        self.path = Path(path)
        self.lock = safekeeping.InstanceLock(self.path)
        self.lock.acquire()
        self.db: sqlite_utils.Database | None = None
        try:
            safekeeping.clean_backup_leftovers(self.path)
            if start_fresh:  # the learner was told what is missing and chose empty progress
                safekeeping.set_aside_leftovers(self.path)
            else:
                safekeeping.check_not_lost(self.path)
            status = safekeeping.check_integrity(self.path)
            if status != "ok":
                aside = safekeeping.set_aside(self.path)
                raise safekeeping.ProgressDamaged(self.path, aside, status)
            seal.check(self.path)  # answers lost with a damaged WAL: set aside like a damaged file
            # SQLite opens a read-only file without complaint and fails at the first answer: say so now.
            if self.path.exists() and not os.access(self.path, os.W_OK):
                raise safekeeping.explain_unwritable(self.path)
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode = WAL")
            # FULL makes each commit durable across power loss in WAL mode, not only across crashes.
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.backup_minutes, self.keep_backups = backup_minutes, keep_backups
            self.last_backup: datetime | None = None
            # Why the backup or seal after the last answer failed (None when both were written); the answer was kept.
            self.backup_problem: str | None = None
            if progress_migrations.pending(self.db) and self.db.table_names():
                self.backup()  # an earlier schema with a learner's data in it: keep a copy first
            progress_migrations.apply(self.db)
            if self.review_count():
                self.backup()
            # What the file holds now; kept up to date with each answer and written beside the file.
            self.sealed = seal.current(self.db.conn)
            self.seal_file = seal.SealFile(self.path)
            try:
                self._write_seal()
            except OSError as error:  # a full disk must not keep the learner out; the seal only adds a check
                self.backup_problem = write_problem(error)
        except BaseException as error:
            if self.db is not None:
                self.db.close()
            self.lock.release()
            if safekeeping.refuses_writing(error):  # a read-only file or folder, in plain words
                raise safekeeping.explain_unwritable(self.path) from None
            raise
        self.scheduler = make_scheduler()
        # Called inside each answer's transaction (the Collection keeps per-topic totals this way).
        self.answer_listeners: list[Callable[[ReviewRecord], None]] = []

    def close(self) -> None:
        self.db.close()
        self.seal_file.close()
        self.lock.release()

    def backup(self) -> safekeeping.Backup:
        try:
            made = safekeeping.make_backup(self.db.conn, self.path, keep=self.keep_backups)
        except BaseException:
            # This process holds the lock, so any half-written backup in the folder is its own leftover.
            for partial in safekeeping.backup_dir(self.path).glob("*.partial"):
                partial.unlink(missing_ok=True)
            raise
        self.last_backup = made.made_at
        return made

    def maybe_backup(self) -> safekeeping.Backup | None:
        """A backup if the last one is older than the interval (called as the learner studies)."""
        if self.last_backup is None or (utcnow() - self.last_backup).total_seconds() >= 60 * self.backup_minutes:
            return self.backup()
        return None

    def record_answer(
        self,
        question_id: str,
        chosen: int,
        correct: bool,
        *,
        guessed: bool = False,
        time_taken_ms: int = 0,
        mode: str = "study",
        session_id: str = "",
        shown_order: str = "",
        answered_at: datetime | None = None,
    ) -> tuple[ReviewRecord, Schedule]:
        """Append one answer to the log and update its schedule, in one durable transaction."""
        if mode not in MODES:
            raise ValueError(f"unknown study mode {mode!r}")
        moment = answered_at or utcnow()
        rating = rating_for(correct, guessed)
        record = ReviewRecord(
            id=uuid.uuid4().hex, question_id=question_id, chosen=chosen, correct=correct, guessed=guessed,
            rating=int(rating), time_taken_ms=max(0, int(time_taken_ms)), answered_at=to_iso(moment), mode=mode,
            session_id=session_id, shown_order=shown_order,
        )
        card, reps, lapses = self._card(question_id)
        # A review already logged after this moment (imported from a machine whose clock runs a little
        # ahead, or this clock set back) must be replayed after this one, as a rebuild would order them.
        out_of_order = card.last_review is not None and card.last_review > moment
        card, _ = self.scheduler.review_card(card, rating, moment)
        reps, lapses = reps + 1, lapses + (0 if correct else 1)
        with self.db.atomic():
            self.db["reviews"].insert(record.__dict__ | {"correct": int(correct), "guessed": int(guessed)})
            if out_of_order:
                self._replay(question_id)
                card, reps, lapses = self._card(question_id)
            else:
                self._store_card(question_id, card, reps, lapses)
            self._count(record)
            for listener in self.answer_listeners:
                listener(record)
        if not self.db.conn.in_transaction:
            # Counted, not recounted: one more answer, and it is the last one.
            self.sealed = seal.Seal(self.sealed.reviews + 1, record.id)
            self._after_commit()
        return record, self._schedule_from(question_id, card, reps, lapses)

    def reviews_committed(self) -> None:
        """Seal and back up after a caller's own transaction added answers (an exam block, an import)."""
        self.sealed = seal.current(self.db.conn)
        self._after_commit()

    def _after_commit(self) -> None:
        """Write the seal and the periodic backup after answers were committed; a failure is remembered, not raised.

        Raising here would tell the caller the answer failed when it is already stored, and a retry
        would log it twice.
        """
        self.backup_problem = None
        for step in (self._write_seal, self.maybe_backup):
            try:
                step()
            except Exception as error:  # noqa: BLE001 - any failure here leaves the answers as stored
                self.backup_problem = write_problem(error)

    def _write_seal(self) -> None:
        self.seal_file.write(self.sealed)

    def _count(self, record: ReviewRecord) -> None:
        """Keep the per-question and per-session totals in step with the log (same transaction)."""
        self.db.execute(
            "INSERT INTO question_stats (question_id, answers, correct, last_correct, last_answered_at)"
            " VALUES (?, 1, ?, ?, ?) ON CONFLICT(question_id) DO UPDATE SET answers = answers + 1,"
            " correct = correct + excluded.correct,"
            " last_correct = CASE WHEN excluded.last_answered_at >= last_answered_at"
            "  THEN excluded.last_correct ELSE last_correct END,"
            " last_answered_at = max(last_answered_at, excluded.last_answered_at)",
            [record.question_id, int(record.correct), int(record.correct), record.answered_at],
        )
        if record.session_id:
            self.db.execute(
                "INSERT INTO session_stats (session_id, mode, started, answers, correct) VALUES (?, ?, ?, 1, ?)"
                " ON CONFLICT(session_id) DO UPDATE SET answers = answers + 1, correct = correct + excluded.correct,"
                " started = min(started, excluded.started)",
                [record.session_id, record.mode, record.answered_at, int(record.correct)],
            )

    def _card(self, question_id: str) -> tuple[Card, int, int]:
        """The question's fsrs card with its reps and lapses, from one read of its row."""
        row = next(self.db.query("select * from cards where question_id = ?", [question_id]), None)
        if row is None:
            return Card(card_id=1), 0, 0
        card = Card(
            card_id=1, state=State(row["state"]), step=row["step"], stability=row["stability"],
            difficulty=row["difficulty"], due=datetime.fromisoformat(row["due"]),
            last_review=datetime.fromisoformat(row["last_review"]) if row["last_review"] else None,
        )
        return card, row["reps"] or 0, row["lapses"] or 0

    def _store_card(self, question_id: str, card: Card, reps: int, lapses: int) -> None:
        self.db["cards"].upsert(
            {"question_id": question_id, "state": int(card.state), "step": card.step, "stability": card.stability,
             "difficulty": card.difficulty, "due": to_iso(card.due),
             "last_review": to_iso(card.last_review) if card.last_review else None, "reps": reps,
             "lapses": lapses},
            pk="question_id",
        )

    @staticmethod
    def _schedule_from(question_id: str, card: Card, reps: int, lapses: int) -> Schedule:
        return Schedule(question_id, int(card.state), card.due, reps, lapses, card.stability, card.difficulty)

    def schedule(self, question_id: str) -> Schedule | None:
        row = next(self.db.query("select * from cards where question_id = ?", [question_id]), None)
        if row is None:
            return None
        return Schedule(row["question_id"], row["state"], datetime.fromisoformat(row["due"]), row["reps"],
                        row["lapses"], row["stability"], row["difficulty"])

    def reviews(self, question_id: str | None = None) -> list[ReviewRecord]:
        where, args = ("where question_id = ?", [question_id]) if question_id else ("", [])
        return [
            ReviewRecord(**{**r, "correct": bool(r["correct"]), "guessed": bool(r["guessed"])})
            for r in self.db.query(f"select * from reviews {where} order by answered_at, rowid", args)
        ]

    def review_count(self) -> int:
        return self.db.execute("select count(*) from reviews").fetchone()[0]

    def stored_review(self, review_id: str) -> dict | None:
        """A logged review as stored (booleans as 0/1), or None."""
        return next(self.db.query(f"select {', '.join(REVIEW_FIELDS)} from reviews where id = ?", [review_id]), None)

    def review_rows(self) -> list[dict]:
        """The whole log as stored, oldest first."""
        return list(self.db.query(f"select {', '.join(REVIEW_FIELDS)} from reviews order by answered_at, rowid"))

    def note_rows(self) -> list[dict]:
        return list(self.db.query("select question_id, text, updated_at from notes"))

    def flag_rows(self) -> list[dict]:
        return list(self.db.query("select question_id, flagged_at from flags"))

    def recent_sessions(self, limit: int = 10) -> list[tuple[str, str, str, int, int]]:
        """(session id, mode, started, answers, correct) of the latest study sessions and exam blocks."""
        return [tuple(r) for r in self.db.execute(
            "select session_id, mode, started, answers, correct from session_stats order by started desc limit ?",
            [limit])]

    def merge(self, reviews: list[dict], notes: list[dict], flags: list[dict],
              on_progress: ProgressCallback | None = None) -> tuple[int, int, int]:
        """Add reviews, newer notes and missing flags, then rebuild every schedule, in one transaction.

        Returns (notes updated, flags added, schedules rebuilt). Cancelled rolls the whole merge back.
        """
        notes_updated = flags_added = 0
        with self.db.atomic():
            self.db["reviews"].insert_all(reviews)
            for note in notes:
                current = self.db.execute("select updated_at from notes where question_id = ?",
                                          [note["question_id"]]).fetchone()
                if current is None or note["updated_at"] > current[0]:
                    self.db["notes"].upsert(note, pk="question_id")
                    notes_updated += 1
            for flag in flags:
                if not self.is_flagged(flag["question_id"]):
                    self.db["flags"].insert(flag)
                    flags_added += 1
            rebuilt = self.rebuild_schedule(on_progress)
        self.reviews_committed()
        return notes_updated, flags_added, rebuilt

    def set_flag(self, question_id: str, flagged: bool) -> None:
        if flagged:
            self.db["flags"].upsert({"question_id": question_id, "flagged_at": to_iso(utcnow())}, pk="question_id")
        else:
            self.db.execute("delete from flags where question_id = ?", [question_id])

    def is_flagged(self, question_id: str) -> bool:
        return self.db.execute("select 1 from flags where question_id = ?", [question_id]).fetchone() is not None

    def note(self, question_id: str) -> str:
        row = self.db.execute("select text from notes where question_id = ?", [question_id]).fetchone()
        return row[0] if row else ""

    def set_note(self, question_id: str, text: str) -> None:
        """Keep a personal note on a question; an empty note removes it."""
        if text.strip():
            self.db["notes"].upsert(
                {"question_id": question_id, "text": text, "updated_at": to_iso(utcnow())}, pk="question_id"
            )
        else:
            self.db.execute("delete from notes where question_id = ?", [question_id])

    def set_guessed(self, review_id: str, guessed: bool) -> Schedule | None:
        """Say after the fact that a right answer was (or was not) a guess: amend the log, re-derive the schedule."""
        row = self.db.execute("select question_id, correct from reviews where id = ?", [review_id]).fetchone()
        if row is None:
            raise KeyError(review_id)
        question_id, correct = row
        with self.db.atomic():
            self.db.execute("update reviews set guessed = ?, rating = ? where id = ?",
                            [int(guessed), int(rating_for(bool(correct), guessed)), review_id])
            self._replay(question_id)
        return self.schedule(question_id)

    def _replay(self, question_id: str) -> None:
        card, reps, lapses = Card(card_id=1), 0, 0
        for review in self.reviews(question_id):
            card, _ = self.scheduler.review_card(card, Rating(review.rating), datetime.fromisoformat(review.answered_at))
            reps, lapses = reps + 1, lapses + (0 if review.correct else 1)
        if reps:
            self._store_card(question_id, card, reps, lapses)

    def rebuild_schedule(self, on_progress: ProgressCallback | None = None) -> int:
        """Recompute every question's schedule from the review log; returns how many questions."""
        cards: dict[str, tuple[Card, int, int]] = {}
        reviews = self.reviews()
        for done, review in enumerate(reviews):
            if on_progress is not None and done % 2000 == 0 and on_progress(done, len(reviews)) is False:
                raise Cancelled("rebuilding the schedule was cancelled")
            card, reps, lapses = cards.get(review.question_id, (Card(card_id=1), 0, 0))
            card, _ = self.scheduler.review_card(card, Rating(review.rating), datetime.fromisoformat(review.answered_at))
            cards[review.question_id] = (card, reps + 1, lapses + (0 if review.correct else 1))
        with self.db.atomic():
            self.db.execute("DELETE FROM cards")
            for question_id, (card, reps, lapses) in cards.items():
                self._store_card(question_id, card, reps, lapses)
            for statement in AGGREGATE_SQL:
                self.db.execute(statement)
            # Derived per bank; recounted on next use.
            self.db.execute("DELETE FROM progress_meta WHERE key IN ('orphans_bank', 'topics_bank')")
        return len(cards)
