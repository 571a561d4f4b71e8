"""The progress screen: what is due, what has been seen, how well each topic goes, recent sessions and blocks."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calciquiz.gui import keymap, style
from calciquiz.gui.exam_screen import clock_text
from calciquiz.gui.home import CountTile
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.widgets import plain_label, read_only_table

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext


def _table(headers: list[str]) -> QTableWidget:
    return read_only_table(QTableWidget(0, len(headers)), headers)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class ProgressScreen(QWidget):
    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.collection, self.operations, self.subject = context.collection, context.operations, context.subject
        self.title = plain_label("Progress")
        style.set_font(self.title, 8, bold=True)
        self.tiles = {key: CountTile(caption) for key, caption in (
            ("due_today", "due today"), ("due_week", "due in 7 days"), ("seen", "questions seen"),
            ("unseen", "not yet seen"), ("percent", "% correct"))}
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.forecast = _table(["Day", "Due"])
        self.topics = _table(["Topic", "Questions", "Seen", "Answers", "% correct"])
        self.sessions = _table(["Recent sessions and exam blocks", "Answers", "Correct"])
        back = QPushButton("Back")
        back.setToolTip("Back to the home screen (Esc)")
        back.clicked.connect(lambda: context.navigator.open_screen("home"))
        grid = QGridLayout()
        grid.addWidget(QLabel("Due over the next 30 days"), 0, 0)
        grid.addWidget(QLabel("By topic"), 0, 1)
        grid.addWidget(self.forecast, 1, 0)
        grid.addWidget(self.topics, 1, 1)
        grid.addWidget(QLabel("Recent activity"), 2, 0, 1, 2)
        grid.addWidget(self.sessions, 3, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        keymap.install(self, "back", lambda: context.navigator.open_screen("home"))
        self.watcher = Watcher(self, context.operations, self.refresh, "reviews", "exams", "subject")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def open(self) -> None:
        self.setFocus()

    def refresh(self, _changes: Changes | None = None) -> None:
        # Usually a few ms; the first time for a large bank its totals are built (~0.4 s at
        # 100,000 questions), so it runs off the GUI thread.
        # Read through the operations, so nothing else touches the collection meanwhile (an exam's clock).
        subject = self.subject
        self.title.setText(f"Progress — {subject.title}" if subject.several else "Progress")
        counted = self.operations.run(self, lambda _progress: self.collection.stats.summary(subject=subject.id),
                                      changes=Changes(),
                                      title="Progress", label="Counting your progress…", background=True)
        if not counted.ok:
            return
        summary = counted.value
        self.tiles["due_today"].set_value(summary.due_today)
        self.tiles["due_week"].set_value(sum(n for _, n in summary.due_by_day[:7]))
        self.tiles["seen"].set_value(summary.seen)
        self.tiles["unseen"].set_value(summary.unseen)
        self.tiles["percent"].number.setText("—" if summary.percent is None else f"{summary.percent:.0f}")
        _fill(self.forecast, [[("Today" if i == 0 else day.strftime("%a %d %b")), str(n)]
                              for i, (day, n) in enumerate(summary.due_by_day)])
        # Over all subjects, a topic is named with its subject: two subjects may share a topic's name.
        spans = len({t.subject for t in summary.topics}) > 1
        _fill(self.topics, [[(f"{subject.title_of(t.subject)} · " if spans else "") + t.name.replace("-", " "),
                             str(t.questions), str(t.seen), str(t.answers),
                             "—" if t.percent is None else f"{t.percent:.0f}"] for t in summary.topics])
        blocks = {b["id"]: b for b in self.collection.exams.history()}
        rows = []
        for session in summary.sessions:
            when = session.started[:16].replace("T", " ")
            if session.session_id in blocks:
                block = blocks[session.session_id]
                label = f"{when}  exam block ({clock_text(block['time_used_s'])}): {block['description']}"
                rows.append([label, f"{session.answers} of {block['total']}", str(block["correct"])])
            else:
                rows.append([f"{when}  {session.mode} session", str(session.answers), str(session.correct)])
        _fill(self.sessions, rows)
