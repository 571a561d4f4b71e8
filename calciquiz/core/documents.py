"""Source documents and the passages they are split into."""
from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from calciquiz.core import noise
from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.markdown import Block, is_markdown, join_paragraph, read_blocks
from calciquiz.core.problems import FileProblems, InputError, Problem
from calciquiz.core.yamlfile import Mapping, Sequence, read_yaml

CATALOG_NAME = "catalog.yaml"
BULLET = "•"
CATALOG_FIELDS = {"id", "file", "title", "author", "publisher", "date", "note", "not_taught"}
TEXT_FIELDS = CATALOG_FIELDS - {"not_taught"}
REQUIRED_CATALOG_FIELDS = {"id", "file", "title"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")
# The shipped documents are 4-12 KB web pages; 5 MB is a long book, and bounds what a link to
# /dev/zero or a mistaken file could cost.
MAX_DOCUMENT_BYTES = 5_000_000
# Parsing Markdown costs far more than splitting plain text, most of all on hostile text: a run of
# `![` costs about 12 microseconds a character (twice that inside pytest), so 5 MB would take a
# minute. 200,000 bytes is 16 times the longest shipped handout and keeps the worst case near 2.5 s
# (tests/core/test_markdown_documents.py).
MAX_MARKDOWN_BYTES = 200_000
MAX_CATALOG_BYTES = 1_000_000  # the shipped catalog is under 3 KB
MAX_CATALOG_FIELD_CHARS = {"note": 2_000}  # other text fields: MAX_CATALOG_TEXT_CHARS
MAX_CATALOG_TEXT_CHARS = 300
MAX_QUOTE_CHARS = 2_000  # a quote is a sentence or a list; the longest shipped is 258 characters
# The closest-text hint compares the start of a quote that was not found with the document's teaching
# text. Its cost grows with both lengths (a 1.5 MB quote took 22 s), so both are bounded.
HINT_QUOTE_CHARS = 150
HINT_TEXT_CHARS = 50_000  # the shipped documents hold about 37,000 characters of text


@dataclass(frozen=True)
class Passage:
    """A heading, a paragraph (or a list with its lead-in) or a reference of a document."""

    document_id: str
    ordinal: int
    kind: str  # "heading", "text" or "reference"
    section: str
    text: str
    line: int

    @property
    def is_teaching(self) -> bool:
        return self.kind == "text"


@dataclass
class Document:
    """One source document: its metadata, its text as received, and its passages."""

    id: str
    file: Path
    title: str
    text: str
    author: str = ""
    publisher: str = ""
    date: str = ""
    note: str = ""
    passages: list[Passage] = field(default_factory=list)
    # Teaching passages no question needs to cite, each with the instructor's reason.
    not_taught: dict[int, str] = field(default_factory=dict)
    # A Markdown document's blocks as read when it was loaded, so its text is parsed only once.
    markdown_blocks: list[Block] | None = field(default=None, repr=False, compare=False)

    @property
    def local_id(self) -> str:
        """The id the catalog gives it (its id in the bank is "<subject>/<id>")."""
        return self.id.split("/", 1)[-1]

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    # Passages are set once, when the document is loaded; every quote is then looked up in them,
    # so the flattened texts are made once rather than once per quote.
    @cached_property
    def flat_passages(self) -> list[str]:
        return [passage.text.replace("\n", " ") for passage in self.passages]

    @cached_property
    def flat_joined(self) -> tuple[str, list[int]]:
        """The flattened passages joined by NULs (which no quote holds) and where each starts: one find per quote."""
        starts, at = [], 0
        for flat in self.flat_passages:
            starts.append(at)
            at += len(flat) + 1
        return "\0".join(self.flat_passages), starts

    @cached_property
    def flat_text(self) -> str:
        if is_markdown(self.file):
            blocks = self.markdown_blocks if self.markdown_blocks is not None else read_blocks(self.text)
            return normalize("\n".join(_markdown_shown(block) for block in blocks))
        return normalize(self.text)


def load_documents(directory: Path, subject: str = "") -> list[Document]:
    """Load every document named in the directory's catalog.yaml and split it into passages.

    With a subject, each document's id is qualified as "<subject>/<id>", as the bank knows it.
    """
    catalog_path = directory / CATALOG_NAME
    data = read_yaml(catalog_path, MAX_CATALOG_BYTES)
    problems = FileProblems(catalog_path)

    def problem(line: int | None, message: str) -> None:
        problems.append(Problem(catalog_path, line, message))

    if not isinstance(data, Mapping) or set(data) != {"documents"}:
        raise InputError([Problem(catalog_path, 1, "expected a mapping with one key, 'documents'")])
    entries = data["documents"]
    if not isinstance(entries, Sequence):
        raise InputError([Problem(catalog_path, data.line_of("documents"), "'documents' must be a list")])
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for entry, line in zip(entries, entries.item_lines):
        if not isinstance(entry, Mapping):
            problem(line, "each document must be a mapping of fields")
            continue
        for key in sorted(set(entry) - CATALOG_FIELDS):
            problem(entry.line_of(key), f"unknown field '{key}' (known: {', '.join(sorted(CATALOG_FIELDS))})")
        missing = sorted(REQUIRED_CATALOG_FIELDS - set(entry))
        if missing:
            problem(line, f"missing field(s): {', '.join(missing)}")
            continue
        bad = [k for k in entry if k in TEXT_FIELDS and (not isinstance(entry[k], str) or not entry[k].strip())]
        if bad:
            problem(entry.line_of(bad[0]), f"field '{bad[0]}' must be non-empty text")
            continue
        too_long = [k for k in entry if k in TEXT_FIELDS
                    and len(entry[k]) > MAX_CATALOG_FIELD_CHARS.get(k, MAX_CATALOG_TEXT_CHARS)]
        if too_long:
            limit = MAX_CATALOG_FIELD_CHARS.get(too_long[0], MAX_CATALOG_TEXT_CHARS)
            problem(entry.line_of(too_long[0]), f"field '{too_long[0]}' is longer than {limit:,} characters")
            continue
        doc_id = entry["id"]
        if not ID_PATTERN.match(doc_id):
            problem(entry.line_of("id"), f"document id '{doc_id}' must be lowercase letters, digits and dashes")
            continue
        if doc_id in seen:
            problem(entry.line_of("id"), f"duplicate document id '{doc_id}' (first used on line {seen[doc_id]})")
            continue
        seen[doc_id] = entry.line_of("id")
        file = _inside(directory, entry["file"])
        if file is None:
            problem(entry.line_of("file"), f"file '{entry['file']}' must be a plain name inside {directory}")
            continue
        try:
            # Confined like images: a link may point elsewhere in the folder, never out of it.
            limit = MAX_MARKDOWN_BYTES if is_markdown(file) else MAX_DOCUMENT_BYTES
            raw = read_input_file(file, limit, folder=directory)
            text = raw.decode("utf-8")
        except Refused as exc:
            problem(entry.line_of("file"), f"document file '{entry['file']}' {exc}")
            continue
        except UnicodeDecodeError as exc:
            bad_line = raw[: exc.start].count(b"\n") + 1
            problem(entry.line_of("file"), f"document file '{entry['file']}' is not valid UTF-8 text "
                                           f"(its line {bad_line})")
            continue
        # read_text would have turned Windows line ends into \n; passages and offsets rely on that.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        document = Document(
            id=f"{subject}/{doc_id}" if subject else doc_id,
            file=file,
            title=entry["title"].strip(),
            text=text,
            author=entry.get("author", "").strip(),
            publisher=entry.get("publisher", "").strip(),
            date=str(entry.get("date", "")).strip(),
            note=" ".join(entry.get("note", "").split()),
        )
        if is_markdown(file):
            document.markdown_blocks = read_blocks(text)  # parsed once, for passages and flat_text
            document.passages = _split_markdown(document.id, document.markdown_blocks)
        else:
            document.passages = split_passages(document.id, text)
        _read_not_taught(document, entry, catalog_path, problems)
        documents.append(document)
    if problems.found:
        raise InputError(problems.report())
    return documents


