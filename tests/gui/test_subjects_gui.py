"""A resident with two subjects: home shows each with its figures, one is studied alone, both are mixed in
a block, the documents and progress screens follow the subject chosen; another bank is opened and left
with every history kept apart."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from calciquiz.core.collection import Collection
from calciquiz.gui import app
from calciquiz.gui.block_dialog import BlockDialog
from calciquiz.gui.main_window import MainWindow
from tests.helpers import DIAGNOSIS_SET, show_active



def open_window(qtbot, bank: Path, progress: Path, settings: Path) -> MainWindow:
    return show_active(qtbot, MainWindow(Collection(bank, progress),
                                         QSettings(str(settings), QSettings.Format.IniFormat)))


@pytest.fixture
def window(qtbot, banks: dict[str, Path], tmp_path: Path):
    bank = tmp_path / "both.sqlite"
    shutil.copy(banks["both"], bank)
    main = open_window(qtbot, bank, tmp_path / "progress.sqlite", tmp_path / "settings.ini")
    yield main
    main.close()
    main.collection.close()


def shown_rows(window) -> list[tuple[str, ...]]:
    """The home screen's subject table as the resident reads it."""
    table = window.home.subjects
    assert table.isVisible()
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def true_rows(window) -> list[tuple[str, ...]]:
    sched = window.collection.sched

    def row(title, counts):
        percent = "—" if counts.percent is None else f"{counts.percent:.0f}"
        return (title, str(counts.due_today), str(counts.new), str(counts.answered_today), percent)

    return [row(info.title, counts) for info, counts in sched.subject_counts()] + [row("All subjects", sched.counts())]


def tiles(window) -> tuple[int, int, int]:
    home = window.home
    return int(home.due.number.text()), int(home.new.number.text()), int(home.answered.number.text())


def click_subject(qtbot, window, title: str) -> None:
    table = window.home.subjects
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == title)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(row, 1)).center())


def reactivate(qtbot, window) -> None:
    """The offscreen platform does not give the window back its activation after a modal dialog; a desktop does."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    with qtbot.waitActive(window):
        window.activateWindow()


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, modifier)


def answer_on_screen(qtbot, study, right: bool) -> str:
    """Answer the question on the study screen with its digit key and Enter, as a resident does."""
    shown = study.presentation
    index = shown.correct_display_index if right else (shown.correct_display_index + 1) % len(shown.order)
    key(qtbot, study, Qt.Key(Qt.Key.Key_1 + index))
    key(qtbot, study, Qt.Key.Key_Return)
    assert study.outcome is not None
    return shown.question.id


def click_box(qtbot, box) -> None:
    """Click a check box on its square (a click past the end of its text does nothing)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def fill_block_dialog(qtbot, tick, start: bool = True) -> list[BlockDialog]:
    """When the block dialog opens (modal), let `tick(dialog)` choose, then press Start block."""
    seen: list[BlockDialog] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BlockDialog)
        seen.append(dialog)
        tick(dialog)
        if start:
            start_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            assert start_button.text() == "Start block"
            qtbot.mouseClick(start_button, Qt.MouseButton.LeftButton)
        else:
            dialog.reject()

    QTimer.singleShot(50, act)
    return seen


