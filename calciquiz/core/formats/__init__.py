"""Readers of question-file formats, one module each; every reader yields RawSets for the one validator."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from calciquiz.core.formats import csv_set, moodle_xml, yaml_set
from calciquiz.core.formats.raw import RawQuestion, RawSet
from calciquiz.core.problems import Problem

__all__ = ["READERS", "RawQuestion", "RawSet", "read_set", "suffixes"]

# A new format (GIFT, Aiken, Moodle XML, CSV) is one module and one line per file suffix here.
READERS: dict[str, Callable[[Path, list[Problem]], RawSet]] = {
    suffix: yaml_set.read_set for suffix in yaml_set.SUFFIXES
}
READERS.update({suffix: moodle_xml.read_set for suffix in moodle_xml.SUFFIXES})
READERS.update({suffix: csv_set.read_set for suffix in csv_set.SUFFIXES})


def suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read one question file with the reader its suffix names."""
    return READERS[path.suffix.lower()](path, problems)
