"""Custom blocks: questions chosen by subject, set, topic, status and kind, for study or for an exam."""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
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
    """

    topics: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    subjects: frozenset[str] = field(default_factory=frozenset)
    sets: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        parts = [
            ", ".join(sorted(t.split("/", 1)[-1].replace("-", " ") for t in self.topics)) or "all topics",
            " or ".join(STATUS_LABELS[s].lower() for s in STATUSES if s in self.statuses) or "any status",
            " and ".join(sorted(self.kinds)) or "all kinds",
        ]
        # Named only when chosen, so a one-subject bank's descriptions read as before.
        if self.sets:
            parts.insert(0, ", ".join(sorted(s.split("/", 1)[-1].replace("-", " ") for s in self.sets)))
        if self.subjects:
            parts.insert(0, ", ".join(sorted(self.subjects)))
        return "; ".join(parts)


def _where(block_filter: BlockFilter, now: datetime) -> tuple[str, list]:
    """SQL over bank.questions q (attached) and the progress tables."""
    clauses: list[str] = []
    args: list = []
    if block_filter.subjects:
        clauses.append(f"q.subject_id in ({','.join('?' * len(block_filter.subjects))})")
        args += sorted(block_filter.subjects)
    if block_filter.sets:
        clauses.append(f"q.set_id in ({','.join('?' * len(block_filter.sets))})")
        args += sorted(block_filter.sets)
    if block_filter.topics:
        marks = ",".join("?" * len(block_filter.topics))
        clauses.append(f"exists (select 1 from bank.question_topics t where t.question_id = q.id"
                       f" and q.subject_id || '/' || t.topic in ({marks}))")
        args += sorted(block_filter.topics)
    if block_filter.kinds:
        clauses.append(f"q.kind in ({','.join('?' * len(block_filter.kinds))})")
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
    return (" where " + " and ".join(clauses)) if clauses else "", args


def count_matching(db, block_filter: BlockFilter, now: datetime) -> int:
    if block_filter.topics:
        # Driven from the topic index: only the chosen topics' questions are visited, not the bank.
        narrower = replace(block_filter, topics=frozenset())
        where, args = _where(narrower, now)
        names = sorted({t.split("/", 1)[-1] for t in block_filter.topics})
        marks = ",".join("?" * len(block_filter.topics))
        condition = (f"t.topic in ({','.join('?' * len(names))}) and q.subject_id || '/' || t.topic in ({marks})"
                     + (" and " + where[len(" where "):] if where else ""))
        return db.execute(
            f"select count(distinct t.question_id) from bank.question_topics t"
            f" join bank.questions q on q.id = t.question_id where {condition}",
            [*names, *sorted(block_filter.topics), *args],
        ).fetchone()[0]
    where, args = _where(block_filter, now)
    return db.execute(f"select count(*) from bank.questions q{where}", args).fetchone()[0]


def select_questions(db, block_filter: BlockFilter, now: datetime, limit: int, seed: str) -> list[str]:
    """Up to `limit` matching question ids, in a shuffled order fixed by the seed."""
    where, args = _where(block_filter, now)
    ids = [row[0] for row in db.execute(f"select q.id from bank.questions q{where} order by q.position", args)]
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

    def topics(self, subject: str | None = None) -> list[tuple[str, int]]:
        """Each topic a block can draw from, as "<subject>/<topic>", with its number of questions."""
        return self.collection.schedule_store.topics(subject)
