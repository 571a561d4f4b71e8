"""A question set as a spreadsheet saved as CSV: a header row naming the columns, then a question per row.

The columns are in tests/fixtures/formats/readme/csv-columns.md (and the README). Column names
are compared without case, spaces, dashes or underscores ("Learning point", "learning_point");
a column the reader does not know is a problem naming it, so a misspelt "Explanaton" is not
dropped without a word. Files saved by Excel, LibreOffice or Google Sheets are read as saved:
UTF-8 with or without a BOM, comma, semicolon or tab between cells (sniffed from the header),
quoted cells over several lines, CRLF line ends. A question's line is the line its row starts on.
"""
from __future__ import annotations

import codecs
import csv
import difflib
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence, derive_id
from calciquiz.core.inputfiles import Refused, read_input_chunks
from calciquiz.core.problems import InputError, Problem

SUFFIXES = (".csv",)
# As in calciquiz.core.questions, which imports the readers and so cannot be imported by them.
LETTERS, MAX_EVIDENCE = "ABCDEFGHIJ", 10
# 100,000 questions with their feedback and evidence take about 200 MB as CSV; rows are streamed.
MAX_FILE_BYTES = 400_000_000
# Python's csv module refuses a cell longer than this (its field_size_limit): far above any
# field's limit, so a 10 MB cell is an error at its row, never 10 MB held per cell.
MAX_CELL_CHARS = csv.field_size_limit()

TEXT_COLUMNS = ("id", "kind", "skill", "topics", "tags", "stem", "answer", "explanation", "learning point", "image")
OPTION_COLUMNS = tuple(LETTERS.lower())
RATIONALE_COLUMNS = tuple(f"rationale {c}" for c in OPTION_COLUMNS)
EVIDENCE_COLUMNS = ("document", "quote") + tuple(f"{w} {n}" for n in range(2, MAX_EVIDENCE + 1)
                                                  for w in ("document", "quote"))
KNOWN = TEXT_COLUMNS + OPTION_COLUMNS + RATIONALE_COLUMNS + EVIDENCE_COLUMNS
REQUIRED = ("stem", "a", "b", "answer")
ALIASES = {"learningpoint": "learning point", "document 1": "document", "quote 1": "quote"}
LIST_SEPARATOR = re.compile(r"[;,]")


def column_key(name: str) -> str:
    """How a header cell is compared: 'Learning_Point', 'learning-point' and 'Option A' name known columns."""
    key = " ".join(name.replace("_", " ").replace("-", " ").casefold().split())
    key = ALIASES.get(key, key)
    if key.startswith("option ") and key[7:] in OPTION_COLUMNS:
        key = key[7:]
    return key


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read a CSV question set; a file that cannot be read as CSV raises InputError with its line."""
    lines = _lines(path)
    try:
        first = next(lines, None)
        if first is None or not first.strip():
            raise InputError([Problem(path, 1, "file is empty; a CSV question set starts with a header row "
                                               "naming its columns (stem, a, b, ..., answer)")])
        delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
        rows = csv.reader(chain([first], lines), delimiter=delimiter)
        header = next(rows)
        columns = _columns(header, path, problems)
        questions: list[RawQuestion] = []
        taken: set[str] = set()
        start = rows.line_num + 1
        for row in rows:
            line, start = start, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue  # spreadsheets leave empty rows at the end
            if len(row) != len(header):
                problems.append(Problem(path, line, f"row has {len(row)} cells but the header names {len(header)} "
                                                    "columns; quote a cell that holds the delimiter "
                                                    f"'{_shown(delimiter)}'"))
                continue
            questions.append(_question(dict(zip(columns, row)), line, taken))
    except csv.Error as exc:
        what = (f"a cell is longer than {MAX_CELL_CHARS:,} characters" if "field limit" in str(exc)
                else f"malformed CSV: {exc}")
        raise InputError([Problem(path, rows.line_num, what)]) from None
    if not questions and not problems:
        raise InputError([Problem(path, 1, "no questions below the header row")])
    return RawSet(path, path.stem, questions)


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _columns(header: list[str], path: Path, problems: list[Problem]) -> list[str]:
    """Each header cell's column; unknown and repeated ones are problems on line 1."""
    columns = [column_key(h) for h in header]
    seen: set[str] = set()
    for name, key in zip(header, columns):
        if key not in KNOWN:
            hint = difflib.get_close_matches(key, KNOWN, n=1) if len(key) <= 80 else []
            suggestion = f"; did you mean '{hint[0]}'?" if hint else " (see the CSV columns in the README)"
            problems.append(Problem(path, 1, f"unknown column '{name.strip()}'{suggestion}"))
        elif key in seen:
            problems.append(Problem(path, 1, f"column '{name.strip()}' is named twice"))
        seen.add(key)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise InputError(problems + [Problem(path, 1, f"missing column(s): {', '.join(missing)} "
                                                      "(a question needs a stem, options a, b, ... and its answer)")])
    return columns


