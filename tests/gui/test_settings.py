from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from calciquiz.core.collection import Collection
from calciquiz.gui import style
from calciquiz.gui.main_window import MainWindow
from tests.helpers import show_active


def open_window(qtbot, bank: Path, progress: Path, settings_path: Path) -> tuple[MainWindow, Collection]:
    collection = Collection(bank, progress)
    window = show_active(qtbot, MainWindow(collection, QSettings(str(settings_path), QSettings.Format.IniFormat)))
    return window, collection


def test_text_size_layout_and_last_screen_are_remembered(qtbot, bank_copy: Path, tmp_path: Path):
    original = QApplication.font()
    settings_path = tmp_path / "settings.ini"
    try:
        window, collection = open_window(qtbot, bank_copy, tmp_path / "p.sqlite", settings_path)
        base = style.base_size()
        stem_before = window.study.stem.font().pointSizeF()
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert style.base_size() == base + 2
        assert window.study.stem.font().pointSizeF() == stem_before + 2  # screens follow at once
        window.resize(760, 560)  # within the offscreen platform's small virtual screen
        window.run_command("documents")
        window.close()
        collection.close()

        QApplication.setFont(original)
        again, collection = open_window(qtbot, bank_copy, tmp_path / "p.sqlite", settings_path)
        assert style.base_size() == base + 2
        assert again.stack.currentWidget() is again.documents
        # The offscreen platform clamps widths to its small virtual screen, so check the height
        # and that the default width was not used.
        assert again.height() == 560 and again.width() != 1280
        qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert style.base_size() == base
        collection.close()
    finally:
        QApplication.setFont(original)
        style.set_base_size(original.pointSizeF())


def test_every_menu_action_shows_its_shortcut(qtbot, window):
    actions = [action for top in window.menuBar().actions() for action in top.menu().actions()]
    assert len(actions) >= 12
    # A submenu (File › Export to Anki) has no key of its own, nor do the rarer commands in it.
    missing = [a.text() for a in actions if not a.isSeparator() and a.shortcut().isEmpty() and "About" not in a.text()
               and a.menu() is None]
    assert missing == []
