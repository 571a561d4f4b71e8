"""A timed exam block: a countdown, free movement, marks, changed answers, no feedback until submission."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.exam import ExamBlock, ExamReport
from calciquiz.core.progress import DISK_FULL, write_problem
from calciquiz.core.questions import LETTERS
from calciquiz.gui import html, style
from calciquiz.gui.notes import NoteDialog
from calciquiz.gui.options import OptionList
from calciquiz.gui.widgets import QuestionImage, markup_label, shortcut


def clock_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ExamScreen(QWidget):
    finished = Signal(object)  # ExamReport

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.block: ExamBlock | None = None
        self.title = QLabel()
        style.set_font(self.title, 1, bold=True)
        self.countdown = QLabel()
        style.set_font(self.countdown, 6, bold=True)
        self.countdown.setToolTip("Time left in this block")
        self.navigator = QListWidget()
        self.navigator.setMaximumWidth(150)
        self.navigator.setToolTip("Go to a question (✓ answered, ⚑ marked)")
        self.navigator.currentRowChanged.connect(self._navigate)
        self.stem = markup_label()
        self.stem.setWordWrap(True)
        style.set_font(self.stem, 3)
        self.image = QuestionImage()
        self.options = OptionList()
        self.options.chosen.connect(self._on_chosen)
        self.options.struck_changed.connect(self._on_struck)
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Previous question (Left)")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next question (Right)")
        self.next_button.clicked.connect(lambda: self.go(1))
        self.mark_button = QPushButton("⚑ Mark for review")
        self.mark_button.setCheckable(True)
        self.mark_button.setToolTip("Mark this question to come back to it (M)")
        self.mark_button.clicked.connect(self.toggle_mark)
        self.flag_button = QPushButton("Flag")
        self.flag_button.setCheckable(True)
        self.flag_button.setToolTip("Flag the question to find it later in a custom block (F)")
        self.flag_button.toggled.connect(self._flag_changed)
        self.note_button = QPushButton("✎ Note")
        self.note_button.setToolTip("Write a note on this question (N)")
        self.note_button.clicked.connect(self.edit_note)
        self.submit_button = QPushButton("Submit block")
        self.submit_button.setToolTip("End the block and see your score (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.confirm_submit)
        self.problem = QLabel()  # a submission that could not be saved is told here
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(
            f"background: {style.WRONG}; border: 1px solid {style.WRONG_BORDER}; padding: 6px; border-radius: 4px;")
        self.problem.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.tick)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(16, 8, 16, 8)
        body_layout.addWidget(self.stem)
        body_layout.addWidget(self.image)
        body_layout.addWidget(self.options)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.countdown)
        controls = QHBoxLayout()
        controls.addWidget(self.previous_button)
        controls.addWidget(self.mark_button)
        controls.addWidget(self.next_button)
        controls.addWidget(self.flag_button)
        controls.addWidget(self.note_button)
        controls.addStretch(1)
        controls.addWidget(self.submit_button)
        middle = QHBoxLayout()
        middle.addWidget(self.navigator)
        middle.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.problem)
        layout.addLayout(controls)
        for index in range(5):
            self._shortcut(str(index + 1), lambda i=index: self.choose(i))
            self._shortcut(LETTERS[index], lambda i=index: self.choose(i))
        self._shortcut("Right", lambda: self.go(1))
        self._shortcut("Left", lambda: self.go(-1))
        self._shortcut("M", self.toggle_mark)
        self._shortcut("F", self.flag_button.toggle)
        self._shortcut("N", self.edit_note)
        for index in range(5):
            self._shortcut(f"Ctrl+{index + 1}", lambda i=index: self.options.toggle_strike(i))
        self._shortcut("Ctrl+Return", self.confirm_submit)
        self._shortcut("Ctrl+Enter", self.confirm_submit)

    def _shortcut(self, keys: str, slot) -> None:
        shortcut(self, keys, slot)

    def start(self, block: ExamBlock) -> None:
        self.block = block
        self.problem.setVisible(False)
        self.navigator.blockSignals(True)
        self.navigator.clear()
        for index in range(len(block.items)):
            self.navigator.addItem(QListWidgetItem(f"{index + 1}"))
        self.navigator.blockSignals(False)
        self.show_item(0)
        self.timer.start()
        self.tick()

    def show_item(self, index: int) -> None:
        assert self.block is not None
        item = self.block.go_to(index)
        self.stem.setText(html.stem_html(item.question.stem))
        self.image.show_image(self.block.collection.bank.image(item.question.id))
        self.options.set_options([item.question.options[i].text for i in item.order])
        if item.chosen_display is not None:
            self.options.select(item.chosen_display)
        for struck in item.struck:
            self.options.rows[struck].set_struck(True)
        self.mark_button.setChecked(item.marked)
        self.flag_button.blockSignals(True)
        self.flag_button.setChecked(self.block.collection.progress.is_flagged(item.question.id))
        self.flag_button.blockSignals(False)
        self.navigator.blockSignals(True)
        self.navigator.setCurrentRow(index)
        self.navigator.blockSignals(False)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.block.items) - 1)
        self._refresh_navigator()

    def _navigate(self, row: int) -> None:
        if self.block is not None and row >= 0 and row != self.block.current:
            self.show_item(row)

    def go(self, step: int) -> None:
        if self.block is None:
            return
        target = self.block.current + step
        if 0 <= target < len(self.block.items):
            self.show_item(target)

    def choose(self, display_index: int) -> None:
        if self.block is not None and self.block.submitted is None and display_index < len(self.options.rows):
            self.options.select(display_index)

    def _on_chosen(self, display_index: int) -> None:
        if self.block is not None and self.block.submitted is None:
            if self.block.item.chosen_display != display_index:
                self.block.choose(display_index)
            self._refresh_navigator()

    def _on_struck(self, display_index: int, struck: bool) -> None:
        if self.block is not None:
            (self.block.item.struck.add if struck else self.block.item.struck.discard)(display_index)

    def _flag_changed(self, flagged: bool) -> None:
        if self.block is not None:
            self.block.collection.progress.set_flag(self.block.item.question.id, flagged)

    def edit_note(self) -> None:
        if self.block is not None:
            self.note_dialog = NoteDialog(self.block.collection.progress, self.block.item.question.id, self)
            self.note_dialog.open()

    def toggle_mark(self) -> None:
        if self.block is not None and self.block.submitted is None:
            self.mark_button.setChecked(self.block.toggle_mark())
            self._refresh_navigator()

    def _refresh_navigator(self) -> None:
        assert self.block is not None
        for index, item in enumerate(self.block.items):
            text = f"{index + 1:>2}  {'✓' if item.chosen is not None else '·'}{'  ⚑' if item.marked else ''}"
            self.navigator.item(index).setText(text)
        answered = sum(i.chosen is not None for i in self.block.items)
        marked = sum(i.marked for i in self.block.items)
        self.title.setText(
            f"Exam block · question {self.block.current + 1} of {len(self.block.items)}"
            f" · {answered} answered · {marked} marked"
        )

    def tick(self) -> None:
        if self.block is None or self.block.submitted is not None:
            return
        remaining = self.block.remaining_s()
        self.countdown.setText(clock_text(remaining))
        self.countdown.setStyleSheet(f"color: {style.WRONG_BORDER}" if remaining < 60 else "")
        if remaining <= 0:
            self.submit()

    def unanswered(self) -> int:
        return sum(i.chosen is None for i in self.block.items) if self.block else 0

    def confirm_submit(self) -> None:
        if self.block is None or self.block.submitted is not None:
            return
        left = self.unanswered()
        question = "Submit the block and see your score?"
        if left:
            question = f"{left} question{'s are' if left != 1 else ' is'} unanswered. Submit anyway?"
        answer = QMessageBox.question(self, "Submit block", question)
        if answer == QMessageBox.StandardButton.Yes:
            self.submit()

    def submit(self) -> ExamReport | None:
        """End the block and show the report; None (and why, on screen) when it could not be saved."""
        assert self.block is not None
        self.timer.stop()  # not restarted on failure: the clock must not submit again every tick
        try:
            report = self.block.submit()
        except (sqlite3.OperationalError, OSError) as error:
            # The submission's transaction was rolled back: nothing was logged, submitting again is safe.
            problem = write_problem(error)
            self.problem.setText(f"Your answers could not be saved: {problem}. "
                                 + ("Free some space, then submit" if problem == DISK_FULL else "Submit")
                                 + " the block again (Ctrl+Enter).")
            self.problem.setVisible(True)
            return None
        self.problem.setVisible(False)
        self.finished.emit(report)
        return report
