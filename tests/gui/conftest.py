from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.collection import Collection
from calciquiz.gui.main_window import MainWindow
from tests.helpers import show_active


@pytest.fixture
def progress_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite"


@pytest.fixture
def window(qtbot, bank_copy: Path, progress_path: Path):
    collection = Collection(bank_copy, progress_path)
    main = show_active(qtbot, MainWindow(collection))
    yield main
    main.collection.close()
