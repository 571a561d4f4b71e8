"""The home screen: what is due today, what is new, and the way into a study session."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from calciquiz.gui import style
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.widgets import plain_label

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


class CountTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("CountTile")
        self.setStyleSheet(f"#CountTile {{ border: 1px solid {style.NEUTRAL_BORDER}; border-radius: 8px; }}")
        self.number = QLabel("0")
        style.set_font(self.number, 16, bold=True)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        style.set_font(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setMinimumWidth(170)

    def set_value(self, value: int) -> None:
        self.number.setText(str(value))


class HomeScreen(QWidget):
    """What is due and new, and the buttons that do what their menu commands do."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = context.collection
        title = QLabel("CalciQuiz")
        style.set_font(title, 14, bold=True)
        subtitle = QLabel("Calcinosis cutis — questions with explanations from their sources")
        style.set_font(subtitle, 2)
        subtitle.setStyleSheet("color: gray")
        self.due = CountTile("due today")
        self.new = CountTile("new questions")
        self.answered = CountTile("answered today")
        tiles = QHBoxLayout()
        tiles.addStretch(1)
        for tile in (self.due, self.new, self.answered):
            tiles.addWidget(tile)
        tiles.addStretch(1)
        self.start_button = QPushButton("Start studying")
        style.set_font(self.start_button, 3, bold=True)
        self.start_button.setMinimumSize(260, 52)
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Due reviews first, then new questions (Enter or Ctrl+S)")
        self.start_button.clicked.connect(lambda: context.navigator.run_command("study"))
        self.exam_button = QPushButton("Timed exam block…")
        self.exam_button.setToolTip("Choose topics and size, then answer against the clock (Ctrl+E)")
        self.exam_button.clicked.connect(lambda: context.navigator.run_command("exam"))
        self.custom_button = QPushButton("Custom block…")
        self.custom_button.setToolTip("Study chosen topics, missed, flagged or due questions (Ctrl+B)")
        self.custom_button.clicked.connect(lambda: context.navigator.run_command("custom"))
        more = QHBoxLayout()
        more.addStretch(1)
        more.addWidget(self.exam_button)
        more.addWidget(self.custom_button)
        more.addStretch(1)
        self.bank_line = plain_label()
        self.bank_line.setStyleSheet("color: gray")
        self.bank_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bank_line.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setRowStretch(0, 2)
        grid.addWidget(title, 1, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(subtitle, 2, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.setRowMinimumHeight(3, 24)
        grid.addLayout(tiles, 4, 0)
        grid.setRowMinimumHeight(5, 24)
        grid.addWidget(self.start_button, 6, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addLayout(more, 7, 0)
        grid.setRowMinimumHeight(8, 24)
        grid.addWidget(self.bank_line, 9, 0)
        grid.setRowStretch(10, 3)
        self.watcher = Watcher(self, context.operations, self.refresh, "reviews")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def open(self) -> None:
        self.start_button.setFocus()

    def refresh(self, _changes: Changes | None = None) -> None:
        counts = self.collection.sched.counts()
        self.due.set_value(counts.due_today)
        self.new.set_value(counts.new)
        self.answered.set_value(counts.answered_today)
        can_study = counts.due_today + counts.new > 0
        self.start_button.setText("Start studying" if can_study else "All caught up — study ahead")
        questions = self.collection.questions
        self.bank_line.setText(f"{counts.total} questions from {len(questions.documents())} source documents"
                               f" · bank built {questions.built_at[:10]}")
