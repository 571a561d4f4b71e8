"""The score report of an exam block, and a review of every question with its explanation."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.bank import Bank
from calciquiz.core.exam import ExamReport
from calciquiz.gui import html, style
from calciquiz.gui.exam_screen import clock_text
from calciquiz.gui.explanation import ExplanationPane
from calciquiz.gui.options import OptionList
from calciquiz.gui.widgets import QuestionImage, markup_label, plain_label


def _cell(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ReportScreen(QWidget):
    study_missed = Signal(list)  # question ids answered wrong or left unanswered
    done = Signal()
    open_document = Signal(str, int)

    def __init__(self, bank: Bank, parent: QWidget | None = None):
        super().__init__(parent)
        self.report: ExamReport | None = None
        self.bank = bank
        self.score = QLabel()
        style.set_font(self.score, 8, bold=True)
        self.details = plain_label()
        self.details.setWordWrap(True)
        style.set_font(self.details, 1)
        self.topics = QTableWidget(0, 3)
        self.topics.setHorizontalHeaderLabels(["Topic", "Correct", "%"])
        self.topics.verticalHeader().setVisible(False)
        self.topics.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.topics.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.topics.setMaximumHeight(230)
        self.questions = QTableWidget(0, 4)
        self.questions.setHorizontalHeaderLabels(["#", "Result", "Marked", "Question"])
        self.questions.verticalHeader().setVisible(False)
        for column in range(3):
            self.questions.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.questions.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.questions.setWordWrap(False)
        self.questions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.questions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.questions.currentCellChanged.connect(lambda row, *_: self.review(row))
        self.questions.setToolTip("Choose a question to review it with its explanation")
        self.missed_button = QPushButton("Study the ones I missed")
        self.missed_button.setToolTip("A study block of the questions answered wrong or left unanswered")
        self.missed_button.clicked.connect(self._study_missed)
        self.home_button = QPushButton("Done")
        self.home_button.clicked.connect(self.done)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.score)
        left_layout.addWidget(self.details)
        left_layout.addWidget(QLabel("By topic"))
        left_layout.addWidget(self.topics)
        left_layout.addWidget(QLabel("Questions (choose one to review it)"))
        left_layout.addWidget(self.questions, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.missed_button)
        buttons.addStretch(1)
        buttons.addWidget(self.home_button)
        left_layout.addLayout(buttons)

        self.stem = markup_label()
        self.stem.setWordWrap(True)
        style.set_font(self.stem, 2)
        self.options = OptionList()
        self.image = QuestionImage()
        question_body = QWidget()
        question_layout = QVBoxLayout(question_body)
        question_layout.addWidget(self.stem)
        question_layout.addWidget(self.image)
        question_layout.addWidget(self.options)
        question_layout.addStretch(1)
        question_scroll = QScrollArea()
        question_scroll.setWidgetResizable(True)
        question_scroll.setWidget(question_body)
        self.explanation = ExplanationPane(bank)
        self.explanation.open_document.connect(self.open_document)
        review = QSplitter(Qt.Orientation.Vertical)
        review.addWidget(question_scroll)
        review.addWidget(self.explanation)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(review)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def show_report(self, report: ExamReport) -> None:
        self.report = report
        self.score.setText(f"{report.correct} / {report.total} correct ({report.percent:.0f}%)")
        self.details.setText(
            f"{report.description or 'Exam block'} · time used {clock_text(report.time_used_s)} of "
            f"{clock_text(report.time_limit_s)} · {report.omitted} unanswered"
        )
        scores = report.by_topic()
        self.topics.setRowCount(len(scores))
        for row, score in enumerate(scores):
            self.topics.setItem(row, 0, _cell(score.topic.replace("-", " ")))
            self.topics.setItem(row, 1, _cell(f"{score.correct} / {score.total}", True))
            self.topics.setItem(row, 2, _cell(f"{100 * score.correct / score.total:.0f}", True))
        self.questions.setRowCount(len(report.items))
        for row, item in enumerate(report.items):
            result = "—  unanswered" if item.chosen is None else ("✓  right" if item.correct else "✗  wrong")
            self.questions.setItem(row, 0, _cell(str(row + 1), True))
            self.questions.setItem(row, 1, _cell(result))
            self.questions.setItem(row, 2, _cell("⚑" if item.marked else ""))
            self.questions.setItem(row, 3, _cell(" ".join(html.paragraphs(item.question.stem)[-1].split()[:14]) + " …"))
        self.missed_button.setEnabled(any(not i.correct for i in report.items))
        if report.items:
            self.questions.setCurrentCell(0, 1)
            self.review(0)

    def review(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(self.report.items):
            return
        item = self.report.items[row]
        question = item.question
        self.stem.setText(f"<p style='color: gray'>Question {row + 1}</p>" + html.stem_html(question.stem))
        self.image.show_image(self.bank.image(question.id))
        self.options.set_options([question.options[i].text for i in item.order])
        self.options.reveal(item.order.index(question.answer), item.chosen_display,
                            [question.options[i].rationale for i in item.order])
        self.explanation.show_answer(question, item.order, item.chosen)

    def missed(self) -> list[str]:
        return [i.question.id for i in self.report.items if not i.correct] if self.report else []

    def _study_missed(self) -> None:
        self.study_missed.emit(self.missed())
