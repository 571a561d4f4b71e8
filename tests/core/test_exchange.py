from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calciquiz.core.exchange import ExchangeError, export_progress, import_progress
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def study(store: ProgressStore, start: datetime, pattern: list[tuple[str, bool]]) -> None:
    for hour, (question, correct) in enumerate(pattern):
        store.record_answer(question, 0, correct, answered_at=start + timedelta(hours=hour))


def test_merging_two_machines_loses_no_review_counts_none_twice_and_rebuilds_schedules(tmp_path: Path):
    laptop = ProgressStore(tmp_path / "laptop" / "progress.sqlite")
    desktop = ProgressStore(tmp_path / "desktop" / "progress.sqlite")
    study(laptop, T0, [("q1", True), ("q2", False), ("q1", True)])
    study(desktop, T0 + timedelta(minutes=30), [("q1", False), ("q3", True)])
    laptop.set_note("q1", "old note")
    desktop.set_flag("q3", True)
    desktop.set_note("q1", "newer note")

    exported = tmp_path / "desktop.json"
    assert export_progress(desktop, exported) == 2
    report = import_progress(laptop, exported)
    assert (report.reviews_added, report.reviews_already_there) == (2, 0)
    assert laptop.review_count() == 5
    again = import_progress(laptop, exported)  # importing twice counts nothing twice
    assert (again.reviews_added, again.reviews_already_there) == (0, 2)
    assert laptop.review_count() == 5
    assert laptop.note("q1") == "newer note" and laptop.is_flagged("q3")

    # The schedule is what one machine would have had if it had seen every review in order.
    reference = ProgressStore(tmp_path / "reference" / "progress.sqlite")
    for review in sorted(laptop.reviews(), key=lambda r: r.answered_at):
        reference.record_answer(review.question_id, review.chosen, review.correct, guessed=review.guessed,
                                answered_at=datetime.fromisoformat(review.answered_at))
    for question in ("q1", "q2", "q3"):
        assert laptop.schedule(question) == reference.schedule(question)
    assert {d.id for d in desktop.reviews()} <= {r.id for r in laptop.reviews()}


@pytest.mark.parametrize("content, message", [
    ("{", "not a CalciQuiz progress file"),
    ('{"format": "something-else"}', "not a CalciQuiz progress file"),
    ('{"format": "calciquiz-progress", "version": 99, "reviews": [], "notes": [], "flags": []}', "version 99"),
    ('{"format": "calciquiz-progress", "version": 1, "reviews": [{"id": "x"}], "notes": [], "flags": []}', "lacks"),
])
def test_a_bad_progress_file_is_refused_and_changes_nothing(tmp_path: Path, content: str, message: str):
    store = ProgressStore(tmp_path / "progress.sqlite")
    study(store, T0, [("q1", True)])
    source = tmp_path / "in.json"
    source.write_text(content)
    with pytest.raises(ExchangeError, match=message):
        import_progress(store, source)
    assert store.review_count() == 1


def test_export_is_readable_json(tmp_path: Path):
    store = ProgressStore(tmp_path / "progress.sqlite")
    study(store, T0, [("q1", True)])
    export_progress(store, tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["format"] == "calciquiz-progress" and data["reviews"][0]["question_id"] == "q1"


def test_a_cancelled_import_changes_nothing(tmp_path: Path):
    from calciquiz.core.progress import Cancelled

    mine = ProgressStore(tmp_path / "mine" / "progress.sqlite")
    other = ProgressStore(tmp_path / "other" / "progress.sqlite")
    study(mine, T0, [("q1", True)])
    study(other, T0, [("q2", False), ("q3", True)])
    export_progress(other, tmp_path / "other.json")
    seen = []
    with pytest.raises(Cancelled):
        import_progress(mine, tmp_path / "other.json", on_progress=lambda done, total: (seen.append(total), False)[1])
    assert seen == [3]
    assert mine.review_count() == 1 and mine.schedule("q2") is None
