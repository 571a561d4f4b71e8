"""Exam blocks as stored in the progress file: the block, each question's choice, and how it ended.

Storage layer, beside ProgressStore (it logs a finished block's answers through the store, so the
schedule and the seal follow). The history joins the bank attached by the Collection.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime

from calciquiz.core.progress import ProgressStore, to_iso


class ExamRecords:
    def __init__(self, store: ProgressStore):
        self.store = store

    @property
    def db(self):
        return self.store.db

    def create(self, block_id: str, created_at: datetime, time_limit_s: int, description: str,
               items: list[tuple[str, str]]) -> None:
        """A new open block of (question id, shown order) items, in one transaction."""
        with self.db.atomic():
            self.db["exam_blocks"].insert({
                "id": block_id, "created_at": to_iso(created_at), "finished_at": None, "time_limit_s": time_limit_s,
                "time_used_s": 0.0, "question_ids": json.dumps([q for q, _ in items]), "description": description,
                "state": "open",
            })
            self.db["exam_answers"].insert_all(
                {"block_id": block_id, "position": i, "question_id": question_id, "chosen": None, "marked": 0,
                 "shown_order": shown_order, "time_ms": 0, "review_id": None}
                for i, (question_id, shown_order) in enumerate(items)
            )

    def store_item(self, block_id: str, position: int, chosen: int | None, marked: bool, time_ms: int) -> None:
        self.db.execute(
            "update exam_answers set chosen = ?, marked = ?, time_ms = ? where block_id = ? and position = ?",
            [chosen, int(marked), time_ms, block_id, position],
        )

    def finish(self, block_id: str, moment: datetime, used_s: float,
               right_answer: Callable[[str], int | None]) -> int:
        """Log the block's stored answers and mark it finished, in one transaction; how many answers were logged.

        Only an open block is finished, so a block is never counted twice (nor a discarded one counted).
        `right_answer` gives a question's authored answer, or None when it has left the bank: such a
        choice stays in exam_answers, unlogged, since whether it was right is unknown.
        """
        store, db = self.store, self.db
        logged = 0
        with db.atomic():
            changed = db.execute(
                "update exam_blocks set state = 'finished', finished_at = ?, time_used_s = ?"
                " where id = ? and state = 'open'", [to_iso(moment), used_s, block_id]).rowcount
            if not changed:
                return 0
            answers = db.execute(
                "select position, question_id, chosen, time_ms, shown_order from exam_answers"
                " where block_id = ? and chosen is not null order by position", [block_id]).fetchall()
            for position, question_id, chosen, time_ms, shown_order in answers:
                answer = right_answer(question_id)
                if answer is None:
                    continue
                record, _ = store.record_answer(
                    question_id, chosen, chosen == answer, time_taken_ms=time_ms or 0, mode="exam",
                    session_id=block_id, shown_order=shown_order or "", answered_at=moment,
                )
                db.execute("update exam_answers set review_id = ? where block_id = ? and position = ?",
                           [record.id, block_id, position])
                logged += 1
        if logged:
            store.reviews_committed()  # the seal beside the file now counts these answers too
        return logged

    def open_blocks(self, on_screen: Iterable[str] = ()) -> list[tuple[str, str, str, int, int]]:
        """(id, created_at, description, questions, answered) of open blocks with an answer, oldest first.

        Only blocks with an answer to a question of the open bank: finishing one taken with another bank
        (kept in the same progress file) could score none of its answers and would close it uncounted, so
        it waits until its own bank is open, as the exam history does.
        """
        keep = set(on_screen)
        rows = self.db.execute(
            "select b.id, b.created_at, b.description, count(a.position), count(a.chosen)"
            " from exam_blocks b join exam_answers a on a.block_id = b.id"
            " left join bank.questions q on q.id = a.question_id"
            " where b.state = 'open' group by b.id"
            " having count(a.chosen) > 0 and count(case when a.chosen is not null then q.id end) > 0"
            " order by b.created_at, b.id"
        ).fetchall()
        return [tuple(r) for r in rows if r[0] not in keep]

    def exists(self, block_id: str) -> bool:
        return self.db.execute("select 1 from exam_blocks where id = ?", [block_id]).fetchone() is not None

    def time_spent(self, block_id: str) -> tuple[int, int]:
        """(time limit in seconds, milliseconds spent on its questions as each was left)."""
        return tuple(self.db.execute(
            "select b.time_limit_s, coalesce(sum(a.time_ms), 0) from exam_blocks b"
            " join exam_answers a on a.block_id = b.id where b.id = ?", [block_id]).fetchone())

    def discard(self, block_id: str, moment: datetime) -> bool:
        return bool(self.db.execute(
            "update exam_blocks set state = 'discarded', finished_at = ? where id = ? and state = 'open'",
            [to_iso(moment), block_id]).rowcount)

    def block(self, block_id: str) -> dict | None:
        return next(self.db.query("select * from exam_blocks where id = ?", [block_id]), None)

    def answers(self, block_id: str) -> list[dict]:
        return list(self.db.query("select * from exam_answers where block_id = ? order by position", [block_id]))

    def finished(self) -> list[dict]:
        """Finished blocks of this bank's questions, newest first: id, when, description, time used, questions
        and right answers.

        Counted over the questions this bank holds, as a block's report is: a block taken with another bank
        (kept in the same progress file) is not listed, and is listed again, whole, when that bank is open.
        """
        rows = self.db.execute(
            "select b.id, b.created_at, b.description, b.time_used_s, count(q.id),"
            " sum(case when a.chosen is not null and a.chosen = q.answer then 1 else 0 end)"
            " from exam_blocks b join exam_answers a on a.block_id = b.id"
            " left join bank.questions q on q.id = a.question_id"
            " where b.state = 'finished' group by b.id having count(q.id) > 0 order by b.created_at desc"
        ).fetchall()
        return [{"id": r[0], "created_at": r[1], "description": r[2] or "", "time_used_s": r[3] or 0.0,
                 "total": r[4], "correct": r[5] or 0} for r in rows]
