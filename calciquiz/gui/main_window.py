"""The main window: home and study screens, menus with their shortcuts, document readers."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget, \
    QVBoxLayout, QWidget

from calciquiz import __version__
from calciquiz.core import exam, safekeeping
from calciquiz.core.collection import Collection
from calciquiz.core.exchange import ExchangeError, export_progress, import_progress
from calciquiz.core.progress import write_problem
from calciquiz.core.questions import Question
from calciquiz.gui.block_dialog import BlockDialog
from calciquiz.gui.documents_screen import DocumentsScreen
from calciquiz.gui.exam_screen import ExamScreen, clock_text
from calciquiz.gui.home import HomeScreen
from calciquiz.gui.left_behind import DISCARD, FINISH, LeftBehindDialog
from calciquiz.gui.progress_screen import ProgressScreen
from calciquiz.gui import style
from calciquiz.gui.reader import DocumentReader
from calciquiz.gui.report_screen import ReportScreen
from calciquiz.gui.study import StudyScreen
from calciquiz.gui.widgets import plain_message
from calciquiz.gui.worker import Cancelled, run_with_progress


class MainWindow(QMainWindow):
    def __init__(self, collection: Collection, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.settings = settings
        self.default_text_size = style.base_size()
        self.setWindowTitle("CalciQuiz — calcinosis cutis")
        self.resize(1280, 820)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.readers: list[DocumentReader] = []
        self.left_behind_dialog: LeftBehindDialog | None = None
        self._asked_about_left_behind = False
        self._build_screens()
        self._build_menus()
        self.show_home()
        self._restore_settings()

    def _build_screens(self) -> None:
        """One widget per screen, each handed the objects it shows."""
        self.home = HomeScreen(self.collection)
        self.study = StudyScreen(self.collection)
        self.exam = ExamScreen()
        self.report = ReportScreen(self.collection.bank)
        self.documents = DocumentsScreen(self.collection.bank)
        self.progress = ProgressScreen(self.collection)
        for screen in (self.home, self.study, self.exam, self.report, self.documents, self.progress):
            self.stack.addWidget(screen)
        self.home.start_study.connect(self.start_study)
        self.home.start_exam.connect(lambda: self.new_block(exam_mode=True))
        self.home.start_custom.connect(lambda: self.new_block(exam_mode=False))
        self.study.finished.connect(self.show_home)
        self.study.open_document.connect(lambda d, o: self.open_document(d, o, self.study.explanation.question))
        self.exam.finished.connect(self.show_report)
        self.report.done.connect(self.show_home)
        self.documents.done.connect(self.show_home)
        self.progress.done.connect(self.show_home)
        self.documents.study_questions.connect(self.study_questions)
        self.report.study_missed.connect(self.study_questions)
        self.report.open_document.connect(lambda d, o: self.open_document(d, o, self.report.explanation.question))

    def _rebuild_screens(self) -> None:
        """After the collection is reopened (a restore), every screen is made anew around it."""
        for reader in list(self.readers):
            reader.close()
        for screen in (self.home, self.study, self.exam, self.report, self.documents, self.progress):
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self._build_screens()
        self.show_home()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        # Spelled out: the platform's standard Quit key is empty on some systems.
        quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"), triggered=self.close)
        file_menu.addAction(QAction("&Back up progress now", self, shortcut=QKeySequence("Ctrl+Shift+B"),
                                    triggered=self.back_up_now))
        file_menu.addAction(QAction("&Restore progress from a backup…", self, shortcut=QKeySequence("Ctrl+Shift+R"),
                                    triggered=self.choose_backup))
        file_menu.addAction(QAction("&Export progress…", self, shortcut=QKeySequence("Ctrl+Shift+E"),
                                    triggered=self.export_progress))
        file_menu.addAction(QAction("&Import progress…", self, shortcut=QKeySequence("Ctrl+Shift+I"),
                                    triggered=self.import_progress))
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        study_menu = self.menuBar().addMenu("&Study")
        self.start_action = QAction("&Start studying", self, shortcut=QKeySequence("Ctrl+S"),
                                    triggered=self.start_study)
        self.home_action = QAction("&Home", self, shortcut=QKeySequence("Ctrl+H"), triggered=self.show_home)
        self.exam_action = QAction("Timed &exam block…", self, shortcut=QKeySequence("Ctrl+E"),
                                   triggered=lambda: self.new_block(exam_mode=True))
        self.custom_action = QAction("&Custom block…", self, shortcut=QKeySequence("Ctrl+B"),
                                     triggered=lambda: self.new_block(exam_mode=False))
        self.history_action = QAction("Exam &history…", self, shortcut=QKeySequence("Ctrl+Y"),
                                      triggered=self.show_history)
        self.progress_action = QAction("&Progress", self, shortcut=QKeySequence("Ctrl+P"),
                                       triggered=self.show_progress)
        for action in (self.start_action, self.exam_action, self.custom_action, self.history_action,
                       self.progress_action, self.home_action):
            study_menu.addAction(action)
        view_menu = self.menuBar().addMenu("&View")
        larger = QAction("&Larger text", self, triggered=lambda: self.change_text_size(+1))
        larger.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        view_menu.addAction(larger)
        view_menu.addAction(QAction("&Smaller text", self, shortcut=QKeySequence("Ctrl+-"),
                                    triggered=lambda: self.change_text_size(-1)))
        view_menu.addAction(QAction("&Normal text size", self, shortcut=QKeySequence("Ctrl+0"),
                                    triggered=lambda: self.change_text_size(0)))
        documents_menu = self.menuBar().addMenu("&Documents")
        self.documents_action = QAction("&Read and search the documents", self, shortcut=QKeySequence("Ctrl+D"),
                                        triggered=self.show_documents)
        documents_menu.addAction(self.documents_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(QAction("&Keyboard shortcuts", self, shortcut=QKeySequence("F1"),
                                    triggered=self.show_shortcuts))
        help_menu.addAction(QAction("&About CalciQuiz", self, triggered=self.show_about))

    def show_home(self) -> None:
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)
        self.home.start_button.setFocus()

    def start_study(self) -> None:
        self.stack.setCurrentWidget(self.study)
        self.study.start()
        self.study.setFocus()

    def new_block(self, exam_mode: bool) -> None:
        dialog = BlockDialog(self.collection, exam=exam_mode, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_block(dialog)

    def start_block(self, dialog: BlockDialog) -> None:
        ids = dialog.chosen_questions()
        if not dialog.is_exam:
            self.study_questions(ids)
            return
        block = exam.ExamBlock(self.collection, ids, time_limit_s=dialog.time_limit_s(),
                               description=dialog.block_filter().describe())
        self.stack.setCurrentWidget(self.exam)
        self.exam.start(block)
        self.exam.setFocus()

    def study_questions(self, question_ids: list[str]) -> None:
        self.stack.setCurrentWidget(self.study)
        self.study.start(question_ids)
        self.study.setFocus()

    def show_report(self, report: exam.ExamReport) -> None:
        self.stack.setCurrentWidget(self.report)
        self.report.show_report(report)

    def show_progress(self) -> None:
        self.progress.refresh()
        self.stack.setCurrentWidget(self.progress)
        self.progress.setFocus()

    def show_documents(self) -> None:
        self.stack.setCurrentWidget(self.documents)
        self.documents.search_box.setFocus()

    def _choose_from_list(self, title: str, rows: list[tuple[str, str]], empty: str, on_choose,
                          size: tuple[int, int]) -> QDialog:
        """A dialog listing (label, value) rows; Enter or a double-click chooses one."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{title} — CalciQuiz")
        listing = QListWidget()
        for label, value in rows:
            item = QListWidgetItem(label)
            item.setData(256, value)
            listing.addItem(item)
        if not rows:
            listing.addItem(empty)
        listing.setCurrentRow(0)
        listing.itemActivated.connect(lambda item: (dialog.accept(), on_choose(item.data(256))))
        layout = QVBoxLayout(dialog)
        layout.addWidget(listing)
        dialog.resize(*size)
        dialog.open()
        return dialog

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Asked when the window first shows, so the question sits over it; not from a timer, which could
        # fire after the window's collection was closed.
        if not self._asked_about_left_behind:
            self._asked_about_left_behind = True
            self.offer_left_behind()

    def _blocks_on_screen(self) -> list[str]:
        """The exam screen's block until it is submitted (its clock runs on even while another screen shows)."""
        block = self.exam.block
        return [block.id] if block is not None and block.submitted is None else []

    def offer_left_behind(self) -> LeftBehindDialog | None:
        """Ask, in one dialog, what to do with exam blocks left unfinished (by a crash); None if there are none."""
        blocks = self.collection.exams.left_behind(self._blocks_on_screen())
        if not blocks:
            return None
        dialog = LeftBehindDialog(blocks, self)
        dialog.finished.connect(lambda _result: self._settle_left_behind(dialog))
        self.left_behind_dialog = dialog
        dialog.open()
        return dialog

    def _settle_left_behind(self, dialog: LeftBehindDialog) -> None:
        ids = dialog.chosen_ids()
        blocks = f"{len(ids)} exam block{'s' if len(ids) != 1 else ''}"
        if dialog.choice == FINISH:
            counted = sum(self.collection.exams.finish_left_behind(block_id) for block_id in ids)
            message = (f"{blocks} finished: {counted} answer{'s' if counted != 1 else ''} counted"
                       " (see Exam history, Ctrl+Y).")
        elif dialog.choice == DISCARD:
            for block_id in ids:
                self.collection.exams.discard(block_id)
            message = f"{blocks} discarded."
        else:
            return  # decided later: the blocks stay open and are asked about on the next start
        self.statusBar().showMessage(message, 8000)
        self.home.refresh()

    def show_history(self) -> None:
        rows = [(f"{b['created_at'][:16].replace('T', ' ')}   {b['correct']}/{b['total']} correct"
                 f"   {clock_text(b['time_used_s'])}   {b['description']}", b["id"])
                for b in self.collection.exams.history()]
        self.history_dialog = self._choose_from_list("Exam history", rows, "No exam block finished yet.",
                                                     self.reopen_block, (720, 400))

    def reopen_block(self, block_id: str | None) -> None:
        if block_id:
            self.show_report(self.collection.exams.report(block_id))

    def open_document(self, document_id: str, passage_ordinal: int, question: Question | None = None) -> DocumentReader:
        evidence = list(question.evidence) if question else []
        reader = DocumentReader(self.collection.bank, document_id, passage_ordinal, evidence, self)
        reader.destroyed.connect(lambda *_: self.readers.remove(reader) if reader in self.readers else None)
        self.readers.append(reader)
        reader.show()
        return reader

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "While answering:\n"
            "  1–5 or A–E   choose an option\n"
            "  Enter or Space   submit; then go to the next question\n"
            "  G   mark a right answer as a guess (scheduled sooner)\n"
            "  O   open the source document at the cited passage\n"
            "  Esc   end the session\n\n"
            "Anywhere:\n"
            "In an exam block:\n"
            "  1–5 or A–E   choose or change an answer\n"
            "  Left / Right   previous / next question\n"
            "  M   mark for review\n"
            "  Ctrl+Enter   submit the block\n\n"
            "  Ctrl+S   start studying\n"
            "  Ctrl+E   timed exam block\n"
            "  Ctrl+B   custom block\n"
            "  Ctrl+Y   exam history\n"
            "  Ctrl+P   progress\n"
            "  Ctrl+D   documents (Ctrl+F to search them)\n"
            "  Ctrl+H   home\n"
            "  Ctrl+Q   quit",
        )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About CalciQuiz",
            f"CalciQuiz {__version__}\n\nOffline question bank for dermatology residents. "
            "Every answer is linked to the passage of the source document that supports it.\n\n"
            f"Progress file: {self.collection.progress.path}\nBank: {self.collection.bank.path}",
        )

    def back_up_now(self) -> None:
        try:
            made = self.collection.progress.backup()
        except (OSError, sqlite3.Error, safekeeping.ProgressUnwritable) as error:
            plain_message(self, QMessageBox.Icon.Warning, "Back up progress",
                          f"The backup could not be written: {write_problem(error)}. Your progress itself is "
                          "unchanged and saved.")
            return
        self.statusBar().showMessage(f"Progress backed up to {made.path}", 8000)

    def choose_backup(self) -> None:
        backups = safekeeping.list_backups(self.collection.progress.path)
        if not backups:
            QMessageBox.information(self, "Restore progress", "There are no backups yet.")
            return
        rows = [(f"{backup.label}    {backup.path.name}", str(backup.path)) for backup in backups]
        self.backup_dialog = self._choose_from_list("Restore progress from a backup", rows, "", self.restore_backup,
                                                    (560, 320))

    def restore_backup(self, backup_path: str) -> bool:
        """Replace the progress with a backup: the current file is set aside, then everything reopens."""
        answer = QMessageBox.question(
            self, "Restore progress",
            "Replace your current progress with this backup? Your current progress file is kept, set aside.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        bank_path, progress_path = self.collection.bank.path, self.collection.progress.path
        self.collection.close()
        try:
            safekeeping.restore(Path(backup_path), progress_path)
        finally:
            self.collection = Collection(bank_path, progress_path)
            self._rebuild_screens()
        self.statusBar().showMessage("Progress restored from the backup", 8000)
        self.offer_left_behind()  # the restored progress may hold blocks a crash left open
        return True

    def export_progress(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export progress", "calciquiz-progress.json", "JSON (*.json)")
        if name:
            count = export_progress(self.collection.progress, Path(name))
            self.statusBar().showMessage(f"Exported {count} reviews to {name}", 8000)

    def import_progress(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import progress", "", "JSON (*.json)")
        if not name:
            return
        try:
            report = run_with_progress(self, "Merging progress and rebuilding schedules…",
                                       lambda on_progress: import_progress(self.collection.progress, Path(name),
                                                                           on_progress))
        except ExchangeError as error:
            # The error quotes the chosen file (its name, values from it): shown as written.
            plain_message(self, QMessageBox.Icon.Warning, "Import progress", f"{error}\n\nNothing was changed.")
            return
        except Cancelled:
            self.statusBar().showMessage("Import cancelled; nothing was changed", 8000)
            return
        conflicts = "\n\n" + "\n".join(report.conflicts[:10]) if report.conflicts else ""
        more = f"\n… and {len(report.conflicts) - 10} more" if len(report.conflicts) > 10 else ""
        QMessageBox.information(self, "Import progress",
                                f"{report.reviews_added} reviews added, {report.reviews_already_there} were "
                                f"already here; {report.schedules_rebuilt} schedules rebuilt.{conflicts}{more}")
        self.show_home()

    def change_text_size(self, step: int) -> None:
        """Ctrl+/Ctrl-/Ctrl+0: every screen follows, and the size is remembered."""
        size = self.default_text_size if step == 0 else style.base_size() + step
        size = style.set_base_size(size)
        if self.settings is not None:
            self.settings.setValue("text_size", size)

    # The screens that can be reopened where the resident left off.
    RESTORABLE = ("home", "documents", "progress")

    def current_screen_name(self) -> str:
        names = {self.home: "home", self.study: "study", self.exam: "exam", self.report: "report",
                 self.documents: "documents", self.progress: "progress"}
        return names[self.stack.currentWidget()]

    def _restore_settings(self) -> None:
        if self.settings is None:
            return
        size = self.settings.value("text_size")
        if size is not None:
            style.set_base_size(float(size))
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("study_splitter")
        if splitter is not None:
            self.study.splitter.restoreState(splitter)
        screen = self.settings.value("last_screen", "home")
        if screen == "study":
            self.start_study()
        elif screen == "documents":
            self.show_documents()
        elif screen == "progress":
            self.show_progress()

    def save_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("study_splitter", self.study.splitter.saveState())
        screen = self.current_screen_name()
        # An exam in progress or a report is not reopened; studying resumes with a fresh session.
        self.settings.setValue("last_screen", screen if screen in self.RESTORABLE + ("study",) else "home")
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_settings()
        for reader in list(self.readers):
            reader.close()
        super().closeEvent(event)
