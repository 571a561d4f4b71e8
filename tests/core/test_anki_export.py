"""`calciquiz export anki`: a deck Anki imports, whose notes are updated, not duplicated, by the next export."""
from __future__ import annotations

import dataclasses
import html
import json
import subprocess
import sys
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from calciquiz.cli import cli
from calciquiz.core import anki_deck
from calciquiz.core.anki_deck import MODEL_ID, deck_id
from calciquiz.core.bank import load_sources
from calciquiz.core.exporting import export, items_from_subjects
from tests.helpers import ROOT, question_yaml, read_deck, tiny_png


def export_anki(subject: Path, target: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "anki", str(target), "-s", str(subject)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}: 2 questions" in result.output


def test_each_question_is_one_note_with_its_teaching_and_the_highlighted_source(tmp_path, documents_dir,
                                                                               questions_dir, subject_dir):
    export_anki(subject_dir, tmp_path / "deck.apkg")
    deck = read_deck(tmp_path / "deck.apkg", tmp_path)
    assert set(deck["notes"]) == {genanki.guid_for("calcinosis-cutis/q-one"), genanki.guid_for("calcinosis-cutis/q-two")}
    note = deck["notes"][genanki.guid_for("calcinosis-cutis/q-one")]
    assert note["tags"] == ["calcinosis-cutis", "classification"]
    assert note["model"] == MODEL_ID
    assert note["fields"] == {
        "Question": "Which type of calcinosis cutis is the most common?",
        "Options": "<ol type=\"A\"><li>Dystrophic</li><li>Metastatic</li><li>Iatrogenic</li></ol>",
        "Answer": "<span class=\"cq-letter\">A.</span> Dystrophic",
        "Rationales": (
            "<ul class=\"cq-rationales\">"
            "<li class=\"cq-key\"><span class=\"cq-letter\">A.</span> Dystrophic — Correct; the source names it the "
            "most common type.</li>"
            "<li><span class=\"cq-letter\">B.</span> Metastatic — Follows high calcium or phosphate; not called "
            "the most common.</li>"
            "<li><span class=\"cq-letter\">C.</span> Iatrogenic — Follows procedures; not called the most common.</li>"
            "</ul>"),
        "Explanation": "The document calls dystrophic calcification the most common type.",
        "Learning point": "Dystrophic is the most common type.",
        "Source": ("<div class=\"cq-where\"><b>Calcinosis Basics</b> · Types (Example Hospital)</div>"
                   "<div class=\"cq-passage\">The main types include:<br>"
                   "• <mark>Dystrophic calcification is the most common type.</mark><br>"
                   "• Metastatic calcification follows high calcium or phosphate in the blood.</div>"),
        "Image": "",
        "Question id": "calcinosis-cutis/q-one",
    }
    assert deck["notes"][genanki.guid_for("calcinosis-cutis/q-two")]["fields"]["Answer"].endswith("Dystrophic")
    assert deck["card_decks"] == {deck_id(["calcinosis-cutis"])}


def test_exporting_again_after_an_edit_updates_the_same_notes(tmp_path, documents_dir, questions_dir, subject_dir):
    export_anki(subject_dir, tmp_path / "first.apkg")
    set_file = questions_dir / "set.yaml"
    set_file.write_text(set_file.read_text(encoding="utf-8").replace(
        "Which type of calcinosis cutis is the most common?", "Which type of calcinosis cutis is seen most often?", 1),
        encoding="utf-8")
    export_anki(subject_dir, tmp_path / "second.apkg")
    first, second = read_deck(tmp_path / "first.apkg", tmp_path), read_deck(tmp_path / "second.apkg", tmp_path)
    assert set(first["notes"]) == set(second["notes"]) and len(second["notes"]) == 2
    guid = genanki.guid_for("calcinosis-cutis/q-one")
    assert first["notes"][guid]["fields"]["Question"] == "Which type of calcinosis cutis is the most common?"
    assert second["notes"][guid]["fields"]["Question"] == "Which type of calcinosis cutis is seen most often?"
    # The note type and the deck are the same objects to Anki, so nothing is created twice.
    assert {n["model"] for n in first["notes"].values()} == {n["model"] for n in second["notes"].values()}
    assert first["card_decks"] == second["card_decks"]


