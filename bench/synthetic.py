"""Synthetic question sets and review logs of realistic size, for the benchmark."""
from __future__ import annotations

import csv
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


def synthetic_questions(count: int, sentences: list[list[str]], rng: random.Random) -> list[dict]:
    """`count` questions with realistic text lengths (a vignette stem of ~70 words, five options), as plain values."""
    questions = []
    for n in range(count):
        doc = rng.randrange(len(sentences))
        quote = rng.choice(sentences[doc])
        stem = " ".join(sentence(rng, 12) for _ in range(5))
        questions.append({
            "id": f"syn-{n}", "kind": "vignette" if n % 2 else "mcq",
            "topics": list(dict.fromkeys([rng.choice(TOPICS), rng.choice(TOPICS)])),
            "skill": "application" if n % 2 else "recall",
            "stem": f"{stem}\n\nWhich finding is most likely in case {n}?",
            "options": [(f"Option {o} {sentence(rng, 5)}", sentence(rng, 16)) for o in range(5)],
            "answer": "ABCDE"[n % 5], "explanation": sentence(rng, 60), "learning_point": sentence(rng, 14),
            "document": f"doc-{doc}", "quote": quote,
        })
    return questions


def write_questions(folder: Path, count: int, sentences: list[list[str]], rng: random.Random,
                    per_file: int = 500, file_format: str = "yaml") -> None:
    """`count` synthetic questions as YAML sets, Moodle XML or CSV files of `per_file` questions each."""
    folder.mkdir(parents=True, exist_ok=True)
    questions = synthetic_questions(count, sentences, rng)
    writer = {"yaml": _yaml_set, "xml": _moodle_xml, "csv": _csv_set}[file_format]
    for start in range(0, count, per_file):
        path = folder / f"set{start // per_file:04d}.{file_format}"
        writer(questions[start:start + per_file], path)


def _yaml_set(questions: list[dict], path: Path) -> None:
    out = ["title: Synthetic set", "questions:"]
    for q in questions:
        stem, lead_in = q["stem"].split("\n\n")
        out += [f"  - id: {q['id']}", f"    kind: {q['kind']}", f"    topics: [{', '.join(q['topics'])}]",
                f"    skill: {q['skill']}", "    stem: |", f"      {stem}", "", f"      {lead_in}", "    options:"]
        for text, rationale in q["options"]:
            out += [f"      - text: {text}", f"        rationale: {rationale}"]
        out += [f"    answer: {q['answer']}", f"    explanation: {q['explanation']}",
                f"    learning_point: {q['learning_point']}", "    evidence:",
                f"      - document: {q['document']}", f"        quote: \"{q['quote']}\""]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _moodle_xml(questions: list[dict], path: Path) -> None:
    """As Moodle writes a question bank: a category per topic, HTML text, feedback per answer."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for q in questions:
        stem = "".join(f"<p>{p}</p>" for p in q["stem"].split("\n\n"))
        out += ['  <question type="category">',
                f"    <category><text>$course$/top/Synthetic/{q['topics'][0]}</text></category>", "  </question>",
                '  <question type="multichoice">', f"    <name><text>{q['id']}</text></name>",
                f'    <questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>',
                f'    <generalfeedback format="html"><text>{q["explanation"]}</text></generalfeedback>',
                "    <defaultgrade>1.0000000</defaultgrade>", "    <penalty>0.3333333</penalty>",
                "    <hidden>0</hidden>", f"    <idnumber>{q['id']}</idnumber>", "    <single>true</single>",
                "    <shuffleanswers>true</shuffleanswers>", "    <answernumbering>abc</answernumbering>"]
        for i, (text, rationale) in enumerate(q["options"]):
            fraction = 100 if "ABCDE"[i] == q["answer"] else 0
            out += [f'    <answer fraction="{fraction}" format="html">', f"      <text>{text}</text>",
                    f'      <feedback format="html"><text>{rationale}</text></feedback>', "    </answer>"]
        out += ["    <tags>"] + [f"      <tag><text>{t}</text></tag>" for t in q["topics"]] + ["    </tags>",
                f'    <calciquiz kind="{q["kind"]}" skill="{q["skill"]}">',
                f"      <learningpoint>{q['learning_point']}</learningpoint>",
                f'      <evidence document="{q["document"]}">{q["quote"]}</evidence>', "    </calciquiz>",
                "  </question>"]
    out.append("</quiz>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _csv_set(questions: list[dict], path: Path) -> None:
    letters = "abcde"
    header = (["id", "kind", "skill", "topics", "stem"] + list(letters) + [f"rationale {c}" for c in letters]
              + ["answer", "explanation", "learning point", "document", "quote"])
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for q in questions:
            writer.writerow([q["id"], q["kind"], q["skill"], ";".join(q["topics"]), q["stem"]]
                            + [t for t, _ in q["options"]] + [r for _, r in q["options"]]
                            + [q["answer"], q["explanation"], q["learning_point"], q["document"], q["quote"]])


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
