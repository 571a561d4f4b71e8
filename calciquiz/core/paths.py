"""Where CalciQuiz finds its bundled content and keeps the learner's files."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import platformdirs

from calciquiz import __version__

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR_ENV = "CALCIQUIZ_DATA_DIR"
APP_NAME = "CalciQuiz"
# Every table a built bank holds (bank._write_bank); a cached bank lacking one is rebuilt.
BANK_TABLES = frozenset({"meta", "subjects", "subject_topics", "question_sets", "documents", "passages", "questions",
                         "options", "question_topics", "images", "evidence", "passages_fts"})


def bundled_dir(name: str) -> Path:
    """A bundled content folder: inside an installed wheel, or at the top of a source checkout."""
    for candidate in (PACKAGE_DIR / "_bundled" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled '{name}' folder is missing from this installation")


def bundled_subjects_dir() -> Path:
    """The folder of the shipped subjects, one subject folder each."""
    return bundled_dir("subjects")


def data_dir() -> Path:
    """The learner's data folder; CALCIQUIZ_DATA_DIR overrides it (portable use, tests)."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path() -> Path:
    return data_dir() / "progress.sqlite"


def bank_cache_dir() -> Path:
    path = data_dir() / "banks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_bank() -> Path:
    """The bank built from the bundled content, built once and cached until the content changes.

    The cached file is checked each time; a damaged one is rebuilt, since the shipped files can always rebuild it.
    """
    from calciquiz.core.bank import SCHEMA_VERSION, build_bank

    subjects_dir = bundled_subjects_dir()
    digest = hashlib.sha256(f"{__version__}:{SCHEMA_VERSION}".encode())
    # Every file counts (settings, documents, question sets and the images they name), so any change rebuilds.
    for path in sorted(p for p in subjects_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(subjects_dir).as_posix().encode() + b"\0" + path.read_bytes())
    target = bank_cache_dir() / f"bundled-{digest.hexdigest()[:16]}.sqlite"
    if not (target.exists() and is_sound_bank(target, SCHEMA_VERSION)):
        from calciquiz.core.subjects import find_subjects

        if target.is_dir() and not target.is_symlink():
            # Not ours to delete (something put a folder there): moved aside so the bank can be built.
            target.rename(target.with_name(f"{target.name}.not-a-bank-{os.getpid()}"))

        # To a temporary file, then moved over the old one.
        build_bank(find_subjects(subjects_dir), target)
        for old in bank_cache_dir().glob("bundled-*.sqlite"):
            if old != target:
                old.unlink(missing_ok=True)
    return target


def is_sound_bank(path: Path, schema_version: int) -> bool:
    """Whether a bank file reads back whole: every page, every table, this schema and some questions.

    Meant for the cached bundled bank (under a megabyte, a few milliseconds); it only reads the file.
    """
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        # integrity_check, not quick_check: it also finds an index that disagrees with its table.
        if connection.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return False
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
        if not BANK_TABLES <= tables:
            return False
        meta = dict(connection.execute("select key, value from meta").fetchall())
        if meta.get("schema_version") != str(schema_version) or not meta.get("bank_id"):
            return False
        connection.execute("select count(*) from passages_fts").fetchone()  # the search index opens
        return connection.execute("select exists (select 1 from questions)").fetchone()[0] == 1
    except sqlite3.Error:
        return False
    finally:
        connection.close()
