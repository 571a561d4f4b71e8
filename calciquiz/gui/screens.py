"""The screens of the main window, registered: a new screen is one module and one line here.

The main window builds its stack, the menu actions that open screens (their keys are in
keymap.py) and the remembered "last screen" from this list. Each screen is made by its factory from a ScreenContext and
navigates through the context's Navigator, so the main window wires nothing by hand.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from calciquiz.core.collection import Collection
from calciquiz.gui.documents_screen import DocumentsScreen
from calciquiz.gui.exam_screen import ExamScreen
from calciquiz.gui.home import HomeScreen
from calciquiz.gui.operations import Operations
from calciquiz.gui.progress_screen import ProgressScreen
from calciquiz.gui.report_screen import ReportScreen
from calciquiz.gui.study import StudyScreen
from calciquiz.gui.subject_choice import SubjectChoice

if TYPE_CHECKING:
    from calciquiz.core.exam import ExamBlock, ExamReport
    from calciquiz.core.questions import Question


class Navigator(Protocol):
    """Moving between screens and windows (the main window)."""

    def run_command(self, command_id: str) -> None: ...
    def open_screen(self, name: str) -> QWidget: ...
    def study_questions(self, question_ids: list[str]) -> None: ...
    def start_exam(self, block: ExamBlock) -> None: ...
    def show_report(self, report: ExamReport) -> None: ...
    def open_document(self, document_id: str, passage_ordinal: int, question: Question | None = None) -> QWidget: ...


@dataclass(frozen=True)
class ScreenContext:
    """What a screen is handed: the collection it shows, the way to change it, the way to move on, and the
    subject being studied."""

    collection: Collection
    operations: Operations
    navigator: Navigator
    subject: SubjectChoice


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    factory: Callable[[ScreenContext], QWidget]
    command: str | None  # the keymap command that opens it (None: reached from another screen)
    restorable: bool  # reopened at the next start when the app was closed on it


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("home", HomeScreen, "home", restorable=True),
    ScreenEntry("study", StudyScreen, "study", restorable=True),  # resumes with a fresh session
    ScreenEntry("exam", ExamScreen, None, restorable=False),
    ScreenEntry("report", ReportScreen, None, restorable=False),
    ScreenEntry("documents", DocumentsScreen, "documents", restorable=True),
    ScreenEntry("progress", ProgressScreen, "progress", restorable=True),
)
