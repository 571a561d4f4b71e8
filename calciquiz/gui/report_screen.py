"""The score report of an exam block, and a review of every question with its explanation."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.exam import ExamReport
from calciquiz.gui import html, style
from calciquiz.gui.exam_screen import clock_text
from calciquiz.gui.question_view import QuestionView
from calciquiz.gui.widgets import plain_label

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


def _cell(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ReportScreen(QWidget):
    """Shows a report it is handed; a finished block does not change, so it watches no change."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.report: ExamReport | None = None
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
        self.home_button.clicked.connect(lambda: context.navigator.open_screen("home"))

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

        self.view = QuestionView(context.collection)
        self.stem, self.image, self.options, self.explanation = (
            self.view.stem, self.view.image, self.view.options, self.view.explanation)
        self.explanation.open_document.connect(
            lambda document_id, ordinal: context.navigator.open_document(document_id, ordinal,
                                                                         self.explanation.question))
        review = QSplitter(Qt.Orientation.Vertical)
        review.addWidget(self.view)
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
        # A block over several subjects names each topic with its subject: two may share a topic's name.
        spans = len(report.subjects) > 1
        self.topics.setRowCount(len(scores))
        for row, score in enumerate(scores):
            subject = f"{self.context.subject.title_of(score.subject)} · " if spans else ""
            self.topics.setItem(row, 0, _cell(subject + score.topic.replace("-", " ")))
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
        self.view.show_question(item.question, item.order, heading=f"<p style='color: gray'>Question {row + 1}</p>")
        self.view.reveal(item.chosen)

    def missed(self) -> list[str]:
        return [i.question.id for i in self.report.items if not i.correct] if self.report else []

    def _study_missed(self) -> None:
        self.context.navigator.study_questions(self.missed())
