"""The one door to a learner's study: the bank they study from and their progress."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from calciquiz.core import blocks
from calciquiz.core.bank import Bank
from calciquiz.core.progress import ProgressStore, to_iso, utcnow

# A question due within this many minutes may be shown early when nothing else is left,
# as Anki does with its learn-ahead limit, so a session does not stall on a 1-minute step.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class StudyCounts:
    due_today: int
    new: int
    total: int
    answered_today: int


def end_of_local_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return datetime.combine(local.date(), time.max, tzinfo=local.tzinfo)


def start_of_local_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)


class Collection:
    """Opens a bank and a progress file together; the GUI and the CLI are handed one of these."""

    def __init__(self, bank_path: Path, progress_path: Path):
        self.bank = Bank(bank_path)
        try:
            self.progress = ProgressStore(progress_path)
        except BaseException:
            self.bank.close()
            raise
        try:
            # The bank is attached read-only so that schedule queries can join against it.
            self.progress.db.execute("ATTACH DATABASE ? AS bank", [f"{self.bank.path.resolve().as_uri()}?mode=ro"])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.progress.close()
        self.bank.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self, now: datetime | None = None) -> StudyCounts:
        now = now or utcnow()
        db = self.progress.db
        due = db.execute(
            "select count(*) from cards c join bank.questions q on q.id = c.question_id where c.due <= ?",
            [to_iso(end_of_local_day(now))],
        ).fetchone()[0]
        new = db.execute(
            "select count(*) from bank.questions q where not exists"
            " (select 1 from main.cards c where c.question_id = q.id)"
        ).fetchone()[0]
        total = db.execute("select count(*) from bank.questions").fetchone()[0]
        answered = db.execute(
            "select count(*) from reviews where answered_at >= ?", [to_iso(start_of_local_day(now))]
        ).fetchone()[0]
        return StudyCounts(due_today=due, new=new, total=total, answered_today=answered)

    def next_question_id(self, now: datetime | None = None, avoid: str | None = None) -> tuple[str, bool] | None:
        """The next question to study: (id, is_new). Due reviews first, then new questions."""
        now = now or utcnow()
        db = self.progress.db
        due_sql = (
            "select c.question_id from cards c join bank.questions q on q.id = c.question_id"
            " where c.due <= ? and c.question_id != ? order by c.due limit 1"
        )
        row = db.execute(due_sql, [to_iso(now), avoid or ""]).fetchone()
        if row:
            return row[0], False
        row = db.execute(
            "select q.id from bank.questions q where not exists"
            " (select 1 from main.cards c where c.question_id = q.id) order by q.new_rank limit 1"
        ).fetchone()
        if row:
            return row[0], True
        row = db.execute(due_sql, [to_iso(now + LEARN_AHEAD), avoid or ""]).fetchone()
        if row:
            return row[0], False
        if avoid:
            row = db.execute(due_sql, [to_iso(now + LEARN_AHEAD), ""]).fetchone()
            if row:
                return row[0], False
        return None

    def topics(self) -> list[tuple[str, int]]:
        """Each topic in the bank with its number of questions."""
        return [tuple(r) for r in self.progress.db.execute(
            "select topic, count(*) from bank.question_topics group by topic order by topic")]

    def count_block(self, block_filter: blocks.BlockFilter, now: datetime | None = None) -> int:
        return blocks.count_matching(self.progress.db, block_filter, now or utcnow())

    def block_questions(self, block_filter: blocks.BlockFilter, limit: int, seed: str,
                        now: datetime | None = None) -> list[str]:
        return blocks.select_questions(self.progress.db, block_filter, now or utcnow(), limit, seed)
