"""An imported question often has no topics (Aiken has none; Moodle categories may name none)."""
from __future__ import annotations

from pathlib import Path

from calciquiz.core.bank import build_bank
from calciquiz.core.collection import Collection
from calciquiz.gui.main_window import MainWindow
from tests.helpers import show_active, subject_of

AIKEN = "Which type of calcinosis cutis is the most common?\nA. Dystrophic\nB. Metastatic\nANSWER: A\n"


def test_the_header_of_a_question_without_topics_has_no_empty_part(qtbot, tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "imported.txt").write_text(AIKEN, encoding="utf-8")
    build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    collection = Collection(tmp_path / "bank.sqlite", tmp_path / "progress.sqlite")
    try:
        window = show_active(qtbot, MainWindow(collection))
        window.run_command("study")
        assert window.study.header.text() == "New question   ·   Question   ·   due 0 · new 1"
    finally:
        collection.close()
