"""Every change goes through the operations, and every screen showing its effect follows by itself."""
from __future__ import annotations

import re
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.scheduling import end_of_local_day
from calciquiz.gui.operations import Changes


def home_counts(window) -> tuple[int, int, int]:
    home = window.home
    return int(home.due.number.text()), int(home.new.number.text()), int(home.answered.number.text())


def study_counts(window) -> tuple[int, int]:
    due, new = re.search(r"due (\d+) · new (\d+)", window.study.header.text()).groups()
    return int(due), int(new)


def truth(window) -> tuple[int, int, int]:
    counts = window.collection.sched.counts()
    return counts.due_today, counts.new, counts.answered_today


def go_home(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.home


def test_answer_flag_note_exam_and_restore_each_show_on_home_and_study(qtbot, window, monkeypatch):
    collection = window.collection
    backup = collection.backups.back_up()  # before anything was answered
    start = truth(window)
    assert home_counts(window) == start

    # Answering a new question wrongly: it is no longer new, and (its next step minutes away) due again today.
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    study = window.study
    shown = study.presentation
    qtbot.keyClick(study, Qt.Key(Qt.Key.Key_1 + (shown.correct_display_index + 1) % 5))
    qtbot.keyClick(study, Qt.Key.Key_Return)
    due_again_today = collection.sched.schedule(shown.question.id).due <= end_of_local_day(
        collection.sched.schedule(shown.question.id).due)
    answered = truth(window)
    assert answered == (start[0] + int(due_again_today), start[1] - 1, start[2] + 1)
    assert study_counts(window) == answered[:2]  # the study screen counts from the collection, at once
    go_home(qtbot, window)
    assert home_counts(window) == answered

    # Flagging and noting change no count, and the screens still show the collection's.
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    flagged = study.presentation.question.id
    qtbot.keyClick(study, Qt.Key.Key_F)
    assert collection.flags.is_flagged(flagged) and study.flag.isChecked()
    assert collection.blocks.count(BlockFilter(statuses=frozenset({"flagged"}))) == 1
    qtbot.keyClick(study, Qt.Key.Key_N)
    study.note_dialog.editor.setPlainText("Four types or five?")
    study.note_dialog.accept()
    assert study.note_label.isVisible() and "Four types or five?" in study.note_label.text()
    assert study_counts(window) == truth(window)[:2] == answered[:2]
    go_home(qtbot, window)
    assert home_counts(window) == truth(window) == answered

    # Submitting an exam block logs its answers: home and study follow.
    ids = collection.blocks.questions(BlockFilter(statuses=frozenset({"unused"})), 3, seed="refresh")
    window.start_exam(collection.exams.start(ids, time_limit_s=270))
    screen = window.exam
    qtbot.keyClick(screen, Qt.Key.Key_A)
    qtbot.keyClick(screen, Qt.Key.Key_Right)
    qtbot.keyClick(screen, Qt.Key.Key_B)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(screen, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.report
    submitted = truth(window)
    assert submitted[1:] == (answered[1] - 2, answered[2] + 2)
    go_home(qtbot, window)
    assert home_counts(window) == submitted
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert study_counts(window) == submitted[:2]

    # Restoring the backup taken first: every count is back where it started, and the flag is gone.
    assert window.file_commands.restore(str(backup.path))
    assert window.stack.currentWidget() is window.home
    assert home_counts(window) == truth(window) == start
    assert not collection.flags.is_flagged(flagged)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert study_counts(window) == start[:2]


def test_a_change_made_while_a_screen_is_hidden_shows_when_it_is_shown(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.progress.tiles["seen"].number.text() == "0"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.study, Qt.Key.Key_1)
    qtbot.keyClick(window.study, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.progress.tiles["seen"].number.text() == "1"


def test_a_change_is_announced_once_and_a_failure_not_at_all(qtbot, window, monkeypatch):
    heard: list[Changes] = []
    window.operations.changed.connect(heard.append)
    told: list[str] = []
    monkeypatch.setattr("calciquiz.gui.operations.plain_message", lambda parent, icon, title, text: told.append(text))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.study, Qt.Key.Key_F)
    assert heard == [Changes(flags=True)]

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.collection.flags, "set", refuse)
    qtbot.keyClick(window.study, Qt.Key.Key_F)
    assert heard == [Changes(flags=True)]
    assert told == ["Flag the question: this could not be done: the disk is full."]
    assert window.study.flag.isChecked()  # the button shows what is stored: still flagged


def test_the_window_takes_no_key_during_a_background_job(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    study = window.study
    during: list[object] = []

    def slow(on_progress):
        time.sleep(0.3)
        return "done"

    def press_keys() -> None:  # well before the progress dialog shows
        during.append(window.operations.busy)
        qtbot.keyClick(study, Qt.Key.Key_1)
        qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        during.append((study.options.selected, window.stack.currentWidget() is study))

    QTimer.singleShot(30, press_keys)
    outcome = window.operations.run(window, slow, changes=Changes(), title="Wait", background=True)
    assert outcome.value == "done"
    assert during == [True, (None, True)]
    # Afterwards the keys work again: the focus is back where it was once the window is active again.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is study, timeout=2000)
    qtbot.keyClick(study, Qt.Key.Key_1)
    assert study.options.selected == 0
