"""Studies as fast as it can and prints ACK <review id> once each answer has been recorded.

Run by test_crash_safety.py, which kills it with SIGKILL at random moments.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from calciquiz.core.collection import Collection
from calciquiz.core.study import StudySession

bank, progress, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
collection = Collection(bank, progress)
session = StudySession(collection)
print("READY", flush=True)
while True:
    shown = session.next()
    if shown is None:
        session = StudySession(collection, question_ids=[q for (q,) in collection.progress.db.execute(
            "select id from bank.questions order by random() limit 20")])
        continue
    outcome = session.answer(rng.randrange(len(shown.order)), guessed=rng.random() < 0.2)
    if rng.random() < 0.1:
        collection.progress.set_note(shown.question.id, f"note {rng.random()}")
    print("ACK", outcome.record.id, flush=True)
