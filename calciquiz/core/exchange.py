"""Moving progress between machines: a portable JSON file of reviews, notes and flags, and a merge.

Every review has a globally unique id, so merging the logs of two machines that studied
separately keeps every review once; schedules are then rebuilt from the merged log.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from calciquiz import __version__
from calciquiz.core.problems import one_line
from calciquiz.core.progress import MODES, REVIEW_FIELDS, ProgressStore, rating_for, to_iso, utcnow
from calciquiz.core.schema import qualified

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection

FORMAT = "calciquiz-progress"
# 2: question ids are qualified, "<subject>/<id>"; a version-1 file's ids are mapped as the progress
# file's own were (each gets the prefix of the one subject there was).
VERSION = 2
READABLE_VERSIONS = (1, 2)

# Limits of what this app ever writes, so a file outside them was not written by it.
MAX_FILE_BYTES = 512 * 2**20  # about 1.5 million reviews; refused before it is read into memory
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
# Two computers' clocks set by network time agree within seconds; a review more than this far
# ahead of this clock means a wrong clock, and would be replayed after answers given here before it.
CLOCK_TOLERANCE = timedelta(minutes=10)
MAX_TIME_TAKEN_MS = 365 * 24 * 3600 * 1000  # time is recorded unclamped: a question left open for days counts
MAX_CHOSEN = 9  # ten options, A to J
MAX_ID_LENGTH = 200
MAX_NOTE_LENGTH = 100_000
LISTED_PROBLEMS = 10
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL cuts text short; a lone surrogate cannot be stored


class ExchangeError(Exception):
    """A progress file that cannot be imported; nothing was changed.

    `problems` holds the first problems found, each naming the file; `more` counts the rest.
    """

    def __init__(self, problems: list[str] | str, more: int = 0):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.more = more
        tail = [f"… and {more} more problem{'s' if more != 1 else ''}"] if more else []
        super().__init__("\n".join(self.problems + tail))


@dataclass(frozen=True)
class MergeReport:
    reviews_added: int
    reviews_already_there: int
    notes_updated: int
    flags_added: int
    schedules_rebuilt: int
    # Reviews whose id is already here with other content: the one here is kept, and each is named.
    conflicts: tuple[str, ...] = ()


def export_progress(store: ProgressStore, target: Path) -> int:
    """Write the review log, notes and flags to a JSON file; returns the number of reviews."""
    reviews = store.review_rows()
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_by": f"calciquiz {__version__}",
        "reviews": reviews,
        "notes": store.note_rows(),
        "flags": store.flag_rows(),
    }
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)
    return len(reviews)


def _load(source: Path) -> dict:
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExchangeError(f"{source}: the file is {size:,} bytes, more than a progress file holds "
                                f"({MAX_FILE_BYTES:,} at most)")
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExchangeError(f"{source}: cannot read the file: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"{source}:{error.lineno}: not a CalciQuiz progress file ({error.msg})") from error
    except RecursionError as error:
        raise ExchangeError(f"{source}: not a CalciQuiz progress file (nested too deeply)") from error
    except ValueError as error:  # Python refuses to convert integers of more than 4,300 digits
        raise ExchangeError(f"{source}: not a CalciQuiz progress file (a number is too long)") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a CalciQuiz progress file")
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise ExchangeError(f"{source}: progress file version {show(version)} is not supported")
    for key in ("reviews", "notes", "flags"):
        if not isinstance(data.get(key), list):
            raise ExchangeError(f"{source}: '{key}' must be a list of records")
    return data


def import_progress(store: ProgressStore, source: Path,
                    on_progress: Callable[[int, int], bool] | None = None) -> MergeReport:
    """Merge an exported file into this progress: every review once, newer notes win, flags united.

    The whole file is checked first; any bad record refuses it whole (ExchangeError) and nothing changes.
    A review whose id is already here with other content keeps the one here and is named in the report.
    """
    reviews, notes, flags = _check_file(source, _load(source))
    new, already_there, conflicts = _sort_reviews(store, reviews)
    notes_updated, flags_added, rebuilt = store.merge(new, notes, flags, on_progress)
    return MergeReport(len(new), already_there, notes_updated, flags_added, rebuilt, tuple(conflicts))


def _sort_reviews(store: ProgressStore, reviews: list[dict]) -> tuple[list[dict], int, list[str]]:
    """The reviews not yet here, how many are here already as they are, and those here with other content."""
    new, seen, already_there, conflicts = [], set(), 0, []
    for number, review in enumerate(reviews, start=1):
        stored = store.stored_review(review["id"])
        if stored is None and review["id"] not in seen:
            new.append(review)
            seen.add(review["id"])
            continue
        if stored is not None:
            differing = [field for field in REVIEW_FIELDS if review[field] != stored[field]]
            if differing:
                conflicts.append(f"review {number} (id {show(review['id'])}) differs from the one already here "
                                 f"({', '.join(differing)}); the one already here was kept")
                continue
        already_there += 1
    return new, already_there, conflicts


def show(value: object) -> str:
    """A value from the file as it would read in JSON, on one line and cut short."""
    if isinstance(value, str):
        text = repr(value if len(value) <= 60 else value[:57] + "…")
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 80:
        text = "a number of more than 24 digits"
    else:
        text = json.dumps(value) if value is None or isinstance(value, (bool, int, float)) else _kind(value)
    return one_line(text)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a decimal number", str: "text", list: "a list", dict: "a record"}.get(
        type(value), type(value).__name__)


class _Bad(ValueError):
    """One field's problem, in words."""


