from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from calciquiz.core.bank import Bank
from calciquiz.core.progress import ProgressStore
from tests.helpers import CALCINOSIS, CATALOG, SMALL_DOCUMENT, WOUNDS, question_yaml

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def subject_dir(tmp_path: Path) -> Path:
    """A subject folder (with the shipped subject.yaml) holding the small document and set below."""
    folder = tmp_path / "subjects" / "calcinosis-cutis"
    folder.mkdir(parents=True)
    shutil.copy(CALCINOSIS / "subject.yaml", folder / "subject.yaml")
    return folder


@pytest.fixture
def documents_dir(subject_dir: Path) -> Path:
    folder = subject_dir / "documents"
    folder.mkdir()
    (folder / "basics.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return folder


@pytest.fixture
def questions_dir(subject_dir: Path) -> Path:
    folder = subject_dir / "questions"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        "title: Test set\nquestions:\n" + question_yaml("q-one") + question_yaml("q-two", answer="A"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def shipped_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real bank, built from the shipped documents and question sets."""
    from calciquiz.core.bank import build_bank

    out = tmp_path_factory.mktemp("bank") / "bank.sqlite"
    build_bank([CALCINOSIS], out)
    return out


@pytest.fixture(scope="session")
def banks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two banks built once: calcinosis cutis with the wound-healing test subject ("both"), and that one alone."""
    from calciquiz.core.bank import build_bank

    folder = tmp_path_factory.mktemp("banks")
    made = {"both": folder / "both.sqlite", "wounds": folder / "wounds.sqlite"}
    build_bank([CALCINOSIS, WOUNDS], made["both"])
    build_bank([WOUNDS], made["wounds"])
    return made


@pytest.fixture
def bank(shipped_bank: Path) -> Iterator[Bank]:
    """The shipped bank, open for one test and closed after it."""
    opened = Bank(shipped_bank)
    yield opened
    opened.close()


@pytest.fixture
def open_store() -> Iterator[Callable[..., ProgressStore]]:
    """Opens progress stores as ProgressStore(path, ...) does, and closes every one after the test."""
    opened: list[ProgressStore] = []

    def open_(path: Path, **options: object) -> ProgressStore:
        store = ProgressStore(path, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def bank_copy(shipped_bank: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bank.sqlite"
    shutil.copy(shipped_bank, target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CALCIQUIZ_DATA_DIR", str(folder))
    return folder