def test_an_image_travels_as_a_media_file_named_by_its_content(tmp_path, documents_dir, subject_dir):
    questions = subject_dir / "questions"
    (questions / "images").mkdir(parents=True)
    (questions / "images" / "nodule.png").write_bytes(tiny_png())
    (questions / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-one", image="images/nodule.png")
                                        + question_yaml("q-two"), encoding="utf-8")
    export_anki(subject_dir, tmp_path / "deck.apkg")
    deck = read_deck(tmp_path / "deck.apkg", tmp_path)
    ((name, data),) = deck["media"].items()
    assert data == tiny_png() and name.startswith("calciquiz-") and name.endswith(".png")
    assert deck["notes"][genanki.guid_for("calcinosis-cutis/q-one")]["fields"]["Image"] == f"<img src=\"{name}\">"
    assert deck["notes"][genanki.guid_for("calcinosis-cutis/q-two")]["fields"]["Image"] == ""


def test_text_from_question_files_never_becomes_markup(tmp_path, documents_dir, subject_dir):
    questions = subject_dir / "questions"
    questions.mkdir()
    hostile = question_yaml(
        "q-one", stem="'<script>alert(1)</script> Which type &amp; why?'",
        explanation="'<img src=x onerror=alert(1)> calls dystrophic the most common.'",
        learning_point='"Dystrophic {{Answer}} is common."')
    (questions / "set.yaml").write_text("title: t\nquestions:\n" + hostile + question_yaml("q-two"), encoding="utf-8")
    export_anki(subject_dir, tmp_path / "deck.apkg")
    fields = read_deck(tmp_path / "deck.apkg", tmp_path)["notes"][genanki.guid_for("calcinosis-cutis/q-one")]["fields"]
    assert fields["Question"] == "&lt;script&gt;alert(1)&lt;/script&gt; Which type &amp;amp; why?"
    assert fields["Explanation"] == "&lt;img src=x onerror=alert(1)&gt; calls dystrophic the most common."
    # Anki fills templates once; a field's own braces stay text.
    assert fields["Learning point"] == "Dystrophic {{Answer}} is common."


def test_anki_field_separators_inside_a_text_cannot_shift_the_fields(tmp_path, documents_dir, questions_dir,
                                                                     subject_dir):
    (item, other) = items_from_subjects(load_sources([subject_dir]))
    broken = dataclasses.replace(item, question=dataclasses.replace(item.question, stem="Before\x1fafter\x00"))
    export("anki", [broken, other], tmp_path / "deck.apkg")
    fields = read_deck(tmp_path / "deck.apkg", tmp_path)["notes"][genanki.guid_for("calcinosis-cutis/q-one")]["fields"]
    assert fields["Question"] == "Beforeafter" and fields["Question id"] == "calcinosis-cutis/q-one"


def test_the_deck_belongs_to_its_subjects():
    assert deck_id(["calcinosis-cutis"]) == deck_id(["calcinosis-cutis", "calcinosis-cutis"])
    assert deck_id(["calcinosis-cutis", "wound-healing"]) == deck_id(["wound-healing", "calcinosis-cutis"])
    assert len({deck_id(["calcinosis-cutis"]), deck_id(["wound-healing"]),
                deck_id(["calcinosis-cutis", "wound-healing"])}) == 3


