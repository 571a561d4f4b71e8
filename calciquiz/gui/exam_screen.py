"""A timed exam block: a countdown, free movement, marks, changed answers, no feedback until submission."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.exam import ExamBlock, ExamReport
from calciquiz.core.progress import DISK_FULL, write_problem
from calciquiz.gui import keymap, style
from calciquiz.gui.notes import NoteDialog
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.question_view import QuestionView

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


def clock_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ExamScreen(QWidget):
    finished = Signal(object)  # ExamReport, once the block is submitted and stored

    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.collection, self.operations = context.collection, context.operations
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
        self.view = QuestionView(self.collection, explained=False)
        self.stem, self.image, self.options = self.view.stem, self.view.image, self.view.options
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
        middle.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.problem)
        layout.addLayout(controls)
        keymap.install_options(self, self.choose, self.options.toggle_strike)
        keymap.install(self, "next", lambda: self.go(1))
        keymap.install(self, "previous", lambda: self.go(-1))
        keymap.install(self, "mark", self.toggle_mark)
        keymap.install(self, "flag", self.flag_button.toggle)
        keymap.install(self, "note", self.edit_note)
        keymap.install(self, "submit-block", self.confirm_submit)
        self.watcher = Watcher(self, self.operations, self.refresh, "flags")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def refresh(self, changes: Changes) -> None:
        if (changes.progress or changes.bank) and self.block is not None and self.block.submitted is None:
            # Its stored rows went with the replaced file: the block cannot be submitted any more.
            self.timer.stop()
            self.block = None
            self.view.show_message("<h2>Exam block ended</h2><p>Your progress was replaced.</p>")
            self.navigator.clear()
            return
        if self.block is not None:
            self.flag_button.blockSignals(True)
            self.flag_button.setChecked(self.collection.flags.is_flagged(self.block.item.question.id))
            self.flag_button.blockSignals(False)

    def start(self, block: ExamBlock) -> None:
        """Run a block started with col.exams.start."""
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
        # Leaving a question stores its time; a failure here is told, and the block stays where it was.
        moved = self.operations.run(self, lambda: self.block.go_to(index), changes=Changes(), title="Exam block")
        if not moved.ok:
            return
        item = moved.value
        self.view.show_question(item.question, item.order)
        if item.chosen_display is not None:
            self.options.select(item.chosen_display)
        for struck in item.struck:
            self.options.rows[struck].set_struck(True)
        self.mark_button.setChecked(item.marked)
        self.refresh(Changes())
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
                self.operations.run(self, lambda: self.block.choose(display_index), changes=Changes(),
                                    title="Exam block")
            self._refresh_navigator()

    def _on_struck(self, display_index: int, struck: bool) -> None:
        if self.block is not None:
            (self.block.item.struck.add if struck else self.block.item.struck.discard)(display_index)

    def _flag_changed(self, flagged: bool) -> None:
        if self.block is None:
            return
        question_id = self.block.item.question.id
        done = self.operations.run(self, lambda: self.collection.flags.set(question_id, flagged),
                                   changes=Changes(flags=True), title="Flag the question")
        if not done.ok:
            self.refresh(Changes())

    def edit_note(self) -> None:
        if self.block is not None:
            self.note_dialog = NoteDialog(self.collection, self.operations, self.block.item.question.id, self)
            self.note_dialog.open()

    def toggle_mark(self) -> None:
        if self.block is not None and self.block.submitted is None:
            marked = self.operations.run(self, self.block.toggle_mark, changes=Changes(), title="Exam block")
            self.mark_button.setChecked(self.block.item.marked)
            if marked.ok:
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
        if self.block is None or self.block.submitted is not None or self.operations.busy:
            return  # during another change (an import) the block waits; the next tick submits it
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

    def _submit_failed(self, error: BaseException) -> None:
        # The submission's transaction was rolled back: nothing was logged, submitting again is safe.
        problem = write_problem(error)
        self.problem.setText(f"Your answers could not be saved: {problem}. "
                             + ("Free some space, then submit" if problem == DISK_FULL else "Submit")
                             + " the block again (Ctrl+Enter).")
        self.problem.setVisible(True)

    def submit(self) -> ExamReport | None:
        """End the block and show the report; None (and why, on screen) when it could not be saved."""
        assert self.block is not None
        self.timer.stop()  # not restarted on failure: the clock must not submit again every tick
        submitted = self.operations.run(self, self.block.submit, changes=Changes(reviews=True, exams=True),
                                        title="Submit the block", failure=self._submit_failed)
        if not submitted.ok:
            return None
        self.problem.setVisible(False)
        self.finished.emit(submitted.value)
        self.context.navigator.show_report(submitted.value)
        return submitted.value
