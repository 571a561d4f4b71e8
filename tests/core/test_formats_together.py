"""The formats as an instructor meets them together: the README's example files, convert from each, exports of auto-links."""
from __future__ import annotations

import re
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.bank import Bank
from tests.helpers import CALCINOSIS, ROOT, query

README_EXAMPLES = ROOT / "tests" / "fixtures" / "formats" / "readme"
# The names the README gives the example files in a subject's questions/ folder.
AS_NAMED = {"example.xml": "moodle-export.xml", "example.gift": "gift-export.gift",
            "example-aiken.txt": "aiken-quiz.txt", "example.csv": "spreadsheet.csv"}


def subject_with(root: Path, files: dict[str, str]) -> Path:
    folder = root / "subjects" / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, folder, ignore=shutil.ignore_patterns("questions"))
    (folder / "questions").mkdir()
    for name, text in files.items():
        (folder / "questions" / name).write_text(text, encoding="utf-8")
    return folder


def whole(bank: Path) -> list[tuple]:
    """Each question as a resident meets it, with its evidence (auto-linked or not)."""
    ids = [row[0] for row in query(bank, "select id from questions order by id")]
    with closing(Bank(bank)) as opened:
        questions = [opened.question(i) for i in ids]
    return [(q.local_id, q.kind, q.skill, q.topics, q.stem, [(o.text, o.rationale) for o in q.options], q.answer,
             q.explanation, q.learning_point, [(e.document_id, e.quote, e.auto) for e in q.evidence])
            for q in questions]


def test_each_example_file_in_the_readme_is_the_fixture_and_together_they_build_as_the_readme_shows(
        tmp_path: Path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in AS_NAMED:
        assert (README_EXAMPLES / name).read_text(encoding="utf-8").rstrip() in readme, name
    assert (README_EXAMPLES / "csv-columns.md").read_text(encoding="utf-8").split("\n", 2)[2].rstrip() in readme
    subject_with(tmp_path, {AS_NAMED[n]: (README_EXAMPLES / n).read_text(encoding="utf-8") for n in AS_NAMED})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    shown = re.search(r"```\n\$ calciquiz build\n(subjects: subjects\nskipped: .*?)```", readme, re.S).group(1)
    assert result.output.splitlines()[:4] == shown.splitlines()


@pytest.mark.parametrize("name", list(AS_NAMED))
def test_convert_makes_a_yaml_set_that_builds_into_the_same_questions(tmp_path: Path, name: str):
    source = subject_with(tmp_path / "source", {AS_NAMED[name]: (README_EXAMPLES / name).read_text(encoding="utf-8")})
    assert CliRunner().invoke(cli, ["build", "-s", str(source), "-o", str(tmp_path / "source.sqlite")]).exit_code == 0
    converted = subject_with(tmp_path / "converted", {})
    output = converted / "questions" / Path(AS_NAMED[name]).with_suffix(".yaml").name
    result = CliRunner().invoke(cli, ["convert", str(source / "questions" / AS_NAMED[name]), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert CliRunner().invoke(cli, ["build", "-s", str(converted), "-o", str(tmp_path / "yaml.sqlite")]).exit_code == 0
    assert whole(tmp_path / "yaml.sqlite") == whole(tmp_path / "source.sqlite")


@pytest.mark.parametrize("export_as,suffix", [("moodle-xml", ".xml"), ("gift", ".gift")])
def test_an_export_leaves_auto_linked_evidence_out_so_it_comes_back_linked_not_as_if_checked(
        tmp_path: Path, export_as: str, suffix: str):
    yaml_set = ("title: t\nquestions:\n  - id: minocycline-crest\n    topics: [treatment]\n"
                "    stem: A 2003 study found that a low dose of which drug relieved the pain and extent of lesions in "
                "people with CREST syndrome?\n    options:\n      - text: Minocycline\n      - text: Warfarin\n"
                "      - text: Diltiazem\n    answer: A\n")
    source = subject_with(tmp_path / "source", {"set.yaml": yaml_set})
    assert CliRunner().invoke(cli, ["build", "-s", str(source), "-o", str(tmp_path / "a.sqlite")]).exit_code == 0
    before = whole(tmp_path / "a.sqlite")
    assert [e[2] for e in before[0][-1]] == [True]
    exported = tmp_path / f"out{suffix}"
    result = CliRunner().invoke(cli, ["export", export_as, str(exported), "-s", str(source)])
    assert result.exit_code == 0, result.output
    assert "2003 study reported" not in exported.read_text(encoding="utf-8")
    again = subject_with(tmp_path / "again", {exported.name: exported.read_text(encoding="utf-8")})
    assert CliRunner().invoke(cli, ["build", "-s", str(again), "-o", str(tmp_path / "b.sqlite")]).exit_code == 0
    assert whole(tmp_path / "b.sqlite") == before


def test_a_file_of_many_skipped_questions_lists_the_first_fifty_and_counts_the_rest(tmp_path: Path):
    essays = "".join(f"::Essay {n}::Describe the four types of calcinosis cutis. {{}}\n\n" for n in range(1, 121))
    kept = "::Kept::Which type of calcinosis cutis is the most common? {=Dystrophic ~Metastatic ~Idiopathic}\n"
    folder = subject_with(tmp_path, {"many.gift": essays + kept})
    result = CliRunner().invoke(cli, ["build", "-s", str(folder), "-o", str(tmp_path / "bank.sqlite")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    path = folder / "questions" / "many.gift"
    assert len(lines) == 51
    assert lines[0] == f"skipped: {path}:1: essay question 'Essay 1' (CalciQuiz asks single-best-answer questions only)"
    assert lines[-1] == f"skipped: {path}: ... and 70 more in this file"
    assert "120 items left out of the bank (listed above)" in result.output


def test_a_converted_set_left_beside_its_source_is_named_with_the_file_it_clashes_with(tmp_path: Path):
    # The convert command says to move the source out; an instructor who forgets gets one clear error.
    example = (README_EXAMPLES / "example.csv").read_text(encoding="utf-8")
    folder = subject_with(tmp_path, {"spreadsheet.csv": example})
    result = CliRunner().invoke(cli, ["convert", str(folder / "questions" / "spreadsheet.csv"),
                                      "-o", str(folder / "questions" / "spreadsheet.yaml")])
    assert result.exit_code == 0, result.output
    bank = tmp_path / "bank.sqlite"
    result = CliRunner().invoke(cli, ["build", "-s", str(folder), "-o", str(bank)])
    assert result.exit_code == 1
    questions = folder / "questions"
    # The name first: it is the cause of the repeated ids, which could fill the file's cap of messages.
    assert result.stderr.splitlines()[1:] == [
        f"error: {questions / 'spreadsheet.yaml'}:1: questions/spreadsheet.csv has the same name but for its suffix, "
        "and both would be the set 'calcinosis-cutis/spreadsheet'; move one of them out of the folder or rename it",
        f"error: {questions / 'spreadsheet.yaml'}:6: duplicate id 'ex-four-types' (also in "
        f"{questions / 'spreadsheet.csv'}:2)",
        f"error: {questions / 'spreadsheet.yaml'}:27: duplicate id 'ex-heel-stick-newborn' (also in "
        f"{questions / 'spreadsheet.csv'}:3)",
        f"3 problems found; {bank} was not changed"]
    assert not bank.exists()
