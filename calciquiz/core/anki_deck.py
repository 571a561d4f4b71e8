"""An Anki deck (.apkg) of exported questions: one note per question, written with genanki.

Residents already review in Anki, so a deck must behave well there over months: a note keeps its
GUID (from the question's id) so that importing a newer export updates the notes already studied
instead of adding duplicates with fresh scheduling, and the note type keeps one fixed id so Anki
never asks to merge "CalciQuiz question" with "CalciQuiz question-1a2b3".

Everything a question says came from an instructor's file (or an imported Moodle/GIFT/CSV file),
so every field is HTML-escaped: a stem holding "<script>" shows as text, never runs in Anki.
"""
from __future__ import annotations

import hashlib
import html
import re
import tempfile
import time
import warnings
from pathlib import Path, PurePosixPath

from calciquiz.core.exporting import CitedPassage, ExportItem
from calciquiz.core.questions import LETTERS

# Fixed forever: Anki matches note types by id, and a new id on every export would make a new
# note type (and a duplicate of every note) in the resident's collection. Chosen once at random.
MODEL_ID = 1_733_051_291
MODEL_NAME = "CalciQuiz question"
# Anki's collection keeps fields in one text column separated by U+001F: a question holding that
# character would shift every later field. Other C0 controls are invisible in a card anyway.
FIELD_BREAKERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Anki updates a note on import only when the incoming one is newer (by its modification second),
# which genanki sets to the time of writing; tests move this clock to tell two exports apart.
clock = time.time

FIELDS = ("Question", "Options", "Answer", "Rationales", "Explanation", "Learning point", "Source",
          "Image", "Question id")

FRONT = """\
<div class="cq">
<div class="cq-stem">{{Question}}</div>
{{#Image}}<div class="cq-image">{{Image}}</div>{{/Image}}
<div class="cq-options">{{Options}}</div>
</div>"""

BACK = """\
{{FrontSide}}
<hr id="answer">
<div class="cq">
<div class="cq-answer">{{Answer}}</div>
{{#Rationales}}<div class="cq-section"><h4>Why each option</h4>{{Rationales}}</div>{{/Rationales}}
{{#Explanation}}<div class="cq-section"><h4>Explanation</h4>{{Explanation}}</div>{{/Explanation}}
{{#Learning point}}<div class="cq-learning"><b>Learning point.</b> {{Learning point}}</div>{{/Learning point}}
{{#Source}}<div class="cq-section cq-source"><h4>Source</h4>{{Source}}</div>{{/Source}}
</div>"""

