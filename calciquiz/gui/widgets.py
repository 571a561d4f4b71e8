"""Small widgets shared by several screens."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

# A tooltip is a glance, not a reader: longer text is cut (the full text is on screen elsewhere).
TOOLTIP_CHARS = 600


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label showing its text exactly as written: never markup, a link or an image."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def markup_label(markup: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for rich text the app builds itself, every piece of file text in it escaped (see html.py)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(markup)
    return label


def read_only_table(table: QTableWidget, headers: Sequence[str]) -> QTableWidget:
    """A table of figures: these column headers, no row numbers, no editing, the first column taking the width."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt shows as written.

    Qt guesses whether a tooltip is rich text (Qt.mightBeRichText) and would render markup
    from a file, loading the images it names; escaped text inside our own paragraph cannot be
    taken for markup, and still wraps like any rich tooltip.
    """
    if len(text) > TOOLTIP_CHARS:
        text = text[:TOOLTIP_CHARS] + " …"
    return "<p>" + escape(text).replace("\n", "<br>") + "</p>" if text else ""


def plain_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """A message box showing its text as written (QMessageBox.warning() would guess rich text)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def set_plain_tooltip(target: QWidget | QListWidgetItem | QTableWidgetItem, text: str) -> None:
    target.setToolTip(plain_tooltip(text))


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


class TextBlock(SafeTextBrowser):
    """Read-only text that sizes itself to its content, like a label, but wraps a word too long for
    the line anywhere (a QLabel only breaks between words, so such a word is cut off)."""

    def __init__(self, markup: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setHtml(markup)

    def _fit(self) -> None:
        # Whatever the frame, border and padding take around the viewport, plus the text itself.
        chrome = max(0, self.height() - self.viewport().height())
        self.setFixedHeight(int(self.document().size().height()) + chrome + 2)


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
