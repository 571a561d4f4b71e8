"""Small widgets shared by several screens."""
from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


class TextOnlyDocument(QTextDocument):
    """A document that loads no resource: QTextDocument itself would read local files named in its HTML."""

    def loadResource(self, kind: int, name):  # noqa: N802 - Qt's name
        return None


class SafeTextBrowser(QTextBrowser):
    """A text browser that never follows a link or loads a resource named in its text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDocument(TextOnlyDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name):  # noqa: N802 - Qt's name
        return None
