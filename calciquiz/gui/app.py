"""Starting the app: open the bank and the progress file, show the main window."""
from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from calciquiz.core import paths, safekeeping
from calciquiz.core.bank import BankUnusable
from calciquiz.core.collection import Collection
from calciquiz.core.problems import InputError
from calciquiz.gui.bank_commands import remembered_bank
from calciquiz.gui.main_window import MainWindow

log = logging.getLogger("calciquiz")


def _report_unexpected(kind, value, tb) -> None:
    """Anything unexpected is logged in full and shown to the user in plain words, never as a traceback."""
    log_path = paths.data_dir() / "calciquiz.log"
    try:
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(kind, value, tb)))
        where = f"Details were written to {log_path}."
    except OSError as error:  # a read-only data folder must not turn this report into a traceback
        where = f"The details could not be written to {log_path} ({error.strerror or error})."
    QMessageBox.critical(
        None,
        "CalciQuiz ran into a problem",
        f"Something went wrong: {value}\n\nYour answers so far are saved. {where}",
    )


def open_progress_safely(bank_path: Path) -> Collection | None:
    """Open the collection, explaining in plain words when progress is in use or damaged; None to quit."""
    start_fresh = False
    while True:
        try:
            return Collection(bank_path, paths.progress_path(), start_fresh=start_fresh)
        except safekeeping.ProgressInUse as error:
            QMessageBox.information(None, "CalciQuiz is already open",
                                    f"{error}\n\nSwitch to the open window instead; two copies of the app "
                                    "must not write the same progress.")
            return None
        except safekeeping.ProgressDamaged as error:
            choice = offer_restore(error)
            if choice == "quit":
                return None
            # Once the learner chose empty progress, the backups left behind must not stop the next try.
            start_fresh = choice == "fresh"


def ask_about_damage(text: str, can_restore: bool) -> str:
    """Ask what to do with damaged progress: 'restore', 'fresh' or 'quit'."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Your progress file is damaged", text)
    buttons = {}
    if can_restore:
        buttons["restore"] = box.addButton("Restore that backup", QMessageBox.ButtonRole.AcceptRole)
    buttons["fresh"] = box.addButton("Start with empty progress", QMessageBox.ButtonRole.DestructiveRole)
    buttons["quit"] = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return next((name for name, button in buttons.items() if box.clickedButton() is button), "quit")


def damage_text(error: safekeeping.ProgressDamaged, backup: safekeeping.Backup | None) -> str:
    kept = (f"What was left of it has not been deleted; it was set aside as\n{error.set_aside}\n\n"
            if error.set_aside else "")
    if isinstance(error, safekeeping.ProgressMissing):
        opening = f"Your progress file {error.path} is {error.detail}.\n\n"
        after = ("\n\nStarting with empty progress keeps the backups; you can restore one later "
                 "from the File menu.")
    else:
        opening = (f"Your progress file could not be read: it is damaged ({error.detail}).\n\n"
                   f"It has not been changed or deleted; it was set aside as\n{error.set_aside}\n\n")
        kept, after = "", ""
    offer = f"The newest good backup is from {backup.label}." if backup else "There is no backup to restore."
    return opening + kept + offer + after


def offer_restore(error: safekeeping.ProgressDamaged) -> str:
    """Tell the learner their progress is damaged or missing and offer the newest good backup.

    Returns 'restore' (done; try again), 'fresh' (start with empty progress) or 'quit'.
    """
    backup = safekeeping.newest_good_backup(error.path)
    choice = ask_about_damage(damage_text(error, backup), backup is not None)
    if choice == "restore" and backup is not None:
        safekeeping.restore(backup.path, error.path)
        return "restore"
    return choice if choice == "fresh" else "quit"


def open_collection(bank: Path | None) -> Collection:
    bank_path = bank or paths.bundled_bank()
    return Collection(bank_path, paths.progress_path())


def run(bank: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = start(bank)
    if window is None:
        return 1
    try:
        return app.exec()
    finally:
        window.collection.close()


def start(bank: Path | None = None) -> MainWindow | None:
    """Open the bank and the progress and show the main window; None (after telling the user) if that fails.

    The bank is the one given (`calciquiz --bank`, for this run only), else the one opened last with
    File › Open question bank…, else the bundled one.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CalciQuiz")
    app.setOrganizationName("CalciQuiz")
    settings = QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    try:
        bank_path = bank or remembered_bank(settings) or paths.bundled_bank()
    except (InputError, OSError) as error:
        QMessageBox.critical(None, "CalciQuiz cannot start", f"The bundled question bank could not be built.\n\n{error}")
        return None
    try:
        collection = open_progress_safely(bank_path)
        if collection is None:
            return None
    except safekeeping.ProgressUnwritable as error:
        message = str(error)
        QMessageBox.critical(None, "CalciQuiz cannot start", message[:1].upper() + message[1:] + ".")
        return None
    except (FileNotFoundError, sqlite3.DatabaseError, OSError, BankUnusable) as error:
        QMessageBox.critical(
            None,
            "CalciQuiz cannot start",
            f"Could not open the question bank {bank_path}\nor your progress file {paths.progress_path()}.\n\n{error}",
        )
        return None
    sys.excepthook = _report_unexpected
    window = MainWindow(collection, settings)
    window.show()
    return window
