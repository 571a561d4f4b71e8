"""A subject is files only: a second one builds beside calcinosis cutis, is checked per subject, and never
shares progress with it."""
from __future__ import annotations

import json
import shutil
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.bank import Bank, build_bank
from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.exchange import import_progress
from calciquiz.core.problems import InputError
from calciquiz.core.progress import ProgressStore
from calciquiz.core.schema import migrations_up_to
from calciquiz.core.study import StudySession
from calciquiz.core.subjects import find_subjects, read_subject
from tests.helpers import CALCINOSIS, WOUNDS, query

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SHARED_ID = "cls-most-common-type"  # written in both subjects' files


@pytest.fixture
def subjects_root(tmp_path: Path) -> Path:
    """A folder of two subject folders, as an instructor keeps them."""
    root = tmp_path / "subjects"
    shutil.copytree(CALCINOSIS, root / "calcinosis-cutis")
    shutil.copytree(WOUNDS, root / "wound-healing")
    return root


@pytest.fixture(scope="module")
def two_subject_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("two") / "bank.sqlite"
    build_bank([CALCINOSIS, WOUNDS], out)
    return out


@pytest.fixture
def collection(two_subject_bank: Path, tmp_path: Path):
    target = tmp_path / "bank.sqlite"
    shutil.copy(two_subject_bank, target)
    with Collection(target, tmp_path / "progress.sqlite") as opened:
        yield opened


def test_a_second_subject_made_only_of_files_builds_with_calcinosis_into_one_bank(two_subject_bank: Path):
    with closing(Bank(two_subject_bank)) as bank:
        assert [(s.id, s.title, s.topics) for s in bank.subjects()][1] == (
            "wound-healing", "Wound healing", ("phases", "repair"))
        assert bank.subjects()[0].title == "Calcinosis cutis" and "calciphylaxis" in bank.subjects()[0].topics
        assert bank.question_count("wound-healing") == 2
        assert bank.question_count() == bank.question_count("calcinosis-cutis") + 2
        ours, theirs = bank.question(f"wound-healing/{SHARED_ID}"), bank.question(f"calcinosis-cutis/{SHARED_ID}")
        assert (ours.subject, ours.local_id, ours.set_id) == ("wound-healing", SHARED_ID, "wound-healing/basics")
        assert ours.stem != theirs.stem
        assert ours.evidence[0].document_id == "wound-healing/phases"
        assert [(s.id, s.title, s.file, s.questions) for s in bank.question_sets("wound-healing")] == [
            ("wound-healing/basics", "Wound healing basics", "questions/basics.yaml", 2)]
        assert [d.id for d in bank.documents("wound-healing")] == ["wound-healing/phases"]
        assert {h.document_id for h in bank.search("fibroblasts granulation")} == {"wound-healing/phases"}


def test_build_validate_lint_and_coverage_work_for_all_subjects_and_per_subject(subjects_root: Path,
                                                                                tmp_path: Path):
    run = CliRunner().invoke
    out = tmp_path / "bank.sqlite"
    built = run(cli, ["build", "-s", str(subjects_root), "-o", str(out)])
    assert built.exit_code == 0, built.output
    assert f"built {out}: 2 subjects, " in built.output
    only = run(cli, ["build", "-s", str(subjects_root), "--subject", "wound-healing", "-o", str(out)])
    assert f"built {out}: 1 subject, 2 questions (0 vignettes), 1 document," in only.output

    everything = run(cli, ["validate", "-s", str(subjects_root)])
    assert everything.exit_code == 0
    assert "ok: calcinosis-cutis: " in everything.output and "ok: wound-healing: 2 questions" in everything.output
    one = run(cli, ["validate", "-s", str(subjects_root), "--subject", "wound-healing"])
    assert "ok: wound-healing" in one.output and "calcinosis-cutis:" not in one.output
    folder = run(cli, ["validate", "-s", str(subjects_root / "wound-healing")])  # one subject folder
    assert folder.exit_code == 0 and "ok: wound-healing: 2 questions in 1 set and" in folder.output

    linted = run(cli, ["lint", "-s", str(subjects_root)])
    assert linted.exit_code == 0, linted.output
    assert "wound-healing: 2 questions: 0 errors, 0 warnings" in linted.output
    assert "calcinosis-cutis: " in linted.output

    both = json.loads(run(cli, ["coverage", "--json", "-s", str(subjects_root)]).stdout)["subjects"]
    assert [s["subject"] for s in both] == ["calcinosis-cutis", "wound-healing"]
    (wounds,) = json.loads(run(cli, ["coverage", "--json", "-s", str(subjects_root),
                                     "--subject", "wound-healing"]).stdout)["subjects"]
    assert wounds["topics"] == {"phases": 2, "repair": 1}  # the subject's own taxonomy, in its order
    assert wounds["documents"][0]["id"] == "phases" and wounds["documents"][0]["uncited"] == []
    text = run(cli, ["coverage", "-s", str(subjects_root), "--subject", "wound-healing"]).output
    assert text.startswith("subjects: ") and "Wound healing (wound-healing)" in text

    unknown = run(cli, ["validate", "-s", str(subjects_root), "--subject", "nope"])
    assert unknown.exit_code == 1
    assert "no subject 'nope' here (subjects: calcinosis-cutis, wound-healing)" in unknown.output