def test_a_resident_studies_one_subject_then_mixes_both_in_a_block(qtbot, window, tmp_path: Path):
    collection = window.collection
    # Home lists each subject with its own figures, and all of them; nothing is chosen yet.
    assert window.windowTitle() == "CalciQuiz — all subjects"
    rows = shown_rows(window)
    assert [r[0] for r in rows] == ["Calcinosis cutis", "Wound healing", "All subjects"]
    assert rows == true_rows(window)
    assert rows[1] == ("Wound healing", "0", "2", "0", "—")

    # Clicking a subject chooses it: the title, the heading, the figures and Start studying follow.
    click_subject(qtbot, window, "Wound healing")
    assert window.windowTitle() == "CalciQuiz — Wound healing"
    assert window.home.subtitle.text().startswith("Wound healing — ")
    assert tiles(window) == (0, 2, 0)
    assert window.home.start_button.text() == "Start studying: Wound healing"
    assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value("subject") == "wound-healing"

    # Studying it offers its questions only; answering changes its figures and the total's, not the other's.
    qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    study = window.study
    assert study.presentation.question.subject == "wound-healing"
    assert "Wound healing" in study.header.text()
    answered = answer_on_screen(qtbot, study, right=False)
    assert answered.startswith("wound-healing/")
    assert "due 1 · new 1 in Wound healing" in study.header.text()
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    rows = shown_rows(window)
    assert rows == true_rows(window)
    assert rows[1] == ("Wound healing", "1", "1", "1", "0")  # the wrong answer is due again today
    assert rows[0][3] == "0" and rows[2][3] == "1"
    assert tiles(window) == (1, 1, 1)

    # The documents and progress screens show this subject only.
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    documents = window.documents
    assert [documents.documents.item(i).text() for i in range(documents.documents.count())] == [
        "The phases of wound healing — Test fixture"]
    heading_blocks = []
    block = documents.text.document().begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            heading_blocks.append(block.text())
        block = block.next()
    assert heading_blocks == ["The Phases of Wound Healing", "Haemostasis", "Proliferation"]  # read as sections
    shown = documents.text.toPlainText()
    # A Markdown list reads as a list and emphasis as plain words: no asterisks, no dashes.
    assert "• new capillaries" in shown and "• granulation tissue in the wound bed" in shown
    assert "*" not in shown and "first phase" in shown
    documents.search_box.setText("fibroblasts")
    documents.run_search()
    assert "The phases of wound healing" in documents.results.toPlainText()
    key(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    progress = window.progress
    assert progress.title.text() == "Progress — Wound healing"
    assert (progress.tiles["seen"].number.text(), progress.tiles["unseen"].number.text()) == ("1", "1")
    assert [progress.topics.item(r, 0).text() for r in range(progress.topics.rowCount())] == ["phases", "repair"]

    # A custom block: the dialog starts at the subject being studied; tick the other too and a set of it.
    def tick(dialog: BlockDialog) -> None:
        assert dialog.subject_boxes["wound-healing"].isChecked()
        assert not dialog.topic_groups["calcinosis-cutis"].isVisible()  # only the ticked subject's topics
        assert dialog.count_label.text() == "2 questions match"
        click_box(qtbot, dialog.subject_boxes["calcinosis-cutis"])
        assert dialog.topic_groups["calcinosis-cutis"].isVisible()
        qtbot.wait(20)  # the dialog lays itself out again as topic groups show and hide
        click_box(qtbot, dialog.set_boxes[DIAGNOSIS_SET])
        assert dialog.set_boxes[DIAGNOSIS_SET].text().startswith("Calcinosis cutis · Diagnosis, treatment and outlook")
        dialog.study_mode.setChecked(True)
        dialog.size.setValue(100)

    in_set = next(s.questions for s in collection.questions.sets() if s.id == DIAGNOSIS_SET)
    seen = fill_block_dialog(qtbot, tick)
    key(qtbot, window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    reactivate(qtbot, window)
    assert seen and seen[0].count_label.text() == f"{in_set + 2} questions match"
    assert window.stack.currentWidget() is study
    subjects, headers = set(), set()
    while study.presentation is not None:
        question = study.presentation.question
        subjects.add(question.subject)
        assert question.subject == "wound-healing" or question.set_id == DIAGNOSIS_SET
        headers.add("Wound healing" in study.header.text() if question.subject == "wound-healing"
                    else "Calcinosis cutis" in study.header.text())
        answer_on_screen(qtbot, study, right=True)
        key(qtbot, study, Qt.Key.Key_Return)
    assert subjects == {"calcinosis-cutis", "wound-healing"} and headers == {True}
    assert (study.session.tally.answered, study.session.tally.correct) == (in_set + 2, in_set + 2)
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert shown_rows(window) == true_rows(window)
    assert shown_rows(window)[2][3] == str(in_set + 3)

    # All subjects again: the title says so, and the documents screen lists every subject's documents.
    click_subject(qtbot, window, "All subjects")
    assert window.windowTitle() == "CalciQuiz — all subjects"
    assert tiles(window)[2] == in_set + 3
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert documents.documents.count() == len(collection.questions.documents())


def test_an_exam_over_two_subjects_reports_each_topic_with_its_subject(qtbot, window, monkeypatch):
    def tick(dialog: BlockDialog) -> None:
        for box in dialog.subject_boxes.values():
            click_box(qtbot, box)
        qtbot.wait(20)  # the dialog lays itself out again as topic groups show and hide
        click_box(qtbot, dialog.topic_boxes["calcinosis-cutis/treatment"])
        click_box(qtbot, dialog.set_boxes[DIAGNOSIS_SET])
        dialog.size.setValue(100)  # every question that matches
        assert dialog.exam_mode.isChecked()

    fill_block_dialog(qtbot, tick)
    key(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    reactivate(qtbot, window)
    exam = window.exam
    block = exam.block
    # Calcinosis cutis narrowed to treatment in one set; all of wound healing (two questions).
    assert sum(i.question.subject == "wound-healing" for i in block.items) == 2
    assert all(i.question.subject == "wound-healing" or ("treatment" in i.question.topics
                                                         and i.question.set_id == DIAGNOSIS_SET) for i in block.items)
    assert block.description.startswith("Calcinosis cutis and Wound healing; Diagnosis, treatment and outlook; "
                                        "Calcinosis cutis · treatment; any status")
    for _ in block.items:
        key(qtbot, exam, Qt.Key.Key_A)
        key(qtbot, exam, Qt.Key.Key_Right)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    key(qtbot, exam, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    report = window.report
    assert window.stack.currentWidget() is report
    names = [report.topics.item(r, 0).text() for r in range(report.topics.rowCount())]
    assert "Calcinosis cutis · treatment" in names and "Wound healing · phases" in names
    assert all(name.startswith(("Calcinosis cutis · ", "Wound healing · ")) for name in names)
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert shown_rows(window) == true_rows(window)
    assert shown_rows(window)[1][3] == "2" and shown_rows(window)[2][3] == str(len(block.items))


def test_a_second_subject_changes_only_its_figures_on_home_through_every_kind_of_change(qtbot, window, monkeypatch):
    """Answering, flagging, noting, submitting an exam and restoring a backup: the per-subject rows follow each."""
    collection = window.collection
    backup = collection.backups.back_up()
    start = true_rows(window)
    assert shown_rows(window) == start
    click_subject(qtbot, window, "Calcinosis cutis")
    qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    study = window.study
    answer_on_screen(qtbot, study, right=True)
    key(qtbot, study, Qt.Key.Key_F)
    assert collection.flags.is_flagged(study.presentation.question.id)
    key(qtbot, study, Qt.Key.Key_N)
    study.note_dialog.editor.setPlainText("Which subject was this?")
    study.note_dialog.accept()
    assert collection.notes.get(study.presentation.question.id) == "Which subject was this?"
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    rows = shown_rows(window)
    assert rows == true_rows(window) and rows[1] == start[1] and rows[0][3] == "1"

    ids = ["wound-healing/cls-most-common-type", "wound-healing/granulation"]
    window.start_exam(collection.exams.start(ids, time_limit_s=120))
    key(qtbot, window.exam, Qt.Key.Key_A)
    key(qtbot, window.exam, Qt.Key.Key_Right)
    key(qtbot, window.exam, Qt.Key.Key_B)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    key(qtbot, window.exam, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    rows = shown_rows(window)
    assert rows == true_rows(window) and rows[1][2] == "0" and rows[2][3] == "3"

    assert window.file_commands.restore(str(backup.path))
    assert shown_rows(window) == true_rows(window) == start


def wait_for_bank(qtbot, window, path: Path) -> None:
    qtbot.waitUntil(lambda: window.collection.bank_path == path and not window.operations.busy, timeout=5000)


def test_open_another_bank_answer_and_reopen_the_bundled_one_keeps_both_histories(
        qtbot, bank_copy: Path, banks: dict[str, Path], data_dir: Path, tmp_path: Path, monkeypatch):
    from calciquiz.core import paths

    settings_path = tmp_path / "settings.ini"
    window = open_window(qtbot, paths.bundled_bank(), tmp_path / "progress.sqlite", settings_path)
    collection = window.collection
    # One subject: home as before, no subject list; the title names the subject.
    assert window.windowTitle() == "CalciQuiz — Calcinosis cutis"
    assert not window.home.subjects.isVisible()
    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    calcinosis_answer = answer_on_screen(qtbot, window.study, right=True)
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    bundled_figures = tiles(window)
    assert bundled_figures[2] == 1

    # File › Open question bank… (Ctrl+O): the wound-healing bank, with the same progress.
    other = tmp_path / "wounds.sqlite"
    shutil.copy(banks["wounds"], other)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    key(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    wait_for_bank(qtbot, window, other)
    assert window.stack.currentWidget() is window.home
    assert window.windowTitle() == "CalciQuiz — Wound healing"
    assert tiles(window) == (0, 2, 0)  # the calcinosis answer is kept, but it is not this bank's
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("bank") == str(other)
    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wound_answer = answer_on_screen(qtbot, window.study, right=False)
    assert wound_answer.startswith("wound-healing/")
    key(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert tiles(window) == (1, 1, 1)

    # Back to the bundled bank (Ctrl+Shift+O): its figures as they were; the other bank is forgotten.
    key(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_for_bank(qtbot, window, paths.bundled_bank())
    assert window.windowTitle() == "CalciQuiz — Calcinosis cutis"
    assert tiles(window) == bundled_figures
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("bank") is None
    assert {r.question_id for r in collection.sched.reviews()} == {calcinosis_answer, wound_answer}
    window.close()
    collection.close()


def test_a_bank_that_cannot_be_opened_is_told_in_words_and_nothing_changes(qtbot, window, banks, tmp_path,
                                                                          monkeypatch):
    told: list[str] = []
    monkeypatch.setattr("calciquiz.gui.operations.plain_message", lambda parent, icon, title, text: told.append(text))
    outdated = tmp_path / "old.sqlite"
    shutil.copy(banks["wounds"], outdated)
    with sqlite3.connect(outdated) as db:
        db.execute("update meta set value = '2' where key = 'schema_version'")
    db.close()
    before_bank, before_rows = window.collection.bank_path, shown_rows(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(outdated), ""))
    key(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert told == [f"The question bank {outdated} was built by an earlier CalciQuiz; rebuild it with `calciquiz "
                    "build`.\n\nNothing was changed: you are still studying from the bank you had open."]
    assert window.collection.bank_path == before_bank and shown_rows(window) == before_rows
    assert window.settings.value("bank") is None


def test_the_bank_opened_last_is_reopened_at_the_next_start_or_its_absence_told(qtbot, banks, data_dir: Path,
                                                                               tmp_path: Path, monkeypatch):
    from calciquiz.core import paths

    other = tmp_path / "wounds.sqlite"
    shutil.copy(banks["wounds"], other)
    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("bank", str(other))
    settings.sync()
    window = app.start()
    qtbot.addWidget(window)
    assert window.collection.bank_path == other
    assert window.windowTitle() == "CalciQuiz — Wound healing"
    window.close()
    window.collection.close()

    other.unlink()
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window = app.start()
    qtbot.addWidget(window)
    assert window.collection.bank_path == paths.bundled_bank()
    assert warned and warned[0].startswith(f"There is no question bank at {other}.")
    assert "CalciQuiz opened its own question bank instead" in warned[0]
    assert QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat).value("bank") is None
    window.close()
    window.collection.close()
