"""The Aiken format (Moodle docs "Aiken format"): a question, its options 'A. text' or 'A) text', 'ANSWER: X'.

    Which type of calcinosis cutis is the most common?
    A. Dystrophic
    B. Metastatic
    ANSWER: A

Aiken carries no feedback, no title and no category; questions are separated by blank lines, and
a line that fits nowhere is a problem with its line rather than a guess.
"""
from __future__ import annotations

import re
from pathlib import Path

from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence, TakenIds, derive_id
from calciquiz.core.formats.textfile import blocks, read_text, too_long
from calciquiz.core.problems import InputError, Problem

SUFFIXES = (".txt",)  # shared with GIFT: formats.read_set tells them apart by content
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OPTION = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
ANSWER = re.compile(r"^ANSWER:[ \t]*(.*)$")
ANSWER_ANY_CASE = re.compile(r"^answer\s*:", re.IGNORECASE)
LOWERCASE_OPTION = re.compile(r"^([a-z])[.)][ \t]+\S")


def read_set(path: Path, problems: list[Problem]) -> RawSet:
    """Read one Aiken file; a file that cannot be read at all raises InputError."""
    return parse_set(path, read_text(path), problems)


def parse_set(path: Path, text: str, problems: list[Problem]) -> RawSet:
    result = RawSet(path, path.stem)
    taken = TakenIds()
    for first, block in blocks(text, path):
        if block is None:
            problems.append(too_long(path, first))
        else:
            _read_block(path, first, block, result, taken, problems)
    if not result.questions and not problems:
        raise InputError([Problem(path, 1, "no questions found: an Aiken question is its text, options "
                                           "'A. text' on their own lines, and 'ANSWER: A'")])
    return result


def _read_block(path: Path, first_line: int, block: list[str], result: RawSet, taken: set[str],
                problems: list[Problem]) -> None:
    """A blank-line-separated run of lines: one question or more, each ended by its ANSWER line."""
    stem: list[str] = []
    stem_lines: list[tuple[int, str]] = []  # the stem's lines with their numbers, for a message
    options: list[Mapping] = []
    first = 0
    for number, raw_line in enumerate(block, start=first_line):
        line = raw_line.strip()
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            lowercase = next((n for n, text in stem_lines if LOWERCASE_OPTION.match(text)), None)
            if not options and lowercase is not None:
                # Options lettered 'a)' were read as more question text: say so where the first one is.
                letter = LOWERCASE_OPTION.match(dict(stem_lines)[lowercase]).group(1)
                problems.append(Problem(path, lowercase, f"option '{letter}' must be a capital letter: write "
                                                         f"'{letter.upper()}. text' or '{letter.upper()}) text'"))
            elif not options:
                problems.append(Problem(path, number, "'ANSWER:' with no options ('A. text') above it"))
            else:
                text = "\n".join(stem)
                values = {"id": derive_id("", text, taken), "stem": text,
                          "options": Sequence.of(options, options[0].line, [o.line for o in options]),
                          "answer": answer.group(1).strip()}
                lines = {"id": first, "stem": first, "options": options[0].line, "answer": number}
                result.questions.append(RawQuestion(first, Mapping.of(values, first, lines)))
            stem, options, stem_lines = [], [], []
        elif option and stem:
            expected = LETTERS[len(options)] if len(options) < len(LETTERS) else "?"
            if option.group(1) != expected:
                problems.append(Problem(path, number, f"option '{option.group(1)}' where '{expected}' was due: "
                                                      "options go A, B, C ... in order"))
                return
            options.append(Mapping.of({"text": option.group(2).strip()}, number))
        elif option:
            problems.append(Problem(path, number, f"option '{option.group(1)}' with no question text above it"))
            return
        elif options:
            hint = ("; write 'ANSWER:' in capitals" if ANSWER_ANY_CASE.match(line)
                    else "; put a blank line between questions")
            problems.append(Problem(path, number, f"expected an option ('{LETTERS[min(len(options), 25)]}. text') "
                                                  f"or 'ANSWER: X' after the options{hint}"))
            return
        else:
            first = first if stem else number
            stem.append(line)
            stem_lines.append((number, line))
    if stem or options:
        problems.append(Problem(path, first, "question has no 'ANSWER: X' line (it ends at a blank line or the "
                                             "end of the file)"))
