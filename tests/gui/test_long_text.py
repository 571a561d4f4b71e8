"""Absurdly long fields are shown whole-width and quickly, whatever the bank's own limits."""
from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget


def with_question_changed(monkeypatch, window, **changes) -> None:
    """Every question the bank hands out has the given fields changed (as a hostile file would)."""
    bank = window.collection.bank
    original = bank.question
    monkeypatch.setattr(bank, "question", lambda question_id: dataclasses.replace(original(question_id), **changes))


def answer_current(window) -> None:
    study = window.study
    study.choose(0)
    study.advance()
    assert study.outcome is not None
    QApplication.processEvents()


def test_a_50000_character_word_in_the_explanation_wraps_inside_the_pane(qtbot, window, monkeypatch):
    word = "calcinosis" * 5000
    with_question_changed(monkeypatch, window, explanation=f"Before {word} after.", learning_point=word)
    window.run_command("study")
    answer_current(window)
    pane = window.study.explanation
    body = pane.widget()
    right_edge = pane.viewport().width()
    cut_off = [type(w).__name__ for w in body.findChildren(QWidget)
               if w.isVisible() and w.mapTo(body, QPoint(w.width(), 0)).x() > right_edge]
    assert cut_off == []
    text = pane.explanation.toPlainText()
    # Shown from its start; what is beyond the display limit is said to be there.
    assert text.startswith("Before calcinosiscalcinosis")
    assert text.endswith("more characters not shown)") or text.endswith("calcinosis after.")
    # Wrapped onto many lines rather than one line wider than the pane.
    assert pane.explanation.document().idealWidth() <= pane.explanation.viewport().width()
    assert pane.explanation.height() > 20 * pane.explanation.fontMetrics().height()


def test_a_10000_line_stem_shows_quickly_with_its_question_and_what_was_left_out(qtbot, window, monkeypatch):
    lines = [f"Line {i} of a very long case history." for i in range(10_000)]
    stem = "\n\n".join(lines + ["Which is the most likely diagnosis?"])
    with_question_changed(monkeypatch, window, stem=stem)
    started = time.perf_counter()
    window.run_command("study")
    QApplication.processEvents()
    elapsed = time.perf_counter() - started
    shown = window.study.stem.text()
    # Bounded work: the label lays out tens of thousands of characters, not the whole 380,000.
    assert len(shown) < 60_000
    assert "Line 0 of a very long case history." in shown
    assert "more characters not shown" in shown
    assert "<b>Which is the most likely diagnosis?</b>" in shown
    assert elapsed < 10  # generous; the whole stem took seconds to lay out
