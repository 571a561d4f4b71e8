"""Long work off the GUI thread: a worker thread, a progress dialog with Cancel, the event loop kept running.

The worker is a plain Python thread and no Qt object or signal crosses threads: the GUI
thread polls the job's progress and outcome with a timer. (Queued signals carrying Python
objects between threads led to a refcount crash in PySide6 at interpreter exit.)
"""
from __future__ import annotations

import threading

import shiboken6
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from calciquiz.core.progress import Cancelled

POLL_MS = 30
# The progress dialog shows only for a job that takes longer than this, so a quick one does not flash.
DIALOG_DELAY_MS = 200

_enabled_looks: dict[int, QPalette] = {}


def _looking_enabled(palette: QPalette) -> QPalette:
    """The palette with its disabled colours made the active ones (made once per palette)."""
    key = palette.cacheKey()
    if key not in _enabled_looks:
        looks = QPalette(palette)
        for role in range(QPalette.ColorRole.NColorRoles.value):
            role = QPalette.ColorRole(role)
            looks.setColor(QPalette.ColorGroup.Disabled, role, looks.color(QPalette.ColorGroup.Active, role))
        _enabled_looks[key] = looks
    return _enabled_looks[key]


class InputPause:
    """Keeps every input from a window while a job runs, from its first moment, without a visible change.

    The window-modal progress dialog would keep input away only once shown, after DIALOG_DELAY_MS; in
    between a key could answer, navigate or start another change on the database the job is writing.
    So the window's parts (central widget, menu bar, status bar) are disabled at once, which stops
    their keys, shortcuts and clicks; their disabled colours are made the normal ones, so a quick job
    does not flash the window grey. The dialog is a window of its own and stays usable.
    (A Python event filter would do the same, but PySide6 6.12 miscounts references in eventFilter.)
    """

    def __init__(self, window: QWidget):
        self.parts = [w for w in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                      if not w.isWindow() and w.isEnabled()]
        self.palettes = [(w, w.palette(), w.testAttribute(Qt.WidgetAttribute.WA_SetPalette)) for w in self.parts]
        # Disabling takes the focus away; it is given back, so the keys work again where they did.
        self.focus = QApplication.focusWidget()
        for part in self.parts:
            part.setPalette(_looking_enabled(part.palette()))
            part.setEnabled(False)

    def end(self) -> None:
        for part, palette, own in self.palettes:
            part.setEnabled(True)
            part.setPalette(palette if own else QPalette())
        if self.focus is not None and shiboken6.isValid(self.focus) and self.focus.isEnabled():
            self.focus.setFocus()


def run_with_progress(parent: QWidget | None, label: str, job: Callable[[Callable[[int, int], bool]], Any]) -> Any:
    """Run `job(on_progress)` in a worker thread; returns its result, or raises its error (Cancelled on Cancel).

    The caller must not touch the same database until this returns: the window takes no input from
    the start (InputPause), and the window-modal dialog shows after DIALOG_DELAY_MS.
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

    window = parent.window() if parent is not None else None
    # The dialog belongs to the window, not to the screen asking, so pausing the screen leaves Cancel usable.
    dialog = QProgressDialog(label, "Cancel", 0, 0, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(DIALOG_DELAY_MS)
    dialog.canceled.connect(cancel.set)
    pause = InputPause(window) if window is not None else None
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
    try:
        loop.exec()
    finally:
        timer.stop()
        thread.join()
        shown = dialog.isVisible()
        dialog.reset()  # hidden before the window takes input again, so the focus goes back to the window
        dialog.deleteLater()
        if pause is not None:
            pause.end()
        if shown and window is not None:
            window.activateWindow()
    if "error" in state:
        raise state["error"]
    return state.get("result")


__all__ = ["run_with_progress", "Cancelled"]
