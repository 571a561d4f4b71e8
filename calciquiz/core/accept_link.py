"""`calciquiz link --accept`: write a linked quote into the question's YAML set as ordinary evidence.

The instructor's file is edited as text, not rewritten from data, so their comments, quoting and
layout stay as they were: an `evidence:` list is added as the question's last field, at its keys'
indentation, after its last line of content. The new text is read back before it replaces the file,
atomically.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from calciquiz.core.questions import Question
from calciquiz.core.yamlfile import MAX_FILE_BYTES, Mapping, Sequence, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")


class CannotAccept(Exception):
    """Why a quote cannot be written into a question's file; nothing was changed."""


def accept(question: Question, document_local_id: str, quote: str) -> None:
    """Add `evidence: [{document, quote}]` to the question in its YAML set, or raise CannotAccept."""
    path = Path(question.file)
    if path.suffix.lower() not in YAML_SUFFIXES:
        # The full output path, so the command works from wherever the instructor runs it, and the
        # original moved away, or the build reads both files and every id in them clashes.
        raise CannotAccept(f"{path}:{question.line}: question '{question.name}' is not in a YAML set; convert it "
                           f"first: calciquiz convert {path} -o {path.with_suffix('.yaml')}, then move {path.name} "
                           f"out of {path.parent} (the YAML set replaces it)")
    data = read_yaml(path)
    # Edited with "\n" and written back with the file's own line ends: a set saved on Windows stays CRLF.
    raw = path.read_bytes().decode("utf-8")
    crlf = "\r\n" in raw
    lines = raw.replace("\r\n", "\n").split("\n")
    start, end = _question_lines(data, question, len(lines))
    mapping = _question_mapping(data, question)
    if "evidence" in mapping:
        raise CannotAccept(f"{path}:{question.line}: question '{question.name}' already has evidence; "
                           "nothing was changed")
    indent = _key_indent(lines, mapping)
    if indent is None:
        raise CannotAccept(f"{path}:{question.line}: question '{question.name}' is written on one line; add its "
                           f"evidence by hand: evidence: [{{document: {document_local_id}, "
                           f"quote: {json.dumps(quote, ensure_ascii=False)}}}]")
    last = end
    while last > start and (not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")):
        last -= 1
    added = [f"{indent}evidence:", f"{indent}  - document: {document_local_id}",
             f"{indent}    quote: {json.dumps(quote, ensure_ascii=False)}"]
    new_text = "\n".join(lines[:last] + added + lines[last:])
    _replace(path, new_text.replace("\n", "\r\n") if crlf else new_text, question)


def _question_mapping(data: object, question: Question) -> Mapping:
    items = data.get("questions") if isinstance(data, Mapping) else None
    if isinstance(items, Sequence):
        for item in items:
            if isinstance(item, Mapping) and item.get("id") == question.name:
                return item
    raise CannotAccept(f"{question.file}: question '{question.name}' is no longer in this file; nothing was changed")


def _question_lines(data: Mapping, question: Question, count: int) -> tuple[int, int]:
    """The 1-based first line of the question and the line after its last (0-based end for slicing)."""
    items: Sequence = data["questions"]
    index = next(i for i, item in enumerate(items) if isinstance(item, Mapping) and item.get("id") == question.name)
    start = items.item_lines[index]
    if index + 1 < len(items):
        end = items.item_lines[index + 1] - 1
    else:
        later = [line for line in data.key_lines.values() if line > start]
        end = min(later) - 1 if later else count
    return start, end


def _key_indent(lines: list[str], mapping: Mapping) -> str | None:
    """The spaces before the question's keys, from a key standing at the start of its own line."""
    for key, line in mapping.key_lines.items():
        match = re.match(rf"^( *)(- +)?{re.escape(key)}\s*:", lines[line - 1])
        if match:
            return " " * (len(match.group(1)) + len(match.group(2) or ""))
    return None  # the question is written on one line (flow style): no key starts a line


def _replace(path: Path, text: str, question: Question) -> None:
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise CannotAccept(f"{path}: the file would be larger than {MAX_FILE_BYTES:,} bytes; nothing was changed")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".accepting", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Read back: the edit must leave a file that parses, with the quote on this question.
        check = _question_mapping(read_yaml(tmp), question)
        if "evidence" not in check:
            raise CannotAccept(f"{path}: the edit did not land on question '{question.name}'; nothing was changed")
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
