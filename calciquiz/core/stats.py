"""The numbers of the progress screen, each one SQL query over the progress file and the attached bank."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from calciquiz.core.collection import Collection, end_of_local_day
from calciquiz.core.progress import to_iso, utcnow


@dataclass(frozen=True)
class TopicStats:
    topic: str
    questions: int
    seen: int
    answers: int
    correct: int

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
    due_rows = db.execute(
        "select c.due from cards c join bank.questions q on q.id = c.question_id where c.due <= ? order by c.due",
        [to_iso(ends[-1])],
    ).fetchall()
    by_day = [0] * days
    day = 0
    for (due,) in due_rows:
        while due > to_iso(ends[day]):
            day += 1
        by_day[day] += 1
    # Totals come from question_stats and session_stats, kept with every answer: no scan of the log.
    seen, answers, correct = db.execute(
        "select count(*), coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
        " from question_stats s join bank.questions q on q.id = s.question_id"
    ).fetchone()
    total = db.execute("select count(*) from bank.questions").fetchone()[0]
    topic_rows = db.execute(
        "select t.topic, count(*), count(s.question_id), coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
        " from bank.question_topics t left join question_stats s on s.question_id = t.question_id"
        " group by t.topic order by t.topic"
    ).fetchall()
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
