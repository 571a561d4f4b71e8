"""Reading a plain-text question file (GIFT, Aiken): bounded, UTF-8, and line numbers that match an editor's."""
from __future__ import annotations

import codecs
from pathlib import Path

from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import InputError, Problem

# A GIFT question takes a few hundred bytes, and 2.3 KB with every rationale, explanation and evidence
# quote (the shipped subject exported), so 20 MB is 8,000 such questions and tens of thousands of
# plainer ones. Plain text becomes one string and small records, not a node per token as YAML does,
# so the cap can be four times YAML's; a bigger bank is split into several files.
MAX_FILE_BYTES = 20_000_000


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text with '\\n' line ends and no byte-order mark, or InputError naming the line at fault."""
    try:
        raw = read_input_file(path, limit)
    except Refused as exc:
        raise InputError([Problem(path, None, f"file {exc}")]) from exc
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


def blocks(text: str) -> list[list[tuple[int, str]]]:
    """The runs of non-blank lines, each line with its number: GIFT and Aiken separate questions by blank lines."""
    found: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            current.append((number, line))
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found
