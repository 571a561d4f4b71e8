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

from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence, TakenIds, derive_id
from calciquiz.core.formats.textfile import UTF16
from calciquiz.core.inputfiles import Refused, read_input_chunks
from calciquiz.core.problems import InputError, Problem

SUFFIXES = (".csv",)
# As in calciquiz.core.questions, which imports the readers and so cannot be imported by them.
LETTERS, MAX_EVIDENCE = "ABCDEFGHIJ", 10
# 100,000 questions with five options, rationales, explanation and evidence took 238 MB as CSV.
# Rows are streamed a line at a time; memory goes to the questions read (1 GB at 100,000).
MAX_FILE_BYTES = 600_000_000
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
# Names spreadsheets and other tools give the same columns.
ALIASES = {"learningpoint": "learning point", "document 1": "document", "quote 1": "quote", "question": "stem",
           "question text": "stem", "correct answer": "answer", "key": "answer"}
LIST_SEPARATOR = re.compile(r"[;,]")
SEPARATOR_LINE = re.compile(r"^sep=([,;\t|])\r?\n?$")
MAX_UNKNOWN_SHOWN = 10


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
    skipped = 0  # a first line "sep=;" before the header
    try:
        first = next(lines, None)
        if first is None or not first.strip():
            raise InputError([Problem(path, 1, "file is empty; a CSV question set starts with a header row "
                                               "naming its columns (stem, a, b, ..., answer)")])
        # Excel writes (and reads) a first line "sep=;" naming the delimiter; the header is the line after it.
        named = SEPARATOR_LINE.match(first)
        if named:
            delimiter, skipped = named.group(1), 1
            first = next(lines, "")
        else:
            delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
        rows = csv.reader(chain([first], lines), delimiter=delimiter)
        header = next(rows)
        plan = _Plan(_columns(header, path, problems, 1 + skipped))
        questions: list[RawQuestion] = []
        taken = TakenIds()
        start = rows.line_num + 1 + skipped
        for row in rows:
            line, start = start, rows.line_num + 1 + skipped
            if not any(cell.strip() for cell in row):
                continue  # spreadsheets leave empty rows at the end
            if len(row) != len(header):
                problems.append(Problem(path, line, f"row has {len(row)} cells but the header names {len(header)} "
                                                    "columns; quote a cell that holds the delimiter "
                                                    f"'{_shown(delimiter)}'"))
                continue
            if any(_filled(row[i]) for i in plan.unnamed):
                problems.append(Problem(path, line, "a cell is filled in a column whose header is empty; name "
                                                    "the column (see the CSV columns in the README)"))
                continue
            questions.append(_question(row, line, plan, taken))
    except csv.Error as exc:
        what = (f"a cell is longer than {MAX_CELL_CHARS:,} characters" if "field limit" in str(exc)
                else f"malformed CSV: {exc}")
        raise InputError([Problem(path, rows.line_num + skipped, what)]) from None
    if not questions and not problems:
        raise InputError([Problem(path, 1, "no questions below the header row")])
    return RawSet(path, path.stem, questions)


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _columns(header: list[str], path: Path, problems: list[Problem], line: int = 1) -> list[str]:
    """Each header cell's column; unknown and repeated ones are problems on the header's line."""
    columns = [column_key(h) for h in header]
    seen: set[str] = set()
    unknown = 0
    for name, key in zip(header, columns):
        if not key:
            continue  # a column without a name, as spreadsheets leave after the last one; its cells are checked
        if key not in KNOWN:
            unknown += 1
            # A header of 100,000 made-up names is one problem, not 100,000 lines (and fuzzy matches).
            if unknown <= MAX_UNKNOWN_SHOWN:
                hint = difflib.get_close_matches(key, KNOWN, n=1) if len(key) <= 80 else []
                suggestion = f"; did you mean '{hint[0]}'?" if hint else " (see the CSV columns in the README)"
                problems.append(Problem(path, line, f"unknown column '{_short(name.strip())}'{suggestion}"))
        elif key in seen:
            problems.append(Problem(path, line, f"column '{_short(name.strip())}' is named twice"))
        seen.add(key)
    if unknown > MAX_UNKNOWN_SHOWN:
        problems.append(Problem(path, line, f"{unknown - MAX_UNKNOWN_SHOWN:,} more unknown columns (see the CSV columns "
                                         "in the README)"))
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        # The problems above are in `problems` already, which the caller reports with this one.
        raise InputError([Problem(path, line, f"missing column(s): {', '.join(missing)} "
                                           "(a question needs a stem, options a, b, ... and its answer)")])
    return columns


