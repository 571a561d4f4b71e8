"""`calciquiz lint` lists auto-linked and unfinished questions; `calciquiz link` shows candidates and keeps one."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core import formats
from calciquiz.core.formats import yaml_set
from tests.helpers import question_yaml

AUTO = question_yaml("q-auto", evidence=None)
BARE = question_yaml("q-bare", stem="Which type of calcinosis cutis follows high calcium in the blood?",
                     options="      - text: Metastatic\n      - text: Dystrophic\n", answer="A",
                     explanation=None, learning_point=None)
SET_TEXT = ("# Kept by the instructor: this comment and the layout must survive --accept.\n"
            "title: Test set\nquestions:\n" + question_yaml("q-one") + AUTO
            + "    # a comment at the end of q-auto\n\n" + BARE)


@pytest.fixture
def subject(questions_dir: Path, documents_dir: Path) -> Path:
    (questions_dir / "set.yaml").write_text(SET_TEXT, encoding="utf-8")
    return questions_dir.parent


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_lint_lists_auto_linked_questions_and_missing_teaching_fields(subject: Path):
    result = run("lint", "-s", str(subject))
    path = subject / "questions" / "set.yaml"
    auto_line = 4 + question_yaml("q-one").count("\n")
    bare_line = auto_line + AUTO.count("\n") + 2
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if "[auto-linked]" in line or "[no-" in line] == [
        f"warning: {path}:{auto_line}: [auto-linked] question 'q-auto': evidence linked automatically to basics: "
        "\"The main types include: • Dystrophic calcification is …\"; check it with `calciquiz link q-auto` "
        "and keep it with --accept",
        f"warning: {path}:{bare_line}: [no-explanation] question 'q-bare': no explanation",
        f"warning: {path}:{bare_line}: [no-learning-point] question 'q-bare': no learning point",
        f"warning: {path}:{bare_line}: [no-rationale] question 'q-bare': no rationale for option(s) A, B",
    ]


def test_link_prints_the_top_three_candidates_of_a_question(subject: Path):
    result = run("link", "q-auto", "-s", str(subject))
    path = subject / "questions" / "set.yaml"
    line = 4 + question_yaml("q-one").count("\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"q-auto ({path}:{line}): linked automatically\n"
        "  1. 0.540  basics § Types\n"
        "     \"The main types include: • Dystrophic calcification is the most common type.\"\n"
        "  2. 0.103  basics § Calcinosis Basics\n"
        "     \"Calcinosis cutis is a condition in which calcium deposits form in the skin.\"\n"
    )


def test_accept_writes_the_quote_into_the_set_keeping_comments_and_then_it_is_checked_evidence(
        subject: Path, tmp_path: Path):
    path = subject / "questions" / "set.yaml"
    result = run("link", "q-auto", "--accept", "-s", str(subject))
    assert result.exit_code == 0, result.output
    evidence = ("    evidence:\n      - document: basics\n"
                "        quote: \"The main types include: • Dystrophic calcification is the most common type.\"\n")
    assert path.read_text(encoding="utf-8") == SET_TEXT.replace(
        AUTO + "    # a comment", AUTO + evidence + "    # a comment")
    out = tmp_path / "bank.sqlite"
    assert run("build", "-s", str(subject), "-o", str(out)).exit_code == 0
    from contextlib import closing

    from calciquiz.core.bank import Bank
    with closing(Bank(out)) as bank:
        (written,) = bank.question("calcinosis-cutis/q-auto").evidence
    assert (written.auto, written.quote) == (False, "The main types include: • Dystrophic calcification is the "
                                                    "most common type.")
    assert "[auto-linked]" not in run("lint", "-s", str(subject)).output


def test_accept_on_a_question_from_another_format_asks_for_a_conversion_and_changes_nothing(
        subject: Path, monkeypatch: pytest.MonkeyPatch):
    # Any reader but the YAML one: the file cannot be edited in place, so it must be converted first.
    monkeypatch.setitem(formats.READERS, ".gift", yaml_set.read_set)
    yaml_path = subject / "questions" / "set.yaml"
    gift = yaml_path.with_suffix(".gift")
    yaml_path.rename(gift)
    result = run("link", "q-auto", "--accept", "-s", str(subject))
    assert result.exit_code == 1
    assert (f"error: {gift}:22: question 'q-auto' is not in a YAML set; convert it first: calciquiz convert {gift} "
            f"-o {yaml_path}, then move set.gift out of {gift.parent} (the YAML set replaces it)") in result.output
    assert gift.read_text(encoding="utf-8") == SET_TEXT


def test_link_all_names_every_question_without_written_evidence_even_one_left_out(subject: Path):
    unsupported = question_yaml(
        "q-ace", stem="Which enzyme converts angiotensin I to angiotensin II?",
        options="      - text: Renin\n      - text: Angiotensin-converting enzyme\n", answer="B",
        explanation=None, learning_point=None, evidence=None)
    path = subject / "questions" / "set.yaml"
    path.write_text(SET_TEXT + unsupported, encoding="utf-8")
    result = run("link", "--all", "-s", str(subject))
    assert result.exit_code == 0, result.output
    headers = [line.split(" (")[0] + ": " + line.rsplit(": ", 1)[1] for line in result.stdout.splitlines()
               if not line.startswith(" ")]
    assert headers == ["q-auto: linked automatically",
                       "q-ace: no passage supports it well enough (left out of the bank)"]


@pytest.mark.parametrize("command", [["lint"], ["validate"], ["coverage"], ["export", "gift", "EXPORT.gift"]])
def test_a_question_the_last_build_linked_is_not_linked_again_by_the_commands_that_read_subjects(
        subject: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]):
    command = [part.replace("EXPORT", str(tmp_path / "out")) for part in command]
    unsupported = question_yaml(
        "q-ace", stem="Which enzyme converts angiotensin I to angiotensin II?",
        options="      - text: Renin\n      - text: Angiotensin-converting enzyme\n", answer="B",
        explanation=None, learning_point=None, evidence=None)
    (subject / "questions" / "set.yaml").write_text(SET_TEXT + unsupported, encoding="utf-8")
    bank = tmp_path / "bank.sqlite"
    assert run("build", "-s", str(subject), "-o", str(bank)).exit_code == 0
    before = run(*command, "-s", str(subject), "--bank", str(bank))
    ranked: list[str] = []
    from calciquiz.core.linking import Linker

    real_link = Linker.link
    monkeypatch.setattr(Linker, "link", lambda self, question: ranked.append(question.name) or real_link(self, question))
    after = run(*command, "-s", str(subject), "--bank", str(bank))
    # Both the linked question and the one no passage supports come from the bank's links, with the same output.
    assert (after.exit_code, after.output, ranked) == (before.exit_code, before.output, [])
    again = run(*command, "-s", str(subject), "--bank", str(tmp_path / "no-such-bank.sqlite"))
    assert (again.stdout, sorted(ranked)) == (before.stdout, ["q-ace", "q-auto"])


def test_a_bank_named_with_bank_that_is_none_is_said_and_the_command_goes_on(subject: Path, tmp_path: Path):
    typo = tmp_path / "bnak.sqlite"
    result = run("lint", "-s", str(subject), "--bank", str(typo))
    assert result.exit_code == 0, result.output
    assert f"note: {typo} is not a CalciQuiz bank, so questions without evidence are linked afresh" in result.stderr
    assert "note:" not in run("lint", "-s", str(subject)).stderr  # without --bank, no ./bank.sqlite is the usual case


def test_accept_keeps_a_set_saved_with_windows_line_ends_as_it_was(subject: Path):
    path = subject / "questions" / "set.yaml"
    path.write_bytes(SET_TEXT.replace("\n", "\r\n").encode("utf-8"))
    result = run("link", "q-auto", "--accept", "-s", str(subject))
    assert result.exit_code == 0, result.output
    evidence = ("    evidence:\n      - document: basics\n"
                "        quote: \"The main types include: • Dystrophic calcification is the most common type.\"\n")
    assert path.read_bytes() == SET_TEXT.replace(AUTO + "    # a comment", AUTO + evidence + "    # a comment").replace(
        "\n", "\r\n").encode("utf-8")
