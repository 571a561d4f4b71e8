"""Long work off the GUI thread: a worker thread, a progress dialog with Cancel, the event loop kept running.

The worker is a plain Python thread and no Qt object or signal crosses threads: the GUI
thread polls the job's progress and outcome with a timer. (Queued signals carrying Python
objects between threads led to a refcount crash in PySide6 at interpreter exit.)
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from calciquiz.core.progress import Cancelled

POLL_MS = 30


def run_with_progress(parent: QWidget | None, label: str, job: Callable[[Callable[[int, int], bool]], Any]) -> Any:
    """Run `job(on_progress)` in a worker thread; returns its result, or raises its error (Cancelled on Cancel).

    The caller must not touch the same database until this returns; the window-modal dialog
    keeps the user from doing so.
    """
    cancel = threading.Event()
    state: dict[str, Any] = {"done": 0, "total": 0}

    def on_progress(done: int, total: int) -> bool:
        state["done"], state["total"] = done, total
        return not cancel.is_set()

    def work() -> None:
        try:
            state["result"] = job(on_progress)
        except BaseException as error:  # handed to the GUI thread, which raises it there
            state["error"] = error

    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(200)
    dialog.canceled.connect(cancel.set)
    thread = threading.Thread(target=work, name="calciquiz-worker", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def poll() -> None:
        if dialog.wasCanceled():
            cancel.set()
        total = max(state["total"], 1)
        dialog.setMaximum(total)
        dialog.setValue(min(state["done"], total - 1))
        if not thread.is_alive():
            loop.quit()

    timer.timeout.connect(poll)
    thread.start()
    timer.start()
    loop.exec()
    timer.stop()
    thread.join()
    dialog.reset()
    dialog.deleteLater()
    if "error" in state:
        raise state["error"]
    return state.get("result")


__all__ = ["run_with_progress", "Cancelled"]
