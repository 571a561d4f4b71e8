"""Anki export and convert benchmark: python -m bench.anki_export [--sizes 1000,10000].

Prints how long writing an Anki deck takes (from a built bank, as the File menu does it, and from
subject folders, as `calciquiz export anki` does it) and how long `calciquiz convert` takes to write
a YAML set, each the median of three runs after a warm-up. Record a run in bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench.run import report, timed
from bench.synthetic import SUBJECT, TOPICS, write_documents, write_questions
from calciquiz.core.bank import build_bank, load_sources
from calciquiz.core.collection import Collection
from calciquiz.core.convert import convert
from calciquiz.core.exporting import export, items_from_subjects

ROOT = Path(__file__).resolve().parents[1]


def synthetic_subject_folder(work: Path, size: int, rng: random.Random) -> Path:
    """A subject folder (subject.yaml, documents/, questions/) of `size` synthetic questions."""
    folder = work / f"s{size}" / SUBJECT
    sentences = write_documents(folder / "documents", rng, documents=5)
    write_questions(folder / "questions", size, sentences, rng, per_file=1000)
    (folder / "subject.yaml").write_text("title: Synthetic subject\ntopics:\n" + "".join(f"  - {t}\n" for t in TOPICS),
                                         encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="calciquiz-bench-anki-"))
    print(f"CalciQuiz Anki export and convert, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, python "
          f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; work folder {work}")
    shipped = ROOT / "subjects" / "calcinosis-cutis"
    items = items_from_subjects(load_sources([shipped]))
    samples = timed(lambda: export("anki", items, work / "shipped.apkg"), 3)
    report(f"Anki deck of the shipped subject ({len(items)} questions)", f"{statistics.median(samples):.3f} s")
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"{size:,} questions")
        folder = synthetic_subject_folder(work, size, rng)
        bank = work / f"bank{size}.sqlite"
        build_bank([folder], bank)
        with Collection(bank, work / f"progress{size}.sqlite") as collection:
            ids = [f"{SUBJECT}/syn-{n}" for n in range(size)]
            samples = timed(lambda: collection.exports.write("anki", ids, work / f"bank{size}.apkg"), 3)
        seconds = statistics.median(samples)
        report("Anki deck from the bank (File menu)", f"{seconds:.2f} s ({1000 * seconds / size:.2f} ms/q)")
        items = items_from_subjects(load_sources([folder]))
        samples = timed(lambda: export("anki", items, work / f"files{size}.apkg"), 3)
        report("  of which writing the deck (questions already read)", f"{statistics.median(samples):.2f} s")
        sources = sorted((folder / "questions").glob("*.yaml"))
        target = folder / "questions" / "converted" / "all.yaml"
        samples = timed(lambda: convert(sources, target, folder, force=True), 3)
        report(f"calciquiz convert of {len(sources)} YAML files", f"{statistics.median(samples):.2f} s")
        target.unlink()


if __name__ == "__main__":
    main()
