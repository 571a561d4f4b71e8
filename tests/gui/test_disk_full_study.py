"""Studying on a full disk: the resident is told in plain words and no answer is logged twice."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from calciquiz.core.progress import ProgressStore
from calciquiz.gui.main_window import MainWindow

REAL_CONNECT = sqlite3.connect


def full_disk_for_backups(target, *args, **kwargs):
    conn = REAL_CONNECT(target, *args, **kwargs)
    if str(target).endswith(".partial"):
        conn.execute("PRAGMA max_page_count = 1")  # the backup runs out of room: "database or disk is full"
    return conn


def logged(progress_path: Path) -> list[tuple]:
    conn = REAL_CONNECT(progress_path)
    try:
        return conn.execute("select question_id, chosen from reviews").fetchall()
    finally:
        conn.close()


def test_a_full_disk_during_the_backup_shows_the_feedback_names_the_disk_and_logs_the_answer_once(
        qtbot, window: MainWindow, progress_path: Path, monkeypatch):
    window.run_command("study")
    study = window.study
    shown = study.presentation
    monkeypatch.setattr(sqlite3, "connect", full_disk_for_backups)
    qtbot.keyClick(study, Qt.Key.Key_1)
    qtbot.keyClick(study, Qt.Key.Key_Return)

    assert study.outcome is not None  # the feedback is shown
    assert study.explanation.verdict.text()
    assert study.problem.isVisible()
    assert study.problem.text() == ("Your answer is saved, but the backup could not be written: the disk is full. "
                                    "Free some space.")
    assert logged(progress_path) == [(shown.question.id, shown.order[0])]
    assert list((progress_path.parent / "backups").glob("*.partial")) == []

    qtbot.keyClick(study, Qt.Key.Key_Return)  # pressed again: on to the next question, nothing logged again
    qtbot.keyClick(study, Qt.Key.Key_Return)
    assert logged(progress_path) == [(shown.question.id, shown.order[0])]
    assert study.presentation is not shown


def test_a_full_disk_before_the_commit_says_nothing_was_saved_and_enter_tries_again(
        qtbot, window: MainWindow, progress_path: Path, monkeypatch):
    window.run_command("study")
    study = window.study
    shown = study.presentation

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ProgressStore, "_count", disk_full)  # fails inside the answer's transaction
    qtbot.keyClick(study, Qt.Key.Key_2)
    qtbot.keyClick(study, Qt.Key.Key_Return)
    assert study.outcome is None  # no feedback for an answer that was not stored
    assert study.problem.isVisible()
    assert study.problem.text() == ("Your answer could not be saved: the disk is full. "
                                    "Free some space, then press Enter to try again.")
    assert logged(progress_path) == []

    monkeypatch.undo()
    qtbot.keyClick(study, Qt.Key.Key_Return)  # the same question, the same choice, stored this time
    assert study.outcome is not None and study.presentation is shown
    assert logged(progress_path) == [(shown.question.id, shown.order[1])]
    assert not study.problem.isVisible()


def test_an_exam_block_submitted_on_a_full_disk_says_so_logs_nothing_and_can_be_submitted_again(
        qtbot, window: MainWindow, progress_path: Path, monkeypatch):
    from calciquiz.core.exam import ExamBlock

    ids = [q for (q,) in window.collection.progress.db.execute("select id from bank.questions order by id limit 2")]
    window.stack.setCurrentWidget(window.exam)
    screen = window.exam
    screen.start(ExamBlock(window.collection, ids, time_limit_s=600))
    qtbot.keyClick(screen, Qt.Key.Key_A)

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ProgressStore, "_count", disk_full)
    reported = []
    screen.finished.connect(reported.append)
    screen.submit()
    assert reported == [] and screen.block.submitted is None
    assert screen.problem.isVisible()
    assert screen.problem.text() == ("Your answers could not be saved: the disk is full. "
                                     "Free some space, then submit the block again (Ctrl+Enter).")
    assert logged(progress_path) == []

    monkeypatch.undo()
    screen.submit()
    assert len(reported) == 1 and not screen.problem.isVisible()
    assert logged(progress_path) == [(ids[0], screen.block.items[0].chosen)]
    screen.submit()  # a second submission of the same block logs nothing more
    assert len(logged(progress_path)) == 1


def test_back_up_now_on_a_full_disk_says_so_in_plain_words(window: MainWindow, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr("calciquiz.gui.operations.plain_message",
                        lambda parent, icon, title, text: shown.append(text))
    monkeypatch.setattr(sqlite3, "connect", full_disk_for_backups)
    window.run_command("back-up")
    assert shown == ["The backup could not be written: the disk is full. Your progress itself is unchanged "
                     "and saved."]
