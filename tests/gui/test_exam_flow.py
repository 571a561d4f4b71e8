from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from calciquiz.core.exam import ExamBlock
from calciquiz.gui.block_dialog import BlockDialog
from tests.helpers import query


def test_a_timed_exam_on_one_topic_to_its_report_then_study_the_missed(qtbot, window, progress_path, monkeypatch):
    dialog = BlockDialog(window.collection, exam=True, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.size.value() == 20 and dialog.seconds.value() == 90
    everything = dialog.matching
    dialog.topic_boxes["calcinosis-cutis/diagnosis"].setChecked(True)
    assert 20 <= dialog.matching < everything
    assert dialog.count_label.text() == f"{dialog.matching} questions match"
    window.start_block(dialog)
    assert window.stack.currentWidget() is window.exam
    screen = window.exam
    block = screen.block
    assert len(block.items) == 20
    assert block.time_limit_s == 20 * 90
    assert screen.countdown.text() == "30:00"

    # Answer the first question wrongly, change it, mark it; answer a few more; no feedback shown.
    first = block.items[0]
    right = first.order.index(first.question.answer)
    qtbot.keyClick(screen, Qt.Key(Qt.Key.Key_1 + (right + 1) % 5))
    qtbot.keyClick(screen, Qt.Key(Qt.Key.Key_1 + right))
    qtbot.keyClick(screen, Qt.Key.Key_M)
    assert first.chosen == first.question.answer and first.marked
    assert not any(r.rationale.isVisible() for r in screen.options.rows)
    for _ in range(3):
        qtbot.keyClick(screen, Qt.Key.Key_Right)
        qtbot.keyClick(screen, Qt.Key.Key_A)
    assert block.current == 3
    qtbot.keyClick(screen, Qt.Key.Key_Left)
    assert block.current == 2 and screen.options.selected == 0
    assert "4 answered · 1 marked" in screen.title.text()
    assert query(progress_path, "select count(*) from reviews") == [(0,)]

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    qtbot.keyClick(screen, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["16 questions are unanswered. Submit anyway?"]

    # The report: overall, by topic, every question, and each one reviewable with its explanation.
    assert window.stack.currentWidget() is window.report
    report = window.report.report
    assert window.report.score.text().startswith(f"{report.correct} / 20 correct")
    assert "16 unanswered" in window.report.details.text()
    topics = [window.report.topics.item(r, 0).text() for r in range(window.report.topics.rowCount())]
    assert "diagnosis" in topics
    assert window.report.questions.rowCount() == 20
    assert window.report.questions.item(0, 1).text() == "✓  right" and window.report.questions.item(0, 2).text() == "⚑"
    window.report.questions.setCurrentCell(5, 1)
    assert window.report.explanation.verdict.text().startswith("Not answered — the answer is")
    assert window.report.explanation.evidence_blocks
    rows = query(progress_path, "select mode, count(*) from reviews group by mode")
    assert rows == [("exam", 4)]

    # Then study only the missed ones.
    missed = window.report.missed()
    assert len(missed) == 20 - report.correct
    qtbot.mouseClick(window.report.missed_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.study
    seen = []
    while window.study.presentation is not None:
        seen.append(window.study.presentation.question.id)
        qtbot.keyClick(window.study, Qt.Key.Key_1)
        qtbot.keyClick(window.study, Qt.Key.Key_Return)
        qtbot.keyClick(window.study, Qt.Key.Key_Return)
    assert seen == missed
    assert "Block finished" in window.study.stem.text()


def test_the_block_is_submitted_when_time_runs_out(qtbot, window):
    now = [0.0]
    from calciquiz.core.blocks import BlockFilter

    ids = window.collection.blocks.questions(BlockFilter(), 3, seed="t")
    block = ExamBlock(window.collection, ids, time_limit_s=270, clock=lambda: now[0])
    window.stack.setCurrentWidget(window.exam)
    window.exam.start(block)
    window.exam.choose(0)
    now[0] = 200
    window.exam.tick()
    assert window.exam.countdown.text() == "1:10"
    now[0] = 271
    with qtbot.waitSignal(window.exam.finished, timeout=2000):
        pass  # the running timer notices the time is up
    assert window.stack.currentWidget() is window.report
    assert window.report.report.time_used_s == 270
    assert window.report.report.omitted == 2


def test_a_finished_block_can_be_reopened_from_the_history(qtbot, window):
    from calciquiz.core.blocks import BlockFilter

    block = ExamBlock(window.collection, window.collection.blocks.questions(BlockFilter(), 2, seed="h"),
                      time_limit_s=180)
    block.choose(1)
    block.submit()
    window.run_command("history")
    from PySide6.QtWidgets import QListWidget

    listing = window.history_dialog.findChild(QListWidget)
    (entry,) = window.collection.exams.history()
    assert listing.count() == 1
    assert f"{entry['correct']}/2 correct" in listing.item(0).text()
    listing.itemActivated.emit(listing.item(0))
    assert window.stack.currentWidget() is window.report
    assert window.report.report.block_id == block.id
