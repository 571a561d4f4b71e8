"""The main window: the registered screens in a stack, the menus from the keymap, and moving between screens."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from calciquiz import __version__
from calciquiz.core.collection import Collection
from calciquiz.core.exam import ExamBlock, ExamReport
from calciquiz.core.questions import Question
from calciquiz.gui import keymap, style
from calciquiz.gui.anki_exports import AnkiExports
from calciquiz.gui.bank_commands import BankCommands
from calciquiz.gui.block_dialog import BlockDialog
from calciquiz.gui.exam_screen import clock_text
from calciquiz.gui.file_commands import ProgressFileCommands, choose_from_list
from calciquiz.gui.left_behind import LeftBehindDialog, settle
from calciquiz.gui.operations import Changes, Operations
from calciquiz.gui.reader import DocumentReader
from calciquiz.gui.screens import SCREENS, ScreenContext
from calciquiz.gui.subject_choice import SubjectChoice


class MainWindow(QMainWindow):
    """Holds one collection for its whole life; screens are handed it with the operations that change it."""

    def __init__(self, collection: Collection, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.settings = settings
        self.operations = Operations()
        self.subject = SubjectChoice(collection, settings)
        self.file_commands = ProgressFileCommands(self)
        self.bank_commands = BankCommands(self)
        self.anki_exports = AnkiExports(self)
        self.default_text_size = style.base_size()
        self._show_title()
        self.operations.changed.connect(self._changed)
        self.resize(1280, 820)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.readers: list[DocumentReader] = []
        self.left_behind_dialog: LeftBehindDialog | None = None
        self.history_dialog: QDialog | None = None
        self._asked_about_left_behind = False
        context = ScreenContext(collection, self.operations, self, self.subject)
        self.screens: dict[str, QWidget] = {}
        for entry in SCREENS:
            self.screens[entry.name] = screen = entry.factory(context)
            self.stack.addWidget(screen)
            setattr(self, entry.name, screen)  # window.study, window.home, … for the scripts and tests
        self.commands = {
            **{entry.command: (lambda name=entry.name: self.open_screen(name)) for entry in SCREENS if entry.command},
            "exam": lambda: self.new_block(exam_mode=True),
            "custom": lambda: self.new_block(exam_mode=False),
            "history": self.show_history,
            "larger": lambda: self.change_text_size(+1),
            "smaller": lambda: self.change_text_size(-1),
            "normal-size": lambda: self.change_text_size(0),
            "open-bank": self.bank_commands.choose_bank,
            "bundled-bank": self.bank_commands.open_bundled,
            "back-up": self.file_commands.back_up_now,
            "restore": self.file_commands.choose_backup,
            "export": self.file_commands.export,
            "import": self.file_commands.import_,
            "anki-flagged": self.anki_exports.flagged,
            "anki-wrong": self.anki_exports.wrong,
            "anki-topic": self.anki_exports.choose_topic,
            "anki-subject": self.anki_exports.subject,
            "quit": self.close,
            "shortcuts": self.show_shortcuts,
        }
        self._build_menus()
        self.open_screen("home")
        self._restore_settings()

    def _build_menus(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in keymap.MENUS}
        for command in keymap.COMMANDS:
            if command.menu is None:
                continue
            if command.id in ("back-up", "quit"):  # the bank, the progress file, quitting
                menus["File"].addSeparator()
            menu = menus[command.menu]
            if command.submenu:
                key = f"{command.menu}/{command.submenu}"
                if key not in menus:  # the exports, apart from the progress file
                    menu.addSeparator()
                    menus[key] = menu.addMenu(command.submenu)
                menu = menus[key]
            menu.addAction(keymap.action(self, command.id, self.commands[command.id]))
        menus["Help"].addAction("&About CalciQuiz", self.show_about)

    def _show_title(self) -> None:
        self.setWindowTitle(f"CalciQuiz — {self.subject.title}")

    def _changed(self, changes: Changes) -> None:
        if changes.bank:
            self.subject.fit(self.subject.id)  # the other bank may not have the subject chosen before
            for reader in list(self.readers):  # their documents belong to the bank that was closed
                reader.close()
        if changes.bank or changes.subject:
            self._show_title()

    def run_command(self, command_id: str) -> None:
        """What a menu command (or the home screen's button for it) does."""
        self.commands[command_id]()

    # Navigator: how screens move on.

    def open_screen(self, name: str) -> QWidget:
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)  # shown first: a screen with changes pending refreshes now
        if hasattr(screen, "open"):
            screen.open()
        return screen

    def study_questions(self, question_ids: list[str]) -> None:
        self.stack.setCurrentWidget(self.study)
        self.study.start(question_ids)

    def start_exam(self, block: ExamBlock) -> None:
        self.stack.setCurrentWidget(self.exam)
        self.exam.start(block)
        self.exam.setFocus()

    def show_report(self, report: ExamReport) -> None:
        self.stack.setCurrentWidget(self.report)
        self.report.show_report(report)

    def open_document(self, document_id: str, passage_ordinal: int, question: Question | None = None) -> DocumentReader:
        evidence = list(question.evidence) if question else []
        reader = DocumentReader(self.collection.questions, document_id, passage_ordinal, evidence, self)
        reader.destroyed.connect(lambda *_: self.readers.remove(reader) if reader in self.readers else None)
        self.readers.append(reader)
        reader.show()
        return reader

    # Commands that open a dialog.

    def new_block(self, exam_mode: bool) -> None:
        dialog = BlockDialog(self.collection, exam=exam_mode, parent=self, subject=self.subject)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_block(dialog)

    def start_block(self, dialog: BlockDialog) -> None:
        ids = dialog.chosen_questions()
        if not dialog.is_exam:
            self.study_questions(ids)
            return
        started = self.operations.run(
            self, lambda: self.collection.exams.start(ids, time_limit_s=dialog.time_limit_s(),
                                                      description=dialog.description()),
            changes=Changes(exams=True), title="Start the exam block")
        if started.ok:
            self.start_exam(started.value)

    def show_history(self) -> None:
        rows = [(f"{b['created_at'][:16].replace('T', ' ')}   {b['correct']}/{b['total']} correct"
                 f"   {clock_text(b['time_used_s'])}   {b['description']}", b["id"])
                for b in self.collection.exams.history()]
        self.history_dialog = choose_from_list(self, "Exam history", rows, "No exam block finished yet.",
                                               self.reopen_block, (720, 400))

    def reopen_block(self, block_id: str | None) -> None:
        if block_id:
            self.show_report(self.collection.exams.report(block_id))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Asked when the window first shows, so the question sits over it; not from a timer, which could
        # fire after the window's collection was closed.
        if not self._asked_about_left_behind:
            self._asked_about_left_behind = True
            self.offer_left_behind()

    def offer_left_behind(self) -> LeftBehindDialog | None:
        """Ask, in one dialog, what to do with exam blocks left unfinished (by a crash); None if there are none."""
        block = self.exam.block  # its clock runs on even while another screen shows: not left behind
        on_screen = [block.id] if block is not None and block.submitted is None else []
        blocks = self.collection.exams.left_behind(on_screen)
        if not blocks:
            return None
        dialog = LeftBehindDialog(blocks, self)
        dialog.finished.connect(lambda _result: self._settle_left_behind(dialog))
        self.left_behind_dialog = dialog
        dialog.open()
        return dialog

    def _settle_left_behind(self, dialog: LeftBehindDialog) -> None:
        message = settle(dialog, self.collection, self.operations)
        if message:
            self.statusBar().showMessage(message, 8000)

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", keymap.shortcuts_text())

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About CalciQuiz",
            f"CalciQuiz {__version__}\n\nOffline question bank for dermatology residents. "
            "Every answer is linked to the passage of the source document that supports it.\n\n"
            f"Progress file: {self.collection.progress_path}\nBank: {self.collection.bank_path}",
        )

    def change_text_size(self, step: int) -> None:
        """Ctrl+/Ctrl-/Ctrl+0: every screen follows, and the size is remembered."""
        size = self.default_text_size if step == 0 else style.base_size() + step
        size = style.set_base_size(size)
        if self.settings is not None:
            self.settings.setValue("text_size", size)

    def current_screen_name(self) -> str:
        return next(name for name, screen in self.screens.items() if screen is self.stack.currentWidget())

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
        if screen != "home" and any(entry.name == screen and entry.restorable for entry in SCREENS):
            self.open_screen(screen)

    def save_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("study_splitter", self.study.splitter.saveState())
        screen = self.current_screen_name()
        # An exam in progress or a report is not reopened; studying resumes with a fresh session.
        restorable = any(entry.name == screen and entry.restorable for entry in SCREENS)
        self.settings.setValue("last_screen", screen if restorable else "home")
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_settings()
        for reader in list(self.readers):
            reader.close()
        super().closeEvent(event)
