"""A resident sees which source the build chose by itself, and which one the instructor quoted."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from calciquiz.core.bank import build_bank
from calciquiz.core.collection import Collection
from calciquiz.gui.explanation import AUTO_LINKED
from calciquiz.gui.main_window import MainWindow
from tests.helpers import question_yaml, show_active, subject_of


def labels_after_answering(qtbot, tmp_path: Path, documents_dir: Path, question: str) -> list[str]:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + question, encoding="utf-8")
    build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    collection = Collection(tmp_path / "bank.sqlite", tmp_path / "progress.sqlite")
    try:
        window = show_active(qtbot, MainWindow(collection))
        window.run_command("study")
        qtbot.keyClick(window.study, Qt.Key.Key_1)
        qtbot.keyClick(window.study, Qt.Key.Key_Return)
        (block,) = window.study.explanation.evidence_blocks
        return [label.text() for label in block.findChildren(type(window.study.header)) if label.isVisible()]
    finally:
        collection.close()


def test_an_auto_linked_source_says_so_beside_its_title(qtbot, tmp_path: Path, documents_dir: Path):
    labels = labels_after_answering(qtbot, tmp_path, documents_dir, question_yaml("q-auto", evidence=None))
    assert AUTO_LINKED == "Linked automatically; not checked by your instructor"
    assert labels[1:2] == [AUTO_LINKED] and "Calcinosis Basics" in labels[0]


def test_a_source_the_instructor_quoted_has_no_such_label(qtbot, tmp_path: Path, documents_dir: Path):
    labels = labels_after_answering(qtbot, tmp_path, documents_dir, question_yaml("q-checked"))
    assert "Calcinosis Basics" in labels[0] and AUTO_LINKED not in labels
