from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from fsrs import Rating

from calciquiz.core.bank import build_bank
from calciquiz.core.collection import Collection
from tests.helpers import query, question_yaml, subject_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_answer_appends_a_review_row_and_updates_the_schedule(tmp_path: Path, open_store):
    store = open_store(tmp_path / "progress.sqlite")
    record, schedule = store.record_answer("q-one", 2, False, time_taken_ms=4200, mode="study",
                                           session_id="s1", shown_order="2,0,1", answered_at=T0)
    rows = query(tmp_path / "progress.sqlite",
                 "select question_id, chosen, correct, guessed, rating, time_taken_ms, mode, session_id, shown_order,"
                 " answered_at from reviews")
    assert rows == [("q-one", 2, 0, 0, int(Rating.Again), 4200, "study", "s1", "2,0,1", "2026-03-02T09:00:00.000000+00:00")]
    assert schedule.reps == 1 and schedule.lapses == 1
    assert schedule.due > T0


def test_ratings_wrong_is_again_right_is_good_guess_is_hard(tmp_path: Path, open_store):
    store = open_store(tmp_path / "p.sqlite")
    assert store.record_answer("a", 0, False, answered_at=T0)[0].rating == Rating.Again
    assert store.record_answer("b", 0, True, answered_at=T0)[0].rating == Rating.Good
    assert store.record_answer("c", 0, True, guessed=True, answered_at=T0)[0].rating == Rating.Hard
    good, hard = store.schedule("b"), store.schedule("c")
    assert hard.due <= good.due


def test_schedule_rebuilt_from_the_log_is_identical(tmp_path: Path, open_store):
    store = open_store(tmp_path / "p.sqlite")
    moment = T0
    for i, correct in enumerate([True, True, False, True, True, True]):
        store.record_answer("q", 0, correct, answered_at=moment)
        store.record_answer(f"other-{i}", 1, not correct, answered_at=moment)
        moment += timedelta(days=3)
    before = {qid: store.schedule(qid) for qid in ["q"] + [f"other-{i}" for i in range(6)]}
    store.db.execute("update cards set due = '1999-01-01T00:00:00+00:00'")  # damage the cache
    assert store.rebuild_schedule() == 7
    assert {qid: store.schedule(qid) for qid in before} == before


def test_rebuilding_the_bank_keeps_progress_and_a_removed_question_keeps_its_history(
    tmp_path: Path, documents_dir: Path
):
    questions = tmp_path / "q"
    questions.mkdir()
    path = questions / "set.yaml"
    path.write_text("title: t\nquestions:\n" + question_yaml("q-one") + question_yaml("q-two"), encoding="utf-8")
    bank = tmp_path / "bank.sqlite"
    build_bank([subject_of(questions, documents_dir)], bank)
    progress = tmp_path / "progress.sqlite"
    with Collection(bank, progress) as collection:
        collection.progress.record_answer("calcinosis-cutis/q-one", 0, True, answered_at=T0)
        collection.progress.record_answer("calcinosis-cutis/q-two", 1, False, answered_at=T0)
        assert collection.sched.counts(T0).new == 0

    path.write_text("title: t\nquestions:\n" + question_yaml("q-one") + question_yaml("q-three"), encoding="utf-8")
    build_bank([subject_of(questions, documents_dir)], bank)

    with Collection(bank, progress) as collection:
        assert [r.question_id for r in collection.progress.reviews()] == ["calcinosis-cutis/q-one",
                                                                          "calcinosis-cutis/q-two"]
        counts = collection.sched.counts(T0 + timedelta(days=30))
        assert (counts.total, counts.new, counts.due_today) == (2, 1, 1)  # q-two is not counted
        seen = set()
        now = T0 + timedelta(days=30)
        while (found := collection.sched.next_question(now, avoid=None)) is not None:
            seen.add(found[0])
            collection.progress.record_answer(found[0], 0, True, answered_at=now)
        assert seen == {"calcinosis-cutis/q-one", "calcinosis-cutis/q-three"}


def test_marking_a_guess_after_answering_amends_the_log_and_the_schedule(tmp_path: Path, open_store):
    store = open_store(tmp_path / "p.sqlite")
    record, good = store.record_answer("q", 0, True, answered_at=T0)
    hard = store.set_guessed(record.id, True)
    assert store.reviews("q")[0].rating == Rating.Hard and store.reviews("q")[0].guessed
    assert hard.due < good.due
    other = open_store(tmp_path / "other.sqlite")
    other.record_answer("q", 0, True, guessed=True, answered_at=T0)
    assert other.schedule("q") == hard  # the same as if it had been marked before submitting
    assert store.set_guessed(record.id, False) == good


def test_an_answer_older_than_the_last_logged_review_keeps_the_schedule_a_replay_of_the_log(tmp_path: Path,
                                                                                           open_store):
    # An import may bring a review stamped a few minutes ahead of this clock (the tolerance for
    # another machine's clock); answering the same question here before then must not leave a
    # schedule that a rebuild from the log would change.
    store = open_store(tmp_path / "progress.sqlite")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    store.record_answer("q1", 0, True, answered_at=now - timedelta(days=3))
    store.record_answer("q1", 1, False, answered_at=now + timedelta(minutes=8))  # the imported, early-stamped one
    store.record_answer("q1", 0, True, answered_at=now)
    kept = store.schedule("q1")
    store.rebuild_schedule()
    assert store.schedule("q1") == kept
    assert (kept.reps, kept.lapses) == (3, 1)
