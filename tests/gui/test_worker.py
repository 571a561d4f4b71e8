from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from calciquiz.gui.worker import Cancelled, run_with_progress


def slow_job(on_progress):
    for step in range(40):
        if on_progress(step, 40) is False:
            raise Cancelled("stopped")
        time.sleep(0.01)
    return "done"


def test_long_work_runs_off_the_gui_thread_and_the_gui_keeps_running(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    assert run_with_progress(parent, "Working…", slow_job) == "done"
    timer.stop()
    assert len(ticks) >= 5  # the event loop kept turning while the job ran
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert max(gaps) < 0.2


def test_cancel_stops_the_job(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    from PySide6.QtWidgets import QPushButton

    QTimer.singleShot(60, lambda: [b.click() for d in parent.findChildren(QProgressDialog)
                                   for b in d.findChildren(QPushButton)])
    with pytest.raises(Cancelled):
        run_with_progress(parent, "Working…", slow_job)
