"""The learner's own marks on questions: flags and notes (col.flags, col.notes)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection


class Flags:
    """Questions flagged to be found again (a custom block can draw on them)."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def is_flagged(self, question_id: str) -> bool:
        return self.collection.progress.is_flagged(question_id)

    def set(self, question_id: str, flagged: bool) -> None:
        self.collection.progress.set_flag(question_id, flagged)


class Notes:
    """A personal note per question, shown whenever the question comes back."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def get(self, question_id: str) -> str:
        return self.collection.progress.note(question_id)

    def set(self, question_id: str, text: str) -> None:
        """Keep a note on a question; an empty note removes it."""
        self.collection.progress.set_note(question_id, text)
