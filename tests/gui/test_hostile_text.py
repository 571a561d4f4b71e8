"""Text from a question file, a document catalog or the progress file is shown, never interpreted.

Every field is filled with markup naming a real local image; the test opens every screen and
reads back what each label, tooltip, list, table and text view would show. Markup that Qt
interpreted would have lost its literal `<img src=...>` (an image shows as U+FFFC), so finding
the literal text next to each field's marker proves nothing was rendered or loaded.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from calciquiz.core import exam
from calciquiz.core.bank import build_bank
from calciquiz.core.collection import Collection
from calciquiz.gui.main_window import MainWindow
from calciquiz.gui.widgets import TextOnlyDocument
from tests.helpers import subject_of, tiny_png

MARKER = re.compile(r"\{(\w+)\}")


class Hostile:
    """Markup for each field, tagged {field} so each place it shows can be traced back."""

    def __init__(self, image: Path):
        self.image = image

    def __call__(self, field: str) -> str:
        return f'<img src="{self.image}">{{{field}}} <b>bold</b> <a href="file:///etc/passwd">x</a> &amp;'

    def yaml(self, field: str) -> str:
        return "'" + self(field).replace("'", "''") + "'"


def build_hostile_bank(tmp_path: Path, hostile: Hostile) -> Path:
    documents = tmp_path / "documents"
    documents.mkdir()
    passage = hostile("passage") + " Dystrophic calcification is the most common type."
    (documents / "basics.txt").write_text(
        "Calcinosis Basics\n\n"
        "Calcinosis cutis is a condition in which calcium deposits form in the skin.\n\n"
        f"{hostile('section')}\n\n{passage}\n\nSurgery may remove painful deposits.\n",
        encoding="utf-8")
    (documents / "catalog.yaml").write_text(
        "documents:\n  - id: basics\n    file: basics.txt\n"
        + "".join(f"    {field}: {hostile.yaml(field)}\n" for field in ("title", "author", "publisher", "date", "note")),
        encoding="utf-8")
    questions = tmp_path / "questions"
    questions.mkdir()
    options = "".join(f"      - text: {hostile.yaml(f'option{i}')}\n        rationale: {hostile.yaml(f'rationale{i}')}\n"
                      for i in range(3))
    (questions / "set.yaml").write_text(
        "title: Hostile set\nquestions:\n"
        "  - id: q-one\n    kind: mcq\n    topics: [classification]\n    skill: recall\n"
        f"    stem: {hostile.yaml('stem')}\n    options:\n{options}    answer: A\n"
        f"    explanation: {hostile.yaml('explanation')}\n    learning_point: {hostile.yaml('learning')}\n"
        f"    evidence:\n      - document: basics\n        quote: {hostile.yaml('passage')}\n",
        encoding="utf-8")
    out = tmp_path / "bank.sqlite"
    build_bank([subject_of(questions, documents)], out)
    return out


def shown(text: str, rich: bool) -> str:
    """What Qt puts on screen for `text`: itself, or the text of the rich-text document it makes."""
    if not rich:
        return text
    document = TextOnlyDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_is_rich(label: QLabel) -> bool:
    form = label.textFormat()
    if form == Qt.TextFormat.AutoText:
        return Qt.mightBeRichText(label.text())
    return form != Qt.TextFormat.PlainText


def tooltip_shown(tip: str) -> str:
    # QToolTip (for widgets and for item views alike) decides by Qt.mightBeRichText.
    return shown(tip, Qt.mightBeRichText(tip))


def displayed_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, shown text) for everything a user can read in `root` and its children."""
    out: list[tuple[str, str]] = [(f"title of {type(root).__name__}", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}"
        out.append((f"tooltip of {where}", tooltip_shown(widget.toolTip())))
        if isinstance(widget, QLabel):
            out.append((f"text of {where}", shown(widget.text(), label_is_rich(widget))))
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            out.append((f"text of {where}", widget.toPlainText()))
        elif isinstance(widget, QAbstractButton):
            out.append((f"text of {where}", widget.text()))
        elif isinstance(widget, QListWidget):
            for row in range(widget.count()):
                item = widget.item(row)
                out.append((f"item {row} of {where}", item.text()))
                out.append((f"tooltip of item {row} of {where}", tooltip_shown(item.toolTip())))
        elif isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None:
                        out.append((f"cell {row},{column} of {where}", item.text()))
                        out.append((f"tooltip of cell {row},{column} of {where}", tooltip_shown(item.toolTip())))
    return out


def rendered_places(root: QWidget, hostile: Hostile, seen: set[str]) -> list[str]:
    """Where a field shown in `root` lost its markup as written (as far as the text is not cut short)."""
    rendered = []
    before = f'<img src="{hostile.image}">'
    for where, text in displayed_texts(root):
        for match in MARKER.finditer(text):
            field = match.group(1)
            seen.add(field)
            written = hostile(field)[len(before):]
            shown_after = text[match.start():match.start() + len(written)]
            # A search snippet may start inside the tag, but never without its literal end.
            if not (text[:match.start()].endswith('.png">')
                    and (written.startswith(shown_after.rstrip("…” ")) or shown_after.startswith(written))):
                rendered.append(f"{where} renders {field}: {text[:160]!r}")
    return rendered


@pytest.fixture
def hostile_window(qtbot, tmp_path: Path):
    image = tmp_path / "i.png"
    image.write_bytes(tiny_png(1, 1))
    hostile = Hostile(image)
    collection = Collection(build_hostile_bank(tmp_path, hostile), tmp_path / "progress.sqlite")
    collection.progress.set_note("calcinosis-cutis/q-one", hostile("mynote"))
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, hostile
    collection.close()


def test_every_screen_shows_file_and_progress_text_as_plain_text(qtbot, hostile_window):
    window, hostile = hostile_window
    seen: set[str] = set()
    rendered: list[str] = []

    def check(root: QWidget | None = None) -> None:
        QApplication.processEvents()
        rendered.extend(rendered_places(root or window, hostile, seen))

    check()  # home
    window.run_command("study")
    check()  # before answering, with the learner's note
    window.study.choose(1)
    window.study.advance()
    assert window.study.outcome is not None
    check()  # after answering: rationales, explanation, learning point, source
    reader = window.open_document("calcinosis-cutis/basics", window.study.explanation.evidence_blocks[0].evidence.passage_ordinal,
                                  window.study.explanation.question)
    check(reader)
    reader.close()

    window.run_command("documents")
    screen = window.documents
    screen.search_box.setText("dystrophic")
    screen.run_search()
    assert screen.hits
    screen.open_hit(0)  # the document, its passage and the questions citing it
    check()

    block = exam.ExamBlock(window.collection, ["calcinosis-cutis/q-one"], time_limit_s=600, description=hostile("description"))
    window.stack.setCurrentWidget(window.exam)
    window.exam.start(block)
    check()
    window.exam.choose(0)
    window.exam.submit()
    check()  # the report, with the block's description from the progress file
    window.run_command("history")
    check(window.history_dialog)
    window.history_dialog.close()
    window.run_command("progress")
    check()
    window.study.edit_note()
    check(window.study.note_dialog)
    window.study.note_dialog.reject()

    assert not rendered, "\n".join(sorted(set(rendered)))
    assert seen == {"stem", "option0", "option1", "option2", "rationale0", "rationale1", "rationale2",
                    "explanation", "learning", "title", "author", "publisher", "date", "note", "section",
                    "passage", "description", "mynote"}


def test_an_import_error_quoting_the_file_shows_its_text_as_written(qtbot, window, tmp_path: Path, monkeypatch):
    import json

    from calciquiz.core.exchange import FORMAT

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    image = tmp_path / "i.png"
    image.write_bytes(tiny_png(1, 1))
    bad = tmp_path / "progress.json"
    # Short enough that the message quotes it whole (longer values are cut to 60 characters).
    markup = f'<img src="{image.name}"><b>9</b>'
    bad.write_text(json.dumps({"format": FORMAT, "version": markup}))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    boxes: list[str] = []

    def read_and_close_the_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close_the_message)
            return
        rich = box.textFormat() != Qt.TextFormat.PlainText and (
            box.textFormat() == Qt.TextFormat.RichText or Qt.mightBeRichText(box.text()))
        boxes.append(shown(box.text(), rich))
        box.done(0)

    QTimer.singleShot(0, read_and_close_the_message)
    window.run_command("import")
    assert len(boxes) == 1
    assert markup in boxes[0]
    assert "Nothing was changed." in boxes[0]
