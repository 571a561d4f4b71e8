"""What a reader of a question-file format hands the validator: fields as written, each with its line."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from calciquiz.core.problems import Problem
from calciquiz.core.yamlfile import Mapping, Sequence

__all__ = ["EmbeddedImage", "Mapping", "RawQuestion", "RawSet", "Sequence", "TakenIds", "derive_id"]


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


@dataclass(frozen=True)
class EmbeddedImage:
    """An image carried inside a question file (Moodle XML's base64 <file>), as the value of the field `image`.

    The validator checks it as it checks an image file beside a YAML set: a PNG or JPEG of bounded size.
    """

    name: str
    data: bytes = field(repr=False)
    line: int = 0


@dataclass
class RawSet:
    """A question set as read from one file: its title and its questions, unchecked."""

    file: Path
    title: str
    questions: list[RawQuestion] = field(default_factory=list)
    # Things read but not imported, each named with its line (an essay question, a matching
    # question...): the build goes on without them and says so.
    skipped: list[Problem] = field(default_factory=list)


# An imported question's id is made of the whole words of its title or stem that fit in this many
# characters: enough that two stems rarely share it (six words did not: "which-type-of-calcinosis-
# cutis-is" began a dozen of the shipped stems, so their ids hung on their order in the file, and two
# Aiken files, which cannot name an id, clashed), short enough to read in a message.
MAX_ID_CHARS = 60


class TakenIds(set):
    """The ids used so far in a file, and for each derived base the last number it got.

    With the number remembered, the thousandth question that starts "Which of the following is the
    most ..." gets its id at once instead of after trying -2 ... -999 (quadratic: 10,000 such
    questions took 6.6 s, 50,000 took minutes). A plain set works too, only slower.
    """

    def __init__(self, *ids: str):
        super().__init__(ids)
        self.numbers: dict[str, int] = {}


def derive_id(name: str, stem: str, taken: set[str]) -> str:
    """An id for an imported question, from its name (a Moodle name, a GIFT title) or else its stem's first words.

    Ids key a resident's progress and an Anki note's GUID, so they must survive what instructors do
    to a file: a question inserted above (so not its position) and a typo fixed late in the stem
    (so not a hash of it). Two questions that would share one get -2, -3 ... in file order; `taken`
    holds the ids used so far in the file and gets the new one.
    """
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name or stem).encode("ascii", "ignore")
                       .decode().lower())
    base = ""
    for word in words:
        longer = f"{base}-{word}" if base else word
        if len(longer) > MAX_ID_CHARS:
            break
        base = longer
    base = base or (words[0][:MAX_ID_CHARS] if words else "question")
    numbers = getattr(taken, "numbers", {})
    # Every number below the last one given to this base is still taken (ids are never given back).
    n = numbers.get(base, 1)
    candidate = base if n == 1 else f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    numbers[base] = n
    return candidate
