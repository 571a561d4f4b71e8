"""File › Export to Anki: a deck of my flagged questions, of what I got wrong, of a topic or of the subject.

Each export takes the questions of the subject being studied (all subjects when none is chosen),
suggests a dated file name, writes the deck through the operations (in the background, atomically:
a failed export leaves the last good file in place) and says how many questions it holds. A
choice that holds no question says so and asks for no file.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.exporting import SUFFIXES
from calciquiz.core.progress import write_problem
from calciquiz.gui.file_commands import choose_from_list
from calciquiz.gui.operations import Changes
from calciquiz.gui.widgets import plain_message

if TYPE_CHECKING:
    from calciquiz.gui.main_window import MainWindow

TITLE = "Export to Anki"
FILE_FILTER = "Anki decks (*.apkg)"


class AnkiExports:
    def __init__(self, window: MainWindow, today: Callable[[], date] = date.today):
        self.window = window
        self.collection, self.operations = window.collection, window.operations
        self.today = today
        self.folder = Path.home()  # where the last deck went, offered again
        self.topic_dialog: QDialog | None = None

    @property
    def _subject(self) -> str | None:
        return self.window.subject.id

    def _in_subject(self) -> str:
        """' in Calcinosis cutis', or '' when every subject is studied."""
        return f" in {self.window.subject.title}" if self._subject else ""

    def _within(self, **chosen: frozenset[str]) -> BlockFilter:
        subjects = frozenset({self._subject}) if self._subject else frozenset()
        return BlockFilter(subjects=subjects, **chosen)

    def flagged(self) -> Path | None:
        ids = self.collection.blocks.matching(self._within(statuses=frozenset({"flagged"})))
        return self.export(ids, "flagged", f"flagged questions{self._in_subject()}",
                           f"You have flagged no questions{self._in_subject()} (flag one with F while answering).")

    def wrong(self) -> Path | None:
        ids = self.collection.blocks.matching(self._within(statuses=frozenset({"wrong"})))
        return self.export(ids, "wrong", f"questions{self._in_subject()} you last answered wrong",
                           f"You have answered no question{self._in_subject()} wrong the last time you met it.")

    def choose_topic(self) -> None:
        """A list of the subject's topics with their numbers of questions; choosing one exports it."""
        rows = [(f"{self._topic_name(topic)}    ({count} question{'s' if count != 1 else ''})", topic)
                for topic, count in self.collection.blocks.topics(self._subject)]
        self.topic_dialog = choose_from_list(self.window, f"{TITLE}: choose a topic", rows,
                                             "This bank's questions have no topics.",
                                             lambda topic: topic and self.topic(topic), (520, 420))

    def _topic_name(self, topic: str) -> str:
        subject, _, name = topic.partition("/")
        spans = self._subject is None and self.window.subject.several
        return (f"{self.window.subject.title_of(subject)} · " if spans else "") + name.replace("-", " ")

    def topic(self, topic: str) -> Path | None:
        """Export one topic ("<subject>/<topic>")."""
        ids = self.collection.blocks.matching(BlockFilter(topics=frozenset({topic})))
        name = topic.partition("/")[2]
        return self.export(ids, name, f"questions on {self._topic_name(topic)}",
                           f"No question is on {self._topic_name(topic)}.")

    def subject(self) -> Path | None:
        ids = self.collection.blocks.matching(self._within())
        return self.export(ids, self._subject or "all-subjects", f"questions of {self.window.subject.title}",
                           "This bank holds no questions.")

    def export(self, question_ids: list[str], file_word: str, what: str, when_empty: str) -> Path | None:
        """Ask where to save the deck of these questions and write it; the file written, or None."""
        if not question_ids:
            plain_message(self.window, QMessageBox.Icon.Information, TITLE, f"{when_empty}\n\nNothing was written.")
            return None
        suffix = SUFFIXES["anki"]
        suggested = self.folder / f"calciquiz-{file_word}-{self.today().isoformat()}{suffix}"
        name, _ = QFileDialog.getSaveFileName(self.window, TITLE, str(suggested), FILE_FILTER)
        if not name:
            return None
        target = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        written = self.operations.run(
            self.window, lambda _on_progress: self.collection.exports.write("anki", question_ids, target),
            changes=Changes(), title=TITLE, label=f"Writing the Anki deck of {len(question_ids)} questions…",
            background=True, failure=lambda error: f"{target} could not be written: {write_problem(error)}.")
        if not written.ok:
            return None
        self.folder = target.parent
        count = written.value
        self.window.statusBar().showMessage(
            f"Wrote {count} {what if count != 1 else what.replace('questions', 'question', 1)} to {target}; "
            "import it in Anki with File › Import", 12000)
        return target
