"""The document reader: every source document by its sections, full-text search, and the questions behind a passage."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from calciquiz.core.bank import HIT_END, HIT_START, MAX_QUERY_CHARS, MAX_QUERY_WORDS, query_is_cut, query_words
from calciquiz.gui import html, keymap, style
from calciquiz.gui.operations import Changes, Watcher
from calciquiz.gui.reader import PASSAGE_LINK, document_html
from calciquiz.gui.widgets import SafeTextBrowser, markup_label, plain_label, set_plain_tooltip

if TYPE_CHECKING:
    from calciquiz.gui.screens import ScreenContext

HIT_LINK = "cq-hit:"
ROLE_ID = Qt.ItemDataRole.UserRole
# Searching waits for a pause in typing, so a fast typist or a paste runs one search, not one per key.
SEARCH_DELAY_MS = 250


def snippet_html(snippet: str) -> str:
    """An FTS snippet as HTML: escaped text, the matched words highlighted."""
    return (escape(snippet).replace("\n", " ")
            .replace(HIT_START, f'<span style="{html.HIGHLIGHT}">').replace(HIT_END, "</span>"))


class DocumentsScreen(QWidget):
    def __init__(self, context: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.questions = context.collection.questions
        self.subject = context.subject
        self.document_id: str | None = None
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search the documents (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(self.search_timer.start)
        self.search_box.returnPressed.connect(self.run_search)
        self.hits = []
        self.results = SafeTextBrowser()
        self.results.anchorClicked.connect(self._follow)
        self.results.setVisible(False)
        self.documents = QListWidget()
        self.documents.setWordWrap(True)
        self.documents.currentItemChanged.connect(
            lambda item, _old: item and self.show_document(item.data(ROLE_ID)))
        self.heading = markup_label()
        self.heading.setWordWrap(True)
        style.set_font(self.heading, 2)
        self.text = SafeTextBrowser()
        style.set_font(self.text, 1)
        self.text.anchorClicked.connect(self._follow)
        self.citing_label = plain_label("Choose ▸ after a passage to see the questions that cite it.")
        self.citing_label.setWordWrap(True)
        self.citing_label.setStyleSheet("color: gray")
        self.citing = QListWidget()
        self.citing.setWordWrap(True)
        self.citing.setSpacing(3)
        self.citing.itemActivated.connect(lambda item: context.navigator.study_questions([item.data(ROLE_ID)]))
        self.citing.setToolTip("Enter or double-click: study this question")
        self.study_all = QPushButton("Study these questions")
        self.study_all.setEnabled(False)
        self.study_all.clicked.connect(
            lambda: context.navigator.study_questions(
                [self.citing.item(i).data(ROLE_ID) for i in range(self.citing.count())]))
        back = QPushButton("Back")
        back.setToolTip("Back to the home screen (Esc)")
        back.clicked.connect(self.back)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.results, 2)
        self.documents_label = plain_label("Documents")
        left_layout.addWidget(self.documents_label)
        left_layout.addWidget(self.documents, 1)
        left_layout.addWidget(back)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.addWidget(self.heading)
        middle_layout.addWidget(self.text, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("Questions citing the passage"))
        right_layout.addWidget(self.citing_label)
        right_layout.addWidget(self.citing, 1)
        right_layout.addWidget(self.study_all)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for part, stretch in ((left, 3), (middle, 6), (right, 3)):
            splitter.addWidget(part)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        keymap.install(self, "find", self.open)
        keymap.install(self, "back", self.back)
        self.list_documents()
        self.watcher = Watcher(self, context.operations, self.refresh, "subject")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.watcher.shown()
        super().showEvent(event)

    def refresh(self, changes: Changes) -> None:
        # Another bank or another subject: other documents. Progress changes nothing here.
        if changes.bank or changes.subject:
            self.list_documents()
            if self.search_box.text().strip():
                self.run_search()

    def list_documents(self) -> None:
        """The documents of the subject chosen on the home screen (or of all subjects)."""
        subject = self.subject
        self.documents_label.setText(f"Documents of {subject.title}" if subject.several else "Documents")
        self.search_box.setPlaceholderText(
            f"Search the documents of {subject.title} (Ctrl+F)" if subject.several else "Search all documents (Ctrl+F)")
        self.documents.blockSignals(True)
        self.documents.clear()
        self.documents.blockSignals(False)
        for info in self.questions.documents(subject.id):
            source = info.publisher or info.author or "publisher not stated"
            item = QListWidgetItem(f"{info.title} — {source}")
            item.setData(ROLE_ID, info.id)
            set_plain_tooltip(item, "\n".join(part for part in (info.byline, info.note) if part) or info.title)
            self.documents.addItem(item)
        if self.documents.count():
            self.documents.setCurrentRow(0)
        else:
            self.document_id = None
            self.heading.setText("")
            self.text.setHtml("<p style='color: gray'>No documents.</p>")

    def open(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def back(self) -> None:
        self.context.navigator.open_screen("home")

    def show_document(self, document_id: str, focus: int | None = None) -> None:
        self.document_id = document_id
        info = self.questions.document(document_id)
        self.heading.setText(f"<b>{escape(info.title)}</b>"
                             + (f"<br><span style='color: gray'>{escape(info.byline)}</span>" if info.byline else ""))
        self.text.setHtml(document_html(self.questions.passages(document_id), focus, [],
                                        self.questions.citation_counts(document_id)))
        for row in range(self.documents.count()):
            if self.documents.item(row).data(ROLE_ID) == document_id and self.documents.currentRow() != row:
                self.documents.blockSignals(True)
                self.documents.setCurrentRow(row)
                self.documents.blockSignals(False)
        if focus is not None:
            self.text.scrollToAnchor(f"p{focus}")
            self.show_citing(focus)

    def run_search(self) -> None:
        self.search_timer.stop()  # Enter searches at once; the search pending from typing is dropped
        text = self.search_box.text().strip()
        hits = self.questions.search(text, subject=self.subject.id) if text else []
        self.results.setVisible(bool(text))
        self.hits = hits
        cut = (f"<p style='color: gray'>Only the first {MAX_QUERY_WORDS} words ({MAX_QUERY_CHARS} characters)"
               " are searched.</p>" if query_is_cut(text) else "")
        if text and not hits:
            searched = " ".join(query_words(text))
            self.results.setHtml(f"{cut}<p style='color: gray'>No passage contains “{escape(searched)}”.</p>")
            return
        titles = {info.id: info.title for info in self.questions.documents()} if hits else {}
        self.results.setHtml(cut + "".join(
            f'<p><a href="{HIT_LINK}{i}"><b>{escape(titles[h.document_id])}</b>'
            + (f" — {escape(h.section)}" if h.section else "")
            + f"</a><br>{snippet_html(h.snippet)}</p>"
            for i, h in enumerate(hits)
        ))

    def open_hit(self, index: int) -> None:
        hit = self.hits[index]
        self.show_document(hit.document_id, hit.ordinal)

    def show_citing(self, ordinal: int) -> None:
        self.citing.clear()
        ids = self.questions.citing_questions(self.document_id, ordinal)
        for question_id in ids:
            question = self.questions.question(question_id)
            lead = html.paragraphs(question.stem)[-1]
            item = QListWidgetItem(("Case: " if question.kind == "vignette" else "") + html.clip(lead, 300))
            item.setData(ROLE_ID, question_id)
            set_plain_tooltip(item, " ".join(question.stem.split()))
            self.citing.addItem(item)
        passage = self.questions.passage(self.document_id, ordinal)
        self.citing_label.setText(f"“{' '.join(passage.text.split())[:120]}…”" if ids else "No question cites it.")
        self.study_all.setEnabled(bool(ids))

    def _follow(self, url: QUrl) -> None:
        """Links only move inside the app; anything else is ignored."""
        target = url.toString()
        if target.startswith(PASSAGE_LINK):
            self.show_citing(int(target[len(PASSAGE_LINK):]))
        elif target.startswith(HIT_LINK):
            self.open_hit(int(target[len(HIT_LINK):]))
