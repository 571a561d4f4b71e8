from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.gui import app


@pytest.mark.parametrize("content", [None, b"this is not a database"])
def test_a_bank_that_cannot_be_opened_is_explained_in_words(qtbot, tmp_path: Path, data_dir: Path, monkeypatch,
                                                            content):
    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    bank = tmp_path / "missing.sqlite"
    if content is not None:
        bank.write_bytes(content)
    assert app.run(bank) == 1
    ((title, text),) = shown
    assert title == "CalciQuiz cannot start"
    assert str(bank) in text
    assert "Traceback" not in text