def _text(value: object, field: str, *, max_length: int = MAX_ID_LENGTH, allow_empty: bool = False,
          free_text: bool = False) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{field} must be text, not {_kind(value)}")
    if not value.strip() and not allow_empty:
        raise _Bad(f"{field} is empty")
    if len(value) > max_length:
        raise _Bad(f"{field} is longer than {max_length} characters")
    # Ids are printable; a note may hold line breaks and tabs, but nothing that cannot be stored.
    if _UNSTORABLE.search(value) or (not free_text and not value.isprintable()):
        raise _Bad(f"{field} {show(value)} has a control or invalid character")
    return value


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{field} must be a whole number, not {_kind(value)}")
    if not low <= value <= high:
        raise _Bad(f"{field} {show(value)} is out of range ({low} to {high})")
    return value


def _yes_no(value: object, field: str) -> int:
    """true/false, or 0/1 as the exporter writes them (SQLite keeps booleans as integers)."""
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return int(value)
    raise _Bad(f"{field} must be true or false, not {show(value) if isinstance(value, int) else _kind(value)}")


def _moment(value: object, field: str, now: datetime) -> str:
    """An ISO-8601 time with its offset, between 2000 and now; returned in UTC as the store writes times."""
    if not isinstance(value, str):
        raise _Bad(f"{field} must be text, not {_kind(value)}")
    try:
        moment = datetime.fromisoformat(value) if len(value) <= 64 else None
    except ValueError:
        moment = None
    if moment is None:
        raise _Bad(f"{field} {show(value)} is not a date and time with a time zone")
    if moment.utcoffset() is None:
        raise _Bad(f"{field} {show(value)} has no time zone offset")
    if moment < EARLIEST:
        raise _Bad(f"{field} {show(value)} is before 2000")
    if moment > now + CLOCK_TOLERANCE:
        raise _Bad(f"{field} {show(value)} is in the future; check this computer's clock and the one that "
                   "exported the file")
    return to_iso(moment)


def _mode(value: object, field: str) -> str:
    if _text(value, field) not in MODES:
        raise _Bad(f"{field} {show(value)} is not one of {', '.join(MODES)}")
    return value


# What each field of each kind of record must be; a checker returns the value as it is stored.
Checker = Callable[[object, str, datetime], object]
REVIEW_CHECKS: dict[str, Checker] = {
    "id": lambda value, field, now: _text(value, field),
    "question_id": lambda value, field, now: _text(value, field),
    "chosen": lambda value, field, now: _whole(value, field, 0, MAX_CHOSEN),
    "correct": lambda value, field, now: _yes_no(value, field),
    "guessed": lambda value, field, now: _yes_no(value, field),
    "rating": lambda value, field, now: _whole(value, field, 1, 4),
    "time_taken_ms": lambda value, field, now: _whole(value, field, 0, MAX_TIME_TAKEN_MS),
    "answered_at": _moment,
    "mode": lambda value, field, now: _mode(value, field),
    "session_id": lambda value, field, now: _text(value, field, allow_empty=True),
    "shown_order": lambda value, field, now: _text(value, field, allow_empty=True),
}
NOTE_CHECKS: dict[str, Checker] = {
    "question_id": lambda value, field, now: _text(value, field),
    "text": lambda value, field, now: _text(value, field, max_length=MAX_NOTE_LENGTH, free_text=True),
    "updated_at": _moment,
}
FLAG_CHECKS: dict[str, Checker] = {
    "question_id": lambda value, field, now: _text(value, field),
    "flagged_at": _moment,
}


