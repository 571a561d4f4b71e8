"""CalciQuiz benchmark: python -m bench.run [--sizes 1000,10000,100000] [--log-rows 1000000] [--quick].

Prints one table of figures; each is the median (and 95th percentile) of repeated runs after a
warm-up. Record a run's output in bench/RESULTS.md with the date and the machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import import_floor, imports, linking
from bench.synthetic import SUBJECT, fill_review_log, synthetic_subject, write_documents, write_questions
from calciquiz.core.bank import build_bank
from calciquiz.core.blocks import BlockFilter
from calciquiz.core.collection import Collection
from calciquiz.core.paths import bundled_bank
from calciquiz.core.study import StudySession

ROOT = Path(__file__).resolve().parents[1]
ROWS: list[tuple[str, str, str]] = []


def report(name: str, value: str, target: str = "") -> None:
    ROWS.append((name, value, target))
    print(f"  {name:<58} {value:>22}   {target}", flush=True)


def timed(fn, repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{1000 * statistics.median(ordered):.3f} / {1000 * p95:.3f} ms"


def first_paint(bank: Path, work: Path) -> tuple[float, int]:
    data = work / f"paint-{time.time_ns()}"
    data.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "CALCIQUIZ_DATA_DIR": str(data)}
    started = time.time()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "first_paint.py"), str(bank),
                          str(data / "progress.sqlite")], capture_output=True, text=True, env=env, timeout=600).stdout
    painted = float(next(line.split()[1] for line in out.splitlines() if line.startswith("PAINTED")))
    rss = int(next(line.split()[1] for line in out.splitlines() if line.startswith("MAXRSS_KB")))
    return painted - started, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--log-rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    sizes = [200, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    log_rows = 20_000 if args.quick else args.log_rows
    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="calciquiz-bench-"))
    print(f"CalciQuiz benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, python {platform.python_version()},"
          f" {platform.machine()}, {os.cpu_count()} cores; work folder {work}")
    documents = work / "documents"
    sentences = write_documents(documents, rng)

    os.environ["CALCIQUIZ_DATA_DIR"] = str(work / "bundled-data")
    shipped = bundled_bank()
    seconds, rss = min(first_paint(shipped, work) for _ in range(3))
    report("first question painted, bundled bank (best of 3)", f"{seconds:.3f} s", "< 0.5 s")

    print("evidence linked automatically")
    linking.figures(report, work, 1_000 if args.quick else 10_000)

    largest = None
    for size in sizes:
        print(f"bank of {size:,} questions")
        questions = work / f"q{size}"
        # The same questions (one seed per size) as YAML sets of 500 here, and as CSV and Moodle XML in
        # ten files and in one (bench.imports), each built in the worker pool and in one process.
        write_questions(questions, size, sentences, random.Random(size))
        bank = work / f"bank{size}.sqlite"
        repeats = 2 if size >= 100_000 else 3
        samples = timed(lambda: build_bank([synthetic_subject(questions, documents)], bank), repeats,
                        warmup=0 if size >= 100_000 else 1)
        report(f"build from YAML sets ({repeats} runs)", f"{size / statistics.median(samples):,.0f} q/s"
               f" ({statistics.median(samples):.2f} s)")
        imports.figures(report, work, size, repeats=repeats, with_yaml=False)
        import_floor.figures(report, work, size, repeats=repeats)
        rows = log_rows if size == max(sizes) else min(log_rows, 100_000)
        progress = work / f"progress{size}.sqlite"
        ids = [f"{SUBJECT}/syn-{i}" for i in range(size)]
        start = time.perf_counter()
        fill_review_log(progress, ids, rows)
        report(f"review log of {rows:,} rows made, schedules rebuilt", f"{time.perf_counter() - start:.1f} s")
        with Collection(bank, progress) as collection:
            now = datetime.now(timezone.utc)
            report(f"next-question selection, {rows:,} log rows (2000 runs)",
                   ms(timed(lambda: collection.sched.next_question(now), 2000, warmup=50)), "< 0.1 ms median")
            session = StudySession(collection)
            report("next question loaded for display (500 runs)", ms(timed(session.next, 500, warmup=20)))
            counter = iter(range(10**9))
            answer = lambda: collection.progress.record_answer(ids[next(counter) % size], 1, True)  # noqa: E731
            report("answer commit, durable (300 runs)", ms(timed(answer, 300, warmup=10)), "< 1 ms median")
            report("progress screen figures (5 runs)", ms(timed(lambda: collection.stats.summary(), 5)), "< 50 ms")
            block = BlockFilter(topics=frozenset({f"{SUBJECT}/treatment", f"{SUBJECT}/diagnosis"}),
                                statuses=frozenset({"wrong", "due"}),
                                kinds=frozenset({"vignette"}))
            report("custom-block count (20 runs)", ms(timed(lambda: collection.blocks.count(block), 20)), "< 50 ms")
            report("home screen counts (20 runs)", ms(timed(collection.sched.counts, 20)))
        largest = bank
    if largest is not None:
        seconds, rss = min(first_paint(largest, work) for _ in range(3))
        report(f"first question painted, {max(sizes):,} questions (best of 3)", f"{seconds:.3f} s", "< 0.8 s")
        report(f"peak memory (RSS), {max(sizes):,} questions, study session", f"{rss / 1024:.0f} MB", "< 150 MB")
    print("\n| figure | value | target |\n|---|---|---|")
    for name, value, target in ROWS:
        print(f"| {name} | {value} | {target} |")


if __name__ == "__main__":
    main()
