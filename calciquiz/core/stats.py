"""The numbers of the progress screen, from the progress file read against the attached bank."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from typing import TYPE_CHECKING

from calciquiz.core.progress import utcnow
from calciquiz.core.scheduling import end_of_local_day

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection


@dataclass(frozen=True)
class TopicStats:
    topic: str  # "<subject>/<topic>"
    questions: int
    seen: int
    answers: int
    correct: int

    @property
    def subject(self) -> str:
        return self.topic.split("/", 1)[0]

    @property
    def name(self) -> str:
        """The topic's name in its subject's taxonomy."""
        return self.topic.split("/", 1)[-1]

    @property
    def percent(self) -> float | None:
        return 100.0 * self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class SessionSummary:
    session_id: str
    mode: str
    started: str
    answers: int
    correct: int


@dataclass(frozen=True)
class ProgressSummary:
    due_today: int
    due_by_day: list[tuple[date, int]]  # the next 30 days, today first (today includes overdue)
    seen: int
    unseen: int
    answers: int
    correct: int
    topics: list[TopicStats]
    sessions: list[SessionSummary]

    @property
    def percent(self) -> float | None:
        return 100.0 * self.correct / self.answers if self.answers else None


class Statistics:
    """The progress screen's figures for the collection."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def summary(self, now: datetime | None = None, days: int = 30, subject: str | None = None) -> ProgressSummary:
        """The figures over the whole bank, or over one subject's questions (recent sessions are always all)."""
        now = now or utcnow()
        store = self.collection.schedule_store
        today = now.astimezone().date()
        ends = [end_of_local_day(now + timedelta(days=i)) for i in range(days)]
        # Index range counts, one a day (today includes everything overdue), rather than fetching every
        # due card: 80,000 rows at 100,000 questions.
        by_day = ([store.due_count(ends[0], subject=subject)]
                  + [store.due_count(b, after=a, subject=subject) for a, b in zip(ends, ends[1:])])
        seen, answers, correct = store.answer_totals(subject)
        return ProgressSummary(
            due_today=by_day[0],
            due_by_day=[(today + timedelta(days=i), n) for i, n in enumerate(by_day)],
            seen=seen,
            unseen=store.question_total(subject) - seen,
            answers=answers,
            correct=correct,
            topics=[TopicStats(*row) for row in store.topic_totals(subject)],
            sessions=[SessionSummary(*row) for row in self.collection.progress.recent_sessions(10)],
        )

    def topics(self, subject: str | None = None) -> list[TopicStats]:
        """Questions, seen, answers and correct answers for every topic of the bank (or of one subject)."""
        return [TopicStats(*row) for row in self.collection.schedule_store.topic_totals(subject)]
