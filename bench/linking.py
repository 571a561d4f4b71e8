"""How well the linker finds the evidence an instructor chose: python -m bench.linking.

Each question of a subject is linked with its evidence hidden; a hit is a ranked passage that its
written evidence resolves to. Questions are split by a hash of their id: the linker's weights were
chosen on the "tuning" half (hash even) and the "held-out" half was only measured. The baseline is
SQLite FTS5's bm25 (porter tokenizer) over the stem and the key, as the issue names it.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import statistics
import time
from dataclasses import replace
from pathlib import Path

from calciquiz.core.bank import build_bank
from calciquiz.core.documents import Document
from calciquiz.core.linking import MIN_SUPPORT, Linker
from calciquiz.core.questions import Question
from calciquiz.core.subjects import LoadedSubject, Subject, load_subject, read_subject

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "subjects" / "calcinosis-cutis"
FIXTURE = ROOT / "tests" / "fixtures" / "subjects" / "wound-healing"


def half(question: Question) -> str:
    return "tuning" if hashlib.sha256(question.id.encode()).digest()[-1] % 2 == 0 else "held-out"


def gold(question: Question) -> set[tuple[str, int]]:
    return {(e.document_id, e.passage_ordinal) for e in question.evidence}


class Baseline:
    """FTS5 bm25 over stem + key, in an in-memory SQLite, porter tokenizer."""

    def __init__(self, documents: list[Document]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("create virtual table p using fts5(doc unindexed, ordinal unindexed, text, tokenize='porter')")
        self.db.executemany("insert into p values (?, ?, ?)",
                            [(d.id, p.ordinal, p.text) for d in documents for p in d.passages if p.is_teaching])

    def rank(self, question: Question, limit: int = 3) -> list[tuple[str, int]]:
        text = f"{question.stem} {question.options[question.answer].text}"
        terms = sorted(set(re.findall(r"\w+", text.lower())))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.db.execute("select doc, ordinal from p where p match ? order by bm25(p) limit ?", [match, limit])
        return [(doc, ordinal) for doc, ordinal in rows]


def load(folder: Path) -> LoadedSubject:
    return load_subject(read_subject(folder))


VARIANTS = {
    "linker": {},
    "own BM25, stem + key": {"key": 1.0, "stem": 1.0, "learning_point": 0.0, "explanation": 0.0,
                             "key_rationale": 0.0, "distractor": 0.0, "sentence": 0.0, "bare_sentence": 0.0},
    "linker without distractors": {"distractor": 0.0},
    "linker without sentences": {"sentence": 0.0, "bare_sentence": 0.0},
}
# Imported questions often come with a stem, options and key only: the linker sees no more of them.
BARE = "no explanation, rationales or learning point"


def bare(question: Question) -> Question:
    return replace(question, explanation="", learning_point="", evidence=(),
                   options=tuple(replace(o, rationale="") for o in question.options))


def linker_variant(documents: list[Document], name: str) -> Linker:
    linker = Linker(documents)
    linker.weights.update(VARIANTS[name])
    return linker


def recall(loaded: LoadedSubject, variants=tuple(VARIANTS)) -> dict[str, dict[str, tuple[int, int, int]]]:
    """{method: {group: (hits@1, hits@3, questions)}} for groups all / tuning / held-out."""
    def ranker(linker: Linker, strip=lambda q: replace(q, evidence=())):
        return lambda q: [(c.document.id, c.passage.ordinal) for c in linker.rank(strip(q))]

    rankers = {name: ranker(linker_variant(loaded.documents, name)) for name in variants}
    rankers[f"linker, {BARE}"] = ranker(Linker(loaded.documents), bare)
    rankers["FTS5 bm25, stem + key (baseline)"] = Baseline(loaded.documents).rank
    result: dict[str, dict[str, list[int]]] = {name: {} for name in rankers}
    for question in loaded.questions:
        truth = gold(question)
        for method, rank in rankers.items():
            found = rank(question)
            for group in ("all", half(question)):
                counts = result[method].setdefault(group, [0, 0, 0])
                counts[0] += bool(found[:1] and found[0] in truth)
                counts[1] += bool(truth & set(found[:3]))
                counts[2] += 1
    return {m: {g: tuple(c) for g, c in groups.items()} for m, groups in result.items()}


def misses(loaded: LoadedSubject) -> list[str]:
    linker = Linker(loaded.documents)
    out = []
    for question in loaded.questions:
        ranked = linker.rank(replace(question, evidence=()))
        if not ranked or (ranked[0].document.id, ranked[0].passage.ordinal) not in gold(question):
            where = [i for i, c in enumerate(ranked) if (c.document.id, c.passage.ordinal) in gold(question)]
            first = ranked[0].quote[:90] if ranked else ""
            out.append(f"{question.local_id} [{half(question)}] hit at {where}: {first}")
    return out


def supports(loaded: LoadedSubject, documents: list[Document], strip=lambda q: replace(q, evidence=())) -> list[float]:
    """The support of each question's best passage among `documents`."""
    linker = Linker(documents)
    return [ranked[0].support if (ranked := linker.rank(strip(q), limit=1)) else 0.0 for q in loaded.questions]


