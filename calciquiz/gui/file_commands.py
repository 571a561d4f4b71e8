"""The File menu: back up, restore, export and import the learner's progress, each an operation."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout, QWidget

from calciquiz.core.exchange import ExchangeError
from calciquiz.core.progress import Cancelled, write_problem
from calciquiz.gui.operations import Changes

if TYPE_CHECKING:
    from calciquiz.gui.main_window import MainWindow

ROLE_VALUE = 256


def choose_from_list(parent: QWidget, title: str, rows: list[tuple[str, str]], empty: str, on_choose,
                     size: tuple[int, int]) -> QDialog:
    """A dialog listing (label, value) rows; Enter or a double-click chooses one."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"{title} — CalciQuiz")
    listing = QListWidget()
    for label, value in rows:
        item = QListWidgetItem(label)
        item.setData(ROLE_VALUE, value)
        listing.addItem(item)
    if not rows:
        listing.addItem(empty)
    listing.setCurrentRow(0)
    listing.itemActivated.connect(lambda item: (dialog.accept(), on_choose(item.data(ROLE_VALUE))))
    layout = QVBoxLayout(dialog)
    layout.addWidget(listing)
    dialog.resize(*size)
    dialog.open()
    return dialog


class ProgressFileCommands:
    def __init__(self, window: MainWindow):
        self.window = window
        self.collection, self.operations = window.collection, window.operations
        self.backup_dialog: QDialog | None = None

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def back_up_now(self) -> None:
        made = self.operations.run(
            self.window, self.collection.backups.back_up, changes=Changes(), title="Back up progress",
            failure=lambda error: (f"The backup could not be written: {write_problem(error)}. Your progress "
                                   "itself is unchanged and saved."))
        if made.ok:
            self._status(f"Progress backed up to {made.value.path}")

    def choose_backup(self) -> None:
        backups = self.collection.backups.list()
        if not backups:
            QMessageBox.information(self.window, "Restore progress", "There are no backups yet.")
            return
        rows = [(f"{backup.label}    {backup.path.name}", str(backup.path)) for backup in backups]
        self.backup_dialog = choose_from_list(self.window, "Restore progress from a backup", rows, "", self.restore,
                                              (560, 320))

    def restore(self, backup_path: str) -> bool:
        """Replace the progress with a backup: the current file is set aside, then the collection reopens it."""
        answer = QMessageBox.question(
            self.window, "Restore progress",
            "Replace your current progress with this backup? Your current progress file is kept, set aside.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        restored = self.operations.run(
            self.window, lambda: self.collection.backups.restore(Path(backup_path)), changes=Changes(progress=True),
            title="Restore progress",
            failure=lambda error: f"The backup could not be restored: {write_problem(error)}.")
        if not restored.ok:
            return False
        self.window.open_screen("home")
        self._status("Progress restored from the backup")
        self.window.offer_left_behind()  # the restored progress may hold blocks a crash left open
        return True

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.window, "Export progress", "calciquiz-progress.json",
                                              "JSON (*.json)")
        if not name:
            return
        exported = self.operations.run(
            self.window, lambda: self.collection.exchange.export_to(Path(name)), changes=Changes(),
            title="Export progress", failure=lambda error: f"{name} could not be written: {write_problem(error)}.")
        if exported.ok:
            self._status(f"Exported {exported.value} reviews to {name}")

    def _import_failed(self, error: BaseException) -> str | None:
        if isinstance(error, Cancelled):
            self._status("Import cancelled; nothing was changed")
            return None
        # An ExchangeError quotes the chosen file (its name, values from it): shown as written.
        problem = str(error) if isinstance(error, ExchangeError) else f"The import failed: {write_problem(error)}."
        return f"{problem}\n\nNothing was changed."

    def import_(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import progress", "", "JSON (*.json)")
        if not name:
            return
        merged = self.operations.run(
            self.window, lambda on_progress: self.collection.exchange.import_from(Path(name), on_progress),
            changes=Changes(reviews=True, flags=True, notes=True), title="Import progress",
            label="Merging progress and rebuilding schedules…", background=True, failure=self._import_failed)
        if not merged.ok:
            return
        report = merged.value
        conflicts = "\n\n" + "\n".join(report.conflicts[:10]) if report.conflicts else ""
        more = f"\n… and {len(report.conflicts) - 10} more" if len(report.conflicts) > 10 else ""
        QMessageBox.information(self.window, "Import progress",
                                f"{report.reviews_added} reviews added, {report.reviews_already_there} were "
                                f"already here; {report.schedules_rebuilt} schedules rebuilt.{conflicts}{more}")
