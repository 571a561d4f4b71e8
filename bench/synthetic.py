"""Synthetic question sets and review logs of realistic size, for the benchmark."""
from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from calciquiz.core.progress import ProgressStore, to_iso
from calciquiz.core.subjects import Subject

SUBJECT = "synthetic"
TOPICS = ("classification", "pathogenesis", "dystrophic", "metastatic", "idiopathic", "iatrogenic", "calciphylaxis",
          "rare-variants", "crest", "clinical-features", "complications", "diagnosis", "treatment", "prognosis",
          "epidemiology")

WORDS = ("calcium phosphate deposit dermis nodule lesion plaque ulcer tissue kidney dialysis lupus scleroderma "
         "elbow finger knee biopsy radiograph serum level parathyroid vitamin infection surgery diltiazem "
         "warfarin thiosulfate bisphosphonate tumoral idiopathic dystrophic metastatic iatrogenic patient").split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_documents(folder: Path, rng: random.Random, documents: int = 20, paragraphs: int = 60) -> list[list[str]]:
    """Documents of plain paragraphs under headings; returns each document's sentences for quoting."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = ["documents:"]
    sentences: list[list[str]] = []
    for d in range(documents):
        lines, quotable = [], []
        for p in range(paragraphs):
            if p % 6 == 0:
                lines += [f"Section {d}-{p}", ""]
            para = [sentence(rng, rng.randint(12, 24)) for _ in range(3)]
            quotable += para
            lines += [" ".join(para), ""]
        (folder / f"doc{d}.txt").write_text("\n".join(lines), encoding="utf-8")
        catalog += [f"  - id: doc-{d}", f"    file: doc{d}.txt", f"    title: Synthetic document {d}"]
        sentences.append(quotable)
    (folder / "catalog.yaml").write_text("\n".join(catalog) + "\n", encoding="utf-8")
    return sentences


def write_questions(folder: Path, count: int, sentences: list[list[str]], rng: random.Random,
                    per_file: int = 500) -> None:
    """`count` questions with realistic text lengths (a vignette stem of ~70 words, five options)."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, per_file):
        out = ["title: Synthetic set", "questions:"]
        for n in range(start, min(count, start + per_file)):
            doc = rng.randrange(len(sentences))
            quote = rng.choice(sentences[doc])
            stem = " ".join(sentence(rng, 12) for _ in range(5))
            out += [
                f"  - id: syn-{n}",
                f"    kind: {'vignette' if n % 2 else 'mcq'}",
                f"    topics: [{rng.choice(TOPICS)}, {rng.choice(TOPICS)}]",
                f"    skill: {'application' if n % 2 else 'recall'}",
                "    stem: |",
                f"      {stem}",
                "",
                f"      Which finding is most likely in case {n}?",
                "    options:",
            ]
            for o in range(5):
                out += [f"      - text: Option {o} {sentence(rng, 5)}", f"        rationale: {sentence(rng, 16)}"]
            out += [
                f"    answer: {'ABCDE'[n % 5]}",
                f"    explanation: {sentence(rng, 60)}",
                f"    learning_point: {sentence(rng, 14)}",
                "    evidence:",
                f"      - document: doc-{doc}",
                f"        quote: \"{quote}\"",
            ]
        (folder / f"set{start // per_file:04d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")


def synthetic_subject(questions: Path, documents: Path) -> Subject:
    """The synthetic question sets and documents as one subject, with the taxonomy above."""
    return Subject(id=SUBJECT, title="Synthetic subject", topics=TOPICS, documents_dir=documents,
                   question_paths=(questions,))


def fill_review_log(progress: Path, question_ids: list[str], rows: int, seed: int = 7) -> None:
    """A review log of `rows` answers spread over two years, with schedules rebuilt from it."""
    rng = random.Random(seed)
    store = ProgressStore(progress)
    store.close()
    conn = sqlite3.connect(progress)
    start = datetime.now(timezone.utc) - timedelta(days=730)
    step = timedelta(days=730) / rows

    def generate():
        for i in range(rows):
            correct = rng.random() < 0.7
            yield (uuid.uuid4().hex, rng.choice(question_ids), rng.randrange(5), int(correct), 0,
                   3 if correct else 1, rng.randint(5000, 90000), to_iso(start + step * i),
                   "study" if i % 10 else "exam", f"s{i // 40}", "0,1,2,3,4")

    conn.executemany("insert into reviews values (?,?,?,?,?,?,?,?,?,?,?)", generate())
    conn.commit()
    conn.close()
    store = ProgressStore(progress)
    store.rebuild_schedule()
    store.close()