def threshold_report(shipped: LoadedSubject, fixture: LoadedSubject, strip, what: str) -> str:
    true = supports(shipped, shipped.documents, strip) + supports(fixture, fixture.documents, strip)
    false = supports(shipped, fixture.documents, strip) + supports(fixture, shipped.documents, strip)
    return (f"{what}: support of true links: min {min(true):.3f}, 5th pct {sorted(true)[len(true) // 20]:.3f}, "
            f"median {statistics.median(true):.3f} ({len(true)}); of cross-subject links: max {max(false):.3f}, "
            f"95th pct {sorted(false)[len(false) * 19 // 20]:.3f}, median {statistics.median(false):.3f}; "
            f"threshold {MIN_SUPPORT}: true links refused {sum(s < MIN_SUPPORT for s in true)}, "
            f"false links kept {sum(s >= MIN_SUPPORT for s in false)} of {len(false)}")


def link_times(loaded: LoadedSubject) -> list[float]:
    linker = Linker(loaded.documents)
    samples = []
    for question in loaded.questions:
        stripped = replace(question, evidence=())
        start = time.perf_counter()
        linker.link(stripped)
        samples.append(time.perf_counter() - start)
    return samples


def write_unlinked(folder: Path, count: int, loaded: LoadedSubject) -> Subject:
    """A subject of `count` questions without evidence over the shipped documents: the shipped questions
    over and over, each stem made distinct so that none is a copy of another for the link cache."""
    shutil.copytree(loaded.subject.documents_dir, folder / "documents")
    questions = folder / "questions"
    questions.mkdir(parents=True)
    source = loaded.questions
    for start in range(0, count, 500):
        out = ["title: Unlinked", "questions:"]
        for n in range(start, min(count, start + 500)):
            q = source[n % len(source)]
            out += [f"  - id: unlinked-{n}", f"    topics: [{q.topics[0]}]",
                    f"    stem: {json.dumps(f'{q.stem} (case {n})', ensure_ascii=False)}", "    options:"]
            for option in q.options:
                out.append(f"      - text: {json.dumps(option.text, ensure_ascii=False)}")
                out.append(f"        rationale: {json.dumps(option.rationale, ensure_ascii=False)}")
            out += [f"    answer: {q.answer_letter}",
                    f"    explanation: {json.dumps(q.explanation, ensure_ascii=False)}",
                    f"    learning_point: {json.dumps(q.learning_point, ensure_ascii=False)}"]
        (questions / f"set{start // 500:03d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return replace(loaded.subject, documents_dir=folder / "documents", question_paths=(questions,), file=None)


def figures(report, work: Path, count: int) -> None:
    """The linking figures of bench.run: recall against the baseline, time per question, a build that links
    `count` questions and its rebuild from the link cache."""
    shipped, fixture = load(SHIPPED), load(FIXTURE)
    for name, loaded in (("shipped", shipped), ("wound-healing fixture", fixture)):
        results = recall(loaded, variants=("linker", "own BM25, stem + key"))
        for method, groups in results.items():
            for group in ("all", "tuning", "held-out") if name == "shipped" else ("all",):
                top1, top3, n = groups[group]
                report(f"recall@1 / @3, {name}, {group} ({n}): {method}", f"{top1 / n:.3f} / {top3 / n:.3f}",
                       ">= 0.95 / 1.0" if method == "linker" else "")
    samples = link_times(shipped)
    ordered = sorted(samples)
    report("link one question (shipped, 187 runs)",
           f"{1000 * statistics.median(ordered):.3f} / {1000 * ordered[int(0.95 * len(ordered))]:.3f} ms")
    subject = write_unlinked(work / f"unlinked{count}", count, shipped)
    bank = work / f"unlinked{count}.sqlite"
    start = time.perf_counter()
    built = build_bank([subject], bank)
    first = time.perf_counter() - start
    report(f"build of {count:,} questions without evidence, all linked ({built.linked:,})",
           f"{first:.2f} s ({1000 * first / count:.2f} ms/q)")
    start = time.perf_counter()
    again = build_bank([subject], bank)
    second = time.perf_counter() - start
    report(f"rebuild of the same, from the link cache ({again.linked:,} linked)",
           f"{second:.2f} s ({1000 * second / count:.2f} ms/q)")


def main() -> None:
    shipped, fixture = load(SHIPPED), load(FIXTURE)
    for name, loaded in (("shipped calcinosis-cutis", shipped), ("wound-healing fixture", fixture)):
        for method, groups in recall(loaded).items():
            for group, (top1, top3, n) in sorted(groups.items()):
                print(f"{name:26} {method:62} {group:9} recall@1 {top1 / n:.3f} ({top1}/{n})  "
                      f"recall@3 {top3 / n:.3f} ({top3}/{n})")
    for line in misses(shipped) + misses(fixture):
        print("  miss:", line)
    print(threshold_report(shipped, fixture, lambda q: replace(q, evidence=()), "whole questions"))
    print(threshold_report(shipped, fixture, bare, BARE))
    samples = link_times(shipped)
    print(f"link time per question (shipped): median {1000 * statistics.median(samples):.3f} ms, "
          f"max {1000 * max(samples):.3f} ms")


if __name__ == "__main__":
    main()
