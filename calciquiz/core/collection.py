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

    def __init__(self, bank_path: Path, progress_path: Path, *, start_fresh: bool = False):
        self.bank = Bank(bank_path)
        try:
            self.progress = ProgressStore(progress_path, start_fresh=start_fresh)
        except BaseException:
            self.bank.close()
            raise
        try:
            # The bank is attached read-only so that schedule queries can join against it.
            self.progress.db.execute("ATTACH DATABASE ? AS bank", [f"{self.bank.path.resolve().as_uri()}?mode=ro"])
        except BaseException:
            self.close()
            raise
        self.progress.answer_listeners.append(self._count_topics)

    def close(self) -> None:
        self.progress.close()
        self.bank.close()

    def _derived_for_bank(self, key: str, statements: list[str]) -> None:
        """Rebuild a table derived from progress and bank, unless it was built for this bank already.

        Such tables are marked with the bank's id in progress_meta; a log rebuild removes the marks.
        """
        db = self.progress.db
        row = db.execute("select value from progress_meta where key = ?", [key]).fetchone()
        if row and row[0] == self.bank.bank_id:
            return
        with db.atomic():
            for statement in statements:
                db.execute(statement)
            db.execute("insert or replace into progress_meta values (?, ?)", [key, self.bank.bank_id])

    def _orphans_current(self) -> None:
        """The scheduled questions missing from this bank (nearly always none)."""
        self._derived_for_bank("orphans_bank", [
            "delete from orphans",
            "insert into orphans select c.question_id from cards c where not exists"
            " (select 1 from bank.questions q where q.id = c.question_id)",
        ])

    def _topics_current(self) -> None:
        """Per-topic totals for this bank; built once, then kept with each answer by _count_topics."""
        self._derived_for_bank("topics_bank", [
            "delete from topic_stats",
            "insert into topic_stats select t.topic, count(*), count(s.question_id),"
            " coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
            " from bank.question_topics t left join question_stats s on s.question_id = t.question_id"
            " group by t.topic",
        ])

    def _count_topics(self, record) -> None:
        row = self.progress.db.execute("select value from progress_meta where key = 'topics_bank'").fetchone()
        if not row or row[0] != self.bank.bank_id:
            return  # not built yet for this bank; the first use builds it from the log
        first = self.progress.db.execute(
            "select answers = 1 from question_stats where question_id = ?", [record.question_id]).fetchone()
        self.progress.db.execute(
            "update topic_stats set seen = seen + ?, answers = answers + 1, correct = correct + ?"
            " where topic in (select topic from bank.question_topics where question_id = ?)",
            [int(bool(first and first[0])), int(record.correct), record.question_id],
        )

    def topic_totals(self) -> list[tuple[str, int, int, int, int]]:
        """(topic, questions, seen, answers, correct) for every topic of the bank."""
        self._topics_current()
        return [tuple(r) for r in self.progress.db.execute("select * from topic_stats order by topic")]

    def due_count(self, until: datetime, after: datetime | None = None) -> int:
        """Scheduled questions of this bank due by `until` (and after `after`): an index range count, less orphans."""
        self._orphans_current()
        db = self.progress.db
        low = to_iso(after) if after is not None else ""
        high = to_iso(until)
        in_range = db.execute("select count(*) from cards where due > ? and due <= ?", [low, high]).fetchone()[0]
        # Driven from the (nearly always empty) orphans table: joined the other way round, SQLite
        # walks the whole due range of cards (128 ms at 100,000 questions instead of 0.06 ms).
        orphaned = db.execute(
            "select count(*) from orphans o where"
            " (select c.due from cards c where c.question_id = o.question_id) > ?"
            " and (select c.due from cards c where c.question_id = o.question_id) <= ?", [low, high]
        ).fetchone()[0]
        return in_range - orphaned

    def seen_count(self) -> int:
        self._orphans_current()
        db = self.progress.db
        return (db.execute("select count(*) from cards").fetchone()[0]
                - db.execute("select count(*) from orphans").fetchone()[0])

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self, now: datetime | None = None) -> StudyCounts:
        now = now or utcnow()
        db = self.progress.db
        due = self.due_count(end_of_local_day(now))
        total = db.execute("select count(*) from bank.questions").fetchone()[0]
        new = total - self.seen_count()
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
