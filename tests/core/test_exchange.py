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


def test_merging_two_machines_loses_no_review_counts_none_twice_and_rebuilds_schedules(tmp_path: Path, open_store):
    laptop = open_store(tmp_path / "laptop" / "progress.sqlite")
    desktop = open_store(tmp_path / "desktop" / "progress.sqlite")
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
    reference = open_store(tmp_path / "reference" / "progress.sqlite")
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
def test_a_bad_progress_file_is_refused_and_changes_nothing(tmp_path: Path, content: str, message: str, open_store):
    store = open_store(tmp_path / "progress.sqlite")
    study(store, T0, [("q1", True)])
    source = tmp_path / "in.json"
    source.write_text(content)
    with pytest.raises(ExchangeError, match=message):
        import_progress(store, source)
    assert store.review_count() == 1


def test_export_is_readable_json(tmp_path: Path, open_store):
    store = open_store(tmp_path / "progress.sqlite")
    study(store, T0, [("q1", True)])
    export_progress(store, tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["format"] == "calciquiz-progress" and data["reviews"][0]["question_id"] == "q1"


def test_a_cancelled_import_changes_nothing(tmp_path: Path, open_store):
    from calciquiz.core.progress import Cancelled

    mine = open_store(tmp_path / "mine" / "progress.sqlite")
    other = open_store(tmp_path / "other" / "progress.sqlite")
    study(mine, T0, [("q1", True)])
    study(other, T0, [("q2", False), ("q3", True)])
    export_progress(other, tmp_path / "other.json")
    seen = []
    with pytest.raises(Cancelled):
        import_progress(mine, tmp_path / "other.json", on_progress=lambda done, total: (seen.append(total), False)[1])
    assert seen == [3]
    assert mine.review_count() == 1 and mine.schedule("q2") is None


def replay_schedules(store: ProgressStore, reference: ProgressStore) -> ProgressStore:
    """`reference`, an empty store, made into one machine that saw every review of `store` in time order."""
    for review in store.reviews():
        reference.record_answer(review.question_id, review.chosen, review.correct, guessed=review.guessed,
                                answered_at=datetime.fromisoformat(review.answered_at))
    return reference


def test_a_review_dated_in_the_future_is_refused_and_answering_afterwards_matches_a_replay(tmp_path: Path,
                                                                                          open_store):
    mine = open_store(tmp_path / "mine" / "progress.sqlite")
    other = open_store(tmp_path / "other" / "progress.sqlite")
    study(mine, T0, [("q1", True)])
    # The attacker's review was dated 2030; a date as far ahead of today keeps this test true after 2030.
    ahead = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=4 * 365)
    other.record_answer("q1", 0, True, answered_at=ahead)
    export_progress(other, tmp_path / "other.json")

    with pytest.raises(ExchangeError) as refused:
        import_progress(mine, tmp_path / "other.json")
    review_id = other.reviews()[0].id
    assert str(refused.value) == (f"{tmp_path / 'other.json'}: review 1 (id '{review_id}'): answered_at "
                                  f"'{ahead.isoformat(timespec='microseconds')}' is in the future; check this "
                                  "computer's clock and the one that exported the file")
    assert mine.review_count() == 1

    mine.record_answer("q1", 0, False)  # answered now, after the refused import
    replayed = replay_schedules(mine, open_store(tmp_path / "replay" / "progress.sqlite"))
    assert mine.schedule("q1") == replayed.schedule("q1")


def test_answering_after_importing_past_reviews_keeps_the_schedule_a_replay_of_the_log(tmp_path: Path,
                                                                                       open_store):
    mine = open_store(tmp_path / "mine" / "progress.sqlite")
    other = open_store(tmp_path / "other" / "progress.sqlite")
    study(mine, T0, [("q1", True), ("q2", False)])
    # The other machine answered q1 in between and q2 later, with its clock in another time zone.
    other.record_answer("q1", 1, False, answered_at=T0 + timedelta(minutes=30))
    other.record_answer("q2", 0, True, guessed=True, answered_at=T0 + timedelta(hours=3))
    export_progress(other, tmp_path / "other.json")
    data = json.loads((tmp_path / "other.json").read_text())
    data["reviews"][0]["answered_at"] = "2026-03-02T23:30:00+14:00"  # the same moment as written in Kiribati
    (tmp_path / "other.json").write_text(json.dumps(data))
    import_progress(mine, tmp_path / "other.json")

    mine.record_answer("q1", 0, True)
    mine.record_answer("q2", 0, True)
    reference = replay_schedules(mine, open_store(tmp_path / "replay" / "progress.sqlite"))
    assert [mine.schedule(q) for q in ("q1", "q2")] == [reference.schedule(q) for q in ("q1", "q2")]
    assert [r.answered_at for r in mine.reviews("q1")][:2] == [
        "2026-03-02T09:00:00.000000+00:00", "2026-03-02T09:30:00.000000+00:00"]
