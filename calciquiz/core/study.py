"""A study session: questions one at a time, answers recorded before feedback is shown."""
from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from calciquiz.core.collection import Collection
from calciquiz.core.progress import ReviewRecord, Schedule, utcnow
from calciquiz.core.questions import Question


@dataclass(frozen=True)
class Presentation:
    """A question as shown: its options in a shuffled order that stays fixed while it is on screen."""

    question: Question
    order: tuple[int, ...]  # order[display_index] == authored option index
    is_new: bool
    shown_at: float

    def authored_index(self, display_index: int) -> int:
        return self.order[display_index]

    def display_index(self, authored_index: int) -> int:
        return self.order.index(authored_index)

    @property
    def correct_display_index(self) -> int:
        return self.display_index(self.question.answer)


@dataclass(frozen=True)
class AnswerOutcome:
    presentation: Presentation
    chosen: int  # authored index
    correct: bool
    guessed: bool
    record: ReviewRecord
    schedule: Schedule


@dataclass
class SessionTally:
    answered: int = 0
    correct: int = 0
    outcomes: list[AnswerOutcome] = field(default_factory=list)


class StudySession:
    """Tutor-mode study: due reviews first, then new questions, immediate feedback."""

    mode = "study"

    def __init__(
        self,
        collection: Collection,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utcnow,
        question_ids: list[str] | None = None,
        subject: str | None = None,
    ):
        self.collection = collection
        # Due-then-new within one subject when given (ignored for a custom block's own questions).
        self.subject = subject
        # A custom block studies exactly these questions, in order, instead of due-then-new.
        self.queue = list(question_ids) if question_ids is not None else None
        self.id = uuid.uuid4().hex
        self.clock = clock
        self.now = now
        self.current: Presentation | None = None
        self.tally = SessionTally()
        self._last_answered: str | None = None

    def next(self) -> Presentation | None:
        """Move to the next question, or None when nothing is due and nothing is new."""
        if self.queue is not None:
            found = (self.queue.pop(0), False) if self.queue else None
        else:
            found = self.collection.sched.next_question(self.now(), avoid=self._last_answered, subject=self.subject)
        if found is None:
            self.current = None
            return None
        question_id, is_new = found
        question = self.collection.questions.question(question_id)
        order = list(range(len(question.options)))
        random.Random(f"{self.id}:{question_id}:{self.tally.answered}").shuffle(order)
        self.current = Presentation(question, tuple(order), is_new, self.clock())
        return self.current

    def answer(self, display_index: int, *, guessed: bool = False) -> AnswerOutcome:
        """Record the answer durably, then return what the feedback should show."""
        presentation = self.current
        if presentation is None:
            raise RuntimeError("no question is on screen")
        if not 0 <= display_index < len(presentation.order):
            raise ValueError(f"option {display_index + 1} does not exist")
        chosen = presentation.authored_index(display_index)
        correct = chosen == presentation.question.answer
        elapsed_ms = int((self.clock() - presentation.shown_at) * 1000)
        record, schedule = self.collection.sched.record_answer(
            presentation.question.id, chosen, correct, guessed=guessed, time_taken_ms=elapsed_ms,
            mode=self.mode, session_id=self.id, shown_order=",".join(map(str, presentation.order)),
            answered_at=self.now(),
        )
        outcome = AnswerOutcome(presentation, chosen, correct, guessed, record, schedule)
        self.tally.answered += 1
        self.tally.correct += int(correct)
        self.tally.outcomes.append(outcome)
        self._last_answered = presentation.question.id
        return outcome
