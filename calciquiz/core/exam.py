"""Timed exam blocks: free movement, marks and changed answers until submission, then a score report.

Every choice is stored as it is made (exam_answers), so a block survives a crash; on submission
each answered question goes into the review log and the schedule like any other answer.
A block a crash left open is offered back on the next start (open_blocks), to be finished and
counted (finish_left_behind) or discarded (discard); either way its rows are kept.
"""
from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from calciquiz.core.collection import Collection
from calciquiz.core.progress import to_iso, utcnow
from calciquiz.core.questions import Question

DEFAULT_QUESTIONS = 20
DEFAULT_SECONDS_PER_QUESTION = 90


@dataclass
class ExamItem:
    question: Question
    order: tuple[int, ...]  # order[display_index] == authored option index
    chosen: int | None = None  # authored option index
    marked: bool = False
    time_ms: int = 0
    struck: set[int] = field(default_factory=set)  # display indexes ruled out while in the block

    @property
    def chosen_display(self) -> int | None:
        return None if self.chosen is None else self.order.index(self.chosen)

    @property
    def correct(self) -> bool:
        return self.chosen == self.question.answer


@dataclass(frozen=True)
class TopicScore:
    topic: str
    correct: int
    total: int


@dataclass
class ExamReport:
    block_id: str
    description: str
    created_at: str
    time_limit_s: int
    time_used_s: float
    items: list[ExamItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def correct(self) -> int:
        return sum(item.correct for item in self.items)

    @property
    def omitted(self) -> int:
        return sum(item.chosen is None for item in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    def by_topic(self) -> list[TopicScore]:
        scores: dict[str, list[int]] = {}
        for item in self.items:
            for topic in item.question.topics:
                entry = scores.setdefault(topic, [0, 0])
                entry[0] += int(item.correct)
                entry[1] += 1
        return [TopicScore(t, c, n) for t, (c, n) in sorted(scores.items())]


class ExamBlock:
    """An exam block in progress."""

    def __init__(
        self,
        collection: Collection,
        question_ids: list[str],
        *,
        time_limit_s: int,
        description: str = "",
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utcnow,
    ):
        if not question_ids:
            raise ValueError("an exam block needs at least one question")
        self.collection = collection
        self.id = uuid.uuid4().hex
        self.clock = clock
        self.now = now
        self.time_limit_s = int(time_limit_s)
        self.description = description
        self.items = []
        for question_id in question_ids:
            question = collection.bank.question(question_id)
            order = list(range(len(question.options)))
            random.Random(f"{self.id}:{question_id}").shuffle(order)
            self.items.append(ExamItem(question, tuple(order)))
        self.current = 0
        self.started = clock()
        self._entered = self.started
        self.submitted: ExamReport | None = None
        db = collection.progress.db
        with db.atomic():
            db["exam_blocks"].insert({
                "id": self.id, "created_at": to_iso(now()), "finished_at": None, "time_limit_s": self.time_limit_s,
                "time_used_s": 0.0, "question_ids": json.dumps(question_ids), "description": description,
                "state": "open",
            })
            db["exam_answers"].insert_all(
                {"block_id": self.id, "position": i, "question_id": item.question.id, "chosen": None, "marked": 0,
                 "shown_order": ",".join(map(str, item.order)), "time_ms": 0, "review_id": None}
                for i, item in enumerate(self.items)
            )

    @property
    def item(self) -> ExamItem:
        return self.items[self.current]

    def elapsed_s(self) -> float:
        return self.clock() - self.started

    def remaining_s(self) -> float:
        return max(0.0, self.time_limit_s - self.elapsed_s())

    def time_is_up(self) -> bool:
        return self.remaining_s() <= 0

    def go_to(self, index: int) -> ExamItem:
        if not 0 <= index < len(self.items):
            raise IndexError(index)
        self._leave_current()
        self.current = index
        return self.item

    def _leave_current(self) -> None:
        now = self.clock()
        self.item.time_ms += int((now - self._entered) * 1000)
        self._entered = now
        self._store(self.current)

    def choose(self, display_index: int) -> None:
        """Choose (or change) the answer to the question on screen."""
        self._require_open()
        item = self.item
        if not 0 <= display_index < len(item.order):
            raise ValueError(f"option {display_index + 1} does not exist")
        item.chosen = item.order[display_index]
        self._store(self.current)

    def toggle_mark(self) -> bool:
        self._require_open()
        self.item.marked = not self.item.marked
        self._store(self.current)
        return self.item.marked

    def _require_open(self) -> None:
        if self.submitted is not None:
            raise RuntimeError("the block has been submitted")

    def _store(self, index: int) -> None:
        item = self.items[index]
        self.collection.progress.db.execute(
            "update exam_answers set chosen = ?, marked = ?, time_ms = ? where block_id = ? and position = ?",
            [item.chosen, int(item.marked), item.time_ms, self.id, index],
        )

    def submit(self) -> ExamReport:
        """End the block: log every answered question (mode 'exam') and return the score report."""
        if self.submitted is not None:
            return self.submitted
        self._leave_current()
        _finish(self.collection, self.id, self.now(), min(self.elapsed_s(), float(self.time_limit_s)))
        self.submitted = load_report(self.collection, self.id)
        return self.submitted


def _finish(collection: Collection, block_id: str, moment: datetime, used_s: float) -> int:
    """Log the block's stored answers and mark it finished, in one transaction; how many answers were logged.

    Only an open block is finished, so a block is never counted twice (nor a discarded one counted).
    """
    progress = collection.progress
    db = progress.db
    with db.atomic():
        changed = db.execute(
            "update exam_blocks set state = 'finished', finished_at = ?, time_used_s = ?"
            " where id = ? and state = 'open'",
            [to_iso(moment), used_s, block_id],
        ).rowcount
        if not changed:
            return 0
        logged = 0
        answers = db.execute(
            "select position, question_id, chosen, time_ms, shown_order from exam_answers"
            " where block_id = ? and chosen is not null order by position", [block_id]).fetchall()
        for position, question_id, chosen, time_ms, shown_order in answers:
            try:
                question = collection.bank.question(question_id)
            except KeyError:
                continue  # left the bank since: its right answer is unknown; the choice stays in exam_answers
            record, _ = progress.record_answer(
                question_id, chosen, chosen == question.answer, time_taken_ms=time_ms or 0, mode="exam",
                session_id=block_id, shown_order=shown_order or "", answered_at=moment,
            )
            db.execute("update exam_answers set review_id = ? where block_id = ? and position = ?",
                       [record.id, block_id, position])
            logged += 1
    if logged:
        progress.reviews_committed()  # the seal beside the file now counts these answers too
    return logged


@dataclass(frozen=True)
class LeftBehindBlock:
    """An exam block started but neither submitted nor discarded (a crash or a quit left it open)."""
    id: str
    created_at: str
    description: str
    questions: int
    answered: int


def open_blocks(collection: Collection, on_screen: Iterable[str] = ()) -> list[LeftBehindBlock]:
    """Blocks left open with at least one answer, oldest first, except those still on screen.

    A block with no answer holds nothing to count or lose, so offering it would only be noise.
    """
    keep = set(on_screen)
    rows = collection.progress.db.execute(
        "select b.id, b.created_at, b.description, count(a.position), count(a.chosen)"
        " from exam_blocks b join exam_answers a on a.block_id = b.id"
        " where b.state = 'open' group by b.id having count(a.chosen) > 0 order by b.created_at, b.id"
    ).fetchall()
    return [LeftBehindBlock(r[0], r[1], r[2] or "", questions=r[3], answered=r[4]) for r in rows if r[0] not in keep]


def _require_block(collection: Collection, block_id: str) -> None:
    if collection.progress.db.execute("select 1 from exam_blocks where id = ?", [block_id]).fetchone() is None:
        raise KeyError(f"no exam block {block_id}")


def finish_left_behind(collection: Collection, block_id: str, now: datetime | None = None) -> int:
    """Finish a left-behind block as a submission would; how many answers were counted (0 if not open).

    The answers are logged at the moment of finishing: when each was chosen is not stored, and a
    moment in the past could fall before answers logged since, so the schedule kept answer by
    answer would no longer be the one a replay of the log gives.
    """
    _require_block(collection, block_id)
    limit, spent_ms = collection.progress.db.execute(
        "select b.time_limit_s, coalesce(sum(a.time_ms), 0) from exam_blocks b"
        " join exam_answers a on a.block_id = b.id where b.id = ?", [block_id]).fetchone()
    # The time spent on each question is stored as it is left; the clock of the lost session is not.
    used_s = min(spent_ms / 1000, float(limit))
    return _finish(collection, block_id, now or utcnow(), used_s)


def discard(collection: Collection, block_id: str, now: datetime | None = None) -> bool:
    """Set a left-behind block aside: kept on record, never offered or counted again; False if not open."""
    _require_block(collection, block_id)
    return bool(collection.progress.db.execute(
        "update exam_blocks set state = 'discarded', finished_at = ? where id = ? and state = 'open'",
        [to_iso(now or utcnow()), block_id]).rowcount)


def load_report(collection: Collection, block_id: str) -> ExamReport:
    """The report of a finished block, rebuilt from what was stored (for the block history)."""
    db = collection.progress.db
    block = next(db.query("select * from exam_blocks where id = ?", [block_id]), None)
    if block is None:
        raise KeyError(block_id)
    report = ExamReport(block_id, block["description"] or "", block["created_at"], block["time_limit_s"],
                        block["time_used_s"] or 0.0)
    for row in db.query("select * from exam_answers where block_id = ? order by position", [block_id]):
        try:
            question = collection.bank.question(row["question_id"])
        except KeyError:
            continue  # the question has left the bank; its review history stays in the log
        order = tuple(int(i) for i in row["shown_order"].split(","))
        report.items.append(ExamItem(question, order, row["chosen"], bool(row["marked"]), row["time_ms"] or 0))
    return report


def history(collection: Collection) -> list[dict]:
    """Finished blocks, newest first: id, when, description, score."""
    rows = collection.progress.db.execute(
        "select b.id, b.created_at, b.description, b.time_used_s, count(a.position),"
        " sum(case when a.chosen is not null and a.chosen = q.answer then 1 else 0 end)"
        " from exam_blocks b join exam_answers a on a.block_id = b.id"
        " left join bank.questions q on q.id = a.question_id"
        " where b.state = 'finished' group by b.id order by b.created_at desc"
    ).fetchall()
    return [{"id": r[0], "created_at": r[1], "description": r[2] or "", "time_used_s": r[3] or 0.0,
             "total": r[4], "correct": r[5] or 0} for r in rows]
