"""The Collection's parts: the learner's words over the bank and the progress file."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.study import StudySession

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_a_restore_reopens_the_same_collection_with_the_backup_in_it(bank_copy: Path, tmp_path: Path):
    with Collection(bank_copy, tmp_path / "p.sqlite") as collection:
        total = collection.questions.count()
        session = StudySession(collection, now=lambda: T0)
        session.answer(session.next().correct_display_index)
        first = session.tally.outcomes[0].presentation.question.id
        made = collection.backups.back_up()
        session.answer(session.next().correct_display_index)
        collection.flags.set(first, True)
        collection.notes.set(first, "after the backup")
        assert (collection.sched.counts(T0).new, len(collection.sched.reviews())) == (total - 2, 2)

        aside = collection.backups.restore(made.path)

        assert aside is not None and aside.exists()  # the replaced file is kept
        assert (collection.sched.counts(T0).new, len(collection.sched.reviews())) == (total - 1, 1)
        assert (collection.flags.is_flagged(first), collection.notes.get(first)) == (False, "")
        assert collection.blocks.count(BlockFilter(statuses=frozenset({"unused"}))) == total - 1
        assert collection.stats.summary(T0).seen == 1
        block = collection.exams.start(collection.blocks.questions(BlockFilter(), 2, seed="r"), time_limit_s=60)
        block.choose(0)
        report = block.submit()
        assert [entry["id"] for entry in collection.exams.history()] == [report.block_id]
        assert len(collection.sched.reviews()) == 2
