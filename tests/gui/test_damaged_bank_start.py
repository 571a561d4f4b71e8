"""Starting the app with a damaged cached bundled bank: it is rebuilt and the app opens as usual."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from calciquiz.core import paths
from calciquiz.gui import app


@pytest.fixture(autouse=True)
def keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


@pytest.mark.parametrize("damage", [b"", b"SQLite format 3\x00" + b"\xff" * 4000], ids=["emptied", "garbled"])
def test_the_app_starts_with_a_damaged_cached_bank(qtbot, data_dir: Path, monkeypatch, damage: bytes):
    cached = paths.bundled_bank()
    cached.write_bytes(damage)
    told = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(app.QMessageBox, kind, lambda *args, kind=kind: told.append((kind, args)))
    window = app.start()
    assert window is not None and told == []
    qtbot.addWidget(window)
    try:
        assert window.collection.bank.path == cached
        window.run_command("study")
        assert window.study.presentation is not None and window.study.presentation.question.stem
    finally:
        window.collection.close()
