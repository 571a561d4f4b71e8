"""Schema of the progress file, as migrations: each shipped schema change is a new step."""
from __future__ import annotations

import json

import sqlite_utils
from sqlite_utils import Migrations

progress_migrations = Migrations("calciquiz.progress")


@progress_migrations()
def m001_reviews_and_cards(db: sqlite_utils.Database) -> None:
    db["reviews"].create(
        {
            "id": str,
            "question_id": str,
            "chosen": int,
            "correct": int,
            "guessed": int,
            "rating": int,
            "time_taken_ms": int,
            "answered_at": str,
            "mode": str,
            "session_id": str,
            "shown_order": str,
        },
        pk="id",
        not_null={"question_id", "chosen", "correct", "rating", "answered_at", "mode"},
    )
    db["reviews"].create_index(["question_id", "answered_at"])
    db["reviews"].create_index(["answered_at"])
    db["cards"].create(
        {
            "question_id": str,
            "state": int,
            "step": int,
            "stability": float,
            "difficulty": float,
            "due": str,
            "last_review": str,
            "reps": int,
            "lapses": int,
        },
        pk="question_id",
        not_null={"state", "due"},
    )
    db["cards"].create_index(["due"])


@progress_migrations()
def m002_flags_notes_exam_blocks(db: sqlite_utils.Database) -> None:
    db["flags"].create({"question_id": str, "flagged_at": str}, pk="question_id")
    db["notes"].create({"question_id": str, "text": str, "updated_at": str}, pk="question_id")
    db["exam_blocks"].create(
        {
            "id": str,
            "created_at": str,
            "finished_at": str,
            "time_limit_s": int,
            "time_used_s": float,
            "question_ids": str,  # JSON list, in block order
            "description": str,
            "state": str,  # "open", "finished" or "discarded" (a left-behind block set aside, rows kept)
        },
        pk="id",
        not_null={"created_at", "time_limit_s", "question_ids", "state"},
    )
    db["exam_answers"].create(
        {
            "block_id": str,
            "position": int,
            "question_id": str,
            "chosen": int,  # authored option index, or NULL when unanswered
            "marked": int,
            "shown_order": str,
            "time_ms": int,
            "review_id": str,
        },
        pk=("block_id", "position"),
        foreign_keys=[("block_id", "exam_blocks", "id")],
    )


AGGREGATE_SQL = (
    "DELETE FROM question_stats",
    "INSERT INTO question_stats (question_id, answers, correct, last_correct, last_answered_at)"
    " SELECT question_id, count(*), sum(correct),"
    " (SELECT r2.correct FROM reviews r2 WHERE r2.question_id = r.question_id"
    "  ORDER BY r2.answered_at DESC, r2.rowid DESC LIMIT 1), max(answered_at)"
    " FROM reviews r GROUP BY question_id",
    "DELETE FROM session_stats",
    "INSERT INTO session_stats (session_id, mode, started, answers, correct)"
    " SELECT session_id, min(mode), min(answered_at), count(*), sum(correct) FROM reviews"
    " WHERE session_id != '' GROUP BY session_id",
)


@progress_migrations()
def m003_question_and_session_stats(db: sqlite_utils.Database) -> None:
    """Per-question and per-session totals, kept with each answer, so figures never scan the whole log."""
    db["question_stats"].create(
        {"question_id": str, "answers": int, "correct": int, "last_correct": int, "last_answered_at": str},
        pk="question_id",
    )
    db["session_stats"].create(
        {"session_id": str, "mode": str, "started": str, "answers": int, "correct": int}, pk="session_id"
    )
    db["session_stats"].create_index(["started"])
    for statement in AGGREGATE_SQL:
        db.execute(statement)


@progress_migrations()
def m004_orphans(db: sqlite_utils.Database) -> None:
    """Scheduled questions missing from the current bank, so counts need no join against the bank."""
    db["progress_meta"].create({"key": str, "value": str}, pk="key")
    db["orphans"].create({"question_id": str}, pk="question_id")
    db["topic_stats"].create(
        {"topic": str, "questions": int, "seen": int, "answers": int, "correct": int}, pk="topic"
    )


# Before subjects there was one, and question ids carried no subject; this one they all belonged to.
FIRST_SUBJECT = "calcinosis-cutis"
QUESTION_ID_TABLES = ("reviews", "cards", "flags", "notes", "question_stats", "exam_answers")


def qualified(question_id: str) -> str:
    """A question id as progress keeps it since subjects: an id of before gets the first subject's prefix."""
    return question_id if "/" in question_id else f"{FIRST_SUBJECT}/{question_id}"


@progress_migrations()
def m005_qualified_question_ids(db: sqlite_utils.Database) -> None:
    """Question ids become "<subject>/<id>", so two subjects' questions never share progress."""
    prefix = f"{FIRST_SUBJECT}/"
    for table in QUESTION_ID_TABLES:
        db.execute(f"UPDATE {table} SET question_id = ? || question_id WHERE instr(question_id, '/') = 0", [prefix])
    for block_id, ids in db.execute("SELECT id, question_ids FROM exam_blocks").fetchall():
        try:
            listed = json.loads(ids)
        except ValueError:
            continue  # not written by this app; left as it is rather than guessed at
        if isinstance(listed, list):
            db.execute("UPDATE exam_blocks SET question_ids = ? WHERE id = ?",
                       [json.dumps([qualified(q) if isinstance(q, str) else q for q in listed]), block_id])
    # Derived per bank, keyed by question id or topic: recounted on next use.
    db.execute("DELETE FROM orphans")
    db.execute("DELETE FROM topic_stats")
    db.execute("DELETE FROM progress_meta WHERE key IN ('orphans_bank', 'topics_bank')")


def migrations_up_to(count: int) -> Migrations:
    """The first `count` steps under the same name: a progress file as an earlier release left it (for tests)."""
    earlier = Migrations(progress_migrations.name)
    for step in progress_migrations._migrations[:count]:
        earlier(name=step.name)(step.fn)
    return earlier


SHIPPED_SCHEMAS = len(progress_migrations._migrations)
