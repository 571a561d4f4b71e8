"""The explanation pane: verdict, explanation, learning point, and the supporting passage."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QTextBrowser, QVBoxLayout, QWidget

from calciquiz.core.bank_questions import BankQuestions
from calciquiz.core.collection import Collection
from calciquiz.core.questions import LETTERS, Evidence, Question
from calciquiz.gui import html, style
from calciquiz.gui.widgets import SafeTextBrowser, TextBlock, markup_label, plain_label

AUTO_LINKED = "Linked automatically; not checked by your instructor"


class PassageView(SafeTextBrowser):
    """A passage shown as text, sized to fit it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setStyleSheet(f"QTextBrowser {{ background: {style.NOTE}; border-radius: 6px; padding: 6px; }}")

    def _fit(self) -> None:
        self.setFixedHeight(int(self.document().size().height()) + 16)


class EvidenceBlock(QWidget):
    """One cited passage with its document, and a button that opens the document there."""

    open_requested = Signal(str, int)

    def __init__(self, questions: BankQuestions, evidence: Evidence, all_evidence: list[Evidence],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.evidence = evidence
        document = questions.document(evidence.document_id)
        passage = questions.passage(evidence.document_id, evidence.passage_ordinal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        source = markup_label(
            f"<b>{escape(document.title)}</b>"
            + (f" — <i>{escape(passage.section)}</i>" if passage.section else "")
            + (f"<br><span style='color: gray'>{escape(document.byline)}</span>" if document.byline else "")
        )
        source.setWordWrap(True)
        # The build chose this passage for a question that came without evidence: say so, so a resident
        # weighs it as a likely source rather than one the instructor vouched for.
        self.auto_label = plain_label(AUTO_LINKED) if evidence.auto else None
        if self.auto_label is not None:
            self.auto_label.setWordWrap(True)
            self.auto_label.setStyleSheet("color: gray; font-style: italic")
        self.passage_view = PassageView()
        self.passage_view.setHtml(html.passage_html(passage, html.spans_for(passage, all_evidence)))
        style.set_font(self.passage_view, 1)
        self.open_button = QPushButton("Open the document at this passage")
        self.open_button.setToolTip("Open the whole document scrolled to this passage (O)")
        self.open_button.clicked.connect(lambda: self.open_requested.emit(evidence.document_id, evidence.passage_ordinal))
        layout.addWidget(source)
        if self.auto_label is not None:
            layout.addWidget(self.auto_label)
        layout.addWidget(self.passage_view)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)


class ExplanationPane(QScrollArea):
    """Shown beside the question once it is answered."""

    open_document = Signal(str, int)

    def __init__(self, collection: Collection, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection = collection
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Text wraps to the pane's width; it never scrolls sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(360)
        self.evidence_blocks: list[EvidenceBlock] = []
        self.clear()

    def clear(self) -> None:
        self.question: Question | None = None
        self.evidence_blocks = []
        placeholder = QLabel("Choose an answer and press Enter to see the explanation and its source.")
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("color: gray")
        style.set_font(placeholder, 1)
        self.verdict = None
        self.setWidget(placeholder)

    def show_answer(self, question: Question, order: tuple[int, ...], chosen: int | None,
                    guessed: bool = False) -> None:
        """Explain a question answered with the authored option `chosen` (None: not answered)."""
        self.question = question
        self.evidence_blocks = []
        correct_letter = LETTERS[order.index(question.answer)]
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(10)
        if chosen is None:
            text = f"Not answered — the answer is {correct_letter}"
            colour, border = style.NOTE, style.NEUTRAL_BORDER
        elif chosen == question.answer:
            text = f"Correct — {correct_letter}" + (" (marked as a guess)" if guessed else "")
            colour, border = style.CORRECT, style.CORRECT_BORDER
        else:
            text = f"Incorrect — you chose {LETTERS[order.index(chosen)]}; the answer is {correct_letter}"
            colour, border = style.WRONG, style.WRONG_BORDER
        self.verdict = QLabel(text)
        self.verdict.setWordWrap(True)
        style.set_font(self.verdict, 3, bold=True)
        self.verdict.setStyleSheet(f"background: {colour}; border-left: 5px solid {border}; padding: 8px;")
        layout.addWidget(self.verdict)
        # An imported question may come without an explanation or a learning point: their
        # headings are left out rather than shown over nothing.
        self.explanation = TextBlock(html.text_html(question.explanation))
        style.set_font(self.explanation, 1)
        if question.explanation:
            layout.addWidget(self._heading("Explanation"))
            layout.addWidget(self.explanation)
        self.learning_point = TextBlock(f"<b>Learning point.</b> {escape(html.clip(question.learning_point))}")
        style.set_font(self.learning_point, 1)
        self.learning_point.setStyleSheet(
            f"QTextBrowser {{ background: transparent; border-left: 4px solid {style.SELECTED_BORDER}; padding: 6px; }}")
        if question.learning_point:
            layout.addWidget(self.learning_point)
        layout.addWidget(self._heading("Source" if len(question.evidence) == 1 else "Sources"))
        evidence = list(question.evidence)
        seen: set[tuple[str, int]] = set()
        for item in evidence:
            if (item.document_id, item.passage_ordinal) in seen:
                continue
            seen.add((item.document_id, item.passage_ordinal))
            block = EvidenceBlock(self.collection.questions, item, evidence)
            block.open_requested.connect(self.open_document)
            layout.addWidget(block)
            self.evidence_blocks.append(block)
        layout.addStretch(1)
        self.setWidget(body)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text.upper())
        style.set_font(label, -1, bold=True)
        label.setStyleSheet("color: gray; letter-spacing: 1px;")
        return label