def test_an_error_in_the_second_subject_names_its_file_and_line_and_leaves_the_old_bank(subjects_root: Path,
                                                                                      tmp_path: Path):
    out = tmp_path / "bank.sqlite"
    build_bank(find_subjects(subjects_root), out)
    before = out.read_bytes()
    questions = subjects_root / "wound-healing" / "questions" / "basics.yaml"
    text = questions.read_text()
    questions.write_text(text.replace("topics: [repair, phases]", "topics: [repair, dystrophic]"))
    subject_file = subjects_root / "wound-healing" / "subject.yaml"

    result = CliRunner().invoke(cli, ["build", "-s", str(subjects_root), "-o", str(out)])

    assert result.exit_code == 1
    line = text.splitlines().index("    topics: [repair, phases]") + 1
    # A topic of calcinosis cutis is no topic of wound healing: each subject has its own taxonomy.
    assert (f"error: {questions}:{line}: question 'granulation': unknown topic 'dystrophic' (not among the "
            "topics in the subject.yaml of 'wound-healing')") in result.output
    assert f"1 problem found; {out} was not changed" in result.output
    assert out.read_bytes() == before

    subject_file.write_text("title: Wound healing\ntopics: [phases, repair]\ncolour: red\n")
    with pytest.raises(InputError) as caught:
        build_bank(find_subjects(subjects_root), out)
    assert f"{subject_file}:3: unknown field 'colour' (known: title, topics, everyday_words)" in [
        str(p) for p in caught.value.problems]
    assert out.read_bytes() == before


def test_a_subject_yaml_is_checked_line_by_line(tmp_path: Path):
    folder = tmp_path / "bad-subject"
    folder.mkdir()
    (folder / "subject.yaml").write_text("title: ''\ntopics:\n  - phases\n  - Phases\n  - phases\n")
    with pytest.raises(InputError) as caught:
        read_subject(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'subject.yaml'}:1: 'title' must be one line of text of at most 100 characters",
        f"{folder / 'subject.yaml'}:4: topic 'Phases' must be lowercase letters, digits and dashes",
        f"{folder / 'subject.yaml'}:5: 'phases' is listed twice (first on line 3)",
    ]
    stray = tmp_path / "root"
    (stray / "notes").mkdir(parents=True)
    with pytest.raises(InputError, match="no subject.yaml in this folder"):
        find_subjects(stray)


def test_a_subject_yaml_without_a_title_says_the_field_is_missing(tmp_path: Path):
    folder = tmp_path / "no-title"
    folder.mkdir()
    (folder / "subject.yaml").write_text("topics: [phases]\neveryday_words: [wound]\n")
    with pytest.raises(InputError) as caught:
        read_subject(folder)
    assert [str(p) for p in caught.value.problems] == [f"{folder / 'subject.yaml'}:1: missing field 'title'"]


def test_two_subjects_with_the_same_question_id_never_share_progress(collection: Collection):
    ours, theirs = f"wound-healing/{SHARED_ID}", f"calcinosis-cutis/{SHARED_ID}"
    collection.progress.record_answer(ours, 1, False, answered_at=T0)
    collection.progress.set_flag(ours, True)
    assert collection.progress.schedule(theirs) is None and not collection.progress.is_flagged(theirs)
    assert collection.progress.schedule(ours).lapses == 1

    wounds = collection.sched.counts(T0, subject="wound-healing")
    calcinosis = collection.sched.counts(T0, subject="calcinosis-cutis")
    assert (wounds.total, wounds.new, wounds.due_today, wounds.answered_today, wounds.percent) == (2, 1, 1, 1, 0.0)
    assert (calcinosis.new, calcinosis.answered_today, calcinosis.percent) == (calcinosis.total, 0, None)
    overall = collection.sched.counts(T0)
    assert overall.total == wounds.total + calcinosis.total and overall.answered_today == 1
    assert [(s.id, c) for s, c in collection.sched.subject_counts(T0)] == [
        ("calcinosis-cutis", calcinosis), ("wound-healing", wounds)]


