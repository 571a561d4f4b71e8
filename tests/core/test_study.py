from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from calciquiz.core.collection import Collection
from calciquiz.core.study import StudySession
from tests.helpers import query

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.seconds = 100.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds


def test_a_session_offers_due_reviews_first_then_new_questions(bank_copy: Path, tmp_path: Path):
    clock = Clock()
    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        first = StudySession(collection, clock=clock.monotonic, now=clock.wall)
        answered = []
        for _ in range(3):
            shown = first.next()
            assert shown.is_new
            first.answer(shown.correct_display_index)
            answered.append(shown.question.id)
        clock.now += timedelta(days=5)
        later = StudySession(collection, clock=clock.monotonic, now=clock.wall)
        reviews = [later.next().question.id]
        later.answer(0)
        for _ in range(2):
            reviews.append(later.next().question.id)
            later.answer(0)
        assert sorted(reviews) == sorted(answered)
        assert later.next().is_new


def test_answer_is_stored_before_feedback_and_the_shuffle_is_stable(bank_copy: Path, tmp_path: Path):
    clock = Clock()
    progress = tmp_path / "p.sqlite"
    with Collection(bank_copy, progress) as collection:
        session = StudySession(collection, clock=clock.monotonic, now=clock.wall)
        shown = session.next()
        assert session.current.order == shown.order
        assert sorted(shown.order) == list(range(len(shown.question.options)))
        clock.seconds += 12.5
        wrong = (shown.correct_display_index + 1) % len(shown.order)
        outcome = session.answer(wrong, guessed=False)
        # Another connection sees the row as soon as answer() returns: it is committed.
        rows = query(progress, "select question_id, chosen, correct, time_taken_ms, mode, session_id from reviews")
        assert rows == [(shown.question.id, shown.order[wrong], 0, 12500, "study", session.id)]
        assert not outcome.correct
        assert outcome.schedule.due > T0


def test_orders_differ_between_questions(bank_copy: Path, tmp_path: Path):
    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        session = StudySession(collection, now=lambda: T0)
        orders = set()
        for _ in range(8):
            shown = session.next()
            orders.add(shown.order)
            session.answer(shown.correct_display_index)
        assert len(orders) > 1
