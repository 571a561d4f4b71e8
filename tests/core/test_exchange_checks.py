"""Every field of an imported progress file is checked; a bad file is refused whole and changes nothing."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calciquiz.core.exchange import ExchangeError, export_progress, import_progress
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TABLES = ("reviews", "cards", "notes", "flags", "question_stats", "session_stats")


def a_review(**changes: object) -> dict:
    """A review as export_progress writes it."""
    return {"id": "r1", "question_id": "q1", "chosen": 0, "correct": 1, "guessed": 0, "rating": 3,
            "time_taken_ms": 1500, "answered_at": "2026-03-02T10:00:00.000000+00:00", "mode": "study",
            "session_id": "s1", "shown_order": "0,1,2"} | changes


def progress_file(folder: Path, reviews: list | None = None, notes: list | None = None,
                  flags: list | None = None) -> Path:
    path = folder / "in.json"
    path.write_text(json.dumps({"format": "calciquiz-progress", "version": 2, "exported_by": "calciquiz 0.1.0",
                                "reviews": [a_review()] if reviews is None else reviews,
                                "notes": notes or [], "flags": flags or []}), encoding="utf-8")
    return path


def snapshot(store: ProgressStore) -> dict[str, list]:
    return {table: store.db.execute(f"select * from {table} order by 1").fetchall() for table in TABLES}


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    store = ProgressStore(tmp_path / "progress.sqlite")
    store.record_answer("q1", 0, True, session_id="s0", answered_at=T0)
    store.set_note("q1", "my note")
    store.set_flag("q2", True)
    yield store
    store.close()


def refused(store: ProgressStore, source: Path) -> list[str]:
    """The problems named when `source` is refused; the store must be exactly as before."""
    before = snapshot(store)
    with pytest.raises(ExchangeError) as error:
        import_progress(store, source)
    assert snapshot(store) == before
    return error.value.problems


BAD_REVIEW_FIELDS = [
    ("answered_at", "", "answered_at '' is not a date and time with a time zone"),
    ("answered_at", "2026-03-02T10:00:00", "answered_at '2026-03-02T10:00:00' has no time zone offset"),
    ("answered_at", "2026-03-02", "answered_at '2026-03-02' has no time zone offset"),
    ("answered_at", "yesterday", "answered_at 'yesterday' is not a date and time with a time zone"),
    ("answered_at", "9999-12-31T23:59:59+00:00", "answered_at '9999-12-31T23:59:59+00:00' is in the future; "
     "check this computer's clock and the one that exported the file"),
    ("answered_at", "0001-01-01T00:00:00+14:00", "answered_at '0001-01-01T00:00:00+14:00' is before 2000"),
    ("answered_at", "1999-12-31T23:59:59+00:00", "answered_at '1999-12-31T23:59:59+00:00' is before 2000"),
    ("answered_at", 20260302, "answered_at must be text, not a number"),
    ("time_taken_ms", 1e30, "time_taken_ms must be a whole number, not a decimal number"),
    ("time_taken_ms", -5, "time_taken_ms -5 is out of range (0 to 31536000000)"),
    ("time_taken_ms", 10**20, "time_taken_ms 100000000000000000000 is out of range (0 to 31536000000)"),
    ("time_taken_ms", True, "time_taken_ms must be a whole number, not true/false"),
    ("question_id", "\ud800", "question_id '\\ud800' has a control or invalid character"),
    ("question_id", "q\x00", "question_id 'q\\x00' has a control or invalid character"),
    ("question_id", "", "question_id is empty"),
    ("question_id", ["q1"], "question_id must be text, not a list"),
    ("question_id", None, "question_id must be text, not null"),
    ("question_id", "q" * 201, "question_id is longer than 200 characters"),
    ("correct", None, "correct must be true or false, not null"),
    ("correct", "yes", "correct must be true or false, not text"),
    ("correct", 2, "correct must be true or false, not 2"),
    ("guessed", None, "guessed must be true or false, not null"),
    ("chosen", None, "chosen must be a whole number, not null"),
    ("chosen", 10, "chosen 10 is out of range (0 to 9)"),
    ("chosen", -1, "chosen -1 is out of range (0 to 9)"),
    ("chosen", 1.0, "chosen must be a whole number, not a decimal number"),
    ("rating", True, "rating must be a whole number, not true/false"),
    ("rating", 0, "rating 0 is out of range (1 to 4)"),
    ("rating", "3", "rating must be a whole number, not text"),
    ("mode", "cram", "mode 'cram' is not one of study, exam"),
    ("session_id", None, "session_id must be text, not null"),
    ("shown_order", {"a": 1}, "shown_order must be text, not a record"),
    ("id", None, "id must be text, not null"),
]


@pytest.mark.parametrize("field, value, message", BAD_REVIEW_FIELDS)
def test_a_review_with_a_bad_field_is_refused_naming_file_record_and_field(store, tmp_path: Path, field, value,
                                                                           message):
    source = progress_file(tmp_path, [a_review(id="r0"), a_review(**{field: value})])
    record = "review 2" if field == "id" else "review 2 (id 'r1')"
    assert refused(store, source) == [f"{source}: {record}: {message}"]


@pytest.mark.parametrize("changes, message", [
    ({"correct": 1, "guessed": 0, "rating": 1}, "rating 1 does not fit a right answer not marked as a guess (3)"),
    ({"correct": 0, "guessed": 0, "rating": 3}, "rating 3 does not fit a wrong answer (1)"),
    ({"correct": 1, "guessed": 1, "rating": 4}, "rating 4 does not fit a right answer marked as a guess (2)"),
])
def test_a_review_whose_rating_contradicts_its_answer_is_refused(store, tmp_path: Path, changes, message):
    """Counted right by the figures but scheduled as Again (or the reverse): the two would disagree for good."""
    source = progress_file(tmp_path, [a_review(**changes)])
    assert refused(store, source) == [f"{source}: review 1 (id 'r1'): {message}"]


@pytest.mark.parametrize("notes, flags, message", [
    ([{"text": "x", "updated_at": "2026-03-02T10:00:00+00:00"}], [], "note 1 lacks question_id"),
    ([{"question_id": ["q1"], "text": "x", "updated_at": "2026-03-02T10:00:00+00:00"}], [],
     "note 1: question_id must be text, not a list"),
    ([{"question_id": "q1", "text": 5, "updated_at": "2026-03-02T10:00:00+00:00"}], [],
     "note 1 (question 'q1'): text must be text, not a number"),
    ([{"question_id": "q1", "text": "x", "updated_at": "yesterday"}], [],
     "note 1 (question 'q1'): updated_at 'yesterday' is not a date and time with a time zone"),
    ([], [{"flagged_at": "2026-03-02T10:00:00+00:00"}], "flag 1 lacks question_id"),
    ([], [{"question_id": None, "flagged_at": "2026-03-02T10:00:00+00:00"}],
     "flag 1: question_id must be text, not null"),
    ([], [{"question_id": {"id": "q1"}, "flagged_at": "2026-03-02T10:00:00+00:00"}],
     "flag 1: question_id must be text, not a record"),
    ([], [{"question_id": "q3", "flagged_at": "2999-01-01T00:00:00+00:00"}],
     "flag 1 (question 'q3'): flagged_at '2999-01-01T00:00:00+00:00' is in the future; "
     "check this computer's clock and the one that exported the file"),
])
def test_a_bad_note_or_flag_is_refused(store, tmp_path: Path, notes, flags, message):
    source = progress_file(tmp_path, notes=notes, flags=flags)
    assert refused(store, source) == [f"{source}: {message}"]


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "not a CalciQuiz progress file (nested too deeply)"),
    ('{"format": "calciquiz-progress", "version": 1, "reviews": [{"id": ' + "7" * 5000 + '}]}',
     "not a CalciQuiz progress file (a number is too long)"),
    ('{"format": "calciquiz-progress", "version": 1, "reviews": [5], "notes": [], "flags": []}',
     "review 1 is not a record"),
    ('{"format": "calciquiz-progress", "version": 1, "reviews": {}, "notes": [], "flags": []}',
     "'reviews' must be a list of records"),
    ('{"format": "calciquiz-progress", "version": true, "reviews": [], "notes": [], "flags": []}',
     "progress file version true is not supported"),
])
def test_a_malformed_file_is_a_clear_error(store, tmp_path: Path, content: str, message: str):
    source = tmp_path / "in.json"
    source.write_text(content, encoding="utf-8")
    assert refused(store, source) == [f"{source}: {message}"]


def test_the_first_problems_are_listed_and_the_rest_counted(store, tmp_path: Path):
    source = progress_file(tmp_path, [a_review(id=f"r{i}", rating=9) for i in range(25)])
    before = snapshot(store)
    with pytest.raises(ExchangeError) as error:
        import_progress(store, source)
    assert snapshot(store) == before
    assert error.value.problems == [f"{source}: review {i + 1} (id 'r{i}'): rating 9 is out of range (1 to 4)"
                                    for i in range(10)]
    assert error.value.more == 15
    assert str(error.value).splitlines()[-1] == "… and 15 more problems"


def test_the_same_review_id_with_different_content_in_one_file_is_refused(store, tmp_path: Path):
    source = progress_file(tmp_path, [a_review(), a_review(), a_review(correct=0, rating=1)])
    assert refused(store, source) == [
        f"{source}: review 3 (id 'r1'): differs from review 1 with the same id (correct, rating)"]


def test_a_review_that_differs_from_the_stored_one_is_kept_as_stored_and_reported(store, tmp_path: Path):
    stored = store.reviews()[0]
    changed = a_review(id=stored.id, question_id="q1", chosen=0, correct=1, guessed=1, rating=2, time_taken_ms=0,
                       answered_at=stored.answered_at, session_id="s0", shown_order="")
    source = progress_file(tmp_path, [changed, a_review(id="new")])
    report = import_progress(store, source)
    assert (report.reviews_added, report.reviews_already_there) == (1, 0)
    assert report.conflicts == (f"review 1 (id '{stored.id}') differs from the one already here (guessed, rating);"
                                " the one already here was kept",)
    assert store.reviews()[0] == stored


def test_identical_duplicates_are_already_present_and_times_are_stored_in_utc(store, tmp_path: Path):
    source = progress_file(tmp_path, [a_review(answered_at="2026-03-03T00:00:00+14:00"),
                                      a_review(answered_at="2026-03-02T10:00:00Z")])
    report = import_progress(store, source)
    assert (report.reviews_added, report.reviews_already_there, report.conflicts) == (1, 1, ())
    assert [r.answered_at for r in store.reviews()] == ["2026-03-02T09:00:00.000000+00:00",
                                                        "2026-03-02T10:00:00.000000+00:00"]
    assert store.schedule("q1").reps == 2


def test_an_exported_file_imports_into_a_fresh_store_as_it_was(store, tmp_path: Path, open_store):
    store.record_answer("q3", 9, False, guessed=False, time_taken_ms=3 * 24 * 3600 * 1000, mode="exam",
                        answered_at=T0 + timedelta(hours=1))
    export_progress(store, tmp_path / "out.json")
    fresh = open_store(tmp_path / "fresh" / "progress.sqlite")
    import_progress(fresh, tmp_path / "out.json")
    assert snapshot(fresh) == snapshot(store)


def test_a_file_too_large_to_be_progress_is_refused_before_it_is_read(store, tmp_path: Path, monkeypatch):
    from calciquiz.core import exchange

    source = progress_file(tmp_path, [a_review(id=f"r{i}") for i in range(50)])
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 4096)
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("the file was read"))
    size = source.stat().st_size
    assert refused(store, source) == [f"{source}: the file is {size:,} bytes, more than a progress file holds "
                                      "(4,096 at most)"]
