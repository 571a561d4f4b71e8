"""The numbers of the progress screen, each one SQL query over the progress file and the attached bank."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from calciquiz.core.collection import Collection, end_of_local_day
from calciquiz.core.progress import utcnow


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


def summary(collection: Collection, now: datetime | None = None, days: int = 30) -> ProgressSummary:
    now = now or utcnow()
    db = collection.progress.db
    today = now.astimezone().date()
    ends = [end_of_local_day(now + timedelta(days=i)) for i in range(days)]
    # Index range counts, one a day (today includes everything overdue), rather than fetching every
    # due card: 80,000 rows at 100,000 questions.
    by_day = [collection.due_count(ends[0])] + [collection.due_count(b, after=a) for a, b in zip(ends, ends[1:])]
    # Totals come from question_stats and session_stats, kept with every answer: no scan of the log.
    # The orphan list is current here: the due counts above brought it up to date for this bank.
    all_seen, all_answers, all_correct = db.execute(
        "select count(*), coalesce(sum(answers), 0), coalesce(sum(correct), 0) from question_stats").fetchone()
    gone_seen, gone_answers, gone_correct = db.execute(
        "select count(*), coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
        " from orphans o join question_stats s on s.question_id = o.question_id").fetchone()
    seen, answers, correct = all_seen - gone_seen, all_answers - gone_answers, all_correct - gone_correct
    total = db.execute("select count(*) from bank.questions").fetchone()[0]
    topic_rows = collection.topic_totals()
    session_rows = db.execute(
        "select session_id, mode, started, answers, correct from session_stats order by started desc limit 10"
    ).fetchall()
    return ProgressSummary(
        due_today=by_day[0],
        due_by_day=[(today + timedelta(days=i), n) for i, n in enumerate(by_day)],
        seen=seen,
        unseen=total - seen,
        answers=answers,
        correct=correct,
        topics=[TopicStats(*row) for row in topic_rows],
        sessions=[SessionSummary(*row) for row in session_rows],
    )
