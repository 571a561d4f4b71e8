"""Taking questions out of CalciQuiz: an Anki deck, a Moodle XML file, a GIFT file.

Every writer gets the same ExportItems, whether they come from an instructor's subject folders
(`calciquiz export`) or from the bank a resident studies (the app's File menu), so each question
travels with its cited passages, its document and its image the same way.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from calciquiz.core.bank import Bank
from calciquiz.core.formats import moodle_xml
from calciquiz.core.questions import Evidence, Question
from calciquiz.core.subjects import LoadedSubject

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection


@dataclass(frozen=True)
class CitedPassage:
    """One evidence quote of a question with the passage it stands in."""

    evidence: Evidence
    document_title: str
    document_byline: str
    section: str
    text: str  # the whole passage; evidence.start and evidence.end mark the quote in it


@dataclass(frozen=True)
class ExportItem:
    question: Question
    subject_title: str
    passages: tuple[CitedPassage, ...]
    image: bytes = b""  # the image's bytes, named by question.image


def items_from_subjects(loaded: list[LoadedSubject]) -> list[ExportItem]:
    """Every question of checked subjects, in file order."""
    items = []
    for subject in loaded:
        documents = {d.id: d for d in subject.documents}
        for question in subject.questions:
            cited = []
            for evidence in question.evidence:
                document = documents[evidence.document_id]
                passage = document.passages[evidence.passage_ordinal]
                byline = " · ".join(p for p in (document.author, document.publisher, document.date) if p)
                cited.append(CitedPassage(evidence, document.title, byline, passage.section, passage.text))
            items.append(ExportItem(question, subject.subject.title, tuple(cited), question.image_data))
    return items


def items_from_bank(bank: Bank, question_ids: Iterable[str]) -> list[ExportItem]:
    """The bank's questions with these ids, in the order given."""
    titles = {s.id: s.title for s in bank.subjects()}
    items = []
    for question_id in question_ids:
        question = bank.question(question_id)
        cited = []
        for evidence in question.evidence:
            document = bank.document(evidence.document_id)
            passage = bank.passage(evidence.document_id, evidence.passage_ordinal)
            cited.append(CitedPassage(evidence, document.title, document.byline, passage.section, passage.text))
        items.append(ExportItem(question, titles.get(question.subject, question.subject), tuple(cited),
                                bank.image(question_id)))
    return items


# Each writer takes the items and a path to write; it returns nothing and raises OSError when the
# file cannot be written. The names are the CLI's: `calciquiz export NAME FILE`.
Writer = Callable[[list[ExportItem], Path], None]
EXPORTERS: dict[str, Writer] = {}
SUFFIXES: dict[str, str] = {}  # the suffix each export's file usually has
# The suffixes `calciquiz export` writes each format to (Moodle imports GIFT from .txt too), and the
# format's name in a message; another suffix is refused, so a slip cannot replace bank.sqlite with a deck.
TARGET_SUFFIXES = {"anki": (".apkg",), "moodle-xml": (".xml",), "gift": (".gift", ".txt")}
FORMAT_NAMES = {"anki": "an Anki deck", "moodle-xml": "a Moodle XML file", "gift": "a GIFT file"}
# Moodle XML's writer lives beside its reader (one module knows the format both ways); it only
# reads ExportItems' attributes, so it needs no import of this module and there is no cycle.
EXPORTERS["moodle-xml"], SUFFIXES["moodle-xml"] = moodle_xml.write_set, ".xml"


def _write_anki(items: list[ExportItem], path: Path) -> None:
    # Imported when called: anki_deck imports ExportItem from here (a cycle at import time
    # otherwise), and genanki need not load for a CLI command that writes no deck.
    from calciquiz.core.anki_deck import write_deck

    write_deck(items, path)


EXPORTERS["anki"], SUFFIXES["anki"] = _write_anki, ".apkg"


# What a new file's mode would be: the temporary file is made 0600, and renamed it would keep that,
# so a deck put on a shared drive for residents would be readable by its writer only. Read once, at
# import (on the main thread): os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def export(name: str, items: list[ExportItem], target: Path) -> None:
    """Write the items with the named writer to a temporary file beside `target`, then move it into place,
    so an export that fails halfway never leaves half a file where the last good one was."""
    target = Path(target)
    if target.exists() and not target.is_file():
        # Renamed over it, the temporary file would replace a device such as /dev/null, a pipe or a socket.
        raise OSError(errno.EINVAL, "it is not a regular file (a device, pipe or socket)")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        EXPORTERS[name](items, tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


class Exports:
    """A resident's exports of the bank they study (col.exports): an Anki deck of chosen questions."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def write(self, name: str, question_ids: Iterable[str], target: Path) -> int:
        """Write these questions with the named writer, atomically; the number written."""
        items = items_from_bank(self.collection.bank, question_ids)
        export(name, items, target)
        return len(items)


# Writers register here, at the bottom: their modules may import the readers this one imports (the
# GIFT writer lives beside the GIFT reader), and by now those are fully loaded, so no cycle.
from calciquiz.core.formats import gift as _gift  # noqa: E402

EXPORTERS["gift"], SUFFIXES["gift"] = _gift.write_set, ".gift"
