"""Readers of question-file formats, one module each; every reader yields RawSets for the one validator."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from calciquiz.core.formats import aiken, csv_set, gift, moodle_xml, yaml_set
from calciquiz.core.formats.raw import RawQuestion, RawSet
from calciquiz.core.formats.textfile import read_text
from calciquiz.core.problems import InputError, Problem

__all__ = ["READERS", "RawQuestion", "RawSet", "read_set", "suffixes"]

# Aiken's answer line, and a GIFT answer block outside // comments: what tells a .txt file's format.
_AIKEN_ANSWER = re.compile(r"^[ \t]*ANSWER:[ \t]*[A-Za-z]", re.MULTILINE)
_GIFT_BRACE = re.compile(r"^(?![ \t]*//).*\{", re.MULTILINE)
# What a GIFT answer block opens with: a right or wrong answer, a number, true/false, feedback, or nothing
# (an essay). A brace in an Aiken stem ("the set {a, b}") opens none of these.
_GIFT_BLOCK = re.compile(r"^(?![ \t]*//)[^\n]*?(?<!\\)\{\s*(?:[=~#}]|%-?\d|(?:T|F|TRUE|FALSE)\s*[}#])",
                         re.MULTILINE)


def read_text_questions(path: Path, problems: list[Problem]) -> RawSet:
    """A .txt file, which Moodle users write in GIFT or in Aiken: told apart by what it holds.

    Aiken when it has at least as many 'ANSWER: X' lines as GIFT answer blocks: a brace in an Aiken stem
    once made a whole Aiken file GIFT, whose questions were then all skipped as GIFT descriptions.
    """
    text = read_text(path)
    aiken_answers = len(_AIKEN_ANSWER.findall(text))
    if aiken_answers and aiken_answers >= len(_GIFT_BLOCK.findall(text)):
        return aiken.parse_set(path, text, problems)
    if _GIFT_BRACE.search(text):
        return gift.parse_set(path, text, problems)
    if aiken_answers:
        return aiken.parse_set(path, text, problems)
    first = next((n for n, line in enumerate(text.split("\n"), 1) if line.strip()), None)
    if first is None:
        raise InputError([Problem(path, 1, "file is empty")])
    raise InputError([Problem(path, first, "neither GIFT nor Aiken questions: no answer block such as "
                                           "'{=right ~wrong}' and no 'ANSWER: A' line")])


# A new format is one module and one line per file suffix here.
READERS: dict[str, Callable[[Path, list[Problem]], RawSet]] = {
    **{suffix: yaml_set.read_set for suffix in yaml_set.SUFFIXES},
    **{suffix: gift.read_set for suffix in gift.SUFFIXES},
    ".txt": read_text_questions,
    **{suffix: moodle_xml.read_set for suffix in moodle_xml.SUFFIXES},
    **{suffix: csv_set.read_set for suffix in csv_set.SUFFIXES},
}


def suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read one question file with the reader its suffix names."""
    return READERS[path.suffix.lower()](path, problems)