class _Problems:
    """The first problems found in a file, and how many more."""

    def __init__(self, source: Path):
        self.source, self.listed, self.more = source, [], 0

    def add(self, message: str) -> None:
        if len(self.listed) < LISTED_PROBLEMS:
            self.listed.append(f"{self.source}: {message}")
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.listed:
            raise ExchangeError(self.listed, self.more)


def _checked(kind: str, records: list, checks: dict[str, Checker], now: datetime,
             problems: _Problems) -> list[tuple[int, dict]]:
    """Every record of one list, checked field by field; every bad field is named with its record."""
    checked = []
    for number, record in enumerate(records, start=1):
        label = f"{kind} {number}"
        if not isinstance(record, dict):
            problems.add(f"{label} is not a record")
            continue
        key_field = "id" if kind == "review" else "question_id"
        try:
            label += f" ({'id' if kind == 'review' else 'question'} {show(_text(record.get(key_field), key_field))})"
        except _Bad:
            pass
        missing = [field for field in checks if field not in record]
        if missing:
            problems.add(f"{label} lacks {', '.join(missing)}")
            continue
        values, ok = {}, True
        for field, check in checks.items():
            try:
                values[field] = check(record[field], field, now)
            except _Bad as error:
                problems.add(f"{label}: {error}")
                ok = False
        if ok and kind == "review":
            # The figures count `correct`, the schedule replays `rating`: a file where they disagree is not ours.
            fits = int(rating_for(bool(values["correct"]), bool(values["guessed"])))
            if values["rating"] != fits:
                answer = ("a wrong answer" if not values["correct"] else
                          f"a right answer {'marked' if values['guessed'] else 'not marked'} as a guess")
                problems.add(f"{label}: rating {values['rating']} does not fit {answer} ({fits})")
                ok = False
        if ok:
            checked.append((number, values))
    return checked


def _check_file(source: Path, data: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """The reviews, notes and flags of a loaded file, as they will be stored; ExchangeError if any is bad."""
    now, problems = utcnow(), _Problems(source)
    review_checks, note_checks, flag_checks = REVIEW_CHECKS, NOTE_CHECKS, FLAG_CHECKS
    if data["version"] == 1:
        # Before subjects: ids are mapped to the one subject there was, as the progress file's own were.
        # A version-2 file holds what a progress file held, and is taken as it is.
        def check_id(value: object, field: str, now: datetime) -> str:
            return qualified(_text(value, field))

        review_checks, note_checks, flag_checks = (checks | {"question_id": check_id} for checks in
                                                   (REVIEW_CHECKS, NOTE_CHECKS, FLAG_CHECKS))
    reviews = _checked("review", data["reviews"], review_checks, now, problems)
    notes = _checked("note", data["notes"], note_checks, now, problems)
    flags = _checked("flag", data["flags"], flag_checks, now, problems)
    first_with_id: dict[str, tuple[int, dict]] = {}
    for number, review in reviews:
        if review["id"] not in first_with_id:
            first_with_id[review["id"]] = (number, review)
            continue
        earlier_number, earlier = first_with_id[review["id"]]
        differing = [field for field in REVIEW_FIELDS if earlier[field] != review[field]]
        if differing:
            problems.add(f"review {number} (id {show(review['id'])}): differs from review {earlier_number} "
                         f"with the same id ({', '.join(differing)})")
    problems.raise_any()
    return [r for _, r in reviews], [n for _, n in notes], [f for _, f in flags]


class Exchange:
    """Moving the collection's progress between machines (col.exchange)."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def export_to(self, target: Path) -> int:
        """Write the review log, notes and flags to a JSON file; returns the number of reviews."""
        return export_progress(self.collection.progress, target)

    def import_from(self, source: Path, on_progress: Callable[[int, int], bool] | None = None) -> MergeReport:
        """Merge an exported file into this progress (see import_progress)."""
        return import_progress(self.collection.progress, source, on_progress)
