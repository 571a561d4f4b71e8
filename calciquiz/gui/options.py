"""The option list of a question: click or press its key to choose; after answering, each option shows its rationale."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from calciquiz.core.questions import LETTERS
from calciquiz.gui import html, keymap, style
from calciquiz.gui.widgets import plain_label


class OptionRow(QFrame):
    """One option: its letter, its text, and after answering its rationale."""

    clicked = Signal(int)
    strike_requested = Signal(int)

    def __init__(self, display_index: int, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.display_index = display_index
        self.setObjectName("OptionRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.letter = QLabel(LETTERS[display_index])
        style.set_font(self.letter, 2, bold=True)
        self.letter.setFixedWidth(28)
        self.letter.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.text = plain_label(html.clip(text))
        self.text.setWordWrap(True)
        style.set_font(self.text, 2)
        self.rationale = plain_label()
        self.rationale.setWordWrap(True)
        self.rationale.setVisible(False)
        self.tag = QLabel()
        style.set_font(self.tag, -1, bold=True)
        self.tag.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.tag.setVisible(False)
        keys = " or ".join(keymap.option_keys(display_index))
        strike = " or ".join(["right-click", *keymap.strike_keys(display_index)])
        self.setToolTip(f"Choose {LETTERS[display_index]} (key {keys}); {strike} to strike it through")
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addWidget(self.text)
        body.addWidget(self.rationale)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(self.letter)
        row.addLayout(body, 1)
        row.addWidget(self.tag)
        self.enabled_for_choice = True
        self.struck = False
        self.set_look("none")

    def set_struck(self, struck: bool) -> None:
        """Rule the option out visually; it can still be chosen."""
        self.struck = struck
        font = self.text.font()
        font.setStrikeOut(struck)
        self.text.setFont(font)
        self.text.setStyleSheet("color: gray" if struck else "")

    def set_look(self, look: str) -> None:
        background, border, width = {
            "none": ("transparent", style.NEUTRAL_BORDER, 1),
            "selected": (style.SELECTED, style.SELECTED_BORDER, 2),
            "correct": (style.CORRECT, style.CORRECT_BORDER, 2),
            "wrong": (style.WRONG, style.WRONG_BORDER, 2),
            "dim": ("transparent", style.NEUTRAL_BORDER, 1),
        }[look]
        self.look = look
        self.setStyleSheet(
            f"#OptionRow {{ background: {background}; border: {width}px solid {border}; border-radius: 6px; }}"
        )

    def show_rationale(self, tag: str, rationale: str) -> None:
        self.rationale.setText(html.clip(rationale))
        self.rationale.setVisible(bool(rationale))  # an imported option may have none
        self.tag.setText(tag)
        self.tag.setVisible(bool(tag))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.enabled_for_choice:
            self.clicked.emit(self.display_index)
        elif event.button() == Qt.MouseButton.RightButton and self.enabled_for_choice:
            self.strike_requested.emit(self.display_index)
        super().mousePressEvent(event)


class OptionList(QWidget):
    """The options of the question on screen, in display order."""

    chosen = Signal(int)
    struck_changed = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[OptionRow] = []
        self.selected: int | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(8)

    def set_options(self, texts: list[str]) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        self.selected = None
        for index, text in enumerate(texts):
            row = OptionRow(index, text, self)
            row.clicked.connect(self.select)
            row.strike_requested.connect(self.toggle_strike)
            self.layout_.addWidget(row)
            row.show()
            self.rows.append(row)

    def select(self, index: int) -> None:
        if not 0 <= index < len(self.rows) or not self.rows[index].enabled_for_choice:
            return
        self.selected = index
        for row in self.rows:
            row.set_look("selected" if row.display_index == index else "none")
        self.chosen.emit(index)

    def toggle_strike(self, index: int) -> None:
        if 0 <= index < len(self.rows) and self.rows[index].enabled_for_choice:
            row = self.rows[index]
            row.set_struck(not row.struck)
            self.struck_changed.emit(index, row.struck)

    def struck(self) -> set[int]:
        return {row.display_index for row in self.rows if row.struck}

    def reveal(self, correct_index: int, chosen_index: int | None, rationales: list[str]) -> None:
        for row in self.rows:
            row.enabled_for_choice = False
            row.setCursor(Qt.CursorShape.ArrowCursor)
            i = row.display_index
            if i == correct_index:
                row.set_look("correct")
                tag = "✓ Your answer" if i == chosen_index else "✓ Answer"
            elif i == chosen_index:
                row.set_look("wrong")
                tag = "✗ Your answer"
            else:
                row.set_look("dim")
                tag = ""
            row.show_rationale(tag, rationales[i])
