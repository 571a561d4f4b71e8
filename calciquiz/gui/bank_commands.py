"""File › Open question bank…: study from a bank built elsewhere, with the same progress, and back.

The bank is checked before anything changes (a missing, outdated, damaged or foreign file is told in
plain words); the collection then opens it through the operations with Changes(bank=True), so every
screen refreshes. Its path is remembered in settings.ini and reopened at the next start.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from calciquiz.core import paths
from calciquiz.core.bank import BankUnusable, open_checked
from calciquiz.core.problems import InputError
from calciquiz.gui.operations import Changes

if TYPE_CHECKING:
    from calciquiz.gui.main_window import MainWindow

SETTING = "bank"
FILE_FILTER = "CalciQuiz question banks (*.sqlite *.db);;All files (*)"


def remembered_bank(settings: QSettings, parent: QWidget | None = None) -> Path | None:
    """The bank opened last with File › Open question bank…, if it can still be opened; None for the bundled one.

    A remembered bank that is gone or can no longer be opened is told in words and forgotten, and the
    bundled bank is used instead.
    """
    value = str(settings.value(SETTING, "") or "")
    if not value:
        return None
    try:
        open_checked(Path(value)).close()
        return Path(value)
    except BankUnusable as error:
        problem = str(error)
    except OSError as error:
        problem = f"{value} could not be read ({error.strerror or error})."
    settings.remove(SETTING)
    QMessageBox.warning(parent, "The question bank you opened last",
                        f"{problem}\n\nCalciQuiz opened its own question bank instead. Your progress is "
                        "unchanged; File › Open question bank… opens another bank.")
    return None


class BankCommands:
    def __init__(self, window: MainWindow):
        self.window = window
        self.collection, self.operations = window.collection, window.operations

    def _exam_running(self) -> bool:
        block = self.window.exam.block
        if block is not None and block.submitted is None:
            QMessageBox.information(self.window, "Open question bank",
                                    "An exam block is running. Submit it first (Ctrl+Enter on the exam screen); "
                                    "then open the other bank.")
            return True
        return False

    def choose_bank(self) -> None:
        if self._exam_running():
            return
        start = str(self.collection.bank_path.parent)
        name, _ = QFileDialog.getOpenFileName(self.window, "Open question bank", start, FILE_FILTER)
        if name:
            self.open(Path(name), remember=True)

    def open_bundled(self) -> None:
        if self._exam_running():
            return
        try:
            bundled = paths.bundled_bank()
        except (InputError, OSError) as error:
            QMessageBox.warning(self.window, "Open the bundled question bank",
                                f"The bundled question bank could not be built.\n\n{error}")
            return
        self.open(bundled, remember=False)

    def open(self, path: Path, remember: bool) -> bool:
        """Study from the bank at `path` with the same progress; False (after saying why) if it cannot be."""
        opened = self.operations.run(
            self.window, lambda _progress: self.collection.open_bank(path), changes=Changes(bank=True),
            title="Open question bank", label="Checking the question bank…", background=True,
            failure=self._failed)
        if not opened.ok:
            return False
        if self.window.settings is not None:
            if remember:
                self.window.settings.setValue(SETTING, str(path))
            else:
                self.window.settings.remove(SETTING)
        self.window.open_screen("home")
        subjects = self.collection.questions.subjects()
        self.window.statusBar().showMessage(
            f"Studying from {path.name}: {self.collection.questions.count()} questions in "
            f"{len(subjects)} subject{'s' if len(subjects) != 1 else ''}", 8000)
        return True

    @staticmethod
    def _failed(error: BaseException) -> str:
        if isinstance(error, BankUnusable):
            problem = str(error)
        elif isinstance(error, sqlite3.Error):
            problem = f"The bank could not be read ({error})."
        else:
            problem = f"The bank could not be opened ({getattr(error, 'strerror', None) or error})."
        return f"{problem}\n\nNothing was changed: you are still studying from the bank you had open."
