"""File › Export to Anki: a resident takes their flagged questions, their mistakes, a topic or the subject to Anki."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import genanki
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QListWidget

from calciquiz.core.blocks import BlockFilter
from calciquiz.gui import anki_exports
from tests.helpers import read_deck

DAY = date(2026, 11, 30)


def menu_action(window, text: str) -> QAction:
    """The File › Export to Anki command with this text (without its & mnemonic)."""
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    (submenu,) = [a.menu() for a in file_menu.actions() if a.menu() and a.text() == "Export to &Anki"]
    (found,) = [a for a in submenu.actions() if a.text().replace("&", "") == text]
    return found


def save_as(monkeypatch, target: Path) -> list[str]:
    """Answer the save dialog with `target`; returns the names the dialog suggested."""
    suggested: list[str] = []

    def dialog(parent, title, name, file_filter):
        suggested.append(Path(name).name)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return suggested


def answer_and_flag(qtbot, window, flag: bool, right: bool) -> str:
    """Answer the question on the study screen (flagging it first if asked); its id."""
    study = window.study
    shown = study.presentation
    if flag:
        qtbot.keyClick(study, Qt.Key.Key_F)
    chosen = shown.correct_display_index if right else (shown.correct_display_index + 1) % len(shown.question.options)
    qtbot.keyClick(study, Qt.Key(Qt.Key.Key_1 + chosen))
    qtbot.keyClick(study, Qt.Key.Key_Return)  # submit
    qtbot.keyClick(study, Qt.Key.Key_Return)  # next question
    return shown.question.id


def test_my_flagged_questions_go_to_a_dated_deck_and_the_status_says_how_many(qtbot, window, monkeypatch, tmp_path):
    window.anki_exports.today = lambda: DAY
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    first = answer_and_flag(qtbot, window, flag=True, right=False)
    answer_and_flag(qtbot, window, flag=False, right=True)
    second = answer_and_flag(qtbot, window, flag=True, right=True)
    suggested = save_as(monkeypatch, tmp_path / "mine")  # the suffix is added when left out

    menu_action(window, "My flagged questions…").trigger()

    assert suggested == ["calciquiz-flagged-2026-11-30.apkg"]
    deck = read_deck(tmp_path / "mine.apkg", tmp_path)
    assert set(deck["notes"]) == {genanki.guid_for(first), genanki.guid_for(second)}
    assert {n["fields"]["Question id"] for n in deck["notes"].values()} == {first, second}
    assert window.statusBar().currentMessage() == (
        f"Wrote 2 flagged questions to {tmp_path / 'mine.apkg'}; import it in Anki with File › Import")

    # The questions last answered wrong: only the first.
    save_as(monkeypatch, tmp_path / "wrong.apkg")
    menu_action(window, "Questions I got wrong…").trigger()
    assert set(read_deck(tmp_path / "wrong.apkg", tmp_path)["notes"]) == {genanki.guid_for(first)}


def test_nothing_to_export_says_so_and_asks_for_no_file(qtbot, window, monkeypatch, tmp_path):
    told = []
    monkeypatch.setattr(anki_exports, "plain_message", lambda parent, icon, title, text: told.append((title, text)))
    suggested = save_as(monkeypatch, tmp_path / "deck.apkg")
    menu_action(window, "My flagged questions…").trigger()
    menu_action(window, "Questions I got wrong…").trigger()
    assert told == [
        ("Export to Anki", "You have flagged no questions (flag one with F while answering).\n\nNothing was written."),
        ("Export to Anki", "You have answered no question wrong the last time you met it.\n\nNothing was written."),
    ]
    assert suggested == [] and list(tmp_path.glob("*.apkg")) == []


def test_a_topic_is_chosen_from_the_subjects_topics(qtbot, window, monkeypatch, tmp_path):
    window.anki_exports.today = lambda: DAY
    suggested = save_as(monkeypatch, tmp_path / "topic.apkg")
    menu_action(window, "A topic…").trigger()
    listing = window.anki_exports.topic_dialog.findChild(QListWidget)
    topics = window.collection.blocks.topics()
    assert [listing.item(i).text() for i in range(listing.count())] == [
        f"{topic.split('/', 1)[1].replace('-', ' ')}    ({count} questions)" for topic, count in topics]
    chosen_topic, count = topics[1]
    listing.itemActivated.emit(listing.item(1))

    topic_name = chosen_topic.split("/", 1)[1]
    assert suggested == [f"calciquiz-{topic_name}-2026-11-30.apkg"]
    notes = read_deck(tmp_path / "topic.apkg", tmp_path)["notes"]
    assert len(notes) == count
    assert all(topic_name in note["tags"] for note in notes.values())
    assert set(notes) == {genanki.guid_for(q) for q in window.collection.blocks.matching(
        BlockFilter(topics=frozenset({chosen_topic})))}


def test_the_current_subject_is_one_deck_of_all_its_questions(qtbot, window, monkeypatch, tmp_path):
    save_as(monkeypatch, tmp_path / "subject.apkg")
    menu_action(window, "The current subject…").trigger()
    notes = read_deck(tmp_path / "subject.apkg", tmp_path)["notes"]
    assert len(notes) == window.collection.questions.count()
    assert window.statusBar().currentMessage().startswith(f"Wrote {len(notes)} questions of ")


def test_a_deck_that_cannot_be_written_is_told_and_leaves_nothing(qtbot, window, monkeypatch, tmp_path):
    from calciquiz.gui import operations

    told = []
    monkeypatch.setattr(operations, "plain_message", lambda parent, icon, title, text: told.append((title, text)))
    save_as(monkeypatch, tmp_path / "no-such-folder" / "deck.apkg")
    window.statusBar().clearMessage()
    menu_action(window, "The current subject…").trigger()
    ((title, text),) = told
    assert title == "Export to Anki"
    assert text.startswith(f"{tmp_path / 'no-such-folder' / 'deck.apkg'} could not be written: ")
    assert not (tmp_path / "no-such-folder").exists() and window.statusBar().currentMessage() == ""
