"""Questions as the bank holds them, and the constants of the question-file format."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from calciquiz.core.documents import MAX_QUOTE_CHARS
from calciquiz.core.formats import suffixes

KINDS = ("mcq", "vignette")
SKILLS = ("recall", "application")
QUESTION_FIELDS = ("id", "stem", "options", "answer")
# A question brought from Moodle, GIFT, Aiken or a spreadsheet rarely has all of these, and must
# still build so residents can study it today: a missing kind or skill takes its default, missing
# teaching text is listed by `calciquiz lint`, and missing evidence is linked automatically.
OPTIONAL_QUESTION_FIELDS = ("kind", "topics", "skill", "explanation", "learning_point", "evidence",
                            "accept_warnings", "image")
DEFAULT_KIND, DEFAULT_SKILL = "mcq", "recall"
IMAGE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_IMAGE_BYTES = 5_000_000
# Longer than any sane relative path, and short enough that no system refuses it as too long.
MAX_IMAGE_NAME_CHARS = 200
# What a field may hold, in characters and lines: about six times the longest in the shipped bank
# (stem 788 characters and 3 lines, option 74, rationale 195, explanation 847, learning point 153,
# quote 258), and far below what makes the study screen slow (a 10,000-line stem took 2.7 s to show).
FIELD_LIMITS = {
    "stem": (5_000, 60),
    "explanation": (5_000, 60),
    "learning_point": (1_000, 10),
    "text": (500, 5),  # an option
    "rationale": (3_000, 30),
    "quote": (MAX_QUOTE_CHARS, 30),
    "document": (80, 1),
}
MAX_REASON_CHARS = 1_000  # why a lint warning is accepted
MAX_EVIDENCE = 10
OPTION_FIELDS = ("text", "rationale")  # rationale may be left out
# Item-writing warnings that `calciquiz lint` gives; a question may accept one with a reason.
WARNING_CODES = {
    "negative-lead-in": "the lead-in asks for an exception (EXCEPT, NOT, LEAST)",
    "absolute-word": "an option uses an absolute word (always, never, all, none, only ...)",
    "key-longest": "the key is clearly the longest option",
    "uneven-options": "the options are of very uneven length",
    "lead-in-not-question": "the lead-in is not a question",
    "stem-word-in-key": "a word of the stem is repeated in the key and in no other option",
    # What an imported question often lacks: it builds without them, and the instructor finishes it.
    "no-topics": "the question names none of the subject's topics",
    "no-explanation": "the question has no explanation",
    "no-learning-point": "the question has no learning point",
    "no-rationale": "an option has no rationale",
    "auto-linked": "the evidence was linked automatically and not checked by the instructor",
}
EVIDENCE_FIELDS = ("document", "quote")
LETTERS = "ABCDEFGHIJ"
MAX_OPTIONS = len(LETTERS)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")


@dataclass(frozen=True)
class Option:
    text: str
    rationale: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Evidence:
    """A quote from a document that supports a question's key, and where it stands."""

    document_id: str  # qualified like question ids once resolved: "<subject>/<document id>"
    quote: str
    passage_ordinal: int = -1
    start: int = -1
    end: int = -1
    line: int = field(default=0, compare=False)
    # Chosen by the build's linker for a question that came without evidence, not by an instructor.
    auto: bool = False
    score: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Question:
    id: str  # qualified: "<subject>/<id in its file>", unique in any bank and across banks
    kind: str
    topics: tuple[str, ...]
    skill: str
    stem: str
    options: tuple[Option, ...]
    answer: int  # index into options, as authored
    explanation: str
    learning_point: str
    evidence: tuple[Evidence, ...]
    file: str = ""
    line: int = 0
    accepted_warnings: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    image: str = ""  # a path relative to the question file's folder, resolved and checked at load
    image_data: bytes = field(default=b"", compare=False, repr=False)
    subject: str = ""  # the subject's id
    set_id: str = ""  # "<subject>/<file stem>"
    local_id: str = ""  # the id as written in the question file

    @property
    def name(self) -> str:
        """The id an instructor wrote (the qualified id without its subject)."""
        return self.local_id or self.id.split("/", 1)[-1]

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


def question_files(directory: Path) -> list[Path]:
    """The question-set files below a directory, in a stable order.

    Anything named *.yaml that is not a folder is listed, so a FIFO or a broken link gets an
    error of its own instead of being skipped without a word.
    """
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in suffixes() and not p.is_dir())
