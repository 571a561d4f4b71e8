"""The study screen: one question at a time, answered by mouse or keyboard, then explained."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.collection import Collection
from calciquiz.core.progress import DISK_FULL, write_problem
from calciquiz.core.questions import LETTERS
from calciquiz.core.study import AnswerOutcome, Presentation, StudySession
from calciquiz.gui import html, style
from calciquiz.gui.explanation import ExplanationPane
from calciquiz.gui.notes import NoteDialog
from calciquiz.gui.options import OptionList
from calciquiz.gui.widgets import QuestionImage, markup_label, plain_label, shortcut


class StudyScreen(QWidget):
    """Runs a StudySession: shows a question, records the answer, shows the explanation."""

    finished = Signal()
    open_document = Signal(str, int)
    answered = Signal()

    def __init__(self, collection: Collection, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.session: StudySession | None = None
        self.presentation: Presentation | None = None
        self.outcome: AnswerOutcome | None = None

        self.header = plain_label()
        style.set_font(self.header, -1)
        self.header.setStyleSheet("color: gray")
        self.stem = markup_label()
        self.stem.setWordWrap(True)
        style.set_font(self.stem, 3)
        self.stem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.image = QuestionImage()
        self.options = OptionList()
        self.options.chosen.connect(self._on_chosen)
        self.note_label = plain_label()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"background: {style.NOTE}; padding: 6px; border-radius: 4px;")
        self.note_label.setVisible(False)
        self.flag = QPushButton("⚑ Flag")
        self.flag.setCheckable(True)
        self.flag.setToolTip("Flag this question to find it later in a custom block (F)")
        self.flag.toggled.connect(self._flag_changed)
        self.note_button = QPushButton("✎ Note")
        self.note_button.setToolTip("Write a note on this question; it is shown when the question comes back (N)")
        self.note_button.clicked.connect(self.edit_note)
        self.guess = QCheckBox("I guessed")
        self.guess.setToolTip("Mark a right answer as a guess, so it is scheduled sooner; works after answering too (G)")
        self.guess.toggled.connect(self._guess_changed)
        self.submit = QPushButton("Submit")
        self.submit.setDefault(True)
        self.submit.setMinimumWidth(150)
        self.submit.clicked.connect(self.advance)
        self.home = QPushButton("End session")
        self.home.setToolTip("Back to the home screen (Esc)")
        self.home.clicked.connect(self.finished)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: gray")
        self.hint.setWordWrap(True)
        # The hint may shrink and wrap rather than widen the question pane.
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # A failed write (a full disk) is told here, beside the feedback, without a dialog in the way.
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(
            f"background: {style.WRONG}; border: 1px solid {style.WRONG_BORDER}; padding: 6px; border-radius: 4px;")
        self.problem.setVisible(False)

        question_body = QWidget()
        question_layout = QVBoxLayout(question_body)
        question_layout.setContentsMargins(16, 12, 16, 12)
        question_layout.setSpacing(12)
        question_layout.addWidget(self.header)
        question_layout.addWidget(self.stem)
        question_layout.addWidget(self.image)
        question_layout.addWidget(self.options)
        question_layout.addWidget(self.note_label)
        question_layout.addStretch(1)
        question_scroll = QScrollArea()
        question_scroll.setWidgetResizable(True)
        question_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        question_scroll.setWidget(question_body)

        controls = QHBoxLayout()
        controls.setContentsMargins(16, 6, 16, 10)
        controls.addWidget(self.home)
        controls.addWidget(self.flag)
        controls.addWidget(self.note_button)
        controls.addWidget(self.hint, 1)
        controls.addWidget(self.guess)
        controls.addWidget(self.submit)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(question_scroll, 1)
        left_layout.addWidget(self.problem)
        left_layout.addLayout(controls)

        self.explanation = ExplanationPane(collection.bank)
        self.explanation.open_document.connect(self.open_document)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.explanation)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setChildrenCollapsible(False)
        # Initial split by proportion, not by the long stem's size hint (a saved layout overrides it).
        self.splitter.setSizes([660, 540])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._install_shortcuts()

    def _install_shortcuts(self) -> None:
        def add(keys: str, slot) -> None:
            shortcut(self, keys, slot)

        for index in range(5):
            add(str(index + 1), lambda i=index: self.choose(i))
            add(LETTERS[index], lambda i=index: self.choose(i))
        for key in ("Return", "Enter", "Space"):
            add(key, self.advance)
        add("G", self.guess.toggle)
        add("F", self.flag.toggle)
        add("N", self.edit_note)
        for index in range(5):
            add(f"Ctrl+{index + 1}", lambda i=index: self.options.toggle_strike(i))
        add("O", self.open_first_passage)
        add("Escape", self.finished.emit)

    def start(self, question_ids: list[str] | None = None) -> None:
        """Study due-then-new questions, or exactly the given ones (a custom block)."""
        self.session = StudySession(self.collection, question_ids=question_ids)
        # Counted once per session and kept up to date here, so the answer-to-next path never
        # scans the bank (that costs tens of milliseconds at 100,000 questions).
        counts = self.collection.sched.counts()
        self.remaining = {"due": counts.due_today, "new": counts.new}
        self.show_next()

    def choose(self, display_index: int) -> None:
        if self.presentation is not None and self.outcome is None:
            self.options.select(display_index)

    def _on_chosen(self, _index: int) -> None:
        self.submit.setEnabled(True)

    def advance(self) -> None:
        """Enter/Space: submit the chosen answer, or go on to the next question."""
        if self.presentation is None:
            return
        if self.outcome is None:
            if self.options.selected is not None:
                self.submit_answer()
        else:
            self.show_next()

    def submit_answer(self) -> None:
        assert self.session is not None and self.presentation is not None
        recorded = self.session.tally.outcomes[-1] if self.session.tally.outcomes else None
        if recorded is not None and recorded.presentation is self.presentation:
            outcome = recorded  # already in the log: show it, never log it a second time
        else:
            try:
                outcome = self.session.answer(self.options.selected, guessed=self.guess.isChecked())
            except (sqlite3.OperationalError, OSError) as error:
                # The transaction was rolled back, so nothing was stored and trying again is safe.
                problem = write_problem(error)
                self._show_problem(f"Your answer could not be saved: {problem}. "
                                   + ("Free some space, then press" if problem == DISK_FULL else "Press")
                                   + " Enter to try again.")
                return
        # The answer is stored durably above; only now is the feedback shown.
        self.outcome = outcome
        problem = self.collection.progress.backup_problem
        told = ""
        if problem:
            told = f"Your answer is saved, but the backup could not be written: {problem}."
            told += " Free some space." if problem == DISK_FULL else ""
        self._show_problem(told)
        question = self.presentation.question
        rationales = [question.options[i].rationale for i in self.presentation.order]
        self.options.reveal(self.presentation.correct_display_index, self.options.selected, rationales)
        self.explanation.show_outcome(outcome)
        self.guess.setEnabled(outcome.correct)
        key = "new" if self.presentation.is_new else "due"
        self.remaining[key] = max(0, self.remaining[key] - 1)
        self.submit.setText("Next question")
        self.hint.setText("Enter: next question   O: open the source document   Esc: end")
        self._update_header()
        self.answered.emit()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def show_next(self) -> None:
        assert self.session is not None
        self.outcome = None
        self.presentation = self.session.next()
        self.explanation.clear()
        self.guess.blockSignals(True)
        self.guess.setChecked(False)
        self.guess.blockSignals(False)
        self.guess.setEnabled(True)
        if self.presentation is None:
            if self.session.queue is not None:
                tally = self.session.tally
                self.stem.setText(f"<h2>Block finished</h2><p>{tally.correct} of {tally.answered} correct.</p>")
            else:
                self.stem.setText(
                    "<h2>All caught up</h2><p>No question is due and every new question has been seen. "
                    "Come back when reviews fall due.</p>"
                )
            self.options.set_options([])
            self.image.show_image(b"")
            self.submit.setEnabled(False)
            self.guess.setEnabled(False)
            self.hint.setText("Esc: back to the home screen")
            self._update_header()
            return
        question = self.presentation.question
        self.flag.blockSignals(True)
        self.flag.setChecked(self.collection.progress.is_flagged(question.id))
        self.flag.blockSignals(False)
        self._show_note()
        self.stem.setText(html.stem_html(question.stem))
        self.image.show_image(self.collection.bank.image(question.id))
        self.options.set_options([question.options[i].text for i in self.presentation.order])
        self.submit.setText("Submit")
        self.submit.setEnabled(False)
        self.hint.setText("1–5 or A–E: choose   Enter: submit   G: guess   F: flag   N: note   Ctrl+1–5: strike")
        self._update_header()

    def _flag_changed(self, flagged: bool) -> None:
        if self.presentation is not None:
            self.collection.progress.set_flag(self.presentation.question.id, flagged)

    def _guess_changed(self, guessed: bool) -> None:
        # Before submitting the box only records intent; after a right answer it amends the logged review.
        if self.outcome is not None and self.outcome.correct:
            self.collection.progress.set_guessed(self.outcome.record.id, guessed)
            letter = LETTERS[self.presentation.correct_display_index]
            self.explanation.verdict.setText(f"Correct — {letter}" + (" (marked as a guess)" if guessed else ""))

    def edit_note(self) -> None:
        if self.presentation is None:
            return
        dialog = NoteDialog(self.collection.progress, self.presentation.question.id, self)
        dialog.finished.connect(lambda *_: self._show_note())
        self.note_dialog = dialog
        dialog.open()

    def _show_note(self) -> None:
        note = self.collection.progress.note(self.presentation.question.id) if self.presentation else ""
        self.note_label.setText(f"✎ Your note: {html.clip(note)}")
        self.note_label.setVisible(bool(note))

    def _update_header(self) -> None:
        parts = []
        if self.presentation is not None:
            question = self.presentation.question
            parts.append("New question" if self.presentation.is_new else "Review")
            parts.append("Case vignette" if question.kind == "vignette" else "Question")
            parts.append(", ".join(t.replace("-", " ") for t in question.topics))
        tally = self.session.tally if self.session else None
        if tally and tally.answered:
            parts.append(f"this session {tally.correct}/{tally.answered} correct")
        parts.append(f"due {self.remaining['due']} · new {self.remaining['new']}")
        self.header.setText("   ·   ".join(parts))

    def open_first_passage(self) -> None:
        if self.outcome is not None and self.explanation.evidence_blocks:
            evidence = self.explanation.evidence_blocks[0].evidence
            self.open_document.emit(evidence.document_id, evidence.passage_ordinal)
