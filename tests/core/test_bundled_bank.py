"""The cached bundled bank: checked on opening, and rebuilt from the shipped files when damaged."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from calciquiz.core import paths
from calciquiz.core.collection import Collection


def flip(offset: int):
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[offset] ^= 0xFF
        path.write_bytes(bytes(data))
    return damage


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def execute(statement: str):
    def damage(path: Path) -> None:
        connection = sqlite3.connect(path)
        connection.execute(statement)
        connection.commit()
        connection.close()
    return damage


def garble_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 5: 4096 * 6] = bytes(range(256)) * 16  # one page of a table, overwritten
    path.write_bytes(bytes(data))


def folder_in_its_place(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


DAMAGES = {
    "a folder in its place": folder_in_its_place,
    "truncated": truncate,
    "emptied": empty,
    "magic byte flipped": flip(0),
    "page size flipped": flip(16),
    "reserved space flipped": flip(20),  # opens, then every read is "database disk image is malformed"
    "page count flipped": flip(28),
    "first page header flipped": flip(100),
    "a page garbled": garble_page,
    "options table dropped": execute("drop table options"),
    "questions emptied": execute("delete from questions"),
    "from an older schema": execute("update meta set value = '1' where key = 'schema_version'"),
}


@pytest.fixture
def cached_bank(data_dir: Path) -> Path:
    return paths.bundled_bank()


def study_one_question(bank: Path) -> tuple[int, str]:
    with Collection(bank, paths.progress_path()) as collection:
        question_id, _ = collection.sched.next_question()
        return collection.bank.question_count(), collection.bank.question(question_id).stem


def read_everything(bank: Path) -> tuple[str, list, list]:
    """What a resident can reach: every question, every document's passages, a search; and the schema."""
    with Collection(bank, paths.progress_path()) as collection:
        ids = [row[0] for row in collection.bank.db.execute("select id from questions order by position")]
        return (collection.bank.meta["schema_version"], [collection.bank.question(q) for q in ids],
                [collection.bank.passages(d.id) for d in collection.bank.documents()]
                + [collection.bank.search("calcinosis")])


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_cached_bank_is_rebuilt_on_the_next_start(cached_bank: Path, damage):
    intact = read_everything(cached_bank)
    damage(cached_bank)
    assert paths.bundled_bank() == cached_bank
    assert study_one_question(cached_bank)[0] == len(intact[1])
    assert read_everything(cached_bank) == intact


def test_an_intact_cached_bank_is_used_as_it_is(cached_bank: Path):
    before = cached_bank.stat()
    assert paths.bundled_bank() == cached_bank
    after = cached_bank.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
