from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from calciquiz.cli import cli
from tests.helpers import question_count, question_yaml


def test_build_writes_a_bank_and_says_how_to_study_it(tmp_path: Path, questions_dir: Path, documents_dir: Path):
    out = tmp_path / "out.sqlite"
    result = CliRunner().invoke(cli, ["build", "-s", str(questions_dir.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"built {out}: 1 subject, 2 questions (0 vignettes), 1 document," in result.output
    assert question_count(out) == 2


def test_build_with_errors_exits_1_names_file_and_line_and_keeps_the_old_bank(
    tmp_path: Path, questions_dir: Path, documents_dir: Path
):
    out = tmp_path / "out.sqlite"
    CliRunner().invoke(cli, ["build", "-s", str(questions_dir.parent), "-o", str(out)])
    before = out.read_bytes()
    (questions_dir / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-one", answer="F"))
    result = CliRunner().invoke(cli, ["build", "-s", str(questions_dir.parent), "-o", str(out)])
    assert result.exit_code == 1
    assert f"error: {questions_dir / 'set.yaml'}:15: question 'q-one': answer 'F' is out of range" in result.output
    assert f"1 problem found; {out} was not changed" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == before


def test_validate_checks_without_writing(tmp_path: Path, questions_dir: Path, documents_dir: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "-s", str(questions_dir.parent)])
    assert result.exit_code == 0
    assert "ok: calcinosis-cutis: 2 questions in 1 set and 1 document, no problems found" in result.output
    assert not list(tmp_path.glob("*.sqlite"))


def test_validate_the_shipped_bank_from_the_checkout(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output


def test_build_to_an_unwritable_place_is_an_error_not_a_traceback(tmp_path: Path, questions_dir: Path,
                                                                  documents_dir: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "bank.sqlite"
    result = CliRunner().invoke(cli, ["build", "-s", str(questions_dir.parent), "-o", str(out)])
    assert result.exit_code == 1
    assert f"error: cannot write {out}" in result.output
    assert "Traceback" not in result.output


def test_build_replaces_a_bank_or_an_empty_file_and_refuses_anything_else(tmp_path: Path, questions_dir: Path,
                                                                         documents_dir: Path):
    from calciquiz.core.progress import ProgressStore

    def build_to(out: Path):
        return CliRunner().invoke(cli, ["build", "-s", str(questions_dir.parent), "-o", str(out)])

    empty, bank = tmp_path / "empty.sqlite", tmp_path / "bank.sqlite"
    empty.touch()
    assert build_to(empty).exit_code == 0 and question_count(empty) == 2
    assert build_to(bank).exit_code == 0 and build_to(bank).exit_code == 0  # a bank is rebuilt in place
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    progress = tmp_path / "progress.sqlite"
    ProgressStore(progress).close()  # a learner's answers, the worst thing to build over by a mistyped -o
    kept = {path: path.read_bytes() for path in (notes, progress)}
    for path in (notes, progress):
        result = build_to(path)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1] == (f"error: {path} exists and is not a CalciQuiz bank; choose another "
                                                  f"name, or delete it first if it is a damaged bank ({path} was not "
                                                  "changed)")
    assert {path: path.read_bytes() for path in kept} == kept
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    result = build_to(tmp_path / "link")
    assert result.exit_code == 1 and "is not a file (a folder, a link or a device)" in result.stderr


def test_a_command_run_where_there_is_no_subjects_folder_says_it_reads_the_bundled_ones(tmp_path: Path, monkeypatch):
    from calciquiz.core import paths

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (f"subjects: {paths.bundled_subjects_dir()} (the bundled subjects: no "
                                             "./subjects folder here; name yours with -s)")
