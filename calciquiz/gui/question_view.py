"""One question as every screen shows it: the stem (its lead-in bold), the image, the options, and
the explanation pane with its sources. Study, exam and report each place these parts in their own
layout and decide when to reveal the answer.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from calciquiz.core.collection import Collection
from calciquiz.core.questions import Question
from calciquiz.gui import html, style
from calciquiz.gui.explanation import ExplanationPane
from calciquiz.gui.options import OptionList
from calciquiz.gui.widgets import QuestionImage, markup_label


class QuestionView(QScrollArea):
    """The question pane (scrolling): stem, image, options; `explanation` is the pane placed beside or below it."""

    def __init__(self, collection: Collection, above: list[QWidget] = (), below: list[QWidget] = (),
                 explained: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.question: Question | None = None
        self.order: tuple[int, ...] = ()
        self.stem = markup_label()
        self.stem.setWordWrap(True)
        style.set_font(self.stem, 3)
        self.stem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.image = QuestionImage()
        self.options = OptionList()
        # An exam block explains nothing until its report.
        self.explanation = ExplanationPane(collection) if explained else None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        for widget in (*above, self.stem, self.image, self.options, *below):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setWidget(body)

    def show_question(self, question: Question, order: tuple[int, ...], heading: str = "") -> None:
        """The question with its options in the shown order; nothing revealed. `heading` is markup above the stem."""
        self.question, self.order = question, order
        self.stem.setText(heading + html.stem_html(question.stem))
        self.image.show_image(self.collection.questions.image(question.id))
        self.options.set_options([question.options[i].text for i in order])
        if self.explanation is not None:
            self.explanation.clear()

    def show_message(self, markup: str) -> None:
        """A message in place of a question (the end of a session)."""
        self.question, self.order = None, ()
        self.stem.setText(markup)
        self.image.show_image(b"")
        self.options.set_options([])
        if self.explanation is not None:
            self.explanation.clear()

    @property
    def correct_display_index(self) -> int:
        return self.order.index(self.question.answer)

    def reveal(self, chosen: int | None, guessed: bool = False) -> None:
        """Show right and wrong on the options, each option's rationale, and the explanation with its sources.

        `chosen` is the authored index of the option chosen (None: not answered).
        """
        question, order = self.question, self.order
        chosen_display = None if chosen is None else order.index(chosen)
        self.options.reveal(self.correct_display_index, chosen_display, [question.options[i].rationale for i in order])
        if self.explanation is not None:
            self.explanation.show_answer(question, order, chosen, guessed)
