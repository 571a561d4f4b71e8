"""What a reader of a question-file format hands the validator: fields as written, each with its line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from calciquiz.core.problems import Problem
from calciquiz.core.yamlfile import Mapping, Sequence

__all__ = ["Mapping", "RawQuestion", "RawSet", "Sequence"]


@dataclass(frozen=True)
class RawQuestion:
    """One question as read, not yet checked.

    `fields` maps each field name to its value as written (text, a Sequence of options or evidence,
    each option a Mapping, ...) and knows every field's line: `fields.line_of("answer")`. A value
    may be anything the file held; the validator says what is wrong with it. `fields` is whatever
    the reader found at the question's place, so it may even not be a Mapping (the validator says so).
    """

    line: int
    fields: object
    # Categories and tags of an imported question (Moodle categories, GIFT $CATEGORY, CSV tags):
    # those that name one of the subject's topics become its topics when `fields` has none.
    tags: tuple[str, ...] = ()


@dataclass
class RawSet:
    """A question set as read from one file: its title and its questions, unchecked."""

    file: Path
    title: str
    questions: list[RawQuestion] = field(default_factory=list)
    # Things read but not imported, each named with its line (an essay question, a matching
    # question...): the build goes on without them and says so.
    skipped: list[Problem] = field(default_factory=list)