def _read_not_taught(document: Document, entry: Mapping, catalog_path: Path, problems: FileProblems) -> None:
    raw = entry.get("not_taught")
    if raw is None:
        return
    if not isinstance(raw, Sequence):
        problems.append(Problem(catalog_path, entry.line_of("not_taught"), "'not_taught' must be a list"))
        return
    for item, line in zip(raw, raw.item_lines):
        if not isinstance(item, Mapping) or set(item) != {"quote", "reason"} or not all(
            isinstance(item[k], str) and item[k].strip() for k in item
        ):
            problems.append(Problem(catalog_path, line, "each 'not_taught' entry needs a 'quote' and a 'reason'"))
            continue
        if len(item["quote"]) > MAX_QUOTE_CHARS or len(item["reason"]) > MAX_CATALOG_FIELD_CHARS["note"]:
            problems.append(Problem(catalog_path, line, f"a 'not_taught' quote may hold at most {MAX_QUOTE_CHARS:,} "
                                                        f"characters, its reason {MAX_CATALOG_FIELD_CHARS['note']:,}"))
            continue
        found = locate_quote(document, item["quote"], hint=not problems.full)
        if isinstance(found, str):
            problems.append(Problem(catalog_path, item.line_of("quote"), f"not_taught {found}"))
            continue
        document.not_taught[found[0].ordinal] = " ".join(item["reason"].split())


