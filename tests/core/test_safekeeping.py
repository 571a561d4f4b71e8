from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils

from calciquiz.core import safekeeping
from calciquiz.core.progress import ProgressStore
from calciquiz.core.schema import SHIPPED_SCHEMAS, migrations_up_to
from tests.helpers import query

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
    assert query(newest, "select count(*) from reviews") == [(6,)]
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
    assert query(backups[-1].path, "select count(*) from _sqlite_migrations") == [(schema,)]  # taken before
    # Totals backfilled from the existing log, under the id qualified with the one subject there was.
    assert store.db.execute("select answers, correct, last_correct from question_stats"
                            " where question_id = 'calcinosis-cutis/q'").fetchone() == (1, 1, 1)
    store.rebuild_schedule()
    assert store.schedule("calcinosis-cutis/q") is not None
    store.close()


class FrozenClock(datetime):
    """A clock stuck on one instant, as two runs within the same second see it."""

    @classmethod
    def now(cls, tz=None):
        return T0


def test_restoring_twice_in_one_second_keeps_both_set_aside_files(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from calciquiz.cli import cli

    monkeypatch.setattr(safekeeping, "datetime", FrozenClock)
    monkeypatch.setenv("CALCIQUIZ_DATA_DIR", str(tmp_path))
    path = tmp_path / "progress.sqlite"
    store = ProgressStore(path, backup_minutes=10**6)
    store.record_answer("q-1", 0, True, answered_at=T0)  # the first answer is backed up
    store.record_answer("q-2", 0, True, answered_at=T0)  # the live file holds one answer more than the backup
    store.close()
    live = path.read_bytes()

    first = CliRunner().invoke(cli, ["restore"])
    second = CliRunner().invoke(cli, ["restore"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    kept = sorted(tmp_path.glob("progress.replaced-*.sqlite"))
    assert [p.name for p in kept] == ["progress.replaced-20260302-090000-2.sqlite",
                                      "progress.replaced-20260302-090000.sqlite"]
    counts = {p.name: query(p, "select count(*) from reviews")[0][0] for p in kept}
    assert counts == {"progress.replaced-20260302-090000.sqlite": 2, "progress.replaced-20260302-090000-2.sqlite": 1}
    assert kept[1].read_bytes() == live


def test_a_set_aside_never_replaces_an_existing_file_or_its_wal(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(safekeeping, "datetime", FrozenClock)
    path = tmp_path / "progress.sqlite"
    taken = tmp_path / "progress.damaged-20260302-090000.sqlite"
    taken.write_bytes(b"an earlier set-aside file")
    Path(str(taken) + "-wal").write_bytes(b"its wal")
    path.write_bytes(b"damaged main")
    Path(str(path) + "-wal").write_bytes(b"damaged wal")
    aside = safekeeping.set_aside(path)
    assert aside.name == "progress.damaged-20260302-090000-2.sqlite"
    assert (aside.read_bytes(), Path(str(aside) + "-wal").read_bytes()) == (b"damaged main", b"damaged wal")
    assert (taken.read_bytes(), Path(str(taken) + "-wal").read_bytes()) == (b"an earlier set-aside file", b"its wal")


def test_two_backups_in_the_same_instant_keep_their_own_names(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(safekeeping, "datetime", FrozenClock)
    path = tmp_path / "progress.sqlite"
    store = ProgressStore(path)
    store.record_answer("q-1", 0, True, answered_at=T0)
    first = store.backup()
    store.record_answer("q-2", 0, True, answered_at=T0)
    second = store.backup()
    store.close()
    assert first.path != second.path
    assert [query(b.path, "select count(*) from reviews") for b in (first, second)] == [[(1,)], [(2,)]]
