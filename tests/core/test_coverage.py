from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.coverage import render_text, subject_coverage
from calciquiz.core.documents import load_documents
from calciquiz.core.subjects import load_subject
from tests.helpers import subject_of


def test_report_counts_and_lists_uncited_and_excused_passages(questions_dir, documents_dir):
    catalog = documents_dir / "catalog.yaml"
    catalog.write_text(catalog.read_text() + "    not_taught:\n      - quote: Surgery may remove painful deposits.\n"
                       "        reason: Too vague to test.\n", encoding="utf-8")
    report = subject_coverage(load_subject(subject_of(questions_dir, documents_dir)))
    assert report.questions == 2
    assert report.kinds == {"mcq": 2}
    assert report.topics["classification"] == 2 and report.topics["treatment"] == 0
    (doc,) = report.documents
    assert (doc.questions, doc.teaching_passages, doc.cited) == (2, 3, 1)
    assert [g.text for g in doc.uncited] == [
        "Calcinosis cutis is a condition in which calcium deposits form in the skin."]
    assert [(g.text, g.reason) for g in doc.not_taught] == [
        ("Surgery may remove painful deposits.", "Too vague to test.")]
    assert report.key_positions == {"5 options": {"A": 2, "B": 0, "C": 0, "D": 0, "E": 0}} or \
        report.key_positions == {"3 options": {"A": 2, "B": 0, "C": 0}}
    text = render_text(report)
    assert "line 3: Calcinosis cutis is a condition" in text
    assert "Too vague to test." in text
    assert "1 teaching passage(s) not cited and not explained." in text


def test_coverage_json_for_scripts(questions_dir, documents_dir):
    result = CliRunner().invoke(cli, ["coverage", "--json", "-s", str(questions_dir.parent)])
    assert result.exit_code == 0
    (data,) = json.loads(result.stdout)["subjects"]
    assert (data["subject"], data["title"], data["questions"]) == ("calcinosis-cutis", "Calcinosis cutis", 2)
    assert data["documents"][0]["id"] == "basics"
    assert data["documents"][0]["uncited"][0]["line"] == 3


def test_a_not_taught_quote_must_be_found(documents_dir):
    catalog = documents_dir / "catalog.yaml"
    catalog.write_text(catalog.read_text() + "    not_taught:\n      - quote: Text that is not there.\n"
                       "        reason: None.\n", encoding="utf-8")
    try:
        load_documents(documents_dir)
    except Exception as error:
        assert f"{catalog}:7: not_taught quote not found word for word" in str(error)
    else:
        raise AssertionError("an unknown not_taught quote was accepted")


def test_the_shipped_bank_cites_every_teaching_passage_or_says_why_not(monkeypatch):
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["coverage", "--json", "--subject", "calcinosis-cutis"])
    (data,) = json.loads(result.stdout)["subjects"]
    assert data["questions"] >= 150
    assert data["kinds"]["vignette"] >= 60
    for document in data["documents"]:
        assert document["uncited"] == [], document["id"]
        assert all(gap["reason"] for gap in document["not_taught"])
    keys = data["key_positions"]["5 options"]
    assert max(keys.values()) - min(keys.values()) <= 0.1 * data["questions"]
    topics = data["topics"]
    assert all(n > 0 for n in topics.values()), topics
