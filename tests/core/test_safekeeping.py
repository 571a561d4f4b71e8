from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils

from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore
from calciquiz.core.schema import SHIPPED_SCHEMAS, migrations_up_to

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_a_second_open_of_the_same_progress_file_is_refused_until_the_first_closes(tmp_path: Path):
    first = ProgressStore(tmp_path / "progress.sqlite")
    with pytest.raises(safekeeping.ProgressInUse, match="already running"):
        ProgressStore(tmp_path / "progress.sqlite")
    code = ("import sys; from calciquiz.core.progress import ProgressStore\n"
            "from calciquiz.core.safekeeping import ProgressInUse\n"
            f"try: ProgressStore({str(tmp_path / 'progress.sqlite')!r})\n"
            "except ProgressInUse as e: print('refused:', e); sys.exit(3)\n")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert other.returncode == 3 and "already running" in other.stdout
    first.close()
    ProgressStore(tmp_path / "progress.sqlite").close()


def test_a_damaged_progress_file_is_set_aside_not_overwritten(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    damaged = path.read_bytes()
    with pytest.raises(safekeeping.ProgressDamaged) as caught:
        ProgressStore(path)
    assert not path.exists()
    assert caught.value.set_aside.read_bytes() == damaged
    assert caught.value.set_aside.name.startswith("progress.damaged-")
    ProgressStore(path).close()  # the lock was released: a fresh start is possible


def test_backups_rotate_and_restore_brings_back_the_answers(tmp_path: Path):
    path = tmp_path / "progress.sqlite"
    store = ProgressStore(path, keep_backups=3)
    store.record_answer("q-1", 0, True, answered_at=T0)  # the first answer triggers a backup
    for i in range(5):
        store.record_answer(f"q-{i + 2}", 0, True, answered_at=T0)
        store.backup()
    backups = safekeeping.list_backups(path)
    assert len(backups) == 3
    assert all(safekeeping.check_integrity(b.path) == "ok" for b in backups)
    newest = backups[0].path
    assert sqlite3.connect(newest).execute("select count(*) from reviews").fetchone()[0] == 6
    store.close()

    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(safekeeping.ProgressDamaged):
        ProgressStore(path)
    good = safekeeping.newest_good_backup(path)
    assert good.path == newest
    safekeeping.restore(good.path, path)
    restored = ProgressStore(path)
    assert restored.review_count() == 6
    assert restored.schedule("q-6") is not None
    restored.close()
    assert len(list(tmp_path.glob("progress.damaged-*.sqlite"))) == 1


@pytest.mark.parametrize("schema", range(1, SHIPPED_SCHEMAS))
def test_every_earlier_schema_is_migrated_with_its_data_and_a_backup_first(tmp_path: Path, schema: int):
    path = tmp_path / "progress.sqlite"
    db = sqlite_utils.Database(path)
    migrations_up_to(schema).apply(db)
    db["reviews"].insert({"id": "r1", "question_id": "q", "chosen": 1, "correct": 1, "guessed": 0, "rating": 3,
                          "time_taken_ms": 900, "answered_at": T0.isoformat(), "mode": "study",
                          "session_id": "s", "shown_order": "1,0,2"})
    if db["question_stats"].exists():  # releases with running totals kept them with each answer
        from calciquiz.core.schema import AGGREGATE_SQL

        for statement in AGGREGATE_SQL:
            db.execute(statement)
    db.close()
    store = ProgressStore(path)
    assert [r.id for r in store.reviews()] == ["r1"]
    assert store.db["flags"].exists() and store.db["exam_blocks"].exists()
    backups = safekeeping.list_backups(path)
    assert backups, "no backup before migrating"
    old = sqlite3.connect(backups[-1].path)
    assert old.execute("select count(*) from _sqlite_migrations").fetchone()[0] == schema  # taken before
    assert store.db.execute("select answers, correct, last_correct from question_stats where question_id = 'q'"
                            ).fetchone() == (1, 1, 1)  # totals backfilled from the existing log
    store.rebuild_schedule()
    assert store.schedule("q") is not None
    store.close()
