"""Small widgets shared by several screens."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut, QTextDocument
from PySide6.QtWidgets import QLabel, QTextBrowser, QWidget


def shortcut(parent: QWidget, keys: str | QKeySequence.StandardKey, slot: Callable[[], object],
             context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut) -> QShortcut:
    """A keyboard shortcut active while `parent` (or one of its children) has the focus."""
    made = QShortcut(QKeySequence(keys), parent)
    made.setContext(context)
    made.activated.connect(slot)
    return made


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


class QuestionImage(QLabel):
    """A question's image, decoded from the bytes stored in the bank (never loaded from a path)."""

    MAX_WIDTH = 640

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.setVisible(False)

    def show_image(self, data: bytes) -> bool:
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data):
            self.clear()
            self.setVisible(False)
            return False
        if pixmap.width() > self.MAX_WIDTH:
            pixmap = pixmap.scaledToWidth(self.MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(pixmap)
        self.setVisible(True)
        return True
