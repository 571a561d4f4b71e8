from __future__ import annotations

from PySide6.QtCore import Qt

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.exam import ExamBlock


def test_progress_screen_shows_due_seen_correct_topics_and_recent_activity(qtbot, window):
    window.run_command("study")
    study = window.study
    for i in range(3):
        right = study.presentation.correct_display_index
        qtbot.keyClick(study, Qt.Key(Qt.Key.Key_1 + (right if i else (right + 1) % 5)))
        qtbot.keyClick(study, Qt.Key.Key_Return)
        qtbot.keyClick(study, Qt.Key.Key_Return)
    block = ExamBlock(window.collection, window.collection.blocks.questions(BlockFilter(), 2, seed="p"),
                      time_limit_s=180, description="all topics")
    block.choose(0)
    block.submit()

    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    screen = window.progress
    assert window.stack.currentWidget() is screen
    total = window.collection.sched.counts().total
    seen = int(screen.tiles["seen"].number.text())
    assert 3 <= seen <= 4
    assert int(screen.tiles["unseen"].number.text()) == total - seen
    assert screen.forecast.rowCount() == 30 and screen.forecast.item(0, 0).text() == "Today"
    assert screen.topics.rowCount() == len(window.collection.blocks.topics())
    activity = [screen.sessions.item(r, 0).text() for r in range(screen.sessions.rowCount())]
    assert any("exam block" in a and "all topics" in a for a in activity)
    assert any("study session" in a for a in activity)
    percent = screen.tiles["percent"].number.text()
    assert percent != "—" and 0 <= int(percent) <= 100
