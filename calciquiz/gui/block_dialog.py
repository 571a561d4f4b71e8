"""Build a custom block: subjects, question sets, topics, status and kind, with the number of matching
questions shown live.

Each group narrows the block and none ticked in a group means all. The topics and sets shown are
those of the subjects ticked (of every subject when none is), each subject's topics under its title.
"""
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
from calciquiz.gui.subject_choice import SubjectChoice


class BlockDialog(QDialog):
    """Choose the pool, the size, the mode (study or timed exam) and the time limit of a block."""

    def __init__(self, collection: Collection, exam: bool = True, parent: QWidget | None = None,
                 preset: BlockFilter | None = None, subject: SubjectChoice | None = None):
        super().__init__(parent)
        self.collection = collection
        self.choice = subject or SubjectChoice(collection)
        self.setWindowTitle("New block — CalciQuiz")
        subjects = collection.questions.subjects()
        self.titles = self.choice.titles()
        several = len(subjects) > 1
        # Subjects: shown only when there is a choice.
        self.subject_boxes: dict[str, QCheckBox] = {}
        subjects_box = QGroupBox("Subjects (none ticked: all subjects)")
        subjects_layout = QHBoxLayout(subjects_box)
        for info in subjects:
            box = QCheckBox(f"{info.title} ({collection.questions.count(info.id)})")
            box.toggled.connect(self._subjects_changed)
            self.subject_boxes[info.id] = box
            subjects_layout.addWidget(box)
        subjects_layout.addStretch(1)
        subjects_box.setVisible(several)
        # Topics: a group per subject, under its title when there are several ("<subject>/<topic>" keys).
        self.topic_boxes: dict[str, QCheckBox] = {}
        self.topic_groups: dict[str, QGroupBox] = {}
        topics_layout = QVBoxLayout()
        for info in subjects:
            group = QGroupBox(f"Topics of {info.title} (none ticked: all)" if several
                              else "Topics (none ticked: all topics)")
            grid = QGridLayout(group)
            for index, (topic, count) in enumerate(collection.blocks.topics(info.id)):
                box = QCheckBox(f"{topic.split('/', 1)[-1].replace('-', ' ')} ({count})")
                box.toggled.connect(self.update_count)
                self.topic_boxes[topic] = box
                grid.addWidget(box, index // 3, index % 3)
            self.topic_groups[info.id] = group
            topics_layout.addWidget(group)
        # Question sets, by their titles (an instructor's "this week, the week-3 set").
        self.set_boxes: dict[str, QCheckBox] = {}
        self.set_subject: dict[str, str] = {}
        sets_box = QGroupBox("Question sets (none ticked: all sets)")
        sets_grid = QGridLayout(sets_box)
        for index, info in enumerate(collection.questions.sets()):
            label = f"{info.title} ({info.questions})"
            box = QCheckBox(f"{self.titles.get(info.subject_id, info.subject_id)} · {label}" if several else label)
            box.setToolTip(info.file)
            box.toggled.connect(self.update_count)
            self.set_boxes[info.id] = box
            self.set_subject[info.id] = info.subject_id
            sets_grid.addWidget(box, index // 2, index % 2)
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
        layout.addWidget(subjects_box)
        layout.addLayout(topics_layout)
        layout.addWidget(sets_box)
        layout.addLayout(side)
        layout.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addLayout(modes)
        layout.addWidget(self.buttons)
        if preset is None and self.choice.id is not None and several:
            preset = BlockFilter(subjects=frozenset({self.choice.id}))  # the subject being studied
        if preset is not None:
            for subject_id in preset.subjects:
                self.subject_boxes[subject_id].setChecked(True)
            for set_id in preset.sets:
                self.set_boxes[set_id].setChecked(True)
            for topic in preset.topics:
                self.topic_boxes[topic].setChecked(True)
            for status in preset.statuses:
                self.status_boxes[status].setChecked(True)
            for kind in preset.kinds:
                self.kind_boxes[kind].setChecked(True)
        self._subjects_changed()

    def chosen_subjects(self) -> set[str]:
        """The subjects whose questions the block draws from (all of them when none is ticked)."""
        ticked = {s for s, box in self.subject_boxes.items() if box.isChecked()}
        return ticked or set(self.subject_boxes)

    def _subjects_changed(self) -> None:
        """Show the topics and sets of the subjects ticked; one hidden is unticked, so it never narrows unseen."""
        shown = self.chosen_subjects()
        for subject_id, group in self.topic_groups.items():
            group.setVisible(subject_id in shown)
        for set_id, box in self.set_boxes.items():
            box.setVisible(self.set_subject[set_id] in shown)
        hidden = [box for topic, box in self.topic_boxes.items() if topic.split("/", 1)[0] not in shown]
        hidden += [box for set_id, box in self.set_boxes.items() if self.set_subject[set_id] not in shown]
        for box in hidden:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.update_count()
        self.adjustSize()

    def block_filter(self) -> BlockFilter:
        return BlockFilter(
            subjects=frozenset(s for s, box in self.subject_boxes.items() if box.isChecked()),
            sets=frozenset(s for s, box in self.set_boxes.items() if box.isChecked()),
            topics=frozenset(t for t, box in self.topic_boxes.items() if box.isChecked()),
            statuses=frozenset(s for s, box in self.status_boxes.items() if box.isChecked()),
            kinds=frozenset(k for k, box in self.kind_boxes.items() if box.isChecked()),
        )

    def description(self) -> str:
        """The block in words, subjects and sets by their titles (kept with an exam block in its history)."""
        return self.block_filter().describe(self.titles)

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
