"""Import .apkg files, in order, into one fresh collection of Anki's own `anki` package and print what it holds.

Run with a Python that has `anki` installed (AGPL: a test-only tool, never a dependency of CalciQuiz
and never imported by calciquiz/):

    /tmp/anki-venv/bin/python tests/tools/anki_import_check.py first.apkg second.apkg

Prints one JSON object: after each import, the number of notes, cards, note types named "CalciQuiz
question", decks named "CalciQuiz::...", media files, and the notes' first field by GUID.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def main(packages: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            after = []
            for package in packages:
                log = col.import_anki_package(ImportAnkiPackageRequest(
                    package_path=str(Path(package).resolve()),
                    options=ImportAnkiPackageOptions(update_notes=1, update_notetypes=1, with_scheduling=False)))
                notes = {col.get_note(nid).guid: col.get_note(nid).fields[0] for nid in col.find_notes("")}
                after.append({
                    "new": len(log.log.new), "updated": len(log.log.updated), "duplicate": len(log.log.duplicate),
                    "notes": col.note_count(), "cards": col.card_count(),
                    "note_types": sorted(m["name"] for m in col.models.all() if m["name"].startswith("CalciQuiz")),
                    "decks": sorted(d.name for d in col.decks.all_names_and_ids() if d.name.startswith("CalciQuiz")),
                    "media": sorted(p.name for p in Path(col.media.dir()).iterdir()),
                    "first_fields": notes,
                })
            print(json.dumps(after))
        finally:
            col.close()


if __name__ == "__main__":
    main(sys.argv[1:])