def _inside(directory: Path, name: str) -> Path | None:
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts or not name.isprintable() or len(name) > 200:
        return None
    return directory / candidate


def split_passages(document_id: str, text: str, *, markdown: bool = False) -> list[Passage]:
    """Split a received web-page text into headings, paragraphs and references, without noise.

    Blocks are runs of non-blank lines. A paragraph that ends with a colon and is followed
    by a bulleted list becomes one passage with that list, so a list keeps its lead-in.
    A Markdown text is split by its own markup instead (see _split_markdown).
    """
    if markdown:
        return _split_markdown(document_id, read_blocks(text))
    passages: list[Passage] = []
    section = ""
    in_noise_section = False
    pending_lead_in: tuple[list[str], int] | None = None

    def add(kind: str, lines: list[str], line: int) -> None:
        passages.append(Passage(document_id, len(passages), kind, section, "\n".join(lines), line))

    def flush_lead_in() -> None:
        nonlocal pending_lead_in
        if pending_lead_in:
            add("text", *pending_lead_in)
            pending_lead_in = None

    for block, first_line in _blocks(text):
        kept = [(line, n) for line, n in block if not noise.is_noise_line(line)]
        if not kept:
            continue
        lines = [line for line, _ in kept]
        start = kept[0][1]
        if all(noise.is_reference_line(line) for line in lines):
            flush_lead_in()
            in_noise_section = False
            add("reference", lines, start)
            continue
        if _is_heading(lines):
            flush_lead_in()
            in_noise_section = noise.opens_noise_section(lines[0])
            if not in_noise_section:
                section = lines[0]
                add("heading", lines, start)
            continue
        if in_noise_section:
            continue
        if lines[0].startswith(BULLET) and pending_lead_in:
            lead_lines, lead_start = pending_lead_in
            pending_lead_in = None
            add("text", lead_lines + lines, lead_start)
            continue
        flush_lead_in()
        if lines[-1].endswith(":") and not lines[-1].startswith(BULLET):
            pending_lead_in = (lines, start)
            continue
        add("text", lines, start)
    flush_lead_in()
    return passages


def _split_markdown(document_id: str, blocks: list[Block]) -> list[Passage]:
    """Headings, paragraphs, lists and references of a Markdown text from its blocks, as shown, without noise.

    The rules of plain text hold: noise lines and noise sections are left out, a block made only
    of reference lines is a reference, and a paragraph ending with a colon keeps the list after it.
    """
    passages: list[Passage] = []
    section = ""
    in_noise_section = False
    pending_lead_in: tuple[str, int] | None = None

    def add(kind: str, shown: str, line: int) -> None:
        passages.append(Passage(document_id, len(passages), kind, section, shown, line))

    def flush_lead_in() -> None:
        nonlocal pending_lead_in
        if pending_lead_in:
            add("text", *pending_lead_in)
            pending_lead_in = None

    for block in blocks:
        kept = _without_noise(block)
        if not kept.lines:
            continue
        shown, start = _markdown_shown(kept), kept.lines[0].number
        if kept.kind == "heading":
            flush_lead_in()
            in_noise_section = noise.opens_noise_section(shown)
            if not in_noise_section:
                section = shown
                add("heading", shown, start)
            continue
        if all(noise.is_reference_line(line.text) for line in kept.lines):
            flush_lead_in()
            in_noise_section = False
            add("reference", shown, start)
            continue
        if in_noise_section:
            continue
        if kept.kind == "list" and pending_lead_in:
            lead_in, lead_start = pending_lead_in
            pending_lead_in = None
            add("text", f"{lead_in}\n{shown}", lead_start)
            continue
        flush_lead_in()
        if kept.kind == "paragraph" and shown.endswith(":"):
            pending_lead_in = (shown, start)
            continue
        add("text", shown, start)
    flush_lead_in()
    return passages


def _without_noise(block: Block) -> Block:
    """The block less its noise lines (list items, for a list)."""
    kept = [(line, marker) for line, marker in zip(block.lines, block.markers or [""] * len(block.lines))
            if not noise.is_noise_line(line.text)]
    return Block(block.kind, tuple(line for line, _ in kept),
                          tuple(marker for _, marker in kept) if block.markers else ())


