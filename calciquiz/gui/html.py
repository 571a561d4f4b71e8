"""Turning bank text into safe HTML for Qt's rich-text widgets.

Every piece of text from a question file or a document is escaped, so nothing in a file
can become markup, a link or a resource load.
"""
from __future__ import annotations

from html import escape

from calciquiz.core.documents import Passage
from calciquiz.core.questions import Evidence

# Dark text on the marker colour, so a highlight reads the same in light and dark palettes.
HIGHLIGHT = "background-color: rgba(255, 200, 0, 0.45); color: #1a1a1a; font-weight: 600;"


# More than any real stem, explanation or rationale (a few hundred words); a longer field is
# cut for display, saying so, because laying out megabytes of text would freeze the window.
SHOWN_CHARS = 20_000


def clip(text: str, limit: int = SHOWN_CHARS) -> str:
    """The text as shown: at most `limit` characters, then how much more there is."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n\n(… {len(text) - limit:,} more characters not shown)"


def paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def text_html(text: str) -> str:
    """Plain text as HTML, keeping paragraph breaks."""
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs(clip(text)))


def stem_html(stem: str) -> str:
    """The stem as paragraphs, the last one (the lead-in question) in bold."""
    parts = paragraphs(stem)
    if not parts:
        return ""
    # Clipped apart, so the lead-in question stays on screen however long the case before it.
    body = text_html("\n\n".join(parts[:-1]))
    return body + f"<p><b>{escape(clip(parts[-1]))}</b></p>"


def passage_html(passage: Passage, spans: list[tuple[int, int]] = ()) -> str:
    """A passage with the given character spans highlighted, its list lines kept as lines."""
    marks = sorted((s, e) for s, e in spans if 0 <= s < e <= len(passage.text))
    out: list[str] = []
    cursor = 0
    for start, end in marks:
        if start < cursor:
            start = cursor
        if start >= end:
            continue
        out.append(escape(passage.text[cursor:start]))
        out.append(f'<span style="{HIGHLIGHT}">{escape(passage.text[start:end])}</span>')
        cursor = end
    out.append(escape(passage.text[cursor:]))
    return "".join(out).replace("\n", "<br>")


def spans_for(passage: Passage, evidence: list[Evidence]) -> list[tuple[int, int]]:
    return [
        (e.start, e.end)
        for e in evidence
        if e.document_id == passage.document_id and e.passage_ordinal == passage.ordinal
    ]
