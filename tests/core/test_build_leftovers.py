"""A build that was killed leaves a temporary file; the next build removes it, never a running build's."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from calciquiz.core.bank import build_bank
from tests.helpers import question_count, subject_of

ROOT = Path(__file__).resolve().parents[2]

# Builds a bank and is killed (SIGKILL, as by the OOM killer or a closed terminal) halfway through writing it.
KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
import calciquiz.core.bank as bank
from tests.helpers import subject_of

def write_then_die(path, subjects, *rest):
    path.write_bytes(b"SQLite format 3\\0 half a bank")
    os.kill(os.getpid(), signal.SIGKILL)

bank._write_bank = write_then_die
bank.build_bank([subject_of(Path(sys.argv[1]), Path(sys.argv[2]))], Path(sys.argv[3]))
"""


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".building"))


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_leftover_of_a_killed_build_is_removed_by_the_next_build(tmp_path: Path, questions_dir: Path,
                                                                     documents_dir: Path):
    out = tmp_path / "bank.sqlite"
    child = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(questions_dir), str(documents_dir), str(out)],
                           cwd=ROOT, capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr
    (leftover,) = leftovers(tmp_path)
    assert leftover.startswith(".bank.sqlite.") and not out.exists()
    age(tmp_path / leftover, 120)  # the user runs the next build a couple of minutes later

    build_bank([subject_of(questions_dir, documents_dir)], out)

    assert leftovers(tmp_path) == []
    assert question_count(out) == 2


def test_a_build_running_in_another_process_keeps_its_file(tmp_path: Path, questions_dir: Path,
                                                           documents_dir: Path):
    out = tmp_path / "bank.sqlite"
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        theirs = tmp_path / f".bank.sqlite.{running.pid}.abcd1234.building"
        theirs.write_bytes(b"being written")
        age(theirs, 120)  # even when it has not been written to for a while
        build_bank([subject_of(questions_dir, documents_dir)], out)
        assert leftovers(tmp_path) == [theirs.name]
    finally:
        running.kill()
        running.wait()


def test_a_leftover_from_an_earlier_release_is_removed_once_it_is_old(tmp_path: Path, questions_dir: Path,
                                                                      documents_dir: Path):
    out = tmp_path / "bank.sqlite"
    old, recent = tmp_path / ".bank.sqlite.k3j_x9qa.building", tmp_path / ".bank.sqlite.p0w2mzz1.building"
    other_bank = tmp_path / ".other.sqlite.k3j_x9qa.building"
    for path in (old, recent, other_bank):
        path.write_bytes(b"half a bank")
    age(old, 16 * 60)
    age(other_bank, 16 * 60)
    build_bank([subject_of(questions_dir, documents_dir)], out)
    assert leftovers(tmp_path) == sorted([recent.name, other_bank.name])