def test_writing_a_deck_never_loads_frozendict(tmp_path, documents_dir, questions_dir, subject_dir):
    """genanki depends on frozendict (LGPL-3.0) but never imports it; the app ships it unused."""
    script = ("import sys; from calciquiz.cli import main; sys.argv = ['calciquiz', 'export', 'anki', sys.argv[1],"
              " '-s', sys.argv[2]]\ntry: main()\nexcept SystemExit: pass\n"
              "print('genanki' in sys.modules, 'frozendict' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "deck.apkg"), str(subject_dir)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "True False"
    assert (tmp_path / "deck.apkg").exists()


ANKI_PYTHON = Path("/tmp/anki-venv/bin/python")  # a venv with Anki's own `anki` package (AGPL): test-only


@pytest.mark.skipif(not ANKI_PYTHON.exists(), reason="no Anki venv at /tmp/anki-venv (python -m venv /tmp/anki-venv; "
                                                     "/tmp/anki-venv/bin/pip install anki)")
def test_anki_itself_updates_the_notes_when_a_second_export_is_imported(tmp_path, documents_dir, subject_dir,
                                                                      monkeypatch):
    questions = subject_dir / "questions"
    (questions / "images").mkdir(parents=True)
    (questions / "images" / "nodule.png").write_bytes(tiny_png())
    set_file = questions / "set.yaml"
    set_file.write_text("title: t\nquestions:\n" + question_yaml("q-one", image="images/nodule.png")
                        + question_yaml("q-two"), encoding="utf-8")
    export_anki(subject_dir, tmp_path / "first.apkg")
    set_file.write_text(set_file.read_text(encoding="utf-8").replace("is the most common?", "is seen most often?", 1),
                        encoding="utf-8")
    later = anki_deck.clock() + 60  # Anki takes a note only if it is newer, by the second
    monkeypatch.setattr(anki_deck, "clock", lambda: later)
    export_anki(subject_dir, tmp_path / "second.apkg")
    done = subprocess.run([str(ANKI_PYTHON), str(ROOT / "tests" / "tools" / "anki_import_check.py"),
                           str(tmp_path / "first.apkg"), str(tmp_path / "second.apkg")],
                          capture_output=True, text=True, check=True, timeout=120)
    first, second = json.loads(done.stdout)
    guid = genanki.guid_for("calcinosis-cutis/q-one")
    assert (first["new"], first["notes"], first["cards"]) == (2, 2, 2)
    assert (second["new"], second["notes"], second["cards"]) == (0, 2, 2)
    assert first["note_types"] == second["note_types"] == ["CalciQuiz question"]
    assert second["decks"] == ["CalciQuiz", "CalciQuiz::Calcinosis cutis"]
    assert len(second["media"]) == 1 and second["media"][0].endswith(".png")
    assert first["first_fields"][guid] == "Which type of calcinosis cutis is the most common?"
    assert second["first_fields"][guid] == "Which type of calcinosis cutis is seen most often?"


def test_a_passage_linked_by_the_build_says_so_on_the_card(tmp_path, documents_dir, subject_dir):
    questions = subject_dir / "questions"
    questions.mkdir()
    (questions / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-one", evidence=None)
                                        + question_yaml("q-two"), encoding="utf-8")
    export_anki(subject_dir, tmp_path / "deck.apkg")
    notes = read_deck(tmp_path / "deck.apkg", tmp_path)["notes"]
    linked = notes[genanki.guid_for("calcinosis-cutis/q-one")]["fields"]["Source"]
    written = notes[genanki.guid_for("calcinosis-cutis/q-two")]["fields"]["Source"]
    assert "<mark>" in linked and " — linked automatically; not checked by your instructor</div>" in linked
    assert "<mark>" in written and "linked automatically" not in written


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_shows_on_the_card_as_written(text):
    """Whatever a field holds, Anki shows exactly that text (its field separator and other controls aside)."""
    shown = html.unescape(anki_deck.text_html(text).replace("<br>", "\n"))
    assert shown == anki_deck.FIELD_BREAKERS.sub("", text)
    assert "<" not in anki_deck.text_html(text).replace("<br>", "") and "\x1f" not in anki_deck.text_html(text)
