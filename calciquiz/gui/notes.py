"""A personal note on a question, kept with the learner's progress."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from calciquiz.core.progress import ProgressStore


class NoteDialog(QDialog):
    """Edit the note on one question; an emptied note is removed."""

    def __init__(self, progress: ProgressStore, question_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress = progress
        self.question_id = question_id
        self.setWindowTitle("My note — CalciQuiz")
        self.editor = QPlainTextEdit(progress.note(question_id))
        self.editor.setPlaceholderText("A note for yourself; it is shown whenever this question comes back.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your note on this question"))
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def accept(self) -> None:
        self.progress.set_note(self.question_id, self.editor.toPlainText())
        super().accept()
