"""GIFT and Aiken figures: python -m bench.gift [--sizes 1000,10000].

Reads and builds the shipped subject's questions exported to GIFT and repeated under new ids
(each with its feedback, explanation and evidence comments), and the same as Aiken (stem,
options and key only). Prints the median of three runs after a warm-up; record a run in
bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from bench.run import timed
from calciquiz.core.bank import build_bank
from calciquiz.core.exporting import export, items_from_subjects
from calciquiz.core.formats import read_set
from calciquiz.core.formats.textfile import MAX_FILE_BYTES
from calciquiz.core.subjects import load_subjects

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "subjects" / "calcinosis-cutis"


def median_seconds(fn, repeats: int = 3) -> float:
    return statistics.median(timed(fn, repeats))


def gift_text(work: Path, size: int) -> tuple[str, float]:
    items = items_from_subjects(load_subjects([SHIPPED]))
    target = work / "shipped.gift"
    seconds = median_seconds(lambda: export("gift", items, target))
    one = target.read_text(encoding="utf-8")
    copies = [re.sub(r"\[id:([a-z0-9-]+)\]", rf"[id:\1-c{n}]", one) for n in range(size // len(items) + 1)]
    blocks = "\n".join(copies).split("\n\n")
    kept, count = [], 0
    for block in blocks:  # cut at `size` questions
        count += "[id:" in block
        if count > size:
            break
        kept.append(block)
    return "\n\n".join(kept), seconds / len(items)


def aiken_text(size: int) -> str:
    # Every stem starts with the same 60 characters, as in many real banks, so every id is a numbered repeat.
    question = "Which type of calcinosis cutis is the most common in adults and children? ({n})\nA. Dystrophic\nB. Metastatic\n" \
               "C. Idiopathic\nD. Iatrogenic\nANSWER: A\n"
    return "\n".join(question.format(n=n) for n in range(size))


def subject_with(work: Path, name: str, text: str) -> Path:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("questions"))
    (folder / "questions").mkdir()
    (folder / "questions" / ("set.gift" if name.startswith("gift") else "set.txt")).write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for size in sizes:
            gift, per_question = gift_text(work, size)
            for name, text in ((f"gift-{size}", gift), (f"aiken-{size}", aiken_text(size))):
                if len(text.encode("utf-8")) > MAX_FILE_BYTES:
                    print(f"  {name:<12} over the {MAX_FILE_BYTES:,}-byte cap of a file: not measured")
                    continue
                subject = subject_with(work, name, text)
                path = next((subject / "questions").iterdir())
                read = median_seconds(lambda: read_set(path, []))
                built = median_seconds(lambda: build_bank([subject], work / f"{name}.sqlite"))
                megabytes = path.stat().st_size / 1e6
                print(f"  {name:<12} {megabytes:6.1f} MB  read {size / read:9,.0f} q/s ({read:6.3f} s)   "
                      f"build {size / built:7,.0f} q/s ({built:6.2f} s)")
        print(f"  GIFT export of the shipped subject: {1000 * per_question:.3f} ms per question")


if __name__ == "__main__":
    main()