def test_studying_within_a_subject_offers_only_its_questions(collection: Collection):
    later = T0 + timedelta(days=1)
    session = StudySession(collection, now=lambda: later, subject="wound-healing")
    seen = []
    while (shown := session.next()) is not None and len(seen) < 10:
        seen.append(shown.question.id)
        session.answer(shown.correct_display_index)
    assert sorted(set(seen)) == [f"wound-healing/{SHARED_ID}", "wound-healing/granulation"]
    assert collection.sched.next_question(later, subject="wound-healing") is None  # both answered, none due
    found, is_new = collection.sched.next_question(later, subject="calcinosis-cutis")
    assert found.startswith("calcinosis-cutis/") and is_new


def test_the_collections_parts_answer_per_subject(collection: Collection):
    """The subjects, their sets, documents, counts and progress figures, through the door's parts."""
    assert [s.id for s in collection.questions.subjects()] == ["calcinosis-cutis", "wound-healing"]
    assert [s.id for s in collection.questions.sets("wound-healing")] == ["wound-healing/basics"]
    assert [d.id for d in collection.questions.documents("wound-healing")] == ["wound-healing/phases"]
    assert collection.questions.count("wound-healing") == 2
    collection.sched.record_answer(f"wound-healing/{SHARED_ID}", 1, False, answered_at=T0)
    wounds = collection.stats.summary(T0, subject="wound-healing")
    assert (wounds.seen, wounds.unseen, wounds.answers, wounds.correct, wounds.due_today) == (1, 1, 1, 0, 1)
    assert {t.topic for t in wounds.topics} == {"wound-healing/phases", "wound-healing/repair"}
    calcinosis = collection.stats.summary(T0, subject="calcinosis-cutis")
    assert (calcinosis.seen, calcinosis.answers, calcinosis.due_today) == (0, 0, 0)
    assert all(t.subject == "calcinosis-cutis" for t in collection.stats.topics("calcinosis-cutis"))
    overall = collection.stats.summary(T0)
    assert (overall.seen, overall.unseen) == (1, collection.questions.count() - 1)


def test_block_filters_choose_by_subject_set_and_subject_topic(collection: Collection):
    count = collection.blocks.count
    assert count(BlockFilter(subjects=frozenset({"wound-healing"}))) == 2
    assert count(BlockFilter(sets=frozenset({"wound-healing/basics"}))) == 2
    assert count(BlockFilter(topics=frozenset({"wound-healing/repair"}))) == 1
    # The topic's name alone would match nothing: topics are named with their subject.
    assert count(BlockFilter(topics=frozenset({"repair"}))) == 0
    both = BlockFilter(topics=frozenset({"wound-healing/phases", "calcinosis-cutis/treatment"}))
    treatment = count(BlockFilter(topics=frozenset({"calcinosis-cutis/treatment"})))
    assert count(both) == 2 + treatment
    assert count(BlockFilter(subjects=frozenset({"wound-healing"}), topics=both.topics)) == 2
    chosen = collection.blocks.questions(BlockFilter(subjects=frozenset({"wound-healing"}),
                                                     kinds=frozenset({"mcq"})), 10, seed="s")
    assert sorted(chosen) == [f"wound-healing/{SHARED_ID}", "wound-healing/granulation"]
    topics = dict(collection.blocks.topics("wound-healing"))
    assert topics == {"wound-healing/phases": 2, "wound-healing/repair": 1}
    assert list(dict(collection.blocks.topics()))[0].startswith("calcinosis-cutis/")


