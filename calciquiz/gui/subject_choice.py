"""The subject being studied: one of the bank's subjects, or all of them.

Chosen on the home screen and remembered in settings.ini. The window title, the home screen,
Start studying, the documents screen and the progress screen follow it. Choosing is not a change of
the collection (as the text size is not), but it is announced the same way, as Changes(subject=True),
so the screens that show it refresh by the one path they already have.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings

from calciquiz.core.bank import SubjectInfo
from calciquiz.core.collection import Collection

SETTING = "subject"
ALL_SUBJECTS = "all subjects"


class SubjectChoice:
    def __init__(self, collection: Collection, settings: QSettings | None = None):
        self.collection, self.settings = collection, settings
        self.id: str | None = None
        self.fit(str(settings.value(SETTING, "") or "") if settings is not None else None)

    def subjects(self) -> list[SubjectInfo]:
        return self.collection.questions.subjects()

    @property
    def several(self) -> bool:
        """Whether the bank has more than one subject (with one, there is nothing to choose)."""
        return len(self.subjects()) > 1

    def fit(self, wanted: str | None) -> None:
        """Keep `wanted` if the bank has that subject, else all subjects (after another bank was opened)."""
        self.id = wanted if wanted and any(s.id == wanted for s in self.subjects()) else None

    def choose(self, subject_id: str | None) -> None:
        self.fit(subject_id)
        if self.settings is not None:
            self.settings.setValue(SETTING, self.id or "")

    def title_of(self, subject_id: str | None) -> str:
        """A subject's title; for None, "all subjects" (or the only subject's title, in a one-subject bank)."""
        subjects = self.subjects()
        if subject_id is None:
            return subjects[0].title if len(subjects) == 1 else ALL_SUBJECTS
        return next((s.title for s in subjects if s.id == subject_id), subject_id)

    @property
    def title(self) -> str:
        return self.title_of(self.id)

    def titles(self) -> dict[str, str]:
        """Subject ids and set ids with their titles, to name them in words."""
        named = {s.id: s.title for s in self.subjects()}
        named.update({s.id: s.title for s in self.collection.questions.sets()})
        return named
