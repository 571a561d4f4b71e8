"""The YAML question-set format: a mapping with `title` and a list of `questions`."""
from __future__ import annotations

import difflib
from pathlib import Path

from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence
from calciquiz.core.problems import InputError, Problem
from calciquiz.core.yamlfile import read_yaml

SUFFIXES = (".yaml", ".yml")
FILE_FIELDS = ("title", "questions")
MAX_TITLE_CHARS = 200


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read one YAML question file; problems that leave nothing to check raise InputError."""
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise InputError([Problem(path, 1, "expected a mapping with 'title' and 'questions'")])
    for key in data:
        if key not in FILE_FIELDS:
            hint = difflib.get_close_matches(key, FILE_FIELDS, n=1) if len(key) <= 80 else []
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f" (known: {', '.join(FILE_FIELDS)})"
            problems.append(Problem(path, data.line_of(key), f"unknown field '{key}' in question file{suggestion}"))
    title = data.get("title")
    if "title" not in data:
        problems.append(Problem(path, data.line, "missing field 'title' (the question set's name)"))
        title = ""
    elif not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS or "\n" in title.strip():
        problems.append(Problem(path, data.line_of("title"),
                                f"'title' must be one line of text of at most {MAX_TITLE_CHARS} characters"))
        title = ""
    if "questions" not in data:
        raise InputError([Problem(path, data.line, "missing field 'questions'")])
    items = data["questions"]
    if not isinstance(items, Sequence) or not items:
        raise InputError([Problem(path, data.line_of("questions"), "'questions' must be a non-empty list")])
    questions = [RawQuestion(line, item) for item, line in zip(items, items.item_lines)]
    return RawSet(path, title.strip(), questions)