def test_a_progress_file_from_before_subjects_opens_with_its_history_under_qualified_ids(
        bank_copy: Path, tmp_path: Path):
    from calciquiz.core import safekeeping
    from calciquiz.core.schema import AGGREGATE_SQL

    path = tmp_path / "progress.sqlite"
    db = sqlite_utils.Database(path)
    migrations_up_to(4).apply(db)  # the schema every release before subjects left
    db["reviews"].insert({"id": "r1", "question_id": SHARED_ID, "chosen": 1, "correct": 0, "guessed": 0,
                          "rating": 1, "time_taken_ms": 900, "answered_at": T0.isoformat(), "mode": "exam",
                          "session_id": "b1", "shown_order": "1,0,2,3,4"})
    db["cards"].insert({"question_id": SHARED_ID, "state": 1, "step": 0, "stability": 0.4, "difficulty": 7.0,
                        "due": (T0 + timedelta(minutes=1)).isoformat(), "last_review": T0.isoformat(), "reps": 1,
                        "lapses": 1})
    for statement in AGGREGATE_SQL:
        db.execute(statement)
    db["flags"].insert({"question_id": SHARED_ID, "flagged_at": T0.isoformat()})
    db["notes"].insert({"question_id": SHARED_ID, "text": "Medscape says four types.", "updated_at": T0.isoformat()})
    db["exam_blocks"].insert({"id": "b1", "created_at": T0.isoformat(), "finished_at": T0.isoformat(),
                              "time_limit_s": 90, "time_used_s": 30.0, "question_ids": json.dumps([SHARED_ID]),
                              "description": "old block", "state": "finished"})
    db["exam_answers"].insert({"block_id": "b1", "position": 0, "question_id": SHARED_ID, "chosen": 1,
                               "marked": 0, "shown_order": "1,0,2,3,4", "time_ms": 30000, "review_id": "r1"})
    db["orphans"].insert({"question_id": SHARED_ID})  # derived for some other bank: must be recounted
    db["progress_meta"].insert({"key": "orphans_bank", "value": "another-bank"})
    db.close()

    qualified = f"calcinosis-cutis/{SHARED_ID}"
    with Collection(bank_copy, path) as collection:
        store = collection.progress
        assert [(r.id, r.question_id) for r in store.reviews()] == [("r1", qualified)]
        assert store.schedule(qualified).lapses == 1 and store.schedule(SHARED_ID) is None
        assert store.is_flagged(qualified) and store.note(qualified) == "Medscape says four types."
        assert store.db.execute("select question_id, answers from question_stats").fetchall() == [(qualified, 1)]
        assert json.loads(store.db.execute("select question_ids from exam_blocks").fetchone()[0]) == [qualified]
        (block,) = collection.exams.history()
        assert (block["description"], block["total"]) == ("old block", 1)
        assert collection.exams.report("b1").items[0].question.id == qualified
        counts = collection.sched.counts(T0)
        assert (counts.new, counts.due_today, counts.answers, counts.correct) == (counts.total - 1, 1, 1, 0)
        rebuilt = store.rebuild_schedule()  # the log replays to the same schedule, under the new id
        assert rebuilt == 1 and store.schedule(qualified).reps == 1
    backups = safekeeping.list_backups(path)
    assert backups, "no backup before the migration"
    assert query(backups[-1].path, "select question_id from reviews") == [(SHARED_ID,)]


def test_a_version_1_progress_export_imports_under_qualified_ids(tmp_path: Path):
    source = tmp_path / "old-export.json"
    source.write_text(json.dumps({
        "format": "calciquiz-progress", "version": 1, "exported_by": "calciquiz 0.1.0",
        "reviews": [{"id": "r1", "question_id": SHARED_ID, "chosen": 0, "correct": 1, "guessed": 0, "rating": 3,
                     "time_taken_ms": 1500, "answered_at": T0.isoformat(), "mode": "study", "session_id": "s1",
                     "shown_order": "0,1,2"}],
        "notes": [{"question_id": SHARED_ID, "text": "a note", "updated_at": T0.isoformat()}],
        "flags": [{"question_id": "crest-features", "flagged_at": T0.isoformat()}],
    }), encoding="utf-8")
    store = ProgressStore(tmp_path / "progress.sqlite")
    try:
        report = import_progress(store, source)
        assert (report.reviews_added, report.notes_updated, report.flags_added) == (1, 1, 1)
        assert [r.question_id for r in store.reviews()] == [f"calcinosis-cutis/{SHARED_ID}"]
        assert store.note(f"calcinosis-cutis/{SHARED_ID}") == "a note"
        assert store.is_flagged("calcinosis-cutis/crest-features")
        assert store.schedule(f"calcinosis-cutis/{SHARED_ID}").reps == 1
        again = import_progress(store, source)  # the same file twice counts nothing twice
        assert (again.reviews_added, again.reviews_already_there) == (0, 1)
    finally:
        store.close()


def test_an_export_carries_qualified_ids_as_version_2(collection: Collection, tmp_path: Path):
    from calciquiz.core.exchange import export_progress

    collection.progress.record_answer(f"wound-healing/{SHARED_ID}", 0, True, answered_at=T0)
    target = tmp_path / "out.json"
    export_progress(collection.progress, target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["reviews"][0]["question_id"] == f"wound-healing/{SHARED_ID}"


def test_the_readme_example_subject_is_complete_and_builds(tmp_path: Path):
    """The README's small subject, copied file by file from its text, validates as it stands."""
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    files = re.findall(r"^`(subjects/wound-healing/[^`]+)`[^\n]*\n(?:[^\n]+\n)*?\n```[a-z]*\n(.*?)```", readme,
                       re.MULTILINE | re.DOTALL)
    assert sorted(name for name, _ in files) == [
        "subjects/wound-healing/documents/catalog.yaml", "subjects/wound-healing/documents/phases.md",
        "subjects/wound-healing/questions/basics.yaml", "subjects/wound-healing/subject.yaml"]
    for name, text in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-s", str(tmp_path / "subjects")])
    assert result.exit_code == 0, result.output
    assert "ok: wound-healing: 2 questions in 1 set and 1 document" in result.output
