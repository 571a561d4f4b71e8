"""Reading a Markdown document into the blocks a reader sees: headings, paragraphs, lists and code.

Parsing is markdown-it-py's (CommonMark); this module only turns its tokens into shown text.
Markup is never shown and never acted on: emphasis and code marks are dropped, a link or an
image shows its text and its address is neither kept nor followed, and raw HTML is kept as
written, as text, never interpreted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

SUFFIXES = {".md", ".markdown"}
# CommonMark's preset allows 20 levels; text in blocks (quotes, lists) nested deeper than this
# is left out by the parser, so the limit for blocks is generous (a real document nests a few levels).
MAX_NESTING = 100
# Inline markup nested deeper than this is shown as written, never left out, so CommonMark's 20 loses
# no text; and every `[` scans ahead as many levels as this allows, so it sets the cost of hostile
# text: 2 MB of `[` took 51 s when inline nesting shared the block limit of 100.
MAX_INLINE_NESTING = 20


def is_markdown(file: Path) -> bool:
    return file.suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class Line:
    """One shown line: its text (single spaces) and the document line (1-based) it starts on."""

    text: str
    number: int
    hard_break: bool = False  # the author ended the line on purpose (two spaces or a backslash)


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph, a list (one Line per item) or code and HTML kept line by line."""

    kind: str  # "heading", "paragraph", "list" or "lines"
    lines: tuple[Line, ...]
    markers: tuple[str, ...] = ()  # for a list: each item's number as shown ("1.", "2)"), "" for a bullet


def join_paragraph(lines: tuple[Line, ...] | list[Line]) -> str:
    """Soft line breaks are spaces, as in any Markdown viewer; a hard break stays a line break."""
    out = ""
    for index, line in enumerate(lines):
        if index:
            out += "\n" if lines[index - 1].hard_break else " "
        out += line.text
    return out


def _parser() -> MarkdownIt:
    """CommonMark, with blocks nested up to MAX_NESTING and inline markup up to MAX_INLINE_NESTING."""
    parser = MarkdownIt("commonmark")
    parser.options["maxNesting"] = MAX_NESTING
    inline = MarkdownIt("commonmark")
    inline.options["maxNesting"] = MAX_INLINE_NESTING

    def parse_inline(state: StateCore) -> None:  # markdown-it's own "inline" rule, with the other limit
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                inline.inline.parse(token.content, inline, state.env, token.children)

    parser.core.ruler.at("inline", parse_inline)
    return parser


def read_blocks(text: str) -> list[Block]:
    """The document's blocks in reading order, each with the line numbers of its lines."""
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            inline = tokens[index + 1]
            lines = _inline_lines(inline)
            if lines:
                blocks.append(Block("heading", (Line(join_paragraph(lines), lines[0].number),)))
            index += 3
        elif token.type == "paragraph_open":
            lines = _inline_lines(tokens[index + 1])
            if lines:
                blocks.append(Block("paragraph", tuple(lines)))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            end = _closing(tokens, index)
            items = _list_items(tokens[index : end + 1])
            if items:
                blocks.append(Block("list", tuple(line for _, line in items), tuple(m for m, _ in items)))
            index = end + 1
        elif token.type in ("fence", "code_block", "html_block"):
            lines = _kept_lines(token)
            if lines:
                blocks.append(Block("lines", tuple(lines)))
            index += 1
        else:  # block quotes open and close around blocks read as any other; rules show nothing
            index += 1
    return blocks


def _closing(tokens: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _list_items(tokens: list[Token]) -> list[tuple[str, Line]]:
    """Each item of a list, nested lists flattened after their parent item, with its marker."""
    items: list[tuple[str, Line]] = []
    counters: list[int | None] = []  # per open list: the next number, or None for bullets
    parts: list[list[Line]] = []  # per open item: the lines of its own text
    starts: list[tuple[str, int]] = []  # per open item: its marker and the line it starts on
    slots: list[int] = []  # per open item: where it goes in `items`, so a parent precedes its children

    for token in tokens:
        if token.type == "bullet_list_open":
            counters.append(None)
        elif token.type == "ordered_list_open":
            counters.append(int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif token.type == "list_item_open":
            number = counters[-1]
            if number is None:
                marker = ""
            else:
                marker = f"{number}{token.markup or '.'}"
                counters[-1] = number + 1
            parts.append([])
            starts.append((marker, _line_of(token)))
            slots.append(len(items))
            items.append((marker, Line("", 0)))  # filled in when the item closes
        elif token.type == "list_item_close":
            lines = parts.pop()
            marker, first = starts.pop()
            slot = slots.pop()
            text = " ".join(line.text for line in lines)  # an item is one line of its list
            items[slot] = (marker, Line(text, lines[0].number if lines else first))
        elif token.type == "inline" and parts:
            parts[-1].extend(_inline_lines(token))
        elif token.type in ("fence", "code_block", "html_block") and parts:
            parts[-1].extend(_kept_lines(token))
    return [(marker, line) for marker, line in items if line.text]


def _line_of(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _kept_lines(token: Token) -> list[Line]:
    """Code and raw HTML, line by line as written (white space folded), never interpreted."""
    start = _line_of(token) + (1 if token.type == "fence" else 0)
    lines = []
    for offset, raw in enumerate(token.content.split("\n")):
        shown = " ".join(raw.split())
        if shown:
            lines.append(Line(shown, start + offset))
    return lines


def _inline_lines(token: Token) -> list[Line]:
    """The shown text of a paragraph or heading, one Line per source line."""
    first = _line_of(token)
    lines: list[Line] = []
    current = ""
    offset = 0

    def end_line(hard: bool) -> None:
        nonlocal current
        shown = " ".join(current.split())
        if shown:
            lines.append(Line(shown, first + offset, hard))
        current = ""

    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            end_line(child.type == "hardbreak")
            offset += 1
        else:
            current += _shown(child)
    end_line(False)
    return lines


def _shown(token: Token) -> str:
    if token.type == "image":  # the alt text, itself possibly emphasised; the image is never loaded
        return "".join(_shown(child) for child in token.children or [])
    if token.type in ("text", "code_inline", "html_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return ""  # emphasis, strong and link marks: the text between them is shown, the marks are not
