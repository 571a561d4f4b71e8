"""The main window: home and study screens, menus with their shortcuts, document readers."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from calciquiz import __version__
from calciquiz.core.collection import Collection
from calciquiz.gui.home import HomeScreen
from calciquiz.gui.reader import DocumentReader
from calciquiz.gui.study import StudyScreen


class MainWindow(QMainWindow):
    def __init__(self, collection: Collection, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.setWindowTitle("CalciQuiz — calcinosis cutis")
        self.resize(1280, 820)
        self.home = HomeScreen(collection)
        self.study = StudyScreen(collection)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.study)
        self.setCentralWidget(self.stack)
        self.readers: list[DocumentReader] = []
        self.home.start_study.connect(self.start_study)
        self.study.finished.connect(self.show_home)
        self.study.open_document.connect(self.open_document)
        self._build_menus()
        self.show_home()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addAction(quit_action)
        study_menu = self.menuBar().addMenu("&Study")
        self.start_action = QAction("&Start studying", self, shortcut=QKeySequence("Ctrl+S"),
                                    triggered=self.start_study)
        self.home_action = QAction("&Home", self, shortcut=QKeySequence("Ctrl+H"), triggered=self.show_home)
        study_menu.addAction(self.start_action)
        study_menu.addAction(self.home_action)
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

    def open_document(self, document_id: str, passage_ordinal: int) -> DocumentReader:
        evidence = list(self.study.presentation.question.evidence) if self.study.presentation else []
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
            "  Ctrl+S   start studying\n"
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

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        for reader in list(self.readers):
            reader.close()
        super().closeEvent(event)
