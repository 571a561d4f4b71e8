"""Moving progress between machines: a portable JSON file of reviews, notes and flags, and a merge.

Every review has a globally unique id, so merging the logs of two machines that studied
separately keeps every review once; schedules are then rebuilt from the merged log.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from calciquiz import __version__
from calciquiz.core.progress import ProgressStore

FORMAT = "calciquiz-progress"
VERSION = 1
REVIEW_FIELDS = ("id", "question_id", "chosen", "correct", "guessed", "rating", "time_taken_ms", "answered_at",
                 "mode", "session_id", "shown_order")


class ExchangeError(Exception):
    """A progress file that cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class MergeReport:
    reviews_added: int
    reviews_already_there: int
    notes_updated: int
    flags_added: int
    schedules_rebuilt: int


def export_progress(store: ProgressStore, target: Path) -> int:
    """Write the review log, notes and flags to a JSON file; returns the number of reviews."""
    reviews = [dict(zip(REVIEW_FIELDS, row)) for row in store.db.execute(
        f"select {', '.join(REVIEW_FIELDS)} from reviews order by answered_at, rowid")]
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_by": f"calciquiz {__version__}",
        "reviews": reviews,
        "notes": [dict(zip(("question_id", "text", "updated_at"), r))
                  for r in store.db.execute("select question_id, text, updated_at from notes")],
        "flags": [dict(zip(("question_id", "flagged_at"), r))
                  for r in store.db.execute("select question_id, flagged_at from flags")],
    }
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)
    return len(reviews)


def _load(source: Path) -> dict:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ExchangeError(f"{source}: cannot read the file: {error}") from error
    except json.JSONDecodeError as error:
        raise ExchangeError(f"{source}:{error.lineno}: not a CalciQuiz progress file ({error.msg})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a CalciQuiz progress file")
    if data.get("version") != VERSION:
        raise ExchangeError(f"{source}: progress file version {data.get('version')!r} is not supported")
    for key in ("reviews", "notes", "flags"):
        if not isinstance(data.get(key), list) or not all(isinstance(item, dict) for item in data[key]):
            raise ExchangeError(f"{source}: '{key}' must be a list of records")
    for index, review in enumerate(data["reviews"]):
        missing = [f for f in REVIEW_FIELDS if f not in review]
        if missing:
            raise ExchangeError(f"{source}: review {index + 1} lacks {', '.join(missing)}")
        if not isinstance(review["id"], str) or not isinstance(review["question_id"], str) \
                or not isinstance(review["answered_at"], str) or review["rating"] not in (1, 2, 3, 4) \
                or review["mode"] not in ("study", "exam"):
            raise ExchangeError(f"{source}: review {index + 1} ({review.get('id')!r}) has an invalid field")
    return data


def import_progress(store: ProgressStore, source: Path,
                    on_progress: Callable[[int, int], bool] | None = None) -> MergeReport:
    """Merge an exported file into this progress: every review once, newer notes win, flags united."""
    data = _load(source)
    before = store.review_count()
    notes_updated = flags_added = 0
    with store.db.atomic():
        store.db["reviews"].insert_all(({f: review[f] for f in REVIEW_FIELDS} for review in data["reviews"]),
                                       ignore=True)
        for note in data["notes"]:
            current = store.db.execute("select updated_at from notes where question_id = ?",
                                       [note.get("question_id")]).fetchone()
            if current is None or str(note.get("updated_at", "")) > current[0]:
                store.db["notes"].upsert({"question_id": str(note["question_id"]), "text": str(note.get("text", "")),
                                          "updated_at": str(note.get("updated_at", ""))}, pk="question_id")
                notes_updated += 1
        for flag in data["flags"]:
            if not store.is_flagged(str(flag.get("question_id"))):
                store.db["flags"].insert({"question_id": str(flag["question_id"]),
                                          "flagged_at": str(flag.get("flagged_at", ""))})
                flags_added += 1
        added = store.review_count() - before
        rebuilt = store.rebuild_schedule(on_progress)  # Cancelled here rolls the whole merge back
    store.reviews_committed()
    return MergeReport(added, len(data["reviews"]) - added, notes_updated, flags_added, rebuilt)
