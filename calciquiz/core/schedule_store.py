"""The progress file read against the bank it is studied from (attached read-only as `bank`).

Storage layer, beside ProgressStore: due counts, the next question, custom-block queries and the
figures of the progress screen, with the two tables derived per bank (questions missing from the
bank, per-topic totals). The Collection's parts call these; nothing else runs this SQL.

Every count and choice can be kept to one subject: a subject's qualified ids ("<subject>/<id>")
are one range of each table's question-id index, so no join with the bank is needed for that.
"""
from __future__ import annotations

from datetime import datetime

from calciquiz.core import blocks
from calciquiz.core.bank import Bank
from calciquiz.core.progress import ProgressStore, ReviewRecord, to_iso
from calciquiz.core.subjects import id_range


def _within(subject: str | None, column: str = "question_id") -> tuple[str, list[str]]:
    """An SQL condition (and its arguments) keeping a subject's qualified ids: a range of the index, no join."""
    if not subject:
        return "1", []
    return f"{column} >= ? and {column} < ?", list(id_range(subject))


class ScheduleStore:
    def __init__(self, progress: ProgressStore, bank: Bank):
        self.progress, self.bank = progress, bank
        self.db = progress.db
        # The bank is attached read-only so that schedule queries can join against it.
        self.db.execute("ATTACH DATABASE ? AS bank", [f"{bank.path.resolve().as_uri()}?mode=ro"])
        progress.answer_listeners.append(self._count_topics)
        # The bank does not change while it is open, so its size (and each subject's) is counted once.
        self._question_totals: dict[str | None, int] = {}

    def detach(self) -> None:
        """Let go of the bank (before another bank is opened with the same progress)."""
        self.db.execute("DETACH DATABASE bank")
        if self._count_topics in self.progress.answer_listeners:
            self.progress.answer_listeners.remove(self._count_topics)

    def _derived_for_bank(self, key: str, statements: list[str]) -> None:
        """Rebuild a table derived from progress and bank, unless it was built for this bank already.

        Such tables are marked with the bank's id in progress_meta; a log rebuild removes the marks.
        """
        row = self.db.execute("select value from progress_meta where key = ?", [key]).fetchone()
        if row and row[0] == self.bank.bank_id:
            return
        with self.db.atomic():
            for statement in statements:
                self.db.execute(statement)
            self.db.execute("insert or replace into progress_meta values (?, ?)", [key, self.bank.bank_id])

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

    def _count_topics(self, record: ReviewRecord) -> None:
        row = self.db.execute("select value from progress_meta where key = 'topics_bank'").fetchone()
        if not row or row[0] != self.bank.bank_id:
            return  # not built yet for this bank; the first use builds it from the log
        first = self.db.execute(
            "select answers = 1 from question_stats where question_id = ?", [record.question_id]).fetchone()
        self.db.execute(
            "update topic_stats set seen = seen + ?, answers = answers + 1, correct = correct + ?"
            " where topic in (select q.subject_id || '/' || t.topic from bank.question_topics t"
            " join bank.questions q on q.id = t.question_id where t.question_id = ?)",
            [int(bool(first and first[0])), int(record.correct), record.question_id],
        )

    def topic_totals(self, subject: str | None = None) -> list[tuple[str, int, int, int, int]]:
        """(subject/topic, questions, seen, answers, correct) for every topic of the bank (or of one subject)."""
        self._topics_current()
        where, args = _within(subject, "topic")
        return [tuple(r) for r in self.db.execute(f"select * from topic_stats where {where} order by topic", args)]

    def topics(self, subject: str | None = None) -> list[tuple[str, int]]:
        """Each topic as "<subject>/<topic>" with its number of questions, in each subject's own order."""
        where, args = ("where q.subject_id = ?", [subject]) if subject else ("", [])
        return [tuple(r) for r in self.db.execute(
            "select q.subject_id || '/' || t.topic, count(*) from bank.question_topics t"
            " join bank.questions q on q.id = t.question_id"
            " join bank.subject_topics st on st.subject_id = q.subject_id and st.topic = t.topic"
            " join bank.subjects s on s.id = q.subject_id"
            f" {where} group by q.subject_id, t.topic order by min(s.position), min(st.position)", args)]

    def question_total(self, subject: str | None = None) -> int:
        if subject not in self._question_totals:
            self._question_totals[subject] = self.bank.question_count(subject)
        return self._question_totals[subject]

    def due_count(self, until: datetime, after: datetime | None = None, subject: str | None = None) -> int:
        """Scheduled questions of this bank (or subject) due by `until` (and after `after`), less orphans.

        An index range count: a subject's cards are a range of the primary key, each then checked for its date.
        """
        self._orphans_current()
        low = to_iso(after) if after is not None else ""
        high = to_iso(until)
        within, ids = _within(subject)
        in_range = self.db.execute(f"select count(*) from cards where {within} and due > ? and due <= ?",
                                   [*ids, low, high]).fetchone()[0]
        # Driven from the (nearly always empty) orphans table: joined the other way round, SQLite
        # walks the whole due range of cards (128 ms at 100,000 questions instead of 0.06 ms).
        orphaned = self.db.execute(
            f"select count(*) from orphans o where {_within(subject, 'o.question_id')[0]} and"
            " (select c.due from cards c where c.question_id = o.question_id) > ?"
            " and (select c.due from cards c where c.question_id = o.question_id) <= ?", [*ids, low, high]
        ).fetchone()[0]
        return in_range - orphaned

    def seen_count(self, subject: str | None = None) -> int:
        self._orphans_current()
        within, ids = _within(subject)
        return (self.db.execute(f"select count(*) from cards where {within}", ids).fetchone()[0]
                - self.db.execute(f"select count(*) from orphans where {within}", ids).fetchone()[0])

    def answered_since(self, moment: datetime, subject: str | None = None) -> int:
        """Answers given since `moment` to questions of this bank (or subject): another bank's answers, kept in
        the same progress file, are not counted here. A day's answers are few, each looked up in the bank."""
        within, ids = _within(subject, "r.question_id")
        return self.db.execute(
            f"select count(*) from reviews r where {within} and r.answered_at >= ?"
            " and exists (select 1 from bank.questions q where q.id = r.question_id)",
            [*ids, to_iso(moment)]).fetchone()[0]

    def first_due(self, until: datetime, avoid: str = "", subject: str | None = None) -> str | None:
        """The question of this bank (or subject) due soonest, by `until`, other than `avoid`."""
        within, ids = _within(subject, "c.question_id")
        row = self.db.execute(
            "select c.question_id from cards c join bank.questions q on q.id = c.question_id"
            f" where {within} and c.due <= ? and c.question_id != ? order by c.due limit 1",
            [*ids, to_iso(until), avoid]).fetchone()
        return row[0] if row else None

    def first_new(self, subject: str | None = None) -> str | None:
        """The first question of this bank (or subject) never answered, in the bank's order for new questions."""
        where, args = ("q.subject_id = ? and", [subject]) if subject else ("", [])
        row = self.db.execute(
            f"select q.id from bank.questions q where {where} not exists"
            " (select 1 from main.cards c where c.question_id = q.id) order by q.new_rank limit 1", args
        ).fetchone()
        return row[0] if row else None

    def answer_totals(self, subject: str | None = None) -> tuple[int, int, int]:
        """(questions seen, answers, correct) over the questions of this bank (or subject)."""
        # Totals come from question_stats, kept with every answer: no scan of the log.
        self._orphans_current()
        within, ids = _within(subject, "s.question_id")
        all_seen, all_answers, all_correct = self.db.execute(
            "select count(*), coalesce(sum(answers), 0), coalesce(sum(correct), 0) from question_stats s"
            f" where {within}", ids).fetchone()
        gone_seen, gone_answers, gone_correct = self.db.execute(
            "select count(*), coalesce(sum(s.answers), 0), coalesce(sum(s.correct), 0)"
            f" from orphans o join question_stats s on s.question_id = o.question_id where {within}", ids).fetchone()
        return all_seen - gone_seen, all_answers - gone_answers, all_correct - gone_correct

    def count_matching(self, block_filter: blocks.BlockFilter, now: datetime) -> int:
        return blocks.count_matching(self.db, block_filter, now)

    def all_matching(self, block_filter: blocks.BlockFilter, now: datetime) -> list[str]:
        return blocks.matching_questions(self.db, block_filter, now)

    def select_matching(self, block_filter: blocks.BlockFilter, now: datetime, limit: int, seed: str) -> list[str]:
        return blocks.select_questions(self.db, block_filter, now, limit, seed)
