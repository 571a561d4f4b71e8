"""The one question asked on start when exam blocks were left unfinished: count them, discard them, or later."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, \
    QVBoxLayout, QWidget

from calciquiz.core.collection import Collection
from calciquiz.core.exam import LeftBehindBlock
from calciquiz.gui import style
from calciquiz.gui.operations import Changes, Operations

FINISH, DISCARD, LATER = "finish", "discard", "later"


def when_text(created_at: str) -> str:
    """A block's start in the resident's local time, e.g. 'Sat 21 Mar 21:14'."""
    return datetime.fromisoformat(created_at).astimezone().strftime("%a %d %b %H:%M")


def answered_text(block: LeftBehindBlock) -> str:
    return f"{block.answered} of {block.questions} questions answered"


class LeftBehindDialog(QDialog):
    """Lists the unfinished blocks (ticked, one line each) with 'finish and count', 'discard' and 'decide later'."""

    def __init__(self, blocks: list[LeftBehindBlock], parent: QWidget | None = None):
        super().__init__(parent)
        self.blocks = blocks
        self.choice = LATER
        self.setWindowTitle("Unfinished exam blocks — CalciQuiz")
        single = len(blocks) == 1
        if single:
            (block,) = blocks
            about = f" ({block.description})" if block.description else ""
            text = (f"An exam block from {when_text(block.created_at)}{about} was not finished: "
                    f"{answered_text(block)}.")
        else:
            text = f"{len(blocks)} exam blocks were not finished. Their answers are kept until you choose:"
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        style.set_font(self.message, 1, bold=True)
        # One line per block, all ticked: the buttons act on the ticked ones, the others are asked about next time.
        self.listing = QListWidget()
        for block in blocks:
            parts = [when_text(block.created_at)] + ([block.description] if block.description else [])
            item = QListWidgetItem(" · ".join(parts + [answered_text(block)]))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, block.id)
            self.listing.addItem(item)
        self.listing.setVisible(not single)
        self.listing.itemChanged.connect(self._ticks_changed)
        explain = QLabel("Finishing counts the answers given as exam answers today and scores the block "
                         "(questions left unanswered count as omitted). Discarding keeps the block on record "
                         "but never counts it.")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: gray")
        self.finish_button = QPushButton("Finish and count it" if single else "Finish and count the ticked blocks")
        self.discard_button = QPushButton("Discard it" if single else "Discard the ticked blocks")
        self.later_button = QPushButton("Decide later")
        self.later_button.setToolTip("Keep the blocks as they are and ask again on the next start")
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(lambda: self._choose(FINISH))
        self.discard_button.clicked.connect(lambda: self._choose(DISCARD))
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.listing)
        layout.addWidget(explain)
        layout.addLayout(buttons)
        self.resize(620, 420 if not single else 160)

    def chosen_ids(self) -> list[str]:
        """The ids of the ticked blocks (every block when there is only one)."""
        return [self.listing.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.listing.count())
                if self.listing.item(row).checkState() == Qt.CheckState.Checked]

    def _ticks_changed(self) -> None:
        any_ticked = bool(self.chosen_ids())
        self.finish_button.setEnabled(any_ticked)
        self.discard_button.setEnabled(any_ticked)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def settle(dialog: LeftBehindDialog, collection: Collection, operations: Operations) -> str | None:
    """Do what the learner chose in the dialog; the status line to show, or None when decided later."""
    ids = dialog.chosen_ids()
    blocks = f"{len(ids)} exam block{'s' if len(ids) != 1 else ''}"
    if dialog.choice == FINISH:
        done = operations.run(dialog.parentWidget(),
                              lambda: sum(collection.exams.finish_left_behind(block_id) for block_id in ids),
                              changes=Changes(reviews=True, exams=True), title="Finish the exam blocks")
        if not done.ok:
            return None
        counted = done.value
        return f"{blocks} finished: {counted} answer{'s' if counted != 1 else ''} counted (see Exam history, Ctrl+Y)."
    if dialog.choice == DISCARD:
        done = operations.run(dialog.parentWidget(), lambda: [collection.exams.discard(block_id) for block_id in ids],
                              changes=Changes(exams=True), title="Discard the exam blocks")
        return f"{blocks} discarded." if done.ok else None
    return None  # decided later: the blocks stay open and are asked about on the next start
