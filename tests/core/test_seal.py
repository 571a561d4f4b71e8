"""Answers lost with a damaged WAL are noticed on opening: the file is set aside, never silently reset."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calciquiz.core import safekeeping, seal
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
ANSWERS = 30
WAL_HEADER, FRAME_HEADER, PAGE = 32, 24, 4096


@pytest.fixture(scope="module")
def studied_with_wal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A progress folder copied while the app was open: the answers are still in the WAL, with their seal."""
    live = tmp_path_factory.mktemp("live")
    store = ProgressStore(live / "progress.sqlite")
    for i in range(ANSWERS):
        store.record_answer(f"q-{i}", i % 5, i % 3 == 0, answered_at=T0 + timedelta(minutes=i))
    snapshot = tmp_path_factory.mktemp("snapshot")
    # Closing would checkpoint the WAL into the file and delete it, so copy while open (as a crash leaves it).
    for name in ("progress.sqlite", "progress.sqlite-wal", "progress.sqlite.seal"):
        shutil.copy(live / name, snapshot / name)
    shutil.copytree(live / "backups", snapshot / "backups")
    store.close()
    assert (snapshot / "progress.sqlite-wal").stat().st_size > 100 * PAGE
    return snapshot


def copy_of(snapshot: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(snapshot, folder)
    return folder / "progress.sqlite"


def truncate_to(fraction: float):
    def damage(wal: bytes) -> bytes:
        return wal[: int(len(wal) * fraction)]
    return damage


def flip_bit_in_frame(fraction: float):
    def damage(wal: bytes) -> bytes:
        frames = (len(wal) - WAL_HEADER) // (FRAME_HEADER + PAGE)
        at = WAL_HEADER + int(frames * fraction) * (FRAME_HEADER + PAGE) + FRAME_HEADER + 1000
        return wal[:at] + bytes([wal[at] ^ 0x10]) + wal[at + 1:]
    return damage


DAMAGE = {f"truncated to {f:.0%}": truncate_to(f) for f in (0.0, 0.1, 0.33, 0.5, 0.75, 0.9, 0.99)} | {
    f"bit flipped {f:.0%} in": flip_bit_in_frame(f) for f in (0.0, 0.2, 0.5, 0.8, 0.97)} | {
    "header bit flipped": lambda wal: wal[:13] + bytes([wal[13] ^ 1]) + wal[14:]}


def test_the_copy_opens_with_every_answer_when_the_wal_is_intact(studied_with_wal: Path, tmp_path: Path):
    store = ProgressStore(copy_of(studied_with_wal, tmp_path))
    assert store.review_count() == ANSWERS
    store.close()


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_wal_never_opens_with_answers_silently_missing(studied_with_wal: Path, tmp_path: Path, damage):
    path = copy_of(studied_with_wal, tmp_path)
    wal = Path(str(path) + "-wal")
    wal.write_bytes(damage(wal.read_bytes()))
    damaged = {suffix: Path(str(path) + suffix).read_bytes() for suffix in ("", "-wal", ".seal")}
    try:
        store = ProgressStore(path)
    except safekeeping.ProgressDamaged as error:
        # Set aside whole, the damaged WAL included, for the app to offer the newest good backup.
        assert not path.exists() and not wal.exists()
        assert {s: Path(str(error.set_aside) + s).read_bytes() for s in damaged} == damaged
        assert "you recorded earlier" in error.detail or "the last answer you recorded" in error.detail
        return
    assert store.review_count() == ANSWERS  # opened only because nothing was lost
    store.close()


def test_losing_half_the_wal_is_damage_and_the_backup_restored_is_not_judged_by_the_old_seal(
        studied_with_wal: Path, tmp_path: Path):
    path = copy_of(studied_with_wal, tmp_path)
    wal = Path(str(path) + "-wal")
    wal.write_bytes(wal.read_bytes()[: wal.stat().st_size // 2])
    with pytest.raises(safekeeping.ProgressDamaged) as caught:
        ProgressStore(path)
    lost = caught.value.detail.split()[0]
    assert caught.value.detail == f"{lost} answers you recorded earlier are missing from it"
    assert 0 < int(lost) < ANSWERS

    backup = safekeeping.newest_good_backup(path)
    safekeeping.restore(backup.path, path)
    store = ProgressStore(path)  # the backup holds fewer answers than the old seal named: that is fine
    assert 0 < store.review_count() < ANSWERS
    assert seal.read(path) == seal.current(store.db.conn)
    store.close()


def test_starting_empty_after_the_damage_is_not_judged_by_the_old_seal(studied_with_wal: Path, tmp_path: Path):
    path = copy_of(studied_with_wal, tmp_path)
    wal = Path(str(path) + "-wal")
    wal.write_bytes(b"")
    with pytest.raises(safekeeping.ProgressDamaged):
        ProgressStore(path)
    store = ProgressStore(path, start_fresh=True)  # "Start with empty progress", as the app opens it
    assert store.review_count() == 0
    store.close()


def test_a_seal_behind_the_file_or_unreadable_or_missing_is_no_alarm(studied_with_wal: Path, tmp_path: Path):
    path = copy_of(studied_with_wal, tmp_path)
    store = ProgressStore(path)
    reviews = store.reviews()
    store.close()
    # A crash between an answer's commit and its seal leaves the seal one or more answers behind.
    behind = seal.SealFile(path)
    behind.write(seal.Seal(5, reviews[4].id))
    behind.close()
    store = ProgressStore(path)
    assert seal.read(path) == seal.Seal(ANSWERS, reviews[-1].id)  # brought up to date on opening
    store.close()
    torn = seal.seal_path(path).read_text().replace(str(ANSWERS), str(ANSWERS + 9))
    for text in ("", "{not json", '{"format": "calciquiz-seal", "reviews": "many"}', torn):
        seal.seal_path(path).write_text(text)
        ProgressStore(path).close()
    seal.seal_path(path).unlink()
    ProgressStore(path).close()


def test_the_seal_follows_each_answer_and_an_exam_block(tmp_path: Path, bank_copy: Path):
    from calciquiz.core.collection import Collection
    from calciquiz.core.exam import ExamBlock

    collection = Collection(bank_copy, tmp_path / "progress.sqlite")
    progress = collection.progress
    record, _ = progress.record_answer("q-one", 0, True, answered_at=T0)
    assert seal.read(progress.path) == seal.Seal(1, record.id)
    ids = [q for (q,) in progress.db.execute("select id from bank.questions order by id limit 3")]
    block = ExamBlock(collection, ids, time_limit_s=600)
    block.choose(0)
    block.go_to(2)
    block.choose(1)
    block.submit()
    last = progress.db.execute("select id from reviews order by rowid desc limit 1").fetchone()[0]
    assert seal.read(progress.path) == seal.Seal(3, last)
    collection.close()


def test_a_backup_restored_where_the_file_is_gone_but_its_seal_remains_opens(studied_with_wal: Path, tmp_path: Path):
    path = copy_of(studied_with_wal, tmp_path)
    for suffix in ("", "-wal"):
        Path(str(path) + suffix).unlink()
    safekeeping.restore(safekeeping.newest_good_backup(path).path, path)
    store = ProgressStore(path)
    assert 0 < store.review_count() < ANSWERS
    store.close()
