"""Child process: open the app on a bank, start studying, report when the first question is painted."""
from __future__ import annotations

import resource
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from calciquiz.core.collection import Collection
from calciquiz.gui.main_window import MainWindow


def peak_rss_kb() -> int:
    """This process's own peak RSS. ru_maxrss survives exec on Linux, so a child started by a large
    parent would report the parent's peak; VmHWM belongs to this process image alone."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class FirstPaint(QObject):
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and window.study.presentation is not None:
            print(f"PAINTED {time.time():.6f}", flush=True)
            for _ in range(30):  # then study a little, for the memory figure
                study = window.study
                study.choose(0)
                study.advance()
                study.advance()
            print(f"MAXRSS_KB {peak_rss_kb()}", flush=True)
            app.quit()
        return False


app = QApplication(sys.argv)
collection = Collection(sys.argv[1], sys.argv[2])
window = MainWindow(collection)
watcher = FirstPaint()
window.study.stem.installEventFilter(watcher)
window.show()
window.run_command("study")  # as the home screen's Study button does
app.exec()
collection.close()
