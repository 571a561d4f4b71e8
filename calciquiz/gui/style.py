"""Colours and sizes shared by the screens; derived from the system palette so dark mode works."""
from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

CORRECT = "rgba(46, 160, 67, 0.22)"
CORRECT_BORDER = "rgb(46, 160, 67)"
WRONG = "rgba(218, 54, 51, 0.20)"
WRONG_BORDER = "rgb(218, 54, 51)"
SELECTED = "rgba(56, 132, 255, 0.18)"
SELECTED_BORDER = "rgb(56, 132, 255)"
NEUTRAL_BORDER = "rgba(128, 128, 128, 0.45)"
NOTE = "rgba(255, 200, 0, 0.16)"


def is_dark() -> bool:
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def font(point_size_delta: float = 0, bold: bool = False) -> QFont:
    base = QApplication.font()
    result = QFont(base)
    result.setPointSizeF(max(6.0, base.pointSizeF() + point_size_delta))
    result.setBold(bold)
    return result
