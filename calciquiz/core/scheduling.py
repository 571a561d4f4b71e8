"""Scheduling: what to study next, the day's counts, and recording answers (col.sched)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from calciquiz.core.progress import ReviewRecord, Schedule, utcnow

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection

# A question due within this many minutes may be shown early when nothing else is left,
# as Anki does with its learn-ahead limit, so a session does not stall on a 1-minute step.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class StudyCounts:
    due_today: int
    new: int
    total: int
    answered_today: int


def end_of_local_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return datetime.combine(local.date(), time.max, tzinfo=local.tzinfo)


def start_of_local_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)


class Scheduling:
    """Due reviews and new questions of the collection's bank, and the answers that move them."""

    def __init__(self, collection: Collection):
        self.collection = collection

    @property
    def _store(self):
        return self.collection.schedule_store

    def counts(self, now: datetime | None = None) -> StudyCounts:
        now = now or utcnow()
        store = self._store
        total = store.question_total()
        return StudyCounts(due_today=store.due_count(end_of_local_day(now)), new=total - store.seen_count(),
                           total=total, answered_today=store.answered_since(start_of_local_day(now)))

    def due_count(self, until: datetime, after: datetime | None = None) -> int:
        return self._store.due_count(until, after)

    def next_question(self, now: datetime | None = None, avoid: str | None = None) -> tuple[str, bool] | None:
        """The next question to study: (id, is_new). Due reviews first, then new questions."""
        now = now or utcnow()
        store = self._store
        if (due := store.first_due(now, avoid or "")) is not None:
            return due, False
        if (new := store.first_new()) is not None:
            return new, True
        if (ahead := store.first_due(now + LEARN_AHEAD, avoid or "")) is not None:
            return ahead, False
        if avoid and (ahead := store.first_due(now + LEARN_AHEAD)) is not None:
            return ahead, False  # only the question just answered is left: show it again rather than stop
        return None

    def record_answer(self, question_id: str, chosen: int, correct: bool, **details) -> tuple[ReviewRecord, Schedule]:
        """Log one answer durably and reschedule its question (see ProgressStore.record_answer)."""
        return self.collection.progress.record_answer(question_id, chosen, correct, **details)

    def set_guessed(self, review_id: str, guessed: bool) -> Schedule | None:
        """Say after the fact that a right answer was (or was not) a guess; its question is rescheduled."""
        return self.collection.progress.set_guessed(review_id, guessed)

    def schedule(self, question_id: str) -> Schedule | None:
        return self.collection.progress.schedule(question_id)

    def reviews(self, question_id: str | None = None) -> list[ReviewRecord]:
        return self.collection.progress.reviews(question_id)
