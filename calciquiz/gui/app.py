"""Starting the app: open the bank and the progress file, show the main window."""
from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from calciquiz.core import paths
from calciquiz.core.collection import Collection
from calciquiz.core.problems import InputError
from calciquiz.gui.main_window import MainWindow

log = logging.getLogger("calciquiz")


def _report_unexpected(kind, value, tb) -> None:
    """Anything unexpected is logged in full and shown to the user in plain words, never as a traceback."""
    log_path = paths.data_dir() / "calciquiz.log"
    with open(log_path, "a", encoding="utf-8") as handle:
        handle.write("".join(traceback.format_exception(kind, value, tb)))
    QMessageBox.critical(
        None,
        "CalciQuiz ran into a problem",
        f"Something went wrong: {value}\n\nYour answers so far are saved. "
        f"Details were written to {log_path}.",
    )


def open_collection(bank: Path | None) -> Collection:
    bank_path = bank or paths.bundled_bank()
    return Collection(bank_path, paths.progress_path())


def run(bank: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CalciQuiz")
    app.setOrganizationName("CalciQuiz")
    try:
        bank_path = bank or paths.bundled_bank()
    except (InputError, OSError) as error:
        QMessageBox.critical(None, "CalciQuiz cannot start", f"The bundled question bank could not be built.\n\n{error}")
        return 1
    try:
        collection = Collection(bank_path, paths.progress_path())
    except (FileNotFoundError, sqlite3.DatabaseError, OSError) as error:
        QMessageBox.critical(
            None,
            "CalciQuiz cannot start",
            f"Could not open the question bank {bank_path}\nor your progress file {paths.progress_path()}.\n\n{error}",
        )
        return 1
    sys.excepthook = _report_unexpected
    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(collection, settings)
    window.show()
    try:
        return app.exec()
    finally:
        collection.close()
