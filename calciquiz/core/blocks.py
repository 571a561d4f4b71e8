"""Custom blocks: questions chosen by subject, set, topic, status and kind, for study or for an exam."""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from calciquiz.core.progress import to_iso, utcnow

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection

STATUSES = ("unused", "wrong", "flagged", "due")
STATUS_LABELS = {
    "unused": "Unused (never answered)",
    "wrong": "Answered wrong last time",
    "flagged": "Flagged",
    "due": "Due for review",
}


@dataclass(frozen=True)
class BlockFilter:
    """Which questions a block draws from; an empty set means 'any'.

    Topics are qualified like question ids, "<subject>/<topic>", since two subjects may share a
    topic's name; sets are set ids, "<subject>/<file stem>"; subjects are subject ids.

    Topics and sets narrow the subject they belong to, not the others (see `pools`): with calcinosis
    cutis and wound healing chosen and one calcinosis set ticked, the block holds that set and all of
    wound healing, as the block dialog's "Topics of wound healing (none ticked: all)" says.
    """

    topics: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    subjects: frozenset[str] = field(default_factory=frozenset)
    sets: frozenset[str] = field(default_factory=frozenset)

    def describe(self, titles: Mapping[str, str] | None = None) -> str:
        """The filter in words, for an exam block's history. `titles` names subjects and sets by id
        (their titles in the bank); without it, ids are shown in a readable form."""
        titles = titles or {}

        def name(key: str) -> str:
            return titles.get(key) or key.split("/", 1)[-1].replace("-", " ")

        # A topic is named with its subject when the block spans subjects: two may share a topic's name.
        spans = len(set(self.subjects) | {t.split("/", 1)[0] for t in self.topics}) > 1

        def topic_name(topic: str) -> str:
            subject, _, local = topic.partition("/")
            return (f"{name(subject)} · " if spans else "") + local.replace("-", " ")

        parts = [
            ", ".join(sorted(topic_name(t) for t in self.topics)) or "all topics",
            " or ".join(STATUS_LABELS[s].lower() for s in STATUSES if s in self.statuses) or "any status",
            " and ".join(sorted(self.kinds)) or "all kinds",
        ]
        # Named only when chosen, so a one-subject bank's descriptions read as before.
        if self.sets:
            parts.insert(0, ", ".join(sorted(name(s) for s in self.sets)))
        if self.subjects:
            parts.insert(0, " and ".join(sorted(name(s) for s in self.subjects)))
        return "; ".join(parts)


def _of(subject: str, keys: frozenset[str]) -> list[str]:
    """The keys ("<subject>/<name>") of one subject, sorted."""
    return sorted(key for key in keys if key.split("/", 1)[0] == subject)


def pools(block_filter: BlockFilter) -> list[tuple[str, list[str], list[str]]] | None:
    """What a block draws from, per subject: (subject, its ticked topics, its ticked sets); None for every
    question of every subject.

    The subjects are those ticked; when none is, those of the ticked topics and sets (so ticking only
    "the week-3 set" gives that set alone). Each subject is narrowed by its own topics and sets only.
    """
    subjects = set(block_filter.subjects) or {key.split("/", 1)[0] for key in block_filter.topics | block_filter.sets}
    if not subjects:
        return None
    return [(subject, _of(subject, block_filter.topics), _of(subject, block_filter.sets))
            for subject in sorted(subjects)]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _progress_where(block_filter: BlockFilter, now: datetime) -> tuple[list[str], list]:
    """Kind and status clauses (and their arguments) over bank.questions q and the progress tables."""
    clauses: list[str] = []
    args: list = []
    if block_filter.kinds:
        clauses.append(f"q.kind in ({_marks(sorted(block_filter.kinds))})")
        args += sorted(block_filter.kinds)
    status_sql = {
        "unused": "not exists (select 1 from main.question_stats s where s.question_id = q.id)",
        "wrong": "exists (select 1 from main.question_stats s where s.question_id = q.id and s.last_correct = 0)",
        "flagged": "exists (select 1 from main.flags f where f.question_id = q.id)",
        "due": "exists (select 1 from main.cards c where c.question_id = q.id and c.due <= ?)",
    }
    chosen = [s for s in STATUSES if s in block_filter.statuses]
    if chosen:
        clauses.append("(" + " or ".join(status_sql[s] for s in chosen) + ")")
        if "due" in chosen:
            args.append(to_iso(now))
    return clauses, args


