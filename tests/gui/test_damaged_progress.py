from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore
from calciquiz.gui import app

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def progress_with_backup(data_dir: Path) -> Path:
    path = data_dir / "progress.sqlite"
    store = ProgressStore(path)
    for i in range(3):
        store.record_answer(f"cls-q{i}", 0, True, answered_at=T0)
    store.backup()
    store.close()
    return path


def test_a_damaged_progress_file_is_explained_and_the_backup_restored_in_the_app(qtbot, data_dir, bank_copy,
                                                                                 monkeypatch):
    path = progress_with_backup(data_dir)
    path.write_bytes(b"\x00garbage" * 512)
    asked = []
    monkeypatch.setattr(app, "ask_about_damage", lambda text, can: asked.append((text, can)) or "restore")
    window = app.start(bank_copy)
    qtbot.addWidget(window)
    ((text, can_restore),) = asked
    assert can_restore
    assert "damaged" in text and "It has not been changed or deleted" in text and "newest good backup" in text
    assert "Traceback" not in text
    assert window.collection.progress.review_count() == 3  # the backup's answers are back
    assert list(data_dir.glob("progress.damaged-*.sqlite"))  # and the damaged file is kept
    window.collection.close()


def test_choosing_to_quit_leaves_everything_as_it_is(qtbot, data_dir, bank_copy, monkeypatch):
    path = progress_with_backup(data_dir)
    path.write_bytes(b"garbage" * 512)
    monkeypatch.setattr(app, "ask_about_damage", lambda text, can: "quit")
    assert app.start(bank_copy) is None
    assert len(safekeeping.list_backups(path)) >= 1


def test_a_second_copy_of_the_app_says_so_instead_of_writing(qtbot, data_dir, bank_copy, monkeypatch):
    first = app.start(bank_copy)
    qtbot.addWidget(first)
    told = []
    monkeypatch.setattr(app.QMessageBox, "information", lambda parent, title, text: told.append((title, text)))
    assert app.start(bank_copy) is None
    assert told and told[0][0] == "CalciQuiz is already open"
    first.collection.close()


def test_restore_from_the_file_menu(qtbot, data_dir, bank_copy, monkeypatch):
    from PySide6.QtWidgets import QListWidget

    progress_with_backup(data_dir)
    window = app.start(bank_copy)
    qtbot.addWidget(window)
    newest = safekeeping.list_backups(window.collection.progress.path)[0]
    window.collection.progress.record_answer("cls-extra", 0, False, answered_at=T0)
    assert window.collection.progress.review_count() == 4
    monkeypatch.setattr(app.QMessageBox, "question", lambda *a: app.QMessageBox.StandardButton.Yes)
    window.run_command("restore")
    listing = window.file_commands.backup_dialog.findChild(QListWidget)
    assert listing.item(0).data(256) == str(newest.path)
    listing.itemActivated.emit(listing.item(0))
    assert window.collection.progress.review_count() == 3
    assert window.stack.currentWidget() is window.home
    assert "restored" in window.statusBar().currentMessage()
    assert list(data_dir.glob("progress.replaced-*.sqlite"))  # the replaced file is kept, set aside
    window.collection.close()


def test_import_progress_from_the_file_menu_runs_in_a_worker(qtbot, data_dir, bank_copy, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from calciquiz.core.exchange import export_progress

    other = ProgressStore(tmp_path / "other" / "progress.sqlite")
    for i in range(5):
        other.record_answer(f"cls-other-{i}", 1, i % 2 == 0, answered_at=T0)
    export_progress(other, tmp_path / "other.json")
    other.close()
    window = app.start(bank_copy)
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "other.json"), ""))
    told = []
    monkeypatch.setattr(app.QMessageBox, "information", lambda parent, title, text: told.append(text))
    window.run_command("import")
    assert told and told[0].startswith("5 reviews added, 0 were already here")
    assert window.collection.progress.review_count() == 5
    window.collection.close()


def test_an_empty_progress_file_is_explained_and_starting_fresh_is_asked_once(qtbot, data_dir, bank_copy,
                                                                              monkeypatch):
    path = progress_with_backup(data_dir)
    path.write_bytes(b"")
    asked = []
    monkeypatch.setattr(app, "ask_about_damage",
                        lambda text, can: asked.append((text, can)) or ("fresh" if len(asked) == 1 else "quit"))
    window = app.start(bank_copy)
    qtbot.addWidget(window)
    ((text, can_restore),) = asked
    assert can_restore and "empty" in text and "holds 3 answers" in text and "Traceback" not in text
    assert window.collection.progress.review_count() == 0
    window.collection.progress.record_answer("cls-q0", 0, True, answered_at=T0)
    window.collection.close()
    again = app.start(bank_copy)  # the choice is not asked again at the next start
    qtbot.addWidget(again)
    assert len(asked) == 1 and again.collection.progress.review_count() == 1
    assert any(safekeeping.answers_in(b.path) == 3 for b in safekeeping.list_backups(path))  # the old answers kept
    again.collection.close()


def test_choosing_empty_progress_after_damage_opens_the_app(qtbot, data_dir, bank_copy, monkeypatch):
    path = progress_with_backup(data_dir)
    path.write_bytes(b"garbage" * 512)
    asked = []
    monkeypatch.setattr(app, "ask_about_damage",
                        lambda text, can: asked.append(text) or ("fresh" if len(asked) == 1 else "quit"))
    window = app.start(bank_copy)
    assert window is not None and len(asked) == 1
    qtbot.addWidget(window)
    assert window.collection.progress.review_count() == 0
    window.collection.close()


def test_a_lock_file_that_is_a_folder_is_named_in_the_app(qtbot, data_dir, bank_copy, monkeypatch):
    (data_dir / "progress.sqlite.lock").mkdir(parents=True)
    told = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: told.append((title, text)))
    assert app.start(bank_copy) is None
    ((title, text),) = told
    assert title == "CalciQuiz cannot start"
    assert f"The lock file {data_dir / 'progress.sqlite.lock'} is a folder" in text and "Traceback" not in text


def test_a_read_only_data_folder_is_named_in_the_app(qtbot, data_dir, bank_copy, monkeypatch):
    import errno
    import os

    from calciquiz.core import safekeeping as keeping

    data_dir.mkdir()
    real_open = os.open

    def refuse_in_data_folder(path, *args, **kwargs):  # as a read-only folder does for its owner
        if str(path).startswith(str(data_dir)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(keeping.os, "open", refuse_in_data_folder)
    told = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: told.append((title, text)))
    assert app.start(bank_copy) is None
    ((title, text),) = told
    assert f"The data folder {data_dir} is read-only" in text and "Traceback" not in text
