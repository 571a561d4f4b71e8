from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from calciquiz.core.collection import Collection
from calciquiz.core.study import StudySession

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_progress_summary_counts_what_was_answered(bank_copy: Path, tmp_path: Path):
    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        total = collection.bank.question_count()
        empty = collection.stats.summary(T0)
        assert (empty.seen, empty.unseen, empty.answers, empty.percent) == (0, total, 0, None)
        session = StudySession(collection, now=lambda: T0)
        answered = []
        for i in range(4):
            shown = session.next()
            right = shown.correct_display_index
            session.answer(right if i < 3 else (right + 1) % 5)
            answered.append(shown.question)
        result = collection.stats.summary(T0)
        assert (result.seen, result.unseen, result.answers, result.correct) == (4, total - 4, 4, 3)
        assert result.percent == 75.0
        assert sum(n for _, n in result.due_by_day) == 4  # all four fall due within 30 days
        assert result.due_by_day[0] == ((T0.astimezone().date()), result.due_today)
        topic = answered[0].topics[0]
        stats = next(t for t in result.topics if t.topic == f"calcinosis-cutis/{topic}")
        assert (stats.subject, stats.name) == ("calcinosis-cutis", topic)
        assert stats.seen >= 1 and stats.answers >= 1
        assert result.sessions[0].session_id == session.id
        assert (result.sessions[0].mode, result.sessions[0].answers, result.sessions[0].correct) == ("study", 4, 3)
        later = collection.stats.summary(T0 + timedelta(days=40))
        assert later.due_today == 4  # overdue reviews count as due today


def test_totals_kept_with_each_answer_equal_the_ones_derived_from_the_log(bank_copy: Path, tmp_path: Path):
    from calciquiz.core.schema import AGGREGATE_SQL

    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        session = StudySession(collection, now=lambda: T0)
        for i in range(12):
            shown = session.next()
            session.answer(shown.correct_display_index if i % 3 else (shown.correct_display_index + 1) % 5)
        db = collection.progress.db
        kept = (list(db.execute("select * from question_stats order by question_id")),
                list(db.execute("select * from session_stats order by session_id")))
        for statement in AGGREGATE_SQL:
            db.execute(statement)
        derived = (list(db.execute("select * from question_stats order by question_id")),
                   list(db.execute("select * from session_stats order by session_id")))
        assert kept == derived


def test_topic_totals_kept_per_answer_equal_a_recount(bank_copy: Path, tmp_path: Path):
    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        collection.schedule_store.topic_totals()  # built once for this bank, then kept with every answer
        session = StudySession(collection, now=lambda: T0)
        for i in range(15):
            shown = session.next()
            session.answer(shown.correct_display_index if i % 4 else 0)
        session = StudySession(collection, question_ids=[o.presentation.question.id for o in session.tally.outcomes[:3]],
                               now=lambda: T0)
        while (shown := session.next()) is not None:
            session.answer(shown.correct_display_index)
        kept = collection.schedule_store.topic_totals()
        collection.progress.db.execute("delete from progress_meta where key = 'topics_bank'")
        assert collection.schedule_store.topic_totals() == kept
        assert sum(row[3] for row in kept) >= 18
