"""Importing progress from the File menu: a refused file and a differing review are told in the same words as the CLI."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from calciquiz.core.exchange import export_progress

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def choose_file(monkeypatch, path: Path) -> list[tuple[str, str]]:
    """Pick `path` in the open dialog; returns where the message boxes' (kind, text) are collected."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, kind=kind: shown.append((kind, text)))
    # A refusal quotes the file, so it is shown through plain_message (plain text), not QMessageBox.warning.
    monkeypatch.setattr("calciquiz.gui.operations.plain_message",
                        lambda parent, icon, title, text: shown.append((icon.name.lower(), text)))
    return shown


def test_a_refused_file_is_shown_problem_by_problem_and_nothing_changes(window, monkeypatch, tmp_path: Path):
    progress = window.collection.progress
    progress.record_answer("cls-q1", 0, True, answered_at=T0)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "calciquiz-progress", "version": 1, "notes": [], "flags": [], "reviews": [
        {"id": "r1", "question_id": "cls-q1", "chosen": 0, "correct": None, "guessed": 0, "rating": True,
         "time_taken_ms": 0, "answered_at": "2026-03-02T10:00:00+00:00", "mode": "study", "session_id": "",
         "shown_order": ""}]}))
    shown = choose_file(monkeypatch, bad)
    window.run_command("import")
    assert shown == [("warning", f"{bad}: review 1 (id 'r1'): correct must be true or false, not null\n"
                                 f"{bad}: review 1 (id 'r1'): rating must be a whole number, not true/false\n\n"
                                 "Nothing was changed.")]
    assert progress.review_count() == 1


def test_a_review_that_differs_from_the_one_here_is_named_after_the_merge(window, monkeypatch, tmp_path: Path):
    progress = window.collection.progress
    record, _ = progress.record_answer("cls-q1", 0, True, answered_at=T0)
    moving = tmp_path / "moving.json"
    export_progress(progress, moving)
    data = json.loads(moving.read_text())
    data["reviews"][0]["guessed"], data["reviews"][0]["rating"] = 1, 2
    moving.write_text(json.dumps(data))
    shown = choose_file(monkeypatch, moving)
    window.run_command("import")
    assert shown == [("information", "0 reviews added, 0 were already here; 1 schedules rebuilt.\n\n"
                                     f"review 1 (id '{record.id}') differs from the one already here (guessed, "
                                     "rating); the one already here was kept")]
