"""Long work off the GUI thread: a worker thread, a progress dialog with Cancel, the event loop kept running."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from calciquiz.core.progress import Cancelled


class _Worker(QObject):
    progressed = Signal(int, int)
    done = Signal(object, object)  # result, error

    def __init__(self, job: Callable[[Callable[[int, int], bool]], Any], cancel: threading.Event):
        super().__init__()
        self.job, self.cancel = job, cancel

    def run(self) -> None:
        def on_progress(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancel.is_set()

        try:
            self.done.emit(self.job(on_progress), None)
        except BaseException as error:  # handed to the GUI thread, which re-raises it there
            self.done.emit(None, error)


def run_with_progress(parent: QWidget | None, label: str, job: Callable[[Callable[[int, int], bool]], Any]) -> Any:
    """Run `job(on_progress)` in a worker thread; returns its result, or raises its error (Cancelled on Cancel).

    The caller must not touch the same database until this returns; the window-modal dialog
    keeps the user from doing so.
    """
    cancel = threading.Event()
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(200)
    dialog.canceled.connect(cancel.set)
    thread = QThread()
    worker = _Worker(job, cancel)
    worker.moveToThread(thread)
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def finished(result: Any, error: BaseException | None) -> None:
        outcome.update(result=result, error=error)
        loop.quit()

    def progressed(done: int, total: int) -> None:
        if dialog.wasCanceled():
            cancel.set()
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1) - 1))

    worker.progressed.connect(progressed)
    worker.done.connect(finished)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]


__all__ = ["run_with_progress", "Cancelled"]
