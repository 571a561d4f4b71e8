"""Build a custom block: topics x status x kind, with the number of matching questions shown live."""
from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.blocks import STATUS_LABELS, STATUSES, BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.exam import DEFAULT_QUESTIONS, DEFAULT_SECONDS_PER_QUESTION
from calciquiz.gui import style


class BlockDialog(QDialog):
    """Choose the pool, the size, the mode (study or timed exam) and the time limit of a block."""

    def __init__(self, collection: Collection, exam: bool = True, parent: QWidget | None = None,
                 preset: BlockFilter | None = None):
        super().__init__(parent)
        self.collection = collection
        self.setWindowTitle("New block — CalciQuiz")
        self.topic_boxes: dict[str, QCheckBox] = {}
        topics_box = QGroupBox("Topics (none ticked: all topics)")
        grid = QGridLayout(topics_box)
        for index, (topic, count) in enumerate(collection.blocks.topics()):
            box = QCheckBox(f"{topic.split('/', 1)[-1].replace('-', ' ')} ({count})")  # "<subject>/<topic>"
            box.toggled.connect(self.update_count)
            self.topic_boxes[topic] = box
            grid.addWidget(box, index // 3, index % 3)
        self.status_boxes: dict[str, QCheckBox] = {}
        status_box = QGroupBox("Status (none ticked: any)")
        status_layout = QVBoxLayout(status_box)
        for status in STATUSES:
            box = QCheckBox(STATUS_LABELS[status])
            box.toggled.connect(self.update_count)
            self.status_boxes[status] = box
            status_layout.addWidget(box)
        kind_box = QGroupBox("Kind (none ticked: both)")
        kind_layout = QVBoxLayout(kind_box)
        self.kind_boxes = {"mcq": QCheckBox("Direct questions"), "vignette": QCheckBox("Case vignettes")}
        for box in self.kind_boxes.values():
            box.toggled.connect(self.update_count)
            kind_layout.addWidget(box)
        self.count_label = QLabel()
        style.set_font(self.count_label, 2, bold=True)
        self.size = QSpinBox()
        self.size.setRange(1, 500)
        self.size.setValue(DEFAULT_QUESTIONS)
        self.seconds = QSpinBox()
        self.seconds.setRange(10, 600)
        self.seconds.setSingleStep(10)
        self.seconds.setValue(DEFAULT_SECONDS_PER_QUESTION)
        self.seconds.setSuffix(" s per question")
        self.study_mode = QRadioButton("Study: feedback after each question")
        self.exam_mode = QRadioButton("Timed exam: feedback after the block")
        group = QButtonGroup(self)
        group.addButton(self.study_mode)
        group.addButton(self.exam_mode)
        (self.exam_mode if exam else self.study_mode).setChecked(True)
        self.exam_mode.toggled.connect(lambda on: self.seconds.setEnabled(on))
        self.seconds.setEnabled(exam)
        form = QFormLayout()
        form.addRow("Questions", self.size)
        form.addRow("Time limit", self.seconds)
        modes = QHBoxLayout()
        modes.addWidget(self.study_mode)
        modes.addWidget(self.exam_mode)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start block")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        side = QHBoxLayout()
        side.addWidget(status_box)
        side.addWidget(kind_box)
        layout = QVBoxLayout(self)
        layout.addWidget(topics_box)
        layout.addLayout(side)
        layout.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addLayout(modes)
        layout.addWidget(self.buttons)
        if preset is not None:
            for topic in preset.topics:
                self.topic_boxes[topic].setChecked(True)
            for status in preset.statuses:
                self.status_boxes[status].setChecked(True)
            for kind in preset.kinds:
                self.kind_boxes[kind].setChecked(True)
        self.update_count()

    def block_filter(self) -> BlockFilter:
        return BlockFilter(
            topics=frozenset(t for t, box in self.topic_boxes.items() if box.isChecked()),
            statuses=frozenset(s for s, box in self.status_boxes.items() if box.isChecked()),
            kinds=frozenset(k for k, box in self.kind_boxes.items() if box.isChecked()),
        )

    def update_count(self) -> None:
        self.matching = self.collection.blocks.count(self.block_filter())
        self.count_label.setText(f"{self.matching} question{'s' if self.matching != 1 else ''} match")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.matching > 0)

    @property
    def is_exam(self) -> bool:
        return self.exam_mode.isChecked()

    def chosen_questions(self) -> list[str]:
        return self.collection.blocks.questions(self.block_filter(), self.size.value(), seed=uuid.uuid4().hex)

    def time_limit_s(self) -> int:
        return self.seconds.value() * min(self.size.value(), self.matching)
