"""Studying many subjects: another bank opened with the same progress, blocks over several subjects and
sets, exam reports whose topics keep their subjects, search within a subject."""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from calciquiz.core.bank import BankOutdated, BankUnusable
from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.exam import ExamItem, ExamReport
from tests.helpers import DIAGNOSIS_SET

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def both(banks: dict[str, Path], tmp_path: Path):
    target = tmp_path / "both.sqlite"
    shutil.copy(banks["both"], target)
    with Collection(target, tmp_path / "progress.sqlite") as opened:
        yield opened


def answer_first_new(collection: Collection, right: bool, subject: str | None = None) -> str:
    question_id, _ = collection.sched.next_question(T0, subject=subject)
    answer = collection.questions.question(question_id).answer
    collection.sched.record_answer(question_id, answer if right else (answer + 1) % 3, right, answered_at=T0)
    return question_id


def test_another_bank_opens_with_the_same_progress_and_both_histories_stay_apart(
        bank_copy: Path, banks: dict[str, Path], tmp_path: Path):
    progress = tmp_path / "progress.sqlite"
    with Collection(bank_copy, progress) as collection:
        calcinosis_answer = answer_first_new(collection, right=False)
        assert (collection.sched.counts(T0).answers, collection.sched.counts(T0).correct) == (1, 0)
        block = collection.exams.start(collection.blocks.questions(BlockFilter(), 2, seed="x"), time_limit_s=60)
        block.choose(0)
        block.submit()
        before, history = collection.sched.counts(T0), collection.exams.history()
        assert before.answers == 2
        assert [(h["id"], h["total"]) for h in history] == [(block.id, 2)]

        collection.open_bank(banks["wounds"])
        assert collection.bank_path == banks["wounds"]
        assert [s.id for s in collection.questions.subjects()] == ["wound-healing"]
        wounds = collection.sched.counts(T0)
        # The calcinosis answer is kept, but it is not this bank's: nothing of it shows here.
        assert (wounds.total, wounds.new, wounds.answers, wounds.due_today, wounds.answered_today) == (2, 2, 0, 0, 0)
        assert collection.stats.summary(T0).seen == 0
        # The exam block taken with the other bank is not this bank's: not listed, not scored as all wrong.
        assert collection.exams.history() == []
        wound_answer = answer_first_new(collection, right=True)
        assert wound_answer.startswith("wound-healing/")
        assert {t.topic: t.answers for t in collection.stats.topics()}["wound-healing/phases"] == 1

        collection.open_bank(bank_copy)
        back = collection.sched.counts(T0)
        assert back == before
        assert collection.sched.schedule(calcinosis_answer) is not None
        # Both histories are in the one progress file, each under its own qualified id.
        assert {r.question_id for r in collection.sched.reviews()} - set(block_ids(block)) == {
            calcinosis_answer, wound_answer}
        assert collection.exams.history() == history
        assert len(collection.exams.report(block.id).items) == 2
        assert collection.stats.summary(T0).seen == len({calcinosis_answer, block_ids(block)[0]})

    with Collection(banks["wounds"], progress) as again:  # and on the next opening of the other bank
        assert again.sched.counts(T0).answers == 1 and again.sched.counts(T0).correct == 1


def block_ids(block) -> list[str]:
    return [item.question.id for item in block.items]


