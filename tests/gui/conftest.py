from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.collection import Collection
from calciquiz.gui.main_window import MainWindow


@pytest.fixture
def progress_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite"


@pytest.fixture
def window(qtbot, bank_copy: Path, progress_path: Path):
    collection = Collection(bank_copy, progress_path)
    main = MainWindow(collection)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    with qtbot.waitActive(main):
        main.activateWindow()
    yield main
    main.collection.close()
