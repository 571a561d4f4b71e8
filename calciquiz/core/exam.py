"""Timed exam blocks: free movement, marks and changed answers until submission, then a score report.

Every choice is stored as it is made (exam_answers), so a block survives a crash; on submission
each answered question goes into the review log and the schedule like any other answer.
A block a crash left open is offered back on the next start (open_blocks), to be finished and
counted (finish_left_behind) or discarded (discard); either way its rows are kept.
"""
from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from calciquiz.core.progress import utcnow
from calciquiz.core.questions import Question

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection

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
    topic: str  # the topic's name in its subject's taxonomy
    correct: int
    total: int
    subject: str = ""  # the subject's id: two subjects may both have a topic of this name


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
        """Right and total per topic, keyed by (subject, topic), so two subjects' "treatment" stay apart."""
        scores: dict[tuple[str, str], list[int]] = {}
        for item in self.items:
            for topic in item.question.topics:
                entry = scores.setdefault((item.question.subject, topic), [0, 0])
                entry[0] += int(item.correct)
                entry[1] += 1
        return [TopicScore(t, c, n, s) for (s, t), (c, n) in sorted(scores.items())]

    @property
    def subjects(self) -> list[str]:
        """The subjects the block's questions come from, in the order they first appear."""
        return list(dict.fromkeys(item.question.subject for item in self.items))


class ExamBlock:
    """An exam block in progress (started by Exams.start)."""

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
            question = collection.questions.question(question_id)
            order = list(range(len(question.options)))
            random.Random(f"{self.id}:{question_id}").shuffle(order)
            self.items.append(ExamItem(question, tuple(order)))
        self.current = 0
        self.started = clock()
        self._entered = self.started
        self.submitted: ExamReport | None = None
        collection.exam_records.create(self.id, now(), self.time_limit_s, description,
                                       [(item.question.id, ",".join(map(str, item.order))) for item in self.items])

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
        self.collection.exam_records.store_item(self.id, index, item.chosen, item.marked, item.time_ms)

    def submit(self) -> ExamReport:
        """End the block: log every answered question (mode 'exam') and return the score report."""
        if self.submitted is not None:
            return self.submitted
        self._leave_current()
        exams = self.collection.exams
        exams.finish(self.id, self.now(), min(self.elapsed_s(), float(self.time_limit_s)))
        self.submitted = exams.report(self.id)
        return self.submitted


@dataclass(frozen=True)
class LeftBehindBlock:
    """An exam block started but neither submitted nor discarded (a crash or a quit left it open)."""
    id: str
    created_at: str
    description: str
    questions: int
    answered: int


class Exams:
    """The collection's exam blocks: start one, the history of finished ones, their reports, and the
    blocks a crash left open (offered back on the next start: finish and count, or discard)."""

    def __init__(self, collection: Collection):
        self.collection = collection

    @property
    def _records(self):
        return self.collection.exam_records

    def start(self, question_ids: list[str], *, time_limit_s: int, description: str = "",
              clock: Callable[[], float] = time.monotonic, now: Callable[[], datetime] = utcnow) -> ExamBlock:
        return ExamBlock(self.collection, question_ids, time_limit_s=time_limit_s, description=description,
                         clock=clock, now=now)

    def _right_answer(self, question_id: str) -> int | None:
        try:
            return self.collection.questions.question(question_id).answer
        except KeyError:
            return None  # left the bank since: its right answer is unknown

    def finish(self, block_id: str, moment: datetime, used_s: float) -> int:
        """Log an open block's stored answers and mark it finished; how many answers were logged."""
        return self._records.finish(block_id, moment, used_s, self._right_answer)

    def left_behind(self, on_screen: Iterable[str] = ()) -> list[LeftBehindBlock]:
        """Blocks left open with at least one answer, oldest first, except those still on screen.

        A block with no answer holds nothing to count or lose, so offering it would only be noise.
        """
        return [LeftBehindBlock(r[0], r[1], r[2] or "", questions=r[3], answered=r[4])
                for r in self._records.open_blocks(on_screen)]

    def _require_block(self, block_id: str) -> None:
        if not self._records.exists(block_id):
            raise KeyError(f"no exam block {block_id}")

    def finish_left_behind(self, block_id: str, now: datetime | None = None) -> int:
        """Finish a left-behind block as a submission would; how many answers were counted (0 if not open).

        The answers are logged at the moment of finishing: when each was chosen is not stored, and a
        moment in the past could fall before answers logged since, so the schedule kept answer by
        answer would no longer be the one a replay of the log gives.
        """
        self._require_block(block_id)
        limit, spent_ms = self._records.time_spent(block_id)
        # The time spent on each question is stored as it is left; the clock of the lost session is not.
        return self.finish(block_id, now or utcnow(), min(spent_ms / 1000, float(limit)))

    def discard(self, block_id: str, now: datetime | None = None) -> bool:
        """Set a left-behind block aside: kept on record, never offered or counted again; False if not open."""
        self._require_block(block_id)
        return self._records.discard(block_id, now or utcnow())

    def report(self, block_id: str) -> ExamReport:
        """The report of a finished block, rebuilt from what was stored (for the block history)."""
        block = self._records.block(block_id)
        if block is None:
            raise KeyError(block_id)
        report = ExamReport(block_id, block["description"] or "", block["created_at"], block["time_limit_s"],
                            block["time_used_s"] or 0.0)
        for row in self._records.answers(block_id):
            try:
                question = self.collection.questions.question(row["question_id"])
            except KeyError:
                continue  # the question has left the bank; its review history stays in the log
            order = tuple(int(i) for i in row["shown_order"].split(","))
            report.items.append(ExamItem(question, order, row["chosen"], bool(row["marked"]), row["time_ms"] or 0))
        return report

    def history(self) -> list[dict]:
        """Finished blocks, newest first: id, when, description, score."""
        return self._records.finished()