def outdated(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    with sqlite3.connect(target) as db:
        db.execute("update meta set value = '2' where key = 'schema_version'")
    db.close()
    return target


def damaged(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    data[len(data) // 2:len(data) // 2 + 4096] = b"\xff" * 4096  # a page in the middle
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("make, words", [
    (lambda source, target: target, "There is no question bank at"),
    (lambda source, target: (target.write_text("not a bank"), target)[1], "is not a CalciQuiz question bank"),
    (outdated, "built by an earlier CalciQuiz; rebuild it with `calciquiz build`"),
    (damaged, "is damaged; build it again with `calciquiz build`"),
])
def test_a_bank_that_cannot_be_studied_is_refused_in_words_and_nothing_changes(
        both: Collection, banks: dict[str, Path], tmp_path: Path, make, words):
    answer_first_new(both, right=True)
    before = both.sched.counts(T0)
    bad = make(banks["wounds"], tmp_path / "other.sqlite")
    with pytest.raises(BankUnusable, match=words.replace("(", r"\(")) as refused:
        both.open_bank(bad)
    assert str(bad) in str(refused.value)
    assert isinstance(refused.value, BankOutdated) == (make is outdated)
    # Still studying from the bank that was open, which still answers and counts.
    assert both.sched.counts(T0) == before
    answer_first_new(both, right=False, subject="wound-healing")
    assert both.sched.counts(T0, subject="wound-healing").answers == 1


def test_ticked_topics_and_sets_narrow_their_own_subject_only(both: Collection):
    count, questions = both.blocks.count, both.blocks.questions
    wounds = both.questions.count("wound-healing")
    in_set = next(s.questions for s in both.questions.sets("calcinosis-cutis") if s.id == DIAGNOSIS_SET)
    treatment = count(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"})))
    # "This week, the week-3 set": ticked alone, the set alone.
    assert count(BlockFilter(sets=frozenset({DIAGNOSIS_SET}))) == in_set
    # Two subjects ticked, a set of one: that set, and all of the other subject.
    two = frozenset({"calcinosis-cutis", "wound-healing"})
    mixed = BlockFilter(subjects=two, sets=frozenset({DIAGNOSIS_SET}))
    assert count(mixed) == in_set + wounds
    chosen = questions(mixed, 500, seed="s")
    assert len(chosen) == in_set + wounds
    assert {both.questions.question(q).set_id for q in chosen} == {DIAGNOSIS_SET, "wound-healing/basics"}
    # A topic of each subject: the questions of either (from the topic index and the general query alike).
    topics = BlockFilter(topics=frozenset({"calcinosis-cutis/treatment", "wound-healing/repair"}))
    assert count(topics) == treatment + 1 == len(questions(topics, 500, seed="s"))
    # A set of one subject and a topic of the other: each narrows its own.
    crossed = BlockFilter(sets=frozenset({DIAGNOSIS_SET}), topics=frozenset({"wound-healing/repair"}))
    assert count(crossed) == in_set + 1 == len(questions(crossed, 500, seed="s"))
    # Within a set, a topic of its subject narrows further; the index and the general query agree.
    narrow = BlockFilter(sets=frozenset({DIAGNOSIS_SET}), topics=frozenset({"calcinosis-cutis/treatment"}))
    assert 0 < count(narrow) < in_set and count(narrow) == len(questions(narrow, 500, seed="s"))
    # Subjects ticked are the pool: a topic of another subject adds nothing.
    assert count(BlockFilter(subjects=frozenset({"wound-healing"}),
                             topics=frozenset({"calcinosis-cutis/treatment"}))) == wounds
    assert mixed.describe({"calcinosis-cutis": "Calcinosis cutis", "wound-healing": "Wound healing",
                           DIAGNOSIS_SET: "Diagnosis, treatment and outlook"}).startswith(
        "Calcinosis cutis and Wound healing; Diagnosis, treatment and outlook; all topics")
    assert topics.describe({"calcinosis-cutis": "Calcinosis cutis", "wound-healing": "Wound healing"}) == (
        "Calcinosis cutis · treatment, Wound healing · repair; any status; all kinds")


def test_an_exam_report_keeps_two_subjects_topics_of_the_same_name_apart(both: Collection):
    wound = both.questions.question("wound-healing/granulation")
    calcinosis_id = both.blocks.questions(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"})), 1, "s")[0]
    calcinosis = both.questions.question(calcinosis_id)
    # Wound healing given a topic named as calcinosis cutis's "treatment".
    wound = dataclasses.replace(wound, topics=("treatment",))
    items = [ExamItem(calcinosis, (0, 1, 2, 3, 4), chosen=calcinosis.answer),
             ExamItem(wound, (0, 1, 2), chosen=(wound.answer + 1) % 3)]
    report = ExamReport("b", "", "", 60, 30.0, items)
    scores = {(s.subject, s.topic): (s.correct, s.total) for s in report.by_topic()}
    assert scores[("calcinosis-cutis", "treatment")] == (1, 1)
    assert scores[("wound-healing", "treatment")] == (0, 1)
    assert report.subjects == ["calcinosis-cutis", "wound-healing"]


def test_search_within_one_subject_finds_only_its_documents(both: Collection):
    assert {h.document_id for h in both.questions.search("granulation")} == {"wound-healing/phases"}
    assert both.questions.search("granulation", subject="calcinosis-cutis") == []
    calcium = both.questions.search("calcium", subject="calcinosis-cutis")
    assert calcium and all(h.document_id.startswith("calcinosis-cutis/") for h in calcium)
    assert both.questions.search("calcium", subject="wound-healing") == []
