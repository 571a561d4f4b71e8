from __future__ import annotations

from PySide6.QtCore import Qt, QUrl

from calciquiz.core.documents import normalize
from calciquiz.gui.documents_screen import HIT_LINK
from calciquiz.gui.reader import PASSAGE_LINK


def test_search_the_documents_and_jump_to_a_passage_and_its_questions(qtbot, window):
    window.run_command("documents")
    screen = window.documents
    assert screen.documents.count() == 5
    assert screen.documents.item(0).text() == "What is Calcinosis Cutis? — Medicover Hospitals"
    screen.search_box.setText("lithotripsy")
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert screen.results.isVisible()
    results = screen.results.toHtml()
    assert "background-color:rgba(255,200,0" in results.replace(" ", "")
    assert "lithotripsy" in screen.results.toPlainText().lower()
    hit = screen.hits[0]

    screen.results.anchorClicked.emit(QUrl(f"{HIT_LINK}0"))
    assert screen.document_id == hit.document_id
    passage = window.collection.bank.passage(hit.document_id, hit.ordinal)
    assert normalize(passage.text) in normalize(screen.text.toPlainText())
    citing = window.collection.bank.citing_questions(hit.document_id, hit.ordinal)
    assert citing and screen.citing.count() == len(citing)

    # From a passage link, the questions that cite it; then study one of them.
    screen.text.anchorClicked.emit(QUrl(f"{PASSAGE_LINK}{hit.ordinal}"))
    assert [screen.citing.item(i).data(256) for i in range(screen.citing.count())] == citing
    screen.citing.itemActivated.emit(screen.citing.item(0))
    assert window.stack.currentWidget() is window.study
    assert window.study.presentation.question.id == citing[0]


def test_a_search_with_no_hits_or_odd_characters_says_so(qtbot, window):
    window.run_command("documents")
    screen = window.documents
    screen.search_box.setText('zzzz "(')
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert "No passage contains" in screen.results.toPlainText()
    screen.search_box.setText("")
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert not screen.results.isVisible()


def test_documents_are_laid_out_by_section_with_references_apart(qtbot, window):
    window.run_command("documents")
    screen = window.documents
    screen.show_document("calcinosis-cutis/medscape")
    text = screen.text.toPlainText()
    assert "References (not teaching text)" in text
    assert text.index("Dystrophic calcinosis cutis is most common.") < text.index("References (not teaching text)")
    assert "Disclosure:" not in text and "Copyright" not in text


def counting_searches(monkeypatch, bank) -> list[str]:
    """The texts the documents screen asks the bank to search, in order."""
    asked: list[str] = []
    original = bank.search

    def search(text: str, *args, **kwargs):
        asked.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(bank, "search", search)
    return asked


def test_typing_a_word_searches_once_after_the_typing_stops(qtbot, window, monkeypatch):
    window.run_command("documents")
    screen = window.documents
    asked = counting_searches(monkeypatch, window.collection.bank)
    qtbot.keyClicks(screen.search_box, "lithotripsy")
    assert asked == []  # nothing while typing
    qtbot.waitUntil(lambda: "lithotripsy" in screen.results.toPlainText().lower(), timeout=3000)
    qtbot.wait(400)
    assert asked == ["lithotripsy"]


def test_enter_searches_at_once_and_a_pasted_page_searches_its_first_words(qtbot, window, monkeypatch):
    window.run_command("documents")
    screen = window.documents
    asked = counting_searches(monkeypatch, window.collection.bank)
    screen.search_box.setText(" ".join(["calcium"] * 5000))
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert len(asked) == 1
    assert screen.hits
    assert "Only the first 20 words" in screen.results.toPlainText()
    qtbot.wait(400)
    assert len(asked) == 1  # the pending search after typing was dropped: Enter already ran it
