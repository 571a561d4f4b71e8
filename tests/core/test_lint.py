from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.documents import load_documents
from calciquiz.core.lint import lead_in, lint
from calciquiz.core.questions import load_question_sets
from tests.helpers import question_yaml

ROOT = Path(__file__).resolve().parents[2]


def options(*texts: str) -> str:
    return "\n".join(f"      - text: \"{t}\"\n        rationale: Because." for t in texts)


def findings_for(tmp_path: Path, documents_dir: Path, *items: str):
    folder = tmp_path / "lint"
    folder.mkdir(exist_ok=True)
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + "".join(items), encoding="utf-8")
    questions = load_question_sets([folder], load_documents(documents_dir))
    return [(f.severity, f.code, f.accepted_because) for f in lint(questions, folder)]


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
    ],
)
def test_each_item_flaw_is_reported(tmp_path, documents_dir, overrides, expected):
    found = findings_for(tmp_path, documents_dir, question_yaml("q-one", **overrides))
    assert (expected[0], expected[1], "") in found


def test_a_clean_item_gives_no_finding(tmp_path, documents_dir):
    assert findings_for(tmp_path, documents_dir, question_yaml("q-one")) == []


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


def test_lead_in_is_the_last_sentence_of_the_last_paragraph():
    assert lead_in("A 40-year-old man has nodules. He is well.\n\nLabs are normal. Which is most likely?") == (
        "Which is most likely?"
    )


def test_lint_command_fails_on_errors_and_names_file_and_line(tmp_path, documents_dir):
    folder = tmp_path / "cli"
    folder.mkdir()
    path = folder / "set.yaml"
    path.write_text("title: t\nquestions:\n" + question_yaml(
        "q-one", options=options("Dystrophic", "Metastatic", "All of the above")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "-q", str(path), "-d", str(documents_dir)])
    assert result.exit_code == 1
    assert (f"error: {path}:13: [combined-option] question 'q-one': option C 'All of the above' combines or "
            "negates other options") in result.output
    assert "1 questions: 1 errors, 0 warnings" in result.output


def test_the_shipped_bank_has_no_lint_errors_and_every_warning_is_accepted_with_a_reason(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 0, result.output
    assert ": 0 errors, 0 warnings" in result.output, result.output
