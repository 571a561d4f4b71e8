"""Exam blocks left open by a crash are listed, and can be finished (counted once) or discarded, never lost."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.exam import ExamBlock, LeftBehindBlock
from calciquiz.core.progress import to_iso

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LATER = T0 + timedelta(hours=1)
NEXT_DAY = T0 + timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def cards(progress_path: Path) -> list[tuple]:
    conn = sqlite3.connect(progress_path)
    rows = conn.execute("select * from cards order by question_id").fetchall()
    conn.close()
    return rows


@pytest.fixture
def paths(bank_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    return bank_copy, tmp_path / "progress.sqlite"


def crashed_block(paths: tuple[Path, Path]) -> tuple[str, list[str], list[bool]]:
    """A 5-question block with answers to questions 1, 2 and 4 and a study answer after it, left open."""
    collection = Collection(*paths)
    ids = collection.blocks.questions(BlockFilter(), 5, seed="crash")
    clock = Clock()
    block = ExamBlock(collection, ids, time_limit_s=450, description="all topics", clock=clock, now=lambda: T0)
    right = []
    for position, display in ((0, 0), (1, 1), (3, 2)):
        clock.seconds += 20
        block.go_to(position)
        block.choose(display)
        right.append(block.item.correct)
    block.toggle_mark()
    clock.seconds += 20
    block.go_to(4)  # leaving question 4 stores its time
    # Studying the first question again after the block began, before the crash.
    collection.progress.record_answer(ids[0], 0, True, answered_at=LATER)
    collection.close()  # the process dies: the block is neither submitted nor discarded
    return block.id, ids, right


def test_a_block_left_open_is_listed_with_its_counts_on_reopening(paths):
    block_id, ids, _ = crashed_block(paths)
    with Collection(*paths) as collection:
        # Neither a block with no answers nor a finished block is offered.
        empty = ExamBlock(collection, ids[:2], time_limit_s=180)
        finished = ExamBlock(collection, ids[:2], time_limit_s=180)
        finished.choose(0)
        finished.submit()
        assert collection.exams.left_behind(on_screen=[empty.id]) == [
            LeftBehindBlock(block_id, to_iso(T0), "all topics", questions=5, answered=3)]
        assert collection.exams.left_behind() == collection.exams.left_behind(on_screen=[empty.id])


def test_finishing_a_left_behind_block_counts_its_answers_once(paths):
    block_id, ids, right = crashed_block(paths)
    with Collection(*paths) as collection:
        assert collection.exams.finish_left_behind(block_id, now=NEXT_DAY) == 3
        assert collection.exams.finish_left_behind(block_id, now=NEXT_DAY) == 0  # a second call counts nothing
        exam_rows = [(r.question_id, r.mode, r.session_id, r.answered_at, r.correct)
                     for r in collection.progress.reviews() if r.mode == "exam"]
        assert sorted(exam_rows) == sorted(
            (ids[p], "exam", block_id, to_iso(NEXT_DAY), ok) for p, ok in zip((0, 1, 3), right))
        assert collection.progress.review_count() == 4  # the study answer and three exam answers
        assert collection.exams.left_behind() == []
        report = collection.exams.report(block_id)
        assert [i.chosen is not None for i in report.items] == [True, True, False, True, False]
        assert report.items[3].marked
        assert report.time_used_s == 80  # the time spent on the questions, as stored before the crash
        (entry,) = collection.exams.history()
        assert (entry["id"], entry["total"], entry["correct"]) == (block_id, 5, sum(right))
        linked = collection.progress.db.execute(
            "select count(*) from exam_answers a join reviews r on r.id = a.review_id where a.block_id = ?",
            [block_id]).fetchone()[0]
        assert linked == 3
    # The schedule kept answer by answer is the one a replay of the whole log gives.
    kept = cards(paths[1])
    with Collection(*paths) as collection:
        collection.progress.rebuild_schedule()
    assert cards(paths[1]) == kept


def test_a_discarded_block_is_kept_but_never_offered_or_counted(paths):
    block_id, _, _ = crashed_block(paths)
    with Collection(*paths) as collection:
        assert collection.exams.discard(block_id) is True
        assert collection.exams.discard(block_id) is False
        assert collection.exams.finish_left_behind(block_id) == 0
        assert collection.exams.left_behind() == []
        assert collection.exams.history() == []
        assert [r.mode for r in collection.progress.reviews()] == ["study"]
    conn = sqlite3.connect(paths[1])
    assert conn.execute("select state from exam_blocks where id = ?", [block_id]).fetchall() == [("discarded",)]
    chosen = conn.execute("select count(chosen) from exam_answers where block_id = ?", [block_id]).fetchone()[0]
    assert chosen == 3  # its answers stay on record
    conn.close()


def test_the_block_on_screen_is_not_offered_and_is_never_counted_twice(paths):
    with Collection(*paths) as collection:
        ids = collection.blocks.questions(BlockFilter(), 3, seed="live")
        block = ExamBlock(collection, ids, time_limit_s=270)
        block.choose(1)
        assert collection.exams.left_behind(on_screen=[block.id]) == []
        assert [b.id for b in collection.exams.left_behind()] == [block.id]
        assert collection.exams.finish_left_behind(block.id) == 1
        report = block.submit()  # the screen submits it afterwards: nothing is logged again
        assert collection.progress.review_count() == 1
        assert report.total == 3 and report.omitted == 2


def test_unknown_blocks_are_named_in_the_error(paths):
    with Collection(*paths) as collection:
        with pytest.raises(KeyError, match="no-such-block"):
            collection.exams.finish_left_behind("no-such-block")
        with pytest.raises(KeyError, match="no-such-block"):
            collection.exams.discard("no-such-block")


def test_a_block_left_behind_with_another_bank_open_waits_for_its_own_bank(paths, tmp_path):
    """Offered with a bank that holds none of its questions, 'Finish and count it' counted nothing and
    closed the block for good: its chosen answers never reached the review log. It waits for its bank."""
    from calciquiz.core.bank import build_bank
    from tests.helpers import FIXTURE_SUBJECTS

    block_id, _, _ = crashed_block(paths)
    wounds = tmp_path / "wounds.sqlite"
    build_bank([FIXTURE_SUBJECTS / "wound-healing"], wounds)
    with Collection(wounds, paths[1]) as collection:
        assert collection.exams.left_behind() == []
    with Collection(*paths) as collection:
        assert [b.id for b in collection.exams.left_behind()] == [block_id]
        assert collection.exams.finish_left_behind(block_id) == 3
