from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

import pytest

from calciquiz.core.bank import Bank, build_bank
from calciquiz.core.problems import InputError
from tests.helpers import question_yaml, subject_of, tiny_png


def write_set(folder: Path, image_line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "set.yaml"
    path.write_text("title: t\nquestions:\n" + question_yaml("q-img", image=image_line), encoding="utf-8")
    return path


def test_an_image_inside_the_set_folder_is_stored_in_the_bank(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "nodule.png").write_bytes(tiny_png())
    write_set(folder, "images/nodule.png")
    build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    with closing(Bank(tmp_path / "bank.sqlite")) as bank:
        assert bank.image("calcinosis-cutis/q-img") == tiny_png()


@pytest.mark.parametrize("image, message", [
    ("../outside.png", "must be a path inside"),
    ("/etc/passwd", "must be a path inside"),
    ("images/missing.png", "does not exist"),
    ("scan.gif", "must be a .png or .jpg file"),
    ("link.png", "leads outside"),
])
def test_image_paths_are_kept_inside_the_question_set_folder(tmp_path: Path, documents_dir: Path, image, message):
    (tmp_path / "outside.png").write_bytes(tiny_png())
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "scan.gif").write_bytes(b"GIF89a")  # not .txt: a .txt beside a set is a question file (GIFT or Aiken)
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    path = write_set(folder, image)
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    (problem,) = caught.value.problems
    assert problem.file == path and problem.line == 21 and message in problem.message


@pytest.mark.parametrize("image, message", [
    ('"bad\\0name.png"', "text contains a NUL character (\\x00)"),
    ("a" * 5000 + ".png", "question 'q-img': image name is longer than 200 characters"),
    ("a" * 300 + ".png", "question 'q-img': image name is longer than 200 characters"),
    ("loop.png", "question 'q-img': image 'loop.png' is a symbolic link that loops"),
    ("fifo.png", "question 'q-img': image 'fifo.png' is not a regular file"),
    ("zero.png", "question 'q-img': image 'zero.png' leads outside {folder}"),
    ("big.png", "question 'q-img': image 'big.png' is larger than 5,000,000 bytes"),
    ("images", "question 'q-img': image 'images' must be a .png or .jpg file"),
], ids=["nul", "5000-chars", "300-chars", "symlink-loop", "fifo", "dev-zero", "too-big", "folder"])
def test_a_hostile_image_is_an_error_on_the_question_line(tmp_path: Path, documents_dir: Path, image, message):
    folder = tmp_path / "set"
    (folder / "images").mkdir(parents=True)
    (folder / "loop.png").symlink_to("loop.png")
    os.mkfifo(folder / "fifo.png")
    (folder / "zero.png").symlink_to("/dev/zero")
    with open(folder / "big.png", "wb") as big:
        big.truncate(5_000_001)
    path = write_set(folder, image)
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    assert [str(p) for p in caught.value.problems] == [f"{path}:21: {message.format(folder=folder)}"]


def test_a_lone_surrogate_in_an_image_name_is_an_error_on_its_line(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    path = folder / "set.yaml"
    # libyaml refuses the escape itself; 41 brackets in a comment send the file to PyYAML's own loader.
    path.write_text("# " + "[" * 41 + "\ntitle: t\nquestions:\n" + question_yaml("q-img", image='"\\udcff.png"'))
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:22: text contains a lone surrogate (\\udcff), which is not a character"]


def test_a_file_named_png_that_is_not_an_image_is_refused_at_its_line(tmp_path: Path, documents_dir: Path):
    """A renamed document would show as a broken picture in the app and in an Anki deck."""
    from calciquiz.core.bank import build_bank
    from calciquiz.core.problems import InputError
    from tests.helpers import question_yaml, subject_of

    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "scan.png").write_bytes(b"%PDF-1.4 not an image")
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-one", image="scan.png"),
                                     encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'set.yaml'}:21: question 'q-one': image 'scan.png' is not a PNG or JPEG image (its first bytes "
        "are not those of either); save it again as PNG or JPEG"]


def test_an_unknown_topic_that_differs_only_in_case_gets_a_hint():
    from calciquiz.core.formats.raw import Mapping, RawQuestion, Sequence
    from calciquiz.core.validate import SetRules, check_question

    options = Sequence.of([Mapping.of({"text": t}, 3) for t in ("Dystrophic", "Metastatic")], 3)
    fields = Mapping.of({"id": "q", "stem": "Which?", "options": options, "answer": "A",
                         "topics": Sequence.of(["Clinical Features"], 2)}, 1)
    problems: list = []
    check_question(RawQuestion(1, fields), Path("set.csv"), problems,
                   SetRules("cc", "cc/set", ("clinical-features", "treatment")))
    assert [p.message for p in problems] == [
        "question 'q': unknown topic 'Clinical Features' (not among the topics in the subject.yaml of 'cc'); "
        "did you mean 'clinical-features'?"]
