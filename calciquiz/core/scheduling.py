"""Scheduling: what to study next, the day's counts (overall or per subject), and recording answers (col.sched)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from calciquiz.core.progress import ReviewRecord, Schedule, utcnow

if TYPE_CHECKING:
    from calciquiz.core.bank import SubjectInfo
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
    answers: int = 0  # every answer ever given to the questions counted here
    correct: int = 0

    @property
    def percent(self) -> float | None:
        """Percent of answers that were right; None before the first answer."""
        return 100.0 * self.correct / self.answers if self.answers else None


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

    def counts(self, now: datetime | None = None, subject: str | None = None) -> StudyCounts:
        """Due today, new, total, answered today and percent correct, for the bank or one subject."""
        now = now or utcnow()
        store = self._store
        total = store.question_total(subject)
        due = store.due_count(end_of_local_day(now), subject=subject)
        # From the totals kept with each answer, less the questions that have left this bank.
        _seen, answers, correct = store.answer_totals(subject)
        return StudyCounts(due_today=due, new=total - store.seen_count(subject), total=total,
                           answered_today=store.answered_since(start_of_local_day(now), subject),
                           answers=answers, correct=correct)

    def subject_counts(self, now: datetime | None = None) -> list[tuple[SubjectInfo, StudyCounts]]:
        """Each subject of the bank with its counts, in the bank's order."""
        now = now or utcnow()
        return [(subject, self.counts(now, subject.id)) for subject in self.collection.questions.subjects()]

    def due_count(self, until: datetime, after: datetime | None = None, subject: str | None = None) -> int:
        return self._store.due_count(until, after, subject)

    def next_question(self, now: datetime | None = None, avoid: str | None = None,
                      subject: str | None = None) -> tuple[str, bool] | None:
        """The next question to study (within one subject if given): (id, is_new). Due reviews first, then new."""
        now = now or utcnow()
        store = self._store
        if (due := store.first_due(now, avoid or "", subject)) is not None:
            return due, False
        if (new := store.first_new(subject)) is not None:
            return new, True
        if (ahead := store.first_due(now + LEARN_AHEAD, avoid or "", subject)) is not None:
            return ahead, False
        if avoid and (ahead := store.first_due(now + LEARN_AHEAD, subject=subject)) is not None:
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
