"""The one door to a learner's study: the bank they study from and their progress, by parts.

Screens and the CLI are handed a Collection and use its parts, named in the learner's words
(as Anki's `col.sched`, `col.decks`):

- `col.questions`: the bank's subjects, question sets, questions, documents, passages, search and images
- `col.sched`: what to study next (optionally within one subject), the day's counts (overall or per
  subject), recording an answer or a guess after the fact
- `col.exams`: exam blocks: start, history, reports, blocks a crash left open
- `col.blocks`: custom blocks: count and choose questions by a BlockFilter (subjects, sets,
  "subject/topic" topics, statuses, kinds)
- `col.stats`: the progress screen's figures (overall or per subject)
- `col.flags`, `col.notes`: the learner's flags and notes on questions
- `col.backups`: back up, list, restore
- `col.exchange`: export and import progress
- `col.exports`: export chosen questions (an Anki deck of my flagged questions, of a topic, ...)

`bank`, `progress`, `schedule_store` and `exam_records` are the storage layer under the parts;
nothing above the core reaches them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from calciquiz.core.backups import Backups
from calciquiz.core.bank import Bank, open_checked
from calciquiz.core.bank_questions import BankQuestions
from calciquiz.core.blocks import Blocks
from calciquiz.core.exam import Exams
from calciquiz.core.exam_records import ExamRecords
from calciquiz.core.exchange import Exchange
from calciquiz.core.exporting import Exports
from calciquiz.core.marks import Flags, Notes
from calciquiz.core.progress import ProgressStore
from calciquiz.core.schedule_store import ScheduleStore
from calciquiz.core.scheduling import Scheduling, StudyCounts  # noqa: F401 - StudyCounts is part of the door
from calciquiz.core.stats import Statistics

T = TypeVar("T")


class Collection:
    """Opens a bank and a progress file together; the GUI and the CLI are handed one of these."""

    def __init__(self, bank_path: Path, progress_path: Path, *, start_fresh: bool = False):
        self.bank = Bank(bank_path)
        self.progress_path = Path(progress_path)
        try:
            self._open_progress(start_fresh=start_fresh)
        except BaseException:
            self.bank.close()
            raise
        self.questions = BankQuestions(self)
        self.sched = Scheduling(self)
        self.exams = Exams(self)
        self.blocks = Blocks(self)
        self.stats = Statistics(self)
        self.flags = Flags(self)
        self.notes = Notes(self)
        self.backups = Backups(self)
        self.exchange = Exchange(self)
        self.exports = Exports(self)

    @property
    def bank_path(self) -> Path:
        return self.bank.path

    def _open_progress(self, start_fresh: bool = False) -> None:
        self.progress = ProgressStore(self.progress_path, start_fresh=start_fresh)
        try:
            self.schedule_store = ScheduleStore(self.progress, self.bank)
        except BaseException:
            self.progress.close()
            raise
        self.exam_records = ExamRecords(self.progress)

    def open_bank(self, path: Path) -> None:
        """Study from another bank with the same progress file (File › Open question bank…).

        The bank is checked first (bank.open_checked): one that is missing, outdated, damaged or not a
        bank is refused with a plain message and nothing changes. Progress is keyed by qualified
        question ids, so the other bank's answers and this one's never mix; the tables derived per bank
        are recounted for the new one. The parts stay the same objects.
        """
        new = open_checked(path)
        try:
            self.schedule_store.detach()
        except BaseException:
            new.close()
            raise
        try:
            store = ScheduleStore(self.progress, new)
        except BaseException:
            new.close()
            self.schedule_store = ScheduleStore(self.progress, self.bank)
            raise
        old, self.bank, self.schedule_store = self.bank, new, store
        old.close()

    def reopen_progress(self, change: Callable[[Path], T]) -> T:
        """Close the progress file, let `change` act on the closed file (a restore), then open it again.

        The parts stay the same objects, so whoever holds the collection keeps using it.
        """
        self.progress.close()
        try:
            return change(self.progress_path)
        finally:
            self._open_progress()

    def close(self) -> None:
        self.progress.close()
        self.bank.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
