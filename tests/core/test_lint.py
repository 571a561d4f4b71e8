from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.lint import lead_in, lint
from calciquiz.core.subjects import load_subject
from tests.helpers import question_yaml, subject_of

ROOT = Path(__file__).resolve().parents[2]


EVIDENCE = "\n        - document: basics\n          quote: \"{}\""


def options(*texts: str) -> str:
    return "\n".join(f"      - text: \"{t}\"\n        rationale: Because." for t in texts)


def findings_for(tmp_path: Path, documents_dir: Path, *items: str):
    folder = tmp_path / "lint"
    folder.mkdir(exist_ok=True)
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + "".join(items), encoding="utf-8")
    loaded = load_subject(subject_of(folder, documents_dir))
    findings = lint(loaded.questions, folder, loaded.subject.everyday_words, loaded.documents)
    return [(f.severity, f.code, f.accepted_because) for f in findings]


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"options": options("Dystrophic", "Metastatic", "All of the above")}, ("error", "combined-option")),
        ({"options": options("Dystrophic", "Metastatic", "Both A and B")}, ("error", "combined-option")),
        ({"options": options("Dystrophic", "Metastatic", "None of these")}, ("error", "combined-option")),
        ({"stem": "Which type of calcinosis cutis is NOT the most common?"}, ("warning", "negative-lead-in")),
        ({"stem": "Which is the least common type?"}, ("warning", "negative-lead-in")),
        ({"stem": "Name the most common type."}, ("warning", "lead-in-not-question")),
        ({"options": options("Dystrophic", "Always metastatic", "Iatrogenic")}, ("warning", "absolute-word")),
        ({"options": options("Dystrophic calcification of damaged tissue", "Metastatic", "Iatrogenic")},
         ("warning", "key-longest")),
        ({"options": options("Dystrophic", "Metastatic calcification in kidney failure and hyperparathyroidism",
                             "Iatrogenic")},
         ("warning", "uneven-options")),
        ({"stem": "Which type follows tissue damage from trauma?",
          "options": options("Trauma-related dystrophic", "Metastatic", "Iatrogenic")},
         ("warning", "stem-word-in-key")),
        ({"stem": "Which type is listed as the most common?"}, ("warning", "source-attribution")),
        ({"stem": "According to the document, which type is the most common?"}, ("warning", "source-attribution")),
        ({"stem": "Which type does the hospital page name as the most common?"}, ("warning", "source-attribution")),
        ({"evidence": EVIDENCE.format("The main types include:")}, ("warning", "short-evidence")),
        ({"evidence": EVIDENCE.format("Dystrophic calcification")}, ("warning", "short-evidence")),
        ({"evidence": EVIDENCE.format("The main types include:") + EVIDENCE.format("Surgery may remove painful deposits.")},
         ("warning", "short-evidence")),
    ],
)
def test_each_item_flaw_is_reported(tmp_path, documents_dir, overrides, expected):
    found = findings_for(tmp_path, documents_dir, question_yaml("q-one", **overrides))
    assert (expected[0], expected[1], "") in found


def test_a_clean_item_gives_no_finding(tmp_path, documents_dir):
    assert findings_for(tmp_path, documents_dir, question_yaml("q-one")) == []


@pytest.mark.parametrize("overrides", [
    {"stem": "A 50-year-old woman has firm nodules on her fingers. Which best describes her lesions?"},
    {"evidence": EVIDENCE.format("The main types include:") + EVIDENCE.format("Dystrophic calcification")},
    {"evidence": EVIDENCE.format("Calcinosis cutis is a condition in which calcium deposits form in the skin.")},
])
def test_the_new_rules_stay_quiet_on_sound_items(tmp_path, documents_dir, overrides):
    assert findings_for(tmp_path, documents_dir, question_yaml("q-one", **overrides)) == []


def test_a_stem_holding_another_questions_key_is_reported_with_both_questions(tmp_path, documents_dir):
    drug = question_yaml("q-drug", stem="Which drug may help larger lesions?",
                         options=options("Probenecid", "Warfarin", "Ceftriaxone"))
    telling = question_yaml("q-tell", stem="A woman took probenecid for her deposits. Which type is the most common?")
    quiet = question_yaml("q-quiet", stem="A woman took no drugs for her deposits. Which type is the most common?")
    folder = tmp_path / "lint"
    folder.mkdir()
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + drug + telling + quiet, encoding="utf-8")
    loaded = load_subject(subject_of(folder, documents_dir))
    found = [str(f) for f in lint(loaded.questions, folder, loaded.subject.everyday_words, loaded.documents)
             if f.code == "stem-gives-away"]
    assert found == [f"warning: {folder / 'set.yaml'}:21: [stem-gives-away] question 'q-tell': the stem holds the key "
                     f"of question 'q-drug' ({folder / 'set.yaml'}:3): 'Probenecid'"]


def test_an_accepted_warning_carries_its_reason_and_a_stale_one_is_reported(tmp_path, documents_dir):
    accepted = question_yaml(
        "q-one", stem="Which is the least common type?",
        accept_warnings="\n      negative-lead-in: The source ranks only the least common type.",
    )
    stale = question_yaml("q-two", accept_warnings="\n      key-longest: Needed once.")
    found = findings_for(tmp_path, documents_dir, accepted, stale)
    assert ("warning", "negative-lead-in", "The source ranks only the least common type.") in found
    assert ("warning", "stale-acceptance", "") in found


def test_unbalanced_key_positions_are_reported_for_the_bank(tmp_path, documents_dir):
    items = [question_yaml(f"q-{i}") for i in range(8)]  # every key at A
    assert ("warning", "unbalanced-keys", "") in findings_for(tmp_path, documents_dir, *items)
    loaded = load_subject(subject_of(tmp_path / "lint", documents_dir))
    (finding,) = [f for f in lint(loaded.questions, tmp_path / "lint") if f.code == "unbalanced-keys"]
    # A finding of the whole bank names the folder alone (it printed 'lint:None:').
    assert str(finding) == (f"warning: {tmp_path / 'lint'}: [unbalanced-keys] keys of the 8 questions with 3 options "
                            "are unbalanced (A 8, B 0, C 0; about 3 each expected)")


def test_lead_in_is_the_last_sentence_of_the_last_paragraph():
    assert lead_in("A 40-year-old man has nodules. He is well.\n\nLabs are normal. Which is most likely?") == (
        "Which is most likely?"
    )


def test_lint_command_fails_on_errors_and_names_file_and_line(tmp_path, documents_dir):
    folder = documents_dir.parent / "questions"
    folder.mkdir()
    path = folder / "set.yaml"
    path.write_text("title: t\nquestions:\n" + question_yaml(
        "q-one", options=options("Dystrophic", "Metastatic", "All of the above")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "-s", str(documents_dir.parent.parent)])
    assert result.exit_code == 1
    assert (f"error: {path}:13: [combined-option] question 'q-one': option C 'All of the above' combines or "
            "negates other options") in result.output
    assert "calcinosis-cutis: 1 question: 1 error, 0 warnings" in result.output


def test_the_shipped_bank_has_no_lint_errors_and_every_warning_is_accepted_with_a_reason(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 0, result.output
    assert ": 0 errors, 0 warnings" in result.output, result.output
