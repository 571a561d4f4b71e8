"""The study screen: one question at a time, answered by mouse or keyboard, then explained."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.progress import DISK_FULL, write_problem
from calciquiz.core.questions import LETTERS
from calciquiz.core.study import AnswerOutcome, Presentation, StudySession
from calciquiz.gui import html, keymap, style
from calciquiz.gui.notes import NoteDialog
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.question_view import QuestionView
from calciquiz.gui.widgets import plain_label

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


class StudyScreen(QWidget):
    """Runs a StudySession: shows a question, records the answer, shows the explanation."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.collection, self.operations = context.collection, context.operations
        self.session: StudySession | None = None
        self.presentation: Presentation | None = None
        self.outcome: AnswerOutcome | None = None

        self.header = plain_label()
        style.set_font(self.header, -1)
        self.header.setStyleSheet("color: gray")
        self.note_label = plain_label()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"background: {style.NOTE}; padding: 6px; border-radius: 4px;")
        self.note_label.setVisible(False)
        self.view = QuestionView(self.collection, above=[self.header], below=[self.note_label])
        self.stem, self.image, self.options, self.explanation = (
            self.view.stem, self.view.image, self.view.options, self.view.explanation)
        self.options.chosen.connect(self._on_chosen)
        self.explanation.open_document.connect(self._open_document)
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
        self.home.clicked.connect(self.end_session)
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
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.problem)
        left_layout.addLayout(controls)

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
        keymap.install_options(self, self.choose, self.options.toggle_strike)
        keymap.install(self, "submit", self.advance)
        keymap.install(self, "guess", self.guess.toggle)
        keymap.install(self, "flag", self.flag.toggle)
        keymap.install(self, "note", self.edit_note)
        keymap.install(self, "open-passage", self.open_first_passage)
        keymap.install(self, "end-session", self.end_session)
        self.watcher = Watcher(self, self.operations, self.refresh, "reviews", "flags", "notes", "subject")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def open(self) -> None:
        """Start studying: due reviews first, then new questions."""
        self.start()

    def start(self, question_ids: list[str] | None = None) -> None:
        """Study due-then-new questions, or exactly the given ones (a custom block)."""
        # Due-then-new within the subject chosen on the home screen; a block studies its own questions.
        subject = self.context.subject.id if question_ids is None else None
        self.session = StudySession(self.collection, question_ids=question_ids, subject=subject)
        self.show_next()
        self.setFocus()

    def end_session(self) -> None:
        self.context.navigator.open_screen("home")

    def refresh(self, changes: Changes) -> None:
        """Show what the collection holds now: the counts, and the flag and note of the question on screen."""
        if changes.progress or changes.bank:
            # The answers of this session may be gone with the file they were in: it ends here.
            self.session, self.presentation, self.outcome = None, None, None
            self.view.show_message("<h2>Session ended</h2><p>Your progress was replaced. "
                                   "Start studying again from the home screen.</p>")
            self._set_controls(answering=False)
        if self.presentation is not None:
            self.flag.blockSignals(True)
            self.flag.setChecked(self.collection.flags.is_flagged(self.presentation.question.id))
            self.flag.blockSignals(False)
        self._show_note()
        self._update_header()

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

    def _answer_failed(self, error: BaseException) -> None:
        # The transaction was rolled back, so nothing was stored and trying again is safe.
        problem = write_problem(error)
        self._show_problem(f"Your answer could not be saved: {problem}. "
                           + ("Free some space, then press" if problem == DISK_FULL else "Press")
                           + " Enter to try again.")

    def submit_answer(self) -> None:
        assert self.session is not None and self.presentation is not None
        recorded = self.session.tally.outcomes[-1] if self.session.tally.outcomes else None
        if recorded is not None and recorded.presentation is self.presentation:
            outcome = recorded  # already in the log: show it, never log it a second time
        else:
            chosen, guessed = self.options.selected, self.guess.isChecked()
            saved = self.operations.run(self, lambda: self.session.answer(chosen, guessed=guessed),
                                        changes=Changes(reviews=True), title="Save your answer",
                                        failure=self._answer_failed)
            if not saved.ok:
                return
            outcome = saved.value
        # The answer is stored durably above; only now is the feedback shown.
        self.outcome = outcome
        problem = self.collection.backups.problem
        told = ""
        if problem:
            told = f"Your answer is saved, but the backup could not be written: {problem}."
            told += " Free some space." if problem == DISK_FULL else ""
        self._show_problem(told)
        self.view.reveal(outcome.chosen, outcome.guessed)
        self.guess.setEnabled(outcome.correct)
        self.submit.setText("Next question")
        self.hint.setText("Enter: next question   O: open the source document   Esc: end")

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _set_controls(self, answering: bool) -> None:
        self.submit.setText("Submit")
        self.submit.setEnabled(False)
        self.guess.blockSignals(True)
        self.guess.setChecked(False)
        self.guess.blockSignals(False)
        self.guess.setEnabled(answering)
        self.flag.setEnabled(answering)
        self.note_button.setEnabled(answering)
        count = len(self.options.rows)
        self.hint.setText(f"{keymap.option_hint(count)}: choose   Enter: submit   G: guess   F: flag   N: note   "
                          f"{keymap.strike_hint(count)}: strike" if answering else "Esc: back to the home screen")

    def show_next(self) -> None:
        assert self.session is not None
        self.outcome = None
        self.presentation = self.session.next()
        self._show_problem("")
        if self.presentation is None:
            if self.session.queue is not None:
                tally = self.session.tally
                self.view.show_message(f"<h2>Block finished</h2><p>{tally.correct} of {tally.answered} correct.</p>")
            else:
                self.view.show_message(
                    "<h2>All caught up</h2><p>No question is due and every new question has been seen. "
                    "Come back when reviews fall due.</p>"
                )
            self._set_controls(answering=False)
        else:
            self.view.show_question(self.presentation.question, self.presentation.order)
            self._set_controls(answering=True)
        self.refresh(Changes())

    def _flag_changed(self, flagged: bool) -> None:
        if self.presentation is None:
            return
        question_id = self.presentation.question.id
        done = self.operations.run(self, lambda: self.collection.flags.set(question_id, flagged),
                                   changes=Changes(flags=True), title="Flag the question")
        if not done.ok:
            self.flag.blockSignals(True)
            self.flag.setChecked(not flagged)
            self.flag.blockSignals(False)

    def _guess_changed(self, guessed: bool) -> None:
        # Before submitting the box only records intent; after a right answer it amends the logged review.
        if self.outcome is not None and self.outcome.correct:
            review_id = self.outcome.record.id
            done = self.operations.run(self, lambda: self.collection.sched.set_guessed(review_id, guessed),
                                       changes=Changes(reviews=True), title="Mark the answer as a guess")
            if done.ok:
                letter = LETTERS[self.presentation.correct_display_index]
                self.explanation.verdict.setText(f"Correct — {letter}" + (" (marked as a guess)" if guessed else ""))

    def edit_note(self) -> None:
        if self.presentation is None:
            return
        self.note_dialog = NoteDialog(self.collection, self.operations, self.presentation.question.id, self)
        self.note_dialog.open()

    def _show_note(self) -> None:
        note = self.collection.notes.get(self.presentation.question.id) if self.presentation else ""
        self.note_label.setText(f"✎ Your note: {html.clip(note)}")
        self.note_label.setVisible(bool(note))

    def _update_header(self) -> None:
        parts = []
        if self.presentation is not None:
            question = self.presentation.question
            parts.append("New question" if self.presentation.is_new else "Review")
            parts.append("Case vignette" if question.kind == "vignette" else "Question")
            if self.context.subject.several:  # a block may mix subjects: say whose question this is
                parts.append(self.context.subject.title_of(question.subject))
            if question.topics:  # an imported question may have none (Aiken carries no tags)
                parts.append(", ".join(t.replace("-", " ") for t in question.topics))
        tally = self.session.tally if self.session else None
        if tally and tally.answered:
            parts.append(f"this session {tally.correct}/{tally.answered} correct")
        # Counted from the collection each time, never kept here: a wrong answer falls due again today.
        subject = self.context.subject
        counts = self.collection.sched.counts(subject=subject.id)
        within = f" in {subject.title}" if subject.several else ""
        parts.append(f"due {counts.due_today} · new {counts.new}{within}")
        self.header.setText("   ·   ".join(parts))

    def _open_document(self, document_id: str, ordinal: int) -> None:
        self.context.navigator.open_document(document_id, ordinal, self.explanation.question)

    def open_first_passage(self) -> None:
        if self.outcome is not None and self.explanation.evidence_blocks:
            evidence = self.explanation.evidence_blocks[0].evidence
            self._open_document(evidence.document_id, evidence.passage_ordinal)
