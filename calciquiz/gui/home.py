"""The home screen: the subjects with their figures, what is due and new in the one chosen, and the way in."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core import paths
from calciquiz.core.scheduling import StudyCounts
from calciquiz.gui import style
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.widgets import plain_label, read_only_table

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


class CountTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("CountTile")
        self.setStyleSheet(f"#CountTile {{ border: 1px solid {style.NEUTRAL_BORDER}; border-radius: 8px; }}")
        self.number = QLabel("0")
        style.set_font(self.number, 16, bold=True)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        style.set_font(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setMinimumWidth(170)

    def set_value(self, value: int) -> None:
        self.number.setText(str(value))


SUBJECT_COLUMNS = ("Subject", "Due today", "New", "Answered today", "% correct")
ROLE_SUBJECT = Qt.ItemDataRole.UserRole


def percent_text(counts: StudyCounts) -> str:
    return "—" if counts.percent is None else f"{counts.percent:.0f}"


class SubjectTable(QTableWidget):
    """The bank's subjects, each with its due, new, answered-today and percent-correct figures, and a row for all."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(SUBJECT_COLUMNS), parent)
        read_only_table(self, SUBJECT_COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setToolTip("Choose the subject to study (Enter or double-click: start studying it)")
        self.setMinimumWidth(640)
        self.setMaximumWidth(820)
        style.set_font(self, 1)

    def fill(self, rows: list[tuple[str | None, str, StudyCounts]], chosen: str | None) -> None:
        """(subject id or None for all, title, counts) rows; the chosen subject's row is selected."""
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for r, (subject_id, title, counts) in enumerate(rows):
            cells = [title, str(counts.due_today), str(counts.new), str(counts.answered_today), percent_text(counts)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ROLE_SUBJECT, subject_id or "")
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if subject_id is None:
                    item.setFont(style.font(1, bold=True))
                self.setItem(r, c, item)
            if subject_id == chosen:
                self.selectRow(r)
        self.blockSignals(False)
        self.resizeRowsToContents()
        shown = min(len(rows), 8)
        self.setFixedHeight(self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(shown))
                            + 2 * self.frameWidth())

    def subject_at(self, row: int) -> str | None:
        item = self.item(row, 0)
        return (item.data(ROLE_SUBJECT) or None) if item is not None else None


class HomeScreen(QWidget):
    """The subjects and their figures (when the bank has several), what is due and new in the subject chosen,
    and the buttons that do what their menu commands do."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection, self.operations, self.subject = context.collection, context.operations, context.subject
        self.navigator = context.navigator
        title = QLabel("CalciQuiz")
        style.set_font(title, 14, bold=True)
        self.subtitle = plain_label()
        style.set_font(self.subtitle, 2)
        self.subtitle.setStyleSheet("color: gray")
        self.subjects = SubjectTable()
        self.subjects_hint = plain_label("Choose what to study: one subject, or all subjects mixed")
        self.subjects_hint.setStyleSheet("color: gray")
        self.subjects.itemSelectionChanged.connect(self._selection_changed)
        self.subjects.itemActivated.connect(lambda item: self._study(self.subjects.subject_at(item.row())))
        self.due = CountTile("due today")
        self.new = CountTile("new questions")
        self.answered = CountTile("answered today")
        tiles = QHBoxLayout()
        tiles.addStretch(1)
        for tile in (self.due, self.new, self.answered):
            tiles.addWidget(tile)
        tiles.addStretch(1)
        self.start_button = QPushButton("Start studying")
        style.set_font(self.start_button, 3, bold=True)
        self.start_button.setMinimumSize(260, 52)
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Due reviews first, then new questions (Enter or Ctrl+S)")
        self.start_button.clicked.connect(lambda: context.navigator.run_command("study"))
        self.exam_button = QPushButton("Timed exam block…")
        self.exam_button.setToolTip("Choose subjects, topics and size, then answer against the clock (Ctrl+E)")
        self.exam_button.clicked.connect(lambda: context.navigator.run_command("exam"))
        self.custom_button = QPushButton("Custom block…")
        self.custom_button.setToolTip("Study chosen subjects, sets or topics, missed, flagged or due questions "
                                      "(Ctrl+B)")
        self.custom_button.clicked.connect(lambda: context.navigator.run_command("custom"))
        more = QHBoxLayout()
        more.addStretch(1)
        more.addWidget(self.exam_button)
        more.addWidget(self.custom_button)
        more.addStretch(1)
        self.bank_line = plain_label()
        self.bank_line.setStyleSheet("color: gray")
        self.bank_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bank_line.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setRowStretch(0, 2)
        grid.addWidget(title, 1, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(self.subtitle, 2, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.setRowMinimumHeight(3, 24)
        subjects = QVBoxLayout()
        subjects.addWidget(self.subjects_hint, 0, Qt.AlignmentFlag.AlignHCenter)
        subjects.addWidget(self.subjects, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addLayout(subjects, 4, 0)
        grid.setRowMinimumHeight(5, 16)
        grid.addLayout(tiles, 6, 0)
        grid.setRowMinimumHeight(7, 24)
        grid.addWidget(self.start_button, 8, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addLayout(more, 9, 0)
        grid.setRowMinimumHeight(10, 24)
        grid.addWidget(self.bank_line, 11, 0)
        grid.setRowStretch(12, 3)
        self.watcher = Watcher(self, context.operations, self.refresh, "reviews", "subject")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def open(self) -> None:
        self.start_button.setFocus()

    def choose(self, subject_id: str | None) -> None:
        """Study this subject (None: all subjects) from now on; the title and the other screens follow."""
        if subject_id != self.subject.id:
            self.operations.run(self, lambda: self.subject.choose(subject_id), changes=Changes(subject=True),
                                title="Choose a subject")

    def _selection_changed(self) -> None:
        rows = self.subjects.selectionModel().selectedRows()
        if rows:
            self.choose(self.subjects.subject_at(rows[0].row()))

    def _study(self, subject_id: str | None) -> None:
        self.choose(subject_id)
        self.navigator.run_command("study")

    def refresh(self, _changes: Changes | None = None) -> None:
        sched, chosen = self.collection.sched, self.subject.id
        several = self.subject.several
        self.subjects.setVisible(several)
        self.subjects_hint.setVisible(several)
        if several:
            rows = [(info.id, info.title, counts) for info, counts in sched.subject_counts()]
            rows.append((None, "All subjects", sched.counts()))
            self.subjects.fill(rows, chosen)
        counts = sched.counts(subject=chosen)
        self.due.set_value(counts.due_today)
        self.new.set_value(counts.new)
        self.answered.set_value(counts.answered_today)
        title = self.subject.title
        self.subtitle.setText(f"{title[:1].upper()}{title[1:]} — questions with explanations from their sources")
        can_study = counts.due_today + counts.new > 0
        action = "Start studying" if can_study else "All caught up — study ahead"
        self.start_button.setText(f"{action}: {title}" if several else action)
        questions = self.collection.questions
        bank = self.collection.bank_path
        own = bank.parent.resolve() == paths.bank_cache_dir().resolve()
        documents = len(questions.documents(chosen))
        self.bank_line.setText((f"{title}: " if several else "") + f"{counts.total} question"
                               f"{'' if counts.total == 1 else 's'} from {documents} source document"
                               f"{'' if documents == 1 else 's'} · bank built {questions.built_at[:10]}"
                               + ("" if own else f" · {bank.name}"))