def _short(name: str, most: int = 60) -> str:
    return name if len(name) <= most else name[:most - 1] + "…"


class _Plan:
    """Where each field's cells are in a row, worked out once per file from its header."""

    def __init__(self, columns: list[str]):
        at = {column: i for i, column in enumerate(columns)}
        fields = (("kind", "kind"), ("skill", "skill"), ("stem", "stem"), ("answer", "answer"),
                  ("explanation", "explanation"), ("learning point", "learning_point"), ("image", "image"))
        self.fields = [(field, at[column]) for column, field in fields if column in at]
        letters = [c for c in OPTION_COLUMNS if c in at or f"rationale {c}" in at]
        last = OPTION_COLUMNS.index(letters[-1]) if letters else -1
        self.options = [(at.get(c), at.get(f"rationale {c}")) for c in OPTION_COLUMNS[: last + 1]]
        pairs = [("document", "quote")] + [(f"document {n}", f"quote {n}") for n in range(2, MAX_EVIDENCE + 1)]
        self.evidence = [(at.get(d), at.get(q)) for d, q in pairs if d in at or q in at]
        self.id, self.topics, self.tags = at.get("id"), at.get("topics"), at.get("tags")
        self.unnamed = [i for i, column in enumerate(columns) if not column]


def _filled(cell: str) -> bool:
    return bool(cell) and not cell.isspace()


def _question(row: list[str], line: int, plan: _Plan, taken: set[str]) -> RawQuestion:
    """One row's filled cells as the fields the validator checks, each on the row's line."""
    if any("\r" in cell for cell in row):  # a quoted cell of a CRLF file keeps its CRs
        row = [cell.replace("\r\n", "\n") for cell in row]
    values: dict[str, object] = {field: row[i] for field, i in plan.fields if _filled(row[i])}
    if plan.topics is not None and _filled(row[plan.topics]):
        values["topics"] = Sequence.of([t.strip() for t in LIST_SEPARATOR.split(row[plan.topics]) if t.strip()],
                                       line)
    options = []
    for text_at, rationale_at in plan.options:
        option = {"text": row[text_at] if text_at is not None else ""}
        if rationale_at is not None and _filled(row[rationale_at]):
            option["rationale"] = row[rationale_at]
        options.append(option)
    while options and not _filled(options[-1]["text"]) and len(options[-1]) == 1:
        options.pop()  # the empty options after the last one written
    if options:
        values["options"] = Sequence.of([Mapping.of(o, line) for o in options], line)
    evidence = []
    for document_at, quote_at in plan.evidence:
        entry = {key: row[i] for key, i in (("document", document_at), ("quote", quote_at))
                 if i is not None and _filled(row[i])}
        if entry:
            evidence.append(Mapping.of(entry, line))
    if evidence:
        values["evidence"] = Sequence.of(evidence, line)
    qid = row[plan.id].strip() if plan.id is not None else ""
    if qid:
        taken.add(qid)
    else:
        qid = derive_id("", values.get("stem", ""), taken)
    tags = () if plan.tags is None else tuple(t.strip() for t in LIST_SEPARATOR.split(row[plan.tags]) if t.strip())
    return RawQuestion(line, Mapping.of({"id": qid, **values}, line), tags)


def _lines(path: Path) -> Iterator[str]:
    """The file's text line by line (with line ends, as csv wants them), decoded as it is read."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending, newlines = "", 0
    # Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: such a file's CRs are its line ends.
    line_end, ends = None, b"\n"
    try:
        for chunk in read_input_chunks(path, MAX_FILE_BYTES):
            if not newlines and not pending and chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise InputError([Problem(path, 1, f"file is {UTF16}; save it as \"CSV UTF-8\" (Excel) or with "
                                                   "the UTF-8 character set")])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = newlines + exc.object[: exc.start].count(ends) + 1
                raise InputError([Problem(path, line, "file is not valid UTF-8 text; save it as \"CSV UTF-8\" "
                                                      "(Excel) or with the UTF-8 character set")]) from None
            if "\0" in text:
                line = newlines + chunk[: chunk.index(b"\0")].count(ends) + 1
                raise InputError([Problem(path, line, "text contains a NUL character (\\x00)")])
            if line_end is None and ("\n" in text or "\r" in text):
                first = min(i for i in (text.find("\r"), text.find("\n")) if i >= 0)
                line_end = "\r" if text[first] == "\r" and text[first + 1:first + 2] not in ("\n", "") else "\n"
                ends = line_end.encode()
            if line_end == "\r":
                text = text.replace("\r", "\n")
            newlines += chunk.count(ends)
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
