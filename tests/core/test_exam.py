from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.exam import ExamBlock
from tests.helpers import query

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def collection(bank_copy: Path, tmp_path: Path):
    with Collection(bank_copy, tmp_path / "p.sqlite") as opened:
        yield opened


def test_custom_block_counts_by_topic_status_and_kind(collection):
    everything = collection.blocks.count(BlockFilter())
    assert everything == collection.bank.question_count()
    treatment = collection.blocks.count(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"})))
    treatment_cases = collection.blocks.count(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"}),
                                                          kinds=frozenset({"vignette"})))
    assert 0 < treatment_cases < treatment < everything
    assert collection.blocks.count(BlockFilter(statuses=frozenset({"unused"}))) == everything
    ids = collection.blocks.questions(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"})), 5, seed="s")
    assert len(ids) == 5
    collection.progress.record_answer(ids[0], 0, False, answered_at=T0)
    collection.progress.record_answer(ids[1], 0, True, answered_at=T0)
    collection.progress.set_flag(ids[2], True)
    wrong = BlockFilter(statuses=frozenset({"wrong"}))
    assert collection.blocks.questions(wrong, 10, seed="s") == [ids[0]]
    assert collection.blocks.questions(BlockFilter(statuses=frozenset({"flagged"})), 10, seed="s") == [ids[2]]
    assert collection.blocks.count(BlockFilter(statuses=frozenset({"unused"}))) == everything - 2
    assert collection.blocks.count(BlockFilter(statuses=frozenset({"due"})), now=T0.replace(year=2027)) == 2


def test_an_exam_block_runs_to_its_report_and_logs_answers_as_exam(collection, tmp_path):
    clock = Clock()
    ids = collection.blocks.questions(BlockFilter(topics=frozenset({"calcinosis-cutis/diagnosis"})), 4, seed="x")
    block = ExamBlock(collection, ids, time_limit_s=360, description="diagnosis", clock=clock, now=lambda: T0)
    first = block.item
    block.choose((first.order.index(first.question.answer) + 1) % 5)  # wrong ...
    clock.seconds = 30
    block.choose(first.order.index(first.question.answer))  # ... changed to right before submitting
    block.toggle_mark()
    block.go_to(2)
    clock.seconds = 50
    block.choose(0)
    # No feedback and nothing in the log before submission.
    assert collection.progress.review_count() == 0
    report = block.submit()
    assert report.total == 4 and report.omitted == 2
    assert report.items[0].correct and report.items[0].marked and report.items[0].time_ms == 30000
    assert report.correct == 1 + int(report.items[2].correct)
    assert report.time_used_s == 50
    rows = query(tmp_path / "p.sqlite", "select question_id, mode, session_id from reviews order by question_id")
    assert rows == sorted([(ids[0], "exam", block.id), (ids[2], "exam", block.id)])
    assert collection.progress.schedule(ids[0]) is not None
    assert {s.topic for s in report.by_topic()} >= {"diagnosis"}
    with pytest.raises(RuntimeError):
        block.choose(1)
    again = collection.exams.report(block.id)
    assert [(i.question.id, i.chosen, i.marked) for i in again.items] == [
        (i.question.id, i.chosen, i.marked) for i in report.items]
    assert collection.exams.history()[0]["id"] == block.id
    assert collection.exams.history()[0]["correct"] == report.correct


def test_time_runs_out(collection):
    clock = Clock()
    block = ExamBlock(collection, collection.blocks.questions(BlockFilter(), 2, seed="t"), time_limit_s=180,
                      clock=clock)
    clock.seconds = 179
    assert not block.time_is_up() and block.remaining_s() == 1
    clock.seconds = 200
    assert block.time_is_up()
    assert block.submit().time_used_s == 180


def test_flags_and_notes_are_kept_with_progress(collection):
    collection.progress.set_flag("calcinosis-cutis/cls-most-common-type", True)
    collection.progress.set_note("calcinosis-cutis/cls-most-common-type", "Medscape: 4 types; others: 5.")
    assert collection.progress.is_flagged("calcinosis-cutis/cls-most-common-type")
    assert collection.progress.note("calcinosis-cutis/cls-most-common-type") == "Medscape: 4 types; others: 5."
    collection.progress.set_flag("calcinosis-cutis/cls-most-common-type", False)
    collection.progress.set_note("calcinosis-cutis/cls-most-common-type", "  ")
    assert not collection.progress.is_flagged("calcinosis-cutis/cls-most-common-type")
    assert collection.progress.note("calcinosis-cutis/cls-most-common-type") == ""
