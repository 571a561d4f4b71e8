"""An answer shown as recorded survives the process being killed at any moment."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from fsrs import Card, Rating

from calciquiz.core.progress import ProgressStore, make_scheduler

ROUNDS = 25
CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def replayed_schedules(progress: Path) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """The schedule stored in the file, and the one derived from its review log."""
    conn = sqlite3.connect(progress)
    stored = {row[0]: row[1:] for row in conn.execute("select question_id, state, due, reps, lapses from cards")}
    scheduler = make_scheduler()
    derived: dict[str, tuple[Card, int, int]] = {}
    for question_id, rating, answered_at, correct in conn.execute(
            "select question_id, rating, answered_at, correct from reviews order by answered_at, rowid"):
        card, reps, lapses = derived.get(question_id, (Card(card_id=1), 0, 0))
        card, _ = scheduler.review_card(card, Rating(rating), datetime.fromisoformat(answered_at))
        derived[question_id] = (card, reps + 1, lapses + (0 if correct else 1))
    conn.close()
    as_rows = {q: (int(c.state), c.due.isoformat(timespec="microseconds"), reps, lapses)
               for q, (c, reps, lapses) in derived.items()}
    return stored, as_rows


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_acknowledged_answers_survive_sigkill_at_random_moments(shipped_bank: Path, tmp_path: Path):
    progress = tmp_path / "progress.sqlite"
    rng = random.Random(20261121)
    acknowledged: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_number in range(ROUNDS):
        child = subprocess.Popen([sys.executable, str(CHILD), str(shipped_bank), str(progress), str(round_number)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(rng.uniform(0.05, 1.2))  # sometimes while opening, mostly mid-study, sometimes mid-commit
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        assert child.returncode == -signal.SIGKILL, err
        # Only whole lines: the kill can land while the child is writing one ("ACK " or half an id).
        whole_lines = out.split("\n")[:-1]
        acknowledged |= {line.split()[1] for line in whole_lines if line.startswith("ACK ") and len(line.split()) == 2}

        with closing(sqlite3.connect(progress)) as check:  # closed even when a check fails
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            present = {row[0] for row in check.execute("select id from reviews")}
        missing = acknowledged - present
        assert not missing, f"round {round_number}: {len(missing)} acknowledged answers lost"
        stored, derived = replayed_schedules(progress)
        assert stored == derived, f"round {round_number}: the schedule does not match the review log"
    assert len(acknowledged) > 5 * ROUNDS, "the child barely answered anything; the test means little"
    store = ProgressStore(progress)  # opens cleanly: lock released by the dead process, integrity ok
    assert store.review_count() >= len(acknowledged)
    store.close()
