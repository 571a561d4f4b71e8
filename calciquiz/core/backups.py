"""Backups of the learner's progress: make one now, list them, put one in place (col.backups)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from calciquiz.core import safekeeping

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection


class Backups:
    def __init__(self, collection: Collection):
        self.collection = collection

    def back_up(self) -> safekeeping.Backup:
        return self.collection.progress.backup()

    def list(self) -> list[safekeeping.Backup]:
        """The backups of this progress file, newest first."""
        return safekeeping.list_backups(self.collection.progress_path)

    def restore(self, backup: Path) -> Path | None:
        """Put a backup in place of the progress; the current file is set aside (returned), then reopened."""
        return self.collection.reopen_progress(lambda path: safekeeping.restore(Path(backup), path))

    @property
    def problem(self) -> str | None:
        """Why the backup or seal after the last answers could not be written (None when they were); the answers were kept."""
        return self.collection.progress.backup_problem
