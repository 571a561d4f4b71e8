"""The one door to a learner's study: the bank they study from and their progress."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from calciquiz.core import blocks
from calciquiz.core.bank import Bank, SubjectInfo
from calciquiz.core.progress import ProgressStore, to_iso, utcnow
from calciquiz.core.subjects import id_range

# A question due within this many minutes may be shown early when nothing else is left,
# as Anki does with its learn-ahead limit, so a session does not stall on a 1-minute step.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class StudyCounts:
    due_today: int
    new: int
    total: int
    answered_today: int
    answers: int = 0  # every answer ever given to the questions counted here
    correct: int = 0

    @property
    def percent(self) -> float | None:
        """Percent of answers that were right; None before the first answer."""
        return 100.0 * self.correct / self.answers if self.answers else None


def _within(subject: str | None, column: str = "question_id") -> tuple[str, list[str]]:
    """An SQL condition (and its arguments) keeping a subject's qualified ids: a range of the index, no join."""
    if not subject:
        return "1", []
    return f"{column} >= ? and {column} < ?", list(id_range(subject))


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
            # Keyed "<subject>/<topic>": two subjects may both have a topic called "treatment".
            "insert into topic_stats select q.subject_id || '/' || t.topic, count(*), count(s.question_id),"
            " coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
            " from bank.question_topics t join bank.questions q on q.id = t.question_id"
            " left join question_stats s on s.question_id = t.question_id"
            " group by q.subject_id, t.topic",
        ])

    def _count_topics(self, record) -> None:
        row = self.progress.db.execute("select value from progress_meta where key = 'topics_bank'").fetchone()
        if not row or row[0] != self.bank.bank_id:
            return  # not built yet for this bank; the first use builds it from the log
        first = self.progress.db.execute(
            "select answers = 1 from question_stats where question_id = ?", [record.question_id]).fetchone()
        self.progress.db.execute(
            "update topic_stats set seen = seen + ?, answers = answers + 1, correct = correct + ?"
            " where topic in (select q.subject_id || '/' || t.topic from bank.question_topics t"
            " join bank.questions q on q.id = t.question_id where t.question_id = ?)",
            [int(bool(first and first[0])), int(record.correct), record.question_id],
        )

    def topic_totals(self, subject: str | None = None) -> list[tuple[str, int, int, int, int]]:
        """(subject/topic, questions, seen, answers, correct) for every topic of the bank (or of one subject)."""
        self._topics_current()
        where, args = _within(subject, "topic")
        return [tuple(r) for r in self.progress.db.execute(
            f"select * from topic_stats where {where} order by topic", args)]

    def subjects(self) -> list[SubjectInfo]:
        """The bank's subjects with their titles and topics."""
        return self.bank.subjects()

    def due_count(self, until: datetime, after: datetime | None = None, subject: str | None = None) -> int:
        """Scheduled questions of this bank (or subject) due by `until` (and after `after`), less orphans."""
        self._orphans_current()
        db = self.progress.db
        low = to_iso(after) if after is not None else ""
        high = to_iso(until)
        within, ids = _within(subject)
        if subject:
            # A subject's cards are a range of the primary key; each is then checked for its due date.
            in_range = db.execute(f"select count(*) from cards where {within} and due > ? and due <= ?",
                                  [*ids, low, high]).fetchone()[0]
        else:
            in_range = db.execute("select count(*) from cards where due > ? and due <= ?", [low, high]).fetchone()[0]
        # Driven from the (nearly always empty) orphans table: joined the other way round, SQLite
        # walks the whole due range of cards (128 ms at 100,000 questions instead of 0.06 ms).
        orphaned = db.execute(
            f"select count(*) from orphans o where {_within(subject, 'o.question_id')[0]} and"
            " (select c.due from cards c where c.question_id = o.question_id) > ?"
            " and (select c.due from cards c where c.question_id = o.question_id) <= ?", [*ids, low, high]
        ).fetchone()[0]
        return in_range - orphaned

    def seen_count(self, subject: str | None = None) -> int:
        self._orphans_current()
        db = self.progress.db
        within, ids = _within(subject)
        return (db.execute(f"select count(*) from cards where {within}", ids).fetchone()[0]
                - db.execute(f"select count(*) from orphans where {within}", ids).fetchone()[0])

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self, now: datetime | None = None, subject: str | None = None) -> StudyCounts:
        """Due today, new, total, answered today and percent correct, for the bank or one subject."""
        now = now or utcnow()
        db = self.progress.db
        due = self.due_count(end_of_local_day(now), subject=subject)
        total = self.bank.question_count(subject)
        new = total - self.seen_count(subject)
        within, ids = _within(subject)
        answered = db.execute(
            f"select count(*) from reviews where {within} and answered_at >= ?",
            [*ids, to_iso(start_of_local_day(now))]).fetchone()[0]
        # From the totals kept with each answer, less the questions that have left this bank.
        answers, correct = db.execute(
            f"select coalesce(sum(answers), 0), coalesce(sum(correct), 0) from question_stats s where {within}"
            " and not exists (select 1 from orphans o where o.question_id = s.question_id)", ids).fetchone()
        return StudyCounts(due_today=due, new=new, total=total, answered_today=answered, answers=answers,
                           correct=correct)

    def subject_counts(self, now: datetime | None = None) -> list[tuple[SubjectInfo, StudyCounts]]:
        """Each subject of the bank with its counts, in the bank's order."""
        now = now or utcnow()
        return [(subject, self.counts(now, subject.id)) for subject in self.subjects()]

    def next_question_id(self, now: datetime | None = None, avoid: str | None = None,
                         subject: str | None = None) -> tuple[str, bool] | None:
        """The next question to study (within one subject if given): (id, is_new). Due reviews first, then new."""
        now = now or utcnow()
        db = self.progress.db
        within, ids = _within(subject, "c.question_id")
        due_sql = (
            "select c.question_id from cards c join bank.questions q on q.id = c.question_id"
            f" where {within} and c.due <= ? and c.question_id != ? order by c.due limit 1"
        )
        row = db.execute(due_sql, [*ids, to_iso(now), avoid or ""]).fetchone()
        if row:
            return row[0], False
        new_where, new_args = ("q.subject_id = ? and", [subject]) if subject else ("", [])
        row = db.execute(
            f"select q.id from bank.questions q where {new_where} not exists"
            " (select 1 from main.cards c where c.question_id = q.id) order by q.new_rank limit 1", new_args
        ).fetchone()
        if row:
            return row[0], True
        row = db.execute(due_sql, [*ids, to_iso(now + LEARN_AHEAD), avoid or ""]).fetchone()
        if row:
            return row[0], False
        if avoid:
            row = db.execute(due_sql, [*ids, to_iso(now + LEARN_AHEAD), ""]).fetchone()
            if row:
                return row[0], False
        return None

    def topics(self, subject: str | None = None) -> list[tuple[str, int]]:
        """Each topic as "<subject>/<topic>" with its number of questions, in each subject's own order."""
        where, args = ("where q.subject_id = ?", [subject]) if subject else ("", [])
        return [tuple(r) for r in self.progress.db.execute(
            "select q.subject_id || '/' || t.topic, count(*) from bank.question_topics t"
            " join bank.questions q on q.id = t.question_id"
            " join bank.subject_topics st on st.subject_id = q.subject_id and st.topic = t.topic"
            " join bank.subjects s on s.id = q.subject_id"
            f" {where} group by q.subject_id, t.topic order by min(s.position), min(st.position)", args)]

    def count_block(self, block_filter: blocks.BlockFilter, now: datetime | None = None) -> int:
        return blocks.count_matching(self.progress.db, block_filter, now or utcnow())

    def block_questions(self, block_filter: blocks.BlockFilter, limit: int, seed: str,
                        now: datetime | None = None) -> list[str]:
        return blocks.select_questions(self.progress.db, block_filter, now or utcnow(), limit, seed)
