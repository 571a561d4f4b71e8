"""Safe YAML reading that remembers where every value came from.

Question files are written by hand, so every error must point at a line. PyYAML's node
tree carries positions; we build plain Python values from it ourselves, which also lets us
refuse duplicate keys and anchors/aliases (a classic way to blow up memory).
"""
from __future__ import annotations

import re
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from calciquiz.core.inputfiles import Refused, read_input_file
from calciquiz.core.problems import InputError, Problem

# A question file is about 1 KB per question, so 5 MB is thousands of questions; and every byte
# of YAML can become a node of a few hundred bytes while it is read, so the cap also bounds memory.
MAX_FILE_BYTES = 5_000_000
# Numbers, dates and true/false values are short; a longer one is a mistake (and a 4,301-digit or
# sexagesimal integer would cost Python a lot, or refuse, to convert).
MAX_VALUE_CHARS = 100
# Escapes in double-quoted text can make characters no file can hold: a lone surrogate cannot be
# encoded (build would fail storing it) and a NUL cuts text short in many places.
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
VALUE_KINDS = {"int": "integer", "float": "number", "bool": "true/false value", "timestamp": "date",
               "null": "empty value"}
# libyaml's C scanner is about twenty times faster than PyYAML's pure-Python one and builds the
# same node tree, with the same line marks; PyYAML wheels ship it, but fall back if it is absent.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
DEEP_INDENT = re.compile(r"^ {200,}\S", re.MULTILINE)


def loader_for(text: str) -> type:
    """The C loader, unless the text could nest deep enough to overflow its (unguarded) recursion.

    Brackets inside strings only make the check cautious: such text goes to the pure-Python
    loader, which ends absurd nesting in RecursionError, reported as a problem.
    """
    brackets = NOT_BRACKETS.sub("", text)
    depth = max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)
    if depth > 2 * MAX_DEPTH or DEEP_INDENT.search(text):
        return yaml.SafeLoader
    return SAFE_LOADER
MAX_DEPTH = 20


class Mapping(dict):
    """A dict that knows the line of its start and of each key."""

    line: int
    key_lines: dict[str, int]

    @classmethod
    def of(cls, values: dict[str, Any], line: int, key_lines: dict[str, int] | None = None) -> Mapping:
        """A mapping made by a reader of another format (each key on `line` unless told otherwise)."""
        made = cls(values)
        made.line, made.key_lines = line, dict(key_lines or {})
        return made

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A list that knows the line of its start and of each item."""

    line: int
    item_lines: list[int]

    @classmethod
    def of(cls, items: list[Any], line: int, item_lines: list[int] | None = None) -> Sequence:
        """A list made by a reader of another format (each item on `line` unless told otherwise)."""
        made = cls(items)
        made.line = line
        made.item_lines = list(item_lines) if item_lines is not None else [line] * len(items)
        return made


def read_yaml(path: Path, limit: int = MAX_FILE_BYTES) -> Any:
    """Read one YAML file into Mapping/Sequence/scalars, or raise InputError."""
    try:
        raw = read_input_file(path, limit)
    except Refused as exc:
        raise InputError([Problem(path, None, f"file {exc}")]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(path, line, "file is not valid UTF-8 text")]) from exc
    try:
        node = yaml.compose(text, Loader=loader_for(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "unreadable text"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise InputError([Problem(path, line, f"malformed YAML: {what}")]) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        what = f"control character U+{character:04X} is not allowed"
        raise InputError([Problem(path, line, f"malformed YAML: {what}")]) from exc
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, None, f"malformed YAML: {' '.join(str(exc).split())}")]) from exc
    except RecursionError as exc:
        # PyYAML composes nested collections recursively; absurd nesting ends here, not in a crash.
        raise InputError([Problem(path, None, f"nesting deeper than {MAX_DEPTH} levels")]) from exc
    if node is None:
        raise InputError([Problem(path, 1, "file is empty")])
    return _Builder(path).build(node, 0)


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


class _Builder:
    def __init__(self, path: Path):
        self.path = path
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str) -> InputError:
        return InputError([Problem(self.path, node.start_mark.line + 1, message)])

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.CollectionNode):
            # An alias makes the composer hand back a node it has already given; only collections
            # can blow up that way, and scalars are far too many to track one by one.
            if id(node) in self.seen:
                raise self.fail(node, "anchors and aliases (&, *) are not allowed")
            self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"YAML tags such as '{node.tag}' are not allowed")
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result = Mapping()
            result.line, result.key_lines = line, {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "merge keys (<<) are not allowed")
                key = self.build(key_node, depth + 1)
                if not isinstance(key, str):
                    raise self.fail(key_node, f"keys must be text, not {key!r}")
                if key in result:
                    raise self.fail(key_node, f"duplicate key '{key}'")
                result[key] = self.build(value_node, depth + 1)
                result.key_lines[key] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            result_list = Sequence()
            result_list.line = line
            result_list.item_lines = [n.start_mark.line + 1 for n in node.value]
            result_list.extend(self.build(n, depth + 1) for n in node.value)
            return result_list
        if node.tag == "tag:yaml.org,2002:str":
            bad = BAD_CHARACTER.search(node.value)
            if bad:
                raise self.fail(node, _bad_character(bad.group()))
            return node.value  # most of a question file; the constructor would only copy it
        kind = VALUE_KINDS.get(node.tag.rsplit(":", 1)[-1], "value")
        shown = node.value if len(node.value) <= 40 else node.value[:38] + "…"
        if len(node.value) > MAX_VALUE_CHARS:
            raise self.fail(node, f"'{shown}' is not a valid {kind}")
        try:
            return self.constructor.construct_object(node, deep=True)
        # PyYAML's constructors trust the resolver: '2024-02-30', '!!bool maybe' or '!!int ""'
        # end in whichever of these the conversion happens to raise.
        except (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError, AttributeError,
                OverflowError) as exc:
            raise self.fail(node, f"'{shown}' is not a valid {kind}") from exc


def _bad_character(character: str) -> str:
    if character == "\0":
        return "text contains a NUL character (\\x00)"
    return f"text contains a lone surrogate (\\u{ord(character):04x}), which is not a character"
