"""Reading a plain-text question file (GIFT, Aiken): bounded, UTF-8, and line numbers that match an editor's."""
from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import InputError, Problem

# A GIFT question takes a few hundred bytes, and 2.3 KB with every rationale, explanation and evidence
# quote (the shipped subject exported), so 20 MB is 8,000 such questions and tens of thousands of
# plainer ones. Plain text becomes one string and small records, not a node per token as YAML does,
# so the cap can be four times YAML's; a bigger bank is split into several files.
MAX_FILE_BYTES = 20_000_000
# What one file may make, so a small hostile file cannot cost gigabytes of memory or minutes: a GIFT
# question can be ten bytes ('Q? {=a ~b}'), and each becomes a few kilobytes of records while it is checked.
MAX_QUESTIONS = 50_000  # per file: a bigger bank is split into several
# A sane question is tens of lines (a stem of at most 60, ten options, their rationales ...).
MAX_BLOCK_LINES = 2_000
UTF16 = "UTF-16 (it starts with a UTF-16 byte-order mark)"


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text with '\\n' line ends and no byte-order mark, or InputError naming the line at fault."""
    try:
        raw = read_input_file(path, limit)
    except Refused as exc:
        raise InputError([Problem(path, None, f"file {exc}")]) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        raise InputError([Problem(path, 1, f"file is {UTF16}; save it as UTF-8")])
    if raw.startswith(codecs.BOM_UTF8):  # Notepad writes one; Moodle's exports do not
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        # Strict UTF-8 also refuses encoded surrogates, so no lone surrogate can reach the bank.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError([Problem(path, line, f"file is not UTF-8 (line {line}); save it as UTF-8")]) from exc
    nul = text.find("\0")
    if nul >= 0:
        # A NUL cuts text short in many places (SQLite's C API, Qt's labels); refused as the YAML reader does.
        raise InputError([Problem(path, text.count("\n", 0, nul) + 1, "text contains a NUL character (\\x00)")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blocks(text: str, path: Path) -> Iterator[tuple[int, list[str] | None]]:
    """The runs of non-blank lines, each with the number of its first line: GIFT and Aiken separate questions by
    blank lines. A run longer than MAX_BLOCK_LINES comes as None (the reader says so) and is not kept; more
    than MAX_QUESTIONS runs raise InputError (each costs a reader microseconds, even a comment)."""
    current: list[str] = []
    first, too_long, count = 0, False, 0
    # StringIO hands out one line at a time: a 20 MB file of empty-ish lines never becomes a list of millions.
    for number, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            if not current and not too_long:
                first = number
                count += 1
                if count > MAX_QUESTIONS:
                    raise too_many_questions(path, number)
            if too_long:
                continue
            current.append(line.rstrip("\n"))
            if len(current) > MAX_BLOCK_LINES:
                current, too_long = [], True
        elif current or too_long:
            yield first, (None if too_long else current)
            current, too_long = [], False
    if current or too_long:
        yield first, (None if too_long else current)


def too_many_questions(path: Path, line: int) -> InputError:
    return InputError([Problem(path, line, f"more than {MAX_QUESTIONS:,} questions (runs of lines between blank "
                                           "lines) in one file; split it into several files")])


def too_long(path: Path, line: int) -> Problem:
    return Problem(path, line, f"a question of more than {MAX_BLOCK_LINES:,} lines: separate questions with a "
                               "blank line")