def _where(block_filter: BlockFilter, now: datetime) -> tuple[str, list]:
    """SQL over bank.questions q (attached) and the progress tables."""
    clauses: list[str] = []
    args: list = []
    drawn = pools(block_filter)
    if drawn is not None:
        each = []
        for subject, topics, sets in drawn:
            parts, each_args = ["q.subject_id = ?"], [subject]
            if sets:
                parts.append(f"q.set_id in ({_marks(sets)})")
                each_args += sets
            if topics:
                parts.append("exists (select 1 from bank.question_topics t where t.question_id = q.id"
                             f" and t.topic in ({_marks(topics)}))")
                each_args += [topic.partition("/")[2] for topic in topics]
            each.append("(" + " and ".join(parts) + ")")
            args += each_args
        clauses.append("(" + " or ".join(each) + ")")
    more, more_args = _progress_where(block_filter, now)
    return (" where " + " and ".join(clauses + more)) if clauses + more else "", args + more_args


def count_matching(db, block_filter: BlockFilter, now: datetime) -> int:
    drawn = pools(block_filter)
    if drawn is not None and all(topics for _, topics, _ in drawn):
        # Every subject drawn from is narrowed by topics: driven from the topic index, so only the
        # chosen topics' questions are visited, not the bank.
        topics = sorted(t for _, chosen, _ in drawn for t in chosen)
        names = sorted({t.partition("/")[2] for t in topics})
        clauses = [f"t.topic in ({_marks(names)})", f"q.subject_id || '/' || t.topic in ({_marks(topics)})"]
        args: list = [*names, *topics]
        for subject, _, sets in drawn:
            if sets:
                clauses.append(f"(q.subject_id != ? or q.set_id in ({_marks(sets)}))")
                args += [subject, *sets]
        more, more_args = _progress_where(block_filter, now)
        return db.execute(
            "select count(distinct t.question_id) from bank.question_topics t"
            f" join bank.questions q on q.id = t.question_id where {' and '.join(clauses + more)}",
            [*args, *more_args],
        ).fetchone()[0]
    where, args = _where(block_filter, now)
    return db.execute(f"select count(*) from bank.questions q{where}", args).fetchone()[0]


def matching_questions(db, block_filter: BlockFilter, now: datetime) -> list[str]:
    """Every matching question id, in the bank's order."""
    where, args = _where(block_filter, now)
    return [row[0] for row in db.execute(f"select q.id from bank.questions q{where} order by q.position", args)]


def select_questions(db, block_filter: BlockFilter, now: datetime, limit: int, seed: str) -> list[str]:
    """Up to `limit` matching question ids, in a shuffled order fixed by the seed."""
    ids = matching_questions(db, block_filter, now)
    random.Random(seed).shuffle(ids)
    return ids[:limit]


class Blocks:
    """Custom blocks over the collection: how many questions match a filter, and a shuffled choice of them."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def count(self, block_filter: BlockFilter, now: datetime | None = None) -> int:
        return self.collection.schedule_store.count_matching(block_filter, now or utcnow())

    def questions(self, block_filter: BlockFilter, limit: int, seed: str, now: datetime | None = None) -> list[str]:
        """Up to `limit` matching question ids, in a shuffled order fixed by the seed."""
        return self.collection.schedule_store.select_matching(block_filter, now or utcnow(), limit, seed)

    def matching(self, block_filter: BlockFilter, now: datetime | None = None) -> list[str]:
        """Every matching question id, in the bank's order (what an export of "my flagged questions" holds)."""
        return self.collection.schedule_store.all_matching(block_filter, now or utcnow())

    def topics(self, subject: str | None = None) -> list[tuple[str, int]]:
        """Each topic a block can draw from, as "<subject>/<topic>", with its number of questions."""
        return self.collection.schedule_store.topics(subject)
