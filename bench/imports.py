"""Direct import figures: python -m bench.imports [--size 100000] [--work DIR] [--stages] [--threshold] [--floor].

Builds the same synthetic questions (bench.synthetic: five options with rationales, explanation,
learning point and one evidence quote each) from CSV and Moodle XML, as one file and as ten files,
in one process and in the worker pool, and from YAML sets of 500 for comparison. Each figure is the
build's wall time and the CPU seconds of the build and its workers. --stages also times the stages
of a one-process build (reading, check_question, resolve_evidence, writing the bank); --threshold
times small two-file builds in one and two processes (where the pool starts to pay).
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from bench.synthetic import synthetic_subject, write_documents, write_questions
from calciquiz.core import bank, formats, import_pool
from calciquiz.core.bank_writer import BankWriter
from calciquiz.core.documents import load_documents
from calciquiz.core.import_pool import worker_count
from calciquiz.core.problems import FileProblems
from calciquiz.core.subjects import _files, _set_id
from calciquiz.core.validate import SetRules, check_question, resolve_evidence


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def inputs(work: Path, size: int, files: int, file_format: str, sentences) -> Path:
    """The synthetic questions in `files` files of one format (made once per work folder)."""
    folder = work / f"{file_format}-{size}-{files}"
    done = folder / ".complete"  # not a question file; says an interrupted run did not leave half of them
    if not done.exists():
        write_questions(folder, size, sentences, random.Random(size), per_file=-(-size // files),
                        file_format=file_format)
        done.touch()
    return folder


def build(folder: Path, documents: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its workers) of one build into a fresh bank."""
    out = Path(tempfile.mkdtemp(prefix="calciquiz-import-")) / "bank.sqlite"
    cpu, start = cpu_seconds(), time.perf_counter()
    bank.build_bank([synthetic_subject(folder, documents)], out, workers=workers)
    wall = time.perf_counter() - start
    # Workers' CPU is counted once they are reaped, which the pool's shutdown does before build_bank returns.
    used = cpu_seconds() - cpu
    out.unlink()
    return wall, used


def stages(folder: Path, documents: Path) -> dict[str, float]:
    """Seconds of each stage of a one-process build (the bank written last, as build_bank does)."""
    subject = synthetic_subject(folder, documents)
    times = dict.fromkeys(("reading", "check_question", "resolve_evidence", "writing the bank"), 0.0)
    gc.disable()
    try:
        by_id = {d.local_id: d for d in load_documents(subject.documents_dir, subject=subject.id)}
        for path in _files(subject):
            found = FileProblems(path)
            start = time.perf_counter()
            raw = formats.read_set(path, found)
            times["reading"] += time.perf_counter() - start
            rules = SetRules(subject.id, _set_id(subject, path), subject.topics)
            start = time.perf_counter()
            checked = [check_question(r, path, found, rules) for r in raw.questions]
            times["check_question"] += time.perf_counter() - start
            start = time.perf_counter()
            for question in checked:
                resolve_evidence(question, by_id, path, found)
            times["resolve_evidence"] += time.perf_counter() - start
        loaded = bank.load_sources([subject])
        start = time.perf_counter()
        writer = BankWriter(Path(tempfile.mkdtemp(prefix="calciquiz-import-")) / "bank.sqlite")
        for subject_loaded in loaded:
            writer.add_loaded(subject_loaded)
        writer.finish(loaded, None)
        writer.close()
        times["writing the bank"] = time.perf_counter() - start
    finally:
        gc.enable()
    return times


def figures(report, work: Path, size: int, repeats: int = 2, one_process: bool = True,
            with_yaml: bool = True) -> None:
    """Import builds of `size` questions, each the best of `repeats`: reported as rows through `report`."""
    documents = work / "documents"
    sentences = write_documents(documents, random.Random(1))
    pool = worker_count()
    for file_format, label in (("csv", "CSV"), ("xml", "Moodle XML")):
        for files in (10, 1):
            folder = inputs(work, size, files, file_format, sentences)
            # The pool reads a subject of 12 MB of question files or more (import_pool.PARALLEL_MIN_BYTES).
            runs = [(pool, f"up to {pool} processes")] + ([(1, "1 process")] if one_process else [])
            for workers, how in runs:
                wall, cpu = min(build(folder, documents, workers) for _ in range(repeats))
                where = f"{files} files" if files > 1 else "1 file"
                report(f"import {size:,} q from {label}, {where}, {how}", f"{wall:.2f} s (CPU {cpu:.1f} s)",
                       "< 3 s" if size == 100_000 else "")
    if not with_yaml:
        return
    folder = inputs(work, size, max(1, size // 500), "yaml", sentences)
    wall, cpu = min(build(folder, documents, pool) for _ in range(repeats))
    report(f"import {size:,} q from YAML sets of 500, up to {pool} processes", f"{wall:.2f} s (CPU {cpu:.1f} s)")


def threshold(report, work: Path) -> None:
    """Two-file CSV builds of growing size in one and in two processes: where the pool starts to pay."""
    documents = work / "documents"
    sentences = write_documents(documents, random.Random(1))
    import_pool.PARALLEL_MIN_BYTES = 0  # every build below in the pool when asked for two processes
    for size in (2000, 4000, 8000, 16000, 32000):
        folder = inputs(work, size, 2, "csv", sentences)
        megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        one = min(build(folder, documents, 1)[0] for _ in range(3))
        two = min(build(folder, documents, 2)[0] for _ in range(3))
        report(f"{size:,} q in 2 CSV files ({megabytes:.1f} MB): 1 / 2 processes", f"{one:.2f} / {two:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=None, help="keep the generated files here between runs")
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--threshold", action="store_true")
    parser.add_argument("--floor", action="store_true", help="the same builds checking nothing (bench.import_floor)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="calciquiz-imports-"))
    work.mkdir(parents=True, exist_ok=True)

    def report(name: str, value: str, target: str = "") -> None:
        print(f"| {name} | {value} | {target} |", flush=True)

    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; work folder {work}")
    print("| figure | value | target |\n|---|---|---|")
    if args.threshold:
        threshold(report, work)
        return
    if args.floor:
        from bench import import_floor  # which imports this module

        import_floor.figures(report, work, args.size)
        return
    if args.stages:
        sentences = write_documents(work / "documents", random.Random(1))
        for file_format in ("csv", "xml"):
            for files in (10, 1):
                times = stages(inputs(work, args.size, files, file_format, sentences), work / "documents")
                report(f"stages, {file_format}, {files} file(s)", ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
        return
    figures(report, work, args.size)


if __name__ == "__main__":
    main()
