"""Hostile progress files: every import ends in a merge or a clear ExchangeError, and a refusal changes nothing."""
from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calciquiz.core.exchange import ExchangeError, MergeReport, import_progress
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TABLES = ("reviews", "cards", "notes", "flags", "question_stats", "session_stats")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD_REVIEW = {"id": "r1", "question_id": "q1", "chosen": 1, "correct": 0, "guessed": 0, "rating": 1,
               "time_taken_ms": 900, "answered_at": "2026-03-02T11:00:00.000000+00:00", "mode": "exam",
               "session_id": "s1", "shown_order": "1,0"}
GOOD_NOTE = {"question_id": "q1", "text": "remember this", "updated_at": "2026-03-02T12:00:00+00:00"}
GOOD_FLAG = {"question_id": "q2", "flagged_at": "2026-03-02T12:00:00+00:00"}

# Text with anything in it: lone surrogates, NUL and other control characters included.
any_text = st.text(st.characters(exclude_categories=()), max_size=12)
weird_times = st.sampled_from([
    "", "yesterday", "2026-03-02", "2026-03-02T09:00:00", "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-14:00", "2026-03-02T09:00:00+14:00", "2026-03-02T09:00:00Z", "1999-12-31T23:59:59Z",
    "2026-02-30T09:00:00+00:00", "2026-03-02T09:00:00+24:00", "2026-03-02 09:00:00.123456-03:30",
]) | st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats() | st.just(1e30) | any_text | weird_times)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(any_text, inner, max_size=3), max_leaves=6)


def mutated(record: dict) -> st.SearchStrategy:
    """The record with some fields replaced by anything, some removed, or the record replaced whole."""
    fields = st.sampled_from(sorted(record))
    changed = st.dictionaries(fields, values, max_size=3).map(lambda changes: record | changes)
    removed = st.sets(fields, max_size=2).map(lambda gone: {k: v for k, v in record.items() if k not in gone})
    return changed | removed | values


hostile_files = st.fixed_dictionaries({
    "format": st.just("calciquiz-progress"),
    "version": st.just(1) | values,
    "reviews": st.lists(mutated(GOOD_REVIEW) | st.just(GOOD_REVIEW), max_size=4),
    "notes": st.lists(mutated(GOOD_NOTE), max_size=2),
    "flags": st.lists(mutated(GOOD_FLAG), max_size=2),
}) | values


def snapshot(store: ProgressStore) -> dict[str, list]:
    return {table: store.db.execute(f"select * from {table} order by 1").fetchall() for table in TABLES}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """One store for every example (opening one per example is slow): merges accumulate, as on a real machine."""
    store = ProgressStore(tmp_path_factory.mktemp("fuzz") / "progress.sqlite")
    store.record_answer("q1", 0, True, session_id="s0", answered_at=T0)
    store.set_note("q1", "mine")
    yield store
    store.close()


@FUZZ
@given(content=hostile_files)
def test_a_hostile_progress_file_is_merged_or_refused_whole(store: ProgressStore, content):
    before = snapshot(store)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.json"
        source.write_text(json.dumps(content, ensure_ascii=True), encoding="utf-8")
        try:
            report = import_progress(store, source)
        except ExchangeError as error:
            assert error.problems and all(p.startswith(f"{source}") for p in error.problems)
            assert "\n" not in "".join(error.problems)
            assert snapshot(store) == before
            return
    assert isinstance(report, MergeReport)
    assert report.reviews_added == len(snapshot(store)["reviews"]) - len(before["reviews"])
    stored_times = [row[0] for row in store.db.execute("select answered_at from reviews")]
    assert all(moment.endswith("+00:00") for moment in stored_times)  # every time kept in UTC, as the store writes


@pytest.mark.parametrize("raw", ['"\\ud800"', '{"format": "calciquiz-progress", "version": 1, "reviews": '
                                 '[{"id": "\\udfff"}], "notes": [], "flags": []}'])
def test_a_lone_surrogate_in_the_json_is_a_clear_error(tmp_path: Path, raw: str, open_store):
    store = open_store(tmp_path / "progress.sqlite")
    source = tmp_path / "in.json"
    source.write_text(raw, encoding="utf-8")
    with pytest.raises(ExchangeError):
        import_progress(store, source)
    assert store.review_count() == 0