def _question(cells: dict[str, str], line: int, taken: set[str]) -> RawQuestion:
    """One row's filled cells as the fields the validator checks, each on the row's line."""
    if any("\r" in cell for cell in cells.values()):  # a quoted cell of a CRLF file keeps its CRs
        cells = {key: cell.replace("\r\n", "\n") for key, cell in cells.items()}
    values: dict[str, object] = {}
    for key in ("kind", "skill", "stem", "answer", "explanation", "image"):
        if cells.get(key, "").strip():
            values[key] = cells[key]
    if cells.get("learning point", "").strip():
        values["learning_point"] = cells["learning point"]
    if cells.get("topics", "").strip():
        values["topics"] = Sequence.of([t.strip() for t in LIST_SEPARATOR.split(cells["topics"]) if t.strip()], line)
    filled = [i for i, c in enumerate(OPTION_COLUMNS) if cells.get(c, "").strip()]
    if filled:
        options = []
        for letter in OPTION_COLUMNS[: filled[-1] + 1]:
            option = {"text": cells.get(letter, "")}
            if cells.get(f"rationale {letter}", "").strip():
                option["rationale"] = cells[f"rationale {letter}"]
            options.append(Mapping.of(option, line))
        values["options"] = Sequence.of(options, line)
    evidence = []
    for n in range(1, MAX_EVIDENCE + 1):
        suffix = "" if n == 1 else f" {n}"
        entry = {k: cells[f"{k}{suffix}"] for k in ("document", "quote") if cells.get(f"{k}{suffix}", "").strip()}
        if entry:
            evidence.append(Mapping.of(entry, line))
    if evidence:
        values["evidence"] = Sequence.of(evidence, line)
    qid = cells.get("id", "").strip()
    if qid:
        taken.add(qid)
    else:
        qid = derive_id("", cells.get("stem", ""), taken)
    tags = tuple(t.strip() for t in LIST_SEPARATOR.split(cells.get("tags", "")) if t.strip())
    return RawQuestion(line, Mapping.of({"id": qid, **values}, line), tags)


def _lines(path: Path) -> Iterator[str]:
    """The file's text line by line (with line ends, as csv wants them), decoded as it is read."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending, newlines = "", 0
    try:
        for chunk in read_input_chunks(path, MAX_FILE_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = newlines + exc.object[: exc.start].count(b"\n") + 1
                raise InputError([Problem(path, line, "file is not valid UTF-8 text; save it as \"CSV UTF-8\" "
                                                      "(Excel) or with the UTF-8 character set")]) from None
            if "\0" in text:
                line = newlines + chunk[: chunk.index(b"\0")].count(b"\n") + 1
                raise InputError([Problem(path, line, "text contains a NUL character (\\x00)")])
            newlines += chunk.count(b"\n")
            pieces = (pending + text).split("\n")
            pending = pieces.pop()
            for piece in pieces:
                yield piece + "\n"
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError([Problem(path, newlines + 1, "file is not valid UTF-8 text: it ends inside a "
                                                      "character")]) from None
    except Refused as exc:
        raise InputError([Problem(path, None, f"file {exc}")]) from exc
    if pending:
        yield pending