def _markdown_shown(block: Block) -> str:
    """A block's text as a passage holds it: list items as lines after their bullet or number."""
    if block.kind in ("heading", "paragraph"):
        return join_paragraph(block.lines)
    if block.kind == "list":
        return "\n".join(f"{marker or BULLET} {line.text}" for marker, line in zip(block.markers, block.lines))
    return "\n".join(line.text for line in block.lines)


def _blocks(text: str) -> list[tuple[list[tuple[str, int]], int]]:
    """Runs of non-blank lines, each line stripped and paired with its 1-based number."""
    blocks: list[tuple[list[tuple[str, int]], int]] = []
    current: list[tuple[str, int]] = []
    # Only \n ends a line (Windows and Mac ends are \n by now): splitlines() would also break at a form
    # feed or U+2028, and every line number after one would disagree with the instructor's editor.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.split())
        if line:
            current.append((line, number))
        elif current:
            blocks.append((current, current[0][1]))
            current = []
    if current:
        blocks.append((current, current[0][1]))
    return blocks


def _is_heading(lines: list[str]) -> bool:
    if len(lines) != 1:
        return False
    line = lines[0]
    ending = line.rstrip("\"'”’)")
    return (
        len(line) <= 90
        and not line.startswith(BULLET)
        and bool(ending)
        and ending[-1] not in ".:;,!"
        and (line[0].isupper() or line[0].isdigit())
    )


def normalize(text: str) -> str:
    """Fold every run of white space to one space, so line breaks do not matter in quotes."""
    return " ".join(text.split())


def locate_quote(document: Document, quote: str, hint: bool = True) -> tuple[Passage, int, int] | str:
    """Find a quote in a teaching passage: (passage, start, end) in passage.text, or the reason it is not there."""
    needle = normalize(quote)
    joined, starts = document.flat_joined
    at = joined.find(needle) if needle and "\0" not in needle else -1
    other_kind = ""
    # The first teaching passage that holds it; the same words in a heading (or a reference) above
    # it are no reason to refuse it: a heading often repeats its paragraph's first words.
    while at >= 0:
        index = bisect.bisect_right(starts, at) - 1
        passage = document.passages[index]
        if passage.is_teaching:
            return passage, at - starts[index], at - starts[index] + len(needle)
        other_kind = other_kind or passage.kind
        at = joined.find(needle, starts[index + 1]) if index + 1 < len(starts) else -1
    if other_kind:
        return f"quote is from a {other_kind}, not from teaching text"
    if needle in document.flat_text:
        return "quote spans more than one passage or includes web-page noise; quote one paragraph or list"
    if hint and document.markdown_blocks is not None:
        unmarked = _without_markup(needle)
        if unmarked != needle and any(unmarked in flat for flat in document.flat_passages):
            return (f"quote not found word for word in document '{document.local_id}'; it keeps Markdown markup, "
                    f"and quotes match the text as shown: write \"{unmarked}\"")
    closest = _closest_hint(document, needle) if hint else ""
    return f"quote not found word for word in document '{document.local_id}'{closest}"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*+|`+|(?<!\w)_+|_+(?!\w)")


def _without_markup(quote: str) -> str:
    """A quote with inline Markdown markup (emphasis, code, links) taken out, as an author may have copied it."""
    return normalize(_EMPHASIS.sub("", _LINK.sub(r"\1", quote)))


def _closest_hint(document: Document, needle: str) -> str:
    """Where the document's text comes closest to the quote, within a bounded amount of work."""
    needle = needle[:HINT_QUOTE_CHARS]
    budget = HINT_TEXT_CHARS
    best: tuple[int, Passage | None, int] = (0, None, 0)
    for passage, flat in zip(document.passages, document.flat_passages):
        if not passage.is_teaching:
            continue
        flat = flat[:budget]
        budget -= len(flat)
        match = difflib.SequenceMatcher(None, needle, flat, autojunk=False).find_longest_match(
            0, len(needle), 0, len(flat)
        )
        if match.size > best[0]:
            best = (match.size, passage, match.b - match.a)
        if budget <= 0:
            break
    size, passage, offset = best
    if passage is None or size < 12:
        return ""
    flat = passage.text.replace("\n", " ")
    start = max(offset, 0)
    snippet = flat[start : start + len(needle) + 10]
    return f"; closest text (document line {passage.line}): \"{snippet}\""