# Light by default; Anki puts .nightMode (and .night_mode on older versions) on the card's body in
# dark mode, where the same colours would be glaring, so each colour has a dark counterpart.
CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 18px; line-height: 1.45; color: #1d1d1f; background: #fbfbfa; text-align: left; }
.cq { max-width: 46em; margin: 0 auto; }
.cq-stem { margin-bottom: 0.8em; }
.cq-image img { max-width: 100%; max-height: 50vh; }
.cq-options ol { margin: 0; padding-left: 2em; }
.cq-options li { margin: 0.25em 0; }
.cq-answer { font-weight: 600; padding: 0.5em 0.8em; border-radius: 6px; background: #e4f3e6; color: #14532d; }
.cq-section h4 { margin: 1.1em 0 0.3em; font-size: 0.8em; letter-spacing: 0.04em; text-transform: uppercase;
  color: #5f6368; }
.cq-rationales { margin: 0; padding-left: 0; list-style: none; }
.cq-rationales li { margin: 0.3em 0; }
.cq-rationales li { padding: 0.15em 0.4em; border-radius: 4px; }
.cq-rationales li.cq-key { background: #e4f3e6; }
.cq-rationales li.cq-key .cq-letter { color: #15803d; }
.cq-letter { display: inline-block; min-width: 1.6em; font-weight: 600; }
.cq-learning { margin-top: 1em; padding: 0.5em 0.8em; border-left: 4px solid #3b82f6; background: #eef4ff; }
.cq-source { font-size: 0.9em; }
.cq-passage { margin: 0.3em 0 0.6em; padding: 0.4em 0.8em; border-left: 3px solid #c7c7c7; color: #3c3c3c; }
.cq-where { color: #5f6368; font-size: 0.9em; }
mark { background: #fff1a8; color: inherit; padding: 0 0.1em; }
.nightMode.card, .night_mode.card, .nightMode .card { color: #e8e8e8; background: #1e1e1e; }
.nightMode .cq-answer, .night_mode .cq-answer { background: #173a22; color: #bde5c8; }
.nightMode .cq-section h4, .night_mode .cq-section h4, .nightMode .cq-where, .night_mode .cq-where { color: #a0a4a8; }
.nightMode .cq-rationales li.cq-key, .night_mode .cq-rationales li.cq-key { background: #173a22; }
.nightMode .cq-rationales li.cq-key .cq-letter, .night_mode .cq-rationales li.cq-key .cq-letter { color: #86efac; }
.nightMode .cq-learning, .night_mode .cq-learning { background: #1b2a44; border-left-color: #5b9bff; }
.nightMode .cq-passage, .night_mode .cq-passage { border-left-color: #555; color: #d0d0d0; }
.nightMode mark, .night_mode mark { background: #6b5b00; color: #fff8d6; }
"""


def text_html(text: str) -> str:
    """Text from a question file as HTML that shows exactly that text (line breaks kept)."""
    return html.escape(FIELD_BREAKERS.sub("", text), quote=True).replace("\n", "<br>")


def tag(text: str) -> str:
    """An Anki tag: one word (Anki splits tags at spaces)."""
    return re.sub(r"\s+", "_", FIELD_BREAKERS.sub("", text).strip())


def deck_id(subjects: list[str]) -> int:
    """The same subjects always make the same deck, so a second export lands where the first did.

    Derived from the subject ids rather than fixed: a resident who exports two subjects separately
    gets two decks, each studied on its own.
    """
    digest = hashlib.sha256(("calciquiz-deck\n" + "\n".join(sorted(set(subjects)))).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def media_name(item: ExportItem) -> str:
    """A flat media file name for a question's image, the same for the same bytes across exports.

    Anki keeps all media in one folder; question files name their images by relative paths
    ("images/x.png") that would collide across sets, so the name comes from the content.
    """
    suffix = PurePosixPath(item.question.image).suffix.lower() or ".png"
    return f"calciquiz-{hashlib.sha256(item.image).hexdigest()[:16]}{suffix}"


def _passage_html(cited: CitedPassage) -> str:
    evidence, text = cited.evidence, cited.text
    if 0 <= evidence.start < evidence.end <= len(text):
        body = (text_html(text[:evidence.start]) + "<mark>" + text_html(text[evidence.start:evidence.end])
                + "</mark>" + text_html(text[evidence.end:]))
    else:  # the quote could not be placed in the passage: show the quote itself, highlighted
        body = "<mark>" + text_html(evidence.quote) + "</mark>"
    # A document's first section is often named as the document is: said once.
    named = dict.fromkeys(p for p in (cited.document_title, cited.section) if p)
    where = " · ".join(f"<b>{text_html(p)}</b>" if i == 0 else text_html(p) for i, p in enumerate(named))
    byline = f" ({text_html(cited.document_byline)})" if cited.document_byline else ""
    auto = " — linked automatically; not checked by your instructor" if evidence.auto else ""
    return f"<div class=\"cq-where\">{where}{byline}{auto}</div><div class=\"cq-passage\">{body}</div>"


def note_fields(item: ExportItem, image_name: str = "") -> list[str]:
    """The note's fields, in FIELDS order, as HTML."""
    question = item.question
    options = "<ol type=\"A\">" + "".join(f"<li>{text_html(o.text)}</li>" for o in question.options) + "</ol>"
    key = question.options[question.answer]
    answer = f"<span class=\"cq-letter\">{question.answer_letter}.</span> {text_html(key.text)}"
    rationales = ""
    if any(o.rationale for o in question.options):
        rows = []
        for index, option in enumerate(question.options):
            css = " class=\"cq-key\"" if index == question.answer else ""
            why = f" — {text_html(option.rationale)}" if option.rationale else ""
            rows.append(f"<li{css}><span class=\"cq-letter\">{LETTERS[index]}.</span> {text_html(option.text)}{why}</li>")
        rationales = "<ul class=\"cq-rationales\">" + "".join(rows) + "</ul>"
    source = "".join(_passage_html(cited) for cited in item.passages)
    image = f"<img src=\"{html.escape(image_name, quote=True)}\">" if image_name else ""
    return [text_html(question.stem), options, answer, rationales, text_html(question.explanation),
            text_html(question.learning_point), source, image, text_html(question.id)]


def note_tags(item: ExportItem) -> list[str]:
    """The subject's id and each topic, as Anki tags (without duplicates, in order)."""
    tags = [tag(t) for t in (item.question.subject, *item.question.topics)]
    return [t for i, t in enumerate(tags) if t and t not in tags[:i]]


def deck_name(items: list[ExportItem]) -> str:
    titles = list(dict.fromkeys(item.subject_title for item in items)) or ["questions"]
    return "CalciQuiz::" + " + ".join(t.replace("::", ":") for t in titles)


def write_deck(items: list[ExportItem], path: Path) -> None:
    """Write the questions as one Anki deck to `path` (an .apkg file); raises OSError if it cannot."""
    # Imported here: genanki pulls in chevron and its own YAML use, needed only when a deck is written.
    import genanki

    model = genanki.Model(
        MODEL_ID, MODEL_NAME, fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}], css=CSS, sort_field_index=0)
    deck = genanki.Deck(deck_id([item.question.subject for item in items]), deck_name(items))
    with tempfile.TemporaryDirectory(prefix="calciquiz-anki-") as media_dir:
        media: dict[str, Path] = {}
        for item in items:
            image_name = ""
            if item.image:
                image_name = media_name(item)
                if image_name not in media:
                    media[image_name] = Path(media_dir) / image_name
                    media[image_name].write_bytes(item.image)
            with warnings.catch_warnings():
                # genanki warns about "invalid HTML" for any '<' it cannot parse; ours is escaped text.
                warnings.simplefilter("ignore")
                deck.add_note(genanki.Note(model=model, fields=note_fields(item, image_name),
                                           tags=note_tags(item), guid=genanki.guid_for(item.question.id)))
        genanki.Package(deck, media_files=[str(p) for p in media.values()]).write_to_file(str(path), timestamp=clock())
