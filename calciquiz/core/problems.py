"""Errors in instructors' files, each naming the file, the line and the problem."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A message quotes what is in the file; a 1 MB field must not become a 1 MB line of output.
MAX_MESSAGE_CHARS = 500
# A file full of the same mistake is reported by its first problems and a count of the rest.
MAX_PROBLEMS_PER_FILE = 50


def one_line(text: str) -> str:
    """Messages quote what is in the file; control characters are shown escaped, never as line breaks."""
    if text.isprintable():  # nearly every message; the escaping below is a Python loop per character
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in text)


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: Path
    line: int | None
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(shorten(self.message)))

    @property
    def where(self) -> str:
        """'file:line', or the file alone for a problem of the whole file."""
        # A file name with bytes that are not UTF-8 holds lone surrogates, which no terminal can print.
        file = one_line(str(self.file))
        return f"{file}:{self.line}" if self.line else file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FileProblems(list):
    """The problems of one file: the first MAX_PROBLEMS_PER_FILE are kept, the rest only counted."""

    def __init__(self, path: Path, limit: int = MAX_PROBLEMS_PER_FILE):
        super().__init__()
        self.path = path
        self.limit = limit
        self.found = 0

    def append(self, problem: Problem) -> None:
        self.found += 1
        if len(self) < self.limit:
            super().append(problem)

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)

    @property
    def full(self) -> bool:
        """True once further problems would only be counted (so costly hints can be skipped)."""
        return self.found >= self.limit

    def report(self) -> list[Problem]:
        more = self.found - len(self)
        tail = [Problem(self.path, None, f"... and {more:,} more problems in this file")] if more else []
        return list(self) + tail


class InputError(Exception):
    """Raised when input files have problems; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
