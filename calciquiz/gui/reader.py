"""The document reader: a whole source document laid out by its sections, opened at a passage."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from calciquiz.core.bank_questions import BankQuestions
from calciquiz.core.documents import Passage
from calciquiz.core.questions import Evidence
from calciquiz.gui import html, style
from calciquiz.gui.widgets import SafeTextBrowser, markup_label, shortcut


PASSAGE_LINK = "cq-passage:"


def document_html(passages: list[Passage], focus: int | None, evidence: list[Evidence],
                  citations: dict[int, int] | None = None) -> str:
    """The teaching text by section, the focused passage marked, references kept apart at the end.

    With `citations`, each cited passage ends in an in-app link to the questions that cite it.
    """
    body: list[str] = []
    references: list[str] = []
    for passage in passages:
        anchor = f'<a name="p{passage.ordinal}"></a>'
        if passage.kind == "heading":
            body.append(f"{anchor}<h3>{escape(passage.text)}</h3>")
        elif passage.kind == "reference":
            references.append(f"{anchor}<p style='font-size: small; color: gray'>{escape(passage.text)}</p>")
        else:
            spans = html.spans_for(passage, evidence) if passage.ordinal == focus else []
            text = html.passage_html(passage, spans)
            cited = (citations or {}).get(passage.ordinal, 0)
            if cited:
                text += (f' <a href="{PASSAGE_LINK}{passage.ordinal}" style="font-size: small;">'
                         f'▸ {cited} question{"s" if cited != 1 else ""}</a>')
            if passage.ordinal == focus:
                body.append(
                    f"{anchor}<table width='100%' cellpadding='8' style='background-color: rgba(255,200,0,0.16);'>"
                    f"<tr><td>{text}</td></tr></table>"
                )
            else:
                body.append(f"{anchor}<p>{text}</p>")
    if references:
        body.append("<hr><h4>References (not teaching text)</h4>")
        body.extend(references)
    return "".join(body)


class DocumentReader(QDialog):
    """A window on one document, scrolled to the passage a question cites."""

    def __init__(self, questions: BankQuestions, document_id: str, passage_ordinal: int | None = None,
                 evidence: list[Evidence] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        info = questions.document(document_id)
        self.document_id = document_id
        self.focus = passage_ordinal
        self.setWindowTitle(f"{info.title} — CalciQuiz")
        self.resize(760, 820)
        heading = markup_label(f"<b>{escape(info.title)}</b>"
                         + (f"<br><span style='color: gray'>{escape(info.byline)}</span>" if info.byline else "")
                         + (f"<br><span style='color: gray'>{escape(info.note)}</span>" if info.note else ""))
        heading.setWordWrap(True)
        style.set_font(heading, 2)
        self.text = SafeTextBrowser()
        style.set_font(self.text, 1)
        self.text.setHtml(document_html(questions.passages(document_id), passage_ordinal, list(evidence)))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        shortcut(self, "Escape", self.close, Qt.ShortcutContext.WindowShortcut)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.focus is not None:
            self.scroll_to(self.focus)

    def scroll_to(self, ordinal: int) -> None:
        self.text.scrollToAnchor(f"p{ordinal}")
