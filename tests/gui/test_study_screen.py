from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from calciquiz.core.collection import Collection
from calciquiz.core.documents import normalize
from calciquiz.core.questions import LETTERS
from calciquiz.gui.html import HIGHLIGHT
from calciquiz.gui.main_window import MainWindow
from calciquiz.gui.reader import DocumentReader
from tests.helpers import query


def start_by_clicking(qtbot, window: MainWindow) -> None:
    assert window.home.due.number.text() == "0"
    assert int(window.home.new.number.text()) >= 40
    qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.study
    assert window.study.presentation is not None


def press(qtbot, window: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.study, key)


def test_answer_by_keyboard_and_see_rationales_explanation_and_highlighted_passage(qtbot, window, progress_path):
    start_by_clicking(qtbot, window)
    study = window.study
    shown = study.presentation
    assert len(study.options.rows) == len(shown.question.options) == 5
    assert [r.text.text() for r in study.options.rows] == [shown.question.options[i].text for i in shown.order]

    wrong = (shown.correct_display_index + 1) % 5
    press(qtbot, window, Qt.Key(Qt.Key.Key_1 + wrong))
    assert study.options.selected == wrong
    press(qtbot, window, Qt.Key.Key_Return)

    # Right or wrong, the correct option, and a rationale on every option.
    assert study.explanation.verdict.text() == (
        f"Incorrect — you chose {LETTERS[wrong]}; the answer is {LETTERS[shown.correct_display_index]}"
    )
    rows = study.options.rows
    assert rows[shown.correct_display_index].look == "correct"
    assert rows[wrong].look == "wrong"
    assert all(r.rationale.isVisible() for r in rows)
    assert rows[shown.correct_display_index].tag.text() == "✓ Answer"
    assert study.explanation.explanation.toPlainText()
    assert shown.question.learning_point in study.explanation.learning_point.toPlainText()

    # The passage is shown with the quote highlighted, and its document is named.
    block = study.explanation.evidence_blocks[0]
    evidence = shown.question.evidence[0]
    html = block.passage_view.toHtml()
    plain = block.passage_view.toPlainText().replace("\n", " ").replace("\u2029", " ")
    assert normalize(evidence.quote) in normalize(plain)
    assert "background-color:rgba(255,200,0" in html.replace(" ", "") or HIGHLIGHT in html
    title = window.collection.bank.document(evidence.document_id).title
    assert any(title in label.text() for label in block.findChildren(type(study.header)))

    # The answer was committed: another connection sees it.
    rows = query(progress_path, "select question_id, chosen, correct, mode from reviews")
    assert rows == [(shown.question.id, shown.order[wrong], 0, "study")]

    # Enter goes on to another question.
    press(qtbot, window, Qt.Key.Key_Return)
    assert study.presentation.question.id != shown.question.id
    assert study.outcome is None


def test_letters_space_and_guess_keys_work(qtbot, window, progress_path):
    start_by_clicking(qtbot, window)
    study = window.study
    shown = study.presentation
    right = shown.correct_display_index
    press(qtbot, window, Qt.Key(Qt.Key.Key_A + right))
    press(qtbot, window, Qt.Key.Key_G)
    assert study.guess.isChecked()
    press(qtbot, window, Qt.Key.Key_Space)
    assert study.explanation.verdict.text() == f"Correct — {LETTERS[right]} (marked as a guess)"
    assert query(progress_path, "select correct, guessed, rating from reviews") == [(1, 1, 2)]  # Hard


def test_clicking_an_option_then_submit(qtbot, window, progress_path):
    start_by_clicking(qtbot, window)
    study = window.study
    assert not study.submit.isEnabled()
    qtbot.mouseClick(study.options.rows[2], Qt.MouseButton.LeftButton)
    assert study.submit.isEnabled()
    qtbot.mouseClick(study.submit, Qt.MouseButton.LeftButton)
    assert study.outcome is not None
    assert study.submit.text() == "Next question"


def test_open_the_document_scrolled_to_the_passage(qtbot, window):
    start_by_clicking(qtbot, window)
    study = window.study
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_Return)
    evidence = study.presentation.question.evidence[0]
    press(qtbot, window, Qt.Key.Key_O)
    assert len(window.readers) == 1
    reader: DocumentReader = window.readers[0]
    qtbot.waitExposed(reader)
    assert reader.document_id == evidence.document_id
    assert reader.focus == evidence.passage_ordinal
    assert normalize(evidence.quote) in normalize(reader.text.toPlainText())
    if reader.text.verticalScrollBar().maximum() > 0 and evidence.passage_ordinal > 5:
        qtbot.waitUntil(lambda: reader.text.verticalScrollBar().value() > 0)
    info = window.collection.bank.document(evidence.document_id)
    assert info.title in reader.windowTitle()


def test_a_vignette_is_shown_with_its_lead_in(qtbot, window):
    start_by_clicking(qtbot, window)
    study = window.study
    while study.presentation.question.kind != "vignette":
        press(qtbot, window, Qt.Key.Key_1)
        press(qtbot, window, Qt.Key.Key_Return)
        press(qtbot, window, Qt.Key.Key_Return)
    lead_in = study.presentation.question.stem.split("\n\n")[-1].strip()
    assert f"<b>{' '.join(lead_in.split())}</b>" in study.stem.text().replace("&#x27;", "'")
    assert "Case vignette" in study.header.text()


def test_progress_survives_closing_and_reopening(qtbot, bank_copy: Path, progress_path: Path):
    collection = Collection(bank_copy, progress_path)
    first = MainWindow(collection)
    qtbot.addWidget(first)
    first.show()
    first.run_command("study")
    answered = first.study.presentation.question.id
    first.study.choose(first.study.presentation.correct_display_index)
    first.study.advance()
    first.close()
    collection.close()

    reopened = Collection(bank_copy, progress_path)
    second = MainWindow(reopened)
    qtbot.addWidget(second)
    second.show()
    assert second.home.answered.number.text() == "1"
    total = reopened.sched.counts().total
    assert int(second.home.new.number.text()) == total - 1
    assert reopened.progress.schedule(answered) is not None
    reopened.close()


def test_escape_ends_the_session_and_home_shows_the_new_counts(qtbot, window):
    start_by_clicking(qtbot, window)
    before = int(window.home.new.number.text())
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert window.home.answered.number.text() == "1"
    assert int(window.home.new.number.text()) == before - 1


def test_text_views_never_load_resources_named_in_text(qtbot, tmp_path):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QTextBrowser

    from calciquiz.gui.widgets import SafeTextBrowser

    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    url = QUrl.fromLocalFile(str(secret))
    image = int(QTextDocument.ResourceType.ImageResource)
    plain = QTextBrowser()
    safe = SafeTextBrowser()
    for view in (plain, safe):
        qtbot.addWidget(view)
        view.setHtml(f'<img src="{url.toString()}"><a href="https://example.org">x</a>')
    assert bytes(plain.document().resource(image, url)) == b"private"  # what Qt does by default
    assert safe.document().resource(image, url) is None
    assert not safe.openLinks() and not safe.openExternalLinks()


def test_markup_in_question_text_is_shown_as_text():
    from calciquiz.gui import html

    shown = html.stem_html('A <img src="file:///etc/passwd"> case.\n\nWhich <b>type</b>?')
    assert "<img" not in shown and "&lt;img" in shown
    assert "<b>Which &lt;b&gt;type&lt;/b&gt;?</b>" in shown
