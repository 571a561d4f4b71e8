"""A personal note on a question, kept with the learner's progress."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from calciquiz.core.collection import Collection
from calciquiz.gui.operations import Changes, Operations


class NoteDialog(QDialog):
    """Edit the note on one question; an emptied note is removed."""

    def __init__(self, collection: Collection, operations: Operations, question_id: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.collection, self.operations = collection, operations
        self.question_id = question_id
        self.setWindowTitle("My note — CalciQuiz")
        self.editor = QPlainTextEdit(collection.notes.get(question_id))
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
        text = self.editor.toPlainText()
        saved = self.operations.run(self, lambda: self.collection.notes.set(self.question_id, text),
                                    changes=Changes(notes=True), title="Save the note")
        if saved.ok:  # otherwise the dialog stays open with the text, to try again
            super().accept()
