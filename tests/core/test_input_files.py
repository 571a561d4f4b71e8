"""Question files that are huge, not regular files, or oddly named: an error naming the file, never a hang."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.bank import build_bank
from calciquiz.core.problems import InputError
from tests.helpers import question_yaml, subject_of

HEADER = "title: t\nquestions:\n"


def problems_of(folder: Path, documents_dir: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    return [str(p) for p in caught.value.problems]


def test_a_2_gb_question_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    with open(folder / "huge.yaml", "wb") as huge:
        huge.write(HEADER.encode())
        huge.truncate(2 * 1024**3)  # sparse: takes no disk, but reading it whole would take 2 GB of memory
    assert problems_of(folder, documents_dir, tmp_path) == [
        f"{folder / 'huge.yaml'}: file is larger than 5,000,000 bytes"]


def test_a_fifo_named_like_a_question_file_is_reported_not_waited_for(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "good.yaml").write_text(HEADER + question_yaml("q-one"))
    os.mkfifo(folder / "pipe.yaml")
    assert problems_of(folder, documents_dir, tmp_path) == [f"{folder / 'pipe.yaml'}: file is not a regular file"]


def test_a_question_file_name_that_is_not_utf8_is_an_error_not_a_crash(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.yaml")  # Latin-1 bytes: a lone surrogate once decoded
    (folder / name).write_text(HEADER + question_yaml("q-one"))
    assert problems_of(folder, documents_dir, tmp_path) == [
        f"{folder}/caf\\udce9.yaml: file name is not valid UTF-8; rename the file"]


@pytest.mark.parametrize("command", ["build", "validate"])
def test_an_image_name_too_long_for_the_system_blames_the_question_not_the_bank(tmp_path: Path, documents_dir: Path,
                                                                               command: str):
    folder = documents_dir.parent / "questions"
    folder.mkdir()
    path = folder / "set.yaml"
    path.write_text(HEADER + question_yaml("q-one", image="a" * 300 + ".png"))
    out = tmp_path / "bank.sqlite"
    args = [command, "-s", str(documents_dir.parent)] + (["-o", str(out)] if command == "build" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert f"error: {path}:21: question 'q-one': image name is longer than 200 characters" in result.output
    assert "cannot write" not in result.output and "Traceback" not in result.output
