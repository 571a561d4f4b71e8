"""On start, exam blocks a crash left open are offered back in one dialog: finish and count, or discard."""
from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calciquiz.core import exam
from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.gui import app
from calciquiz.gui.left_behind import LeftBehindDialog
from calciquiz.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def leave_blocks(bank: Path, progress: Path, answered: list[int]) -> list[str]:
    """Blocks of 4 questions with the given number of answers each, left open as a crash leaves them."""
    collection = Collection(bank, progress)
    ids = []
    for number, count in enumerate(answered):
        block = exam.ExamBlock(collection, collection.blocks.questions(BlockFilter(), 4, seed=f"left-{number}"),
                               time_limit_s=360, description="all topics")
        for position in range(count):
            block.go_to(position)
            block.choose(0)
        ids.append(block.id)
    collection.close()
    return ids


def offered(qtbot, window: MainWindow) -> LeftBehindDialog:
    qtbot.waitUntil(lambda: window.left_behind_dialog is not None and window.left_behind_dialog.isVisible())
    return window.left_behind_dialog


def exam_reviews(progress: Path) -> int:
    conn = sqlite3.connect(progress)
    count = conn.execute("select count(*) from reviews where mode = 'exam'").fetchone()[0]
    conn.close()
    return count


def test_the_app_offers_a_left_behind_block_and_finishing_counts_its_answers(qtbot, data_dir, bank_copy):
    data_dir.mkdir(parents=True)
    (block_id,) = leave_blocks(bank_copy, data_dir / "progress.sqlite", [3])
    window = app.start(bank_copy)
    qtbot.addWidget(window)
    dialog = offered(qtbot, window)
    created = window.collection.exams.report(block_id).created_at
    when = datetime.fromisoformat(created).astimezone().strftime("%a %d %b %H:%M")
    assert dialog.message.text() == (f"An exam block from {when} (all topics) was not finished: "
                                     "3 of 4 questions answered.")
    assert dialog.finish_button.text() == "Finish and count it" and dialog.discard_button.text() == "Discard it"
    assert window.home.answered.number.text() == "0"

    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.home.answered.number.text() == "3"
    assert exam_reviews(data_dir / "progress.sqlite") == 3
    assert window.statusBar().currentMessage() == "1 exam block finished: 3 answers counted (see Exam history, Ctrl+Y)."
    assert [entry["id"] for entry in window.collection.exams.history()] == [block_id]
    assert window.collection.exams.left_behind() == []
    window.collection.close()


def test_many_blocks_are_offered_in_one_dialog_and_unticked_ones_are_asked_again(qtbot, bank_copy, progress_path):
    first, *_ = leave_blocks(bank_copy, progress_path, [1, 2, 4, 0])
    window = MainWindow(Collection(bank_copy, progress_path))
    qtbot.addWidget(window)
    window.show()
    dialog = offered(qtbot, window)
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, LeftBehindDialog) and w.isVisible()] == [dialog]
    assert dialog.message.text() == "3 exam blocks were not finished. Their answers are kept until you choose:"
    assert dialog.listing.count() == 3  # the block with no answer holds nothing to offer
    assert [dialog.listing.item(row).text().split(" · ")[-1] for row in range(3)] == [
        "1 of 4 questions answered", "2 of 4 questions answered", "4 of 4 questions answered"]
    dialog.listing.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "2 exam blocks discarded."
    assert exam_reviews(progress_path) == 0
    assert [b.id for b in window.collection.exams.left_behind()] == [first]

    again = window.offer_left_behind()
    assert again is not None and again.listing.isHidden()
    assert again.message.text().endswith("was not finished: 1 of 4 questions answered.")
    qtbot.mouseClick(again.later_button, Qt.MouseButton.LeftButton)
    assert [b.id for b in window.collection.exams.left_behind()] == [first]  # decided later: still kept, still open
    assert exam_reviews(progress_path) == 0
    window.collection.close()


def test_nothing_ticked_means_nothing_to_finish_or_discard(qtbot, bank_copy, progress_path):
    leave_blocks(bank_copy, progress_path, [1, 1])
    window = MainWindow(Collection(bank_copy, progress_path))
    qtbot.addWidget(window)
    window.show()
    dialog = offered(qtbot, window)
    for row in range(dialog.listing.count()):
        dialog.listing.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.finish_button.isEnabled() and not dialog.discard_button.isEnabled()
    window.collection.close()


def test_the_block_on_screen_is_not_offered(qtbot, window):
    block = exam.ExamBlock(window.collection, window.collection.blocks.questions(BlockFilter(), 3, seed="on"),
                           time_limit_s=270)
    window.stack.setCurrentWidget(window.exam)
    window.exam.start(block)
    window.exam.choose(0)
    assert window.offer_left_behind() is None
    window.run_command("home")  # left for home, its clock still runs and it will still be submitted: not left behind
    assert window.offer_left_behind() is None


def test_a_restored_backup_holding_an_open_block_offers_it(qtbot, window, monkeypatch):
    from calciquiz.gui.main_window import QMessageBox

    block = exam.ExamBlock(window.collection, window.collection.blocks.questions(BlockFilter(), 2, seed="bk"),
                           time_limit_s=180)
    block.choose(0)
    made = window.collection.progress.backup()  # taken while the block was open
    window.collection.exams.discard(block.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert window.file_commands.restore(str(made.path))
    dialog = offered(qtbot, window)
    assert dialog.message.text().endswith("was not finished: 1 of 2 questions answered.")
    assert dialog.chosen_ids() == [block.id]
    window.collection.close()  # the reopened one; the fixture closes the first
