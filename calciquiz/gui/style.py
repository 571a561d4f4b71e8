"""Colours and sizes shared by the screens; derived from the system palette so dark mode works."""
from __future__ import annotations

import weakref

import shiboken6

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

CORRECT = "rgba(46, 160, 67, 0.22)"
CORRECT_BORDER = "rgb(46, 160, 67)"
WRONG = "rgba(218, 54, 51, 0.20)"
WRONG_BORDER = "rgb(218, 54, 51)"
SELECTED = "rgba(56, 132, 255, 0.18)"
SELECTED_BORDER = "rgb(56, 132, 255)"
NEUTRAL_BORDER = "rgba(128, 128, 128, 0.45)"
NOTE = "rgba(255, 200, 0, 0.16)"


def font(point_size_delta: float = 0, bold: bool = False) -> QFont:
    base = QApplication.font()
    result = QFont(base)
    result.setPointSizeF(max(6.0, base.pointSizeF() + point_size_delta))
    result.setBold(bold)
    return result


# Widgets with a size relative to the base font, so a change of text size reaches them too.
_relative_fonts: weakref.WeakKeyDictionary[QWidget, tuple[float, bool]] = weakref.WeakKeyDictionary()
MIN_BASE, MAX_BASE = 8.0, 24.0


def set_font(widget: QWidget, point_size_delta: float = 0, bold: bool = False) -> None:
    """Give a widget a font relative to the application's base size, and keep it relative."""
    _relative_fonts[widget] = (point_size_delta, bold)
    widget.setFont(font(point_size_delta, bold))


def base_size() -> float:
    return QApplication.font().pointSizeF()


def set_base_size(points: float) -> float:
    """Change the base text size of the whole app; every screen follows at once."""
    points = max(MIN_BASE, min(MAX_BASE, points))
    app_font = QFont(QApplication.font())
    app_font.setPointSizeF(points)
    QApplication.setFont(app_font)
    for widget, (delta, bold) in list(_relative_fonts.items()):
        if shiboken6.isValid(widget):
            widget.setFont(font(delta, bold))
        else:
            del _relative_fonts[widget]
    return points
