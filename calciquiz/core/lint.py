"""Item-writing checks for question sets, after the NBME item-writing discipline.

Errors are flaws no shipped item may have; warnings are cues a test-wise reader can use.
A question may accept a warning with a written reason (`accept_warnings`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from calciquiz.core.problems import Problem
from calciquiz.core.questions import LETTERS, Question

COMBINED_OPTION = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|following|these|options)\b|^(both )?[A-J] and [A-J]$",
    re.IGNORECASE,
)
NEGATIVE = re.compile(r"\b(except|not|least)\b", re.IGNORECASE)
ABSOLUTE = re.compile(r"\b(always|never|all|none|only|every|invariably|entirely)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
WORD = re.compile(r"[a-z]{4,}")
# Words that carry no cue in any subject: grammar and the words of every clinical question. A subject
# adds its own vocabulary, which every option shares in spirit, as `everyday_words` in its subject.yaml.
COMMON_WORDS = frozenset(
    """
    about above after also among another because been before being best between both could does during each
    from have having into just like more most much must only other over same should some such than that
    their them then there these they this those through under very what when where which while with would
    your likely following patient patients woman year years old lesion lesions skin type types form forms
    condition conditions disease diseases clinic
    """.split()
)
KEY_LONGEST_RATIO = 1.25
KEY_LONGEST_MARGIN = 12
UNEVEN_RATIO = 3.0
UNEVEN_MARGIN = 30


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    code: str
    problem: Problem
    accepted_because: str = ""

    def __str__(self) -> str:
        note = f" (accepted: {self.accepted_because})" if self.accepted_because else ""
        return f"{self.severity}: {self.problem.file}:{self.problem.line}: [{self.code}] {self.problem.message}{note}"


def lead_in(stem: str) -> str:
    """The question the stem ends with: the last sentence of its last paragraph."""
    last = [p for p in stem.split("\n\n") if p.strip()][-1]
    return SENTENCE_END.split(" ".join(last.split()))[-1]


def _words(text: str, everyday: frozenset[str] = frozenset()) -> set[str]:
    return {w.rstrip("s") for w in WORD.findall(text.lower()) if w not in COMMON_WORDS and w not in everyday}


def lint_question(question: Question, everyday_words: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    path = Path(question.file)
    accepted = dict(question.accepted_warnings)

    def report(severity: str, code: str, line: int, message: str) -> None:
        reason = accepted.get(code, "") if severity == "warning" else ""
        findings.append(Finding(severity, code, Problem(path, line, f"question '{question.name}': {message}"), reason))

    options = question.options
    for index, option in enumerate(options):
        if COMBINED_OPTION.search(option.text):
            report("error", "combined-option", option.line,
                   f"option {LETTERS[index]} '{option.text}' combines or negates other options")
        elif match := ABSOLUTE.search(option.text):
            report("warning", "absolute-word", option.line,
                   f"option {LETTERS[index]} uses the absolute word '{match.group(0)}'")
    question_text = lead_in(question.stem)
    if not question_text.endswith("?"):
        report("warning", "lead-in-not-question", question.line, f"the lead-in is not a question: '{question_text}'")
    if match := NEGATIVE.search(question_text):
        report("warning", "negative-lead-in", question.line, f"negative lead-in ('{match.group(0)}')")
    lengths = [len(o.text) for o in options]
    key_length = lengths[question.answer]
    others = [n for i, n in enumerate(lengths) if i != question.answer]
    if others and key_length >= KEY_LONGEST_RATIO * max(others) and key_length - max(others) >= KEY_LONGEST_MARGIN:
        report("warning", "key-longest", options[question.answer].line,
               f"the key ({key_length} characters) is clearly longer than every other option (at most {max(others)})")
    if max(lengths) >= UNEVEN_RATIO * min(lengths) and max(lengths) - min(lengths) >= UNEVEN_MARGIN:
        report("warning", "uneven-options", question.line,
               f"option lengths run from {min(lengths)} to {max(lengths)} characters")
    stem_words = _words(question.stem, everyday_words)
    distractor_words = set().union(*(_words(o.text, everyday_words) for i, o in enumerate(options)
                                     if i != question.answer))
    shared = sorted((stem_words & _words(options[question.answer].text, everyday_words)) - distractor_words)
    if shared:
        report("warning", "stem-word-in-key", options[question.answer].line,
               f"the key repeats stem word(s) no other option uses: {', '.join(shared)}")
    fired = {f.code for f in findings}
    for code in accepted:
        if code not in fired:
            report("warning", "stale-acceptance", question.line,
                   f"accepts '{code}', which no longer applies; remove the acceptance")
    return findings


def key_balance(questions: list[Question]) -> dict[int, Counter]:
    """How often the key stands at each authored position, grouped by number of options."""
    groups: dict[int, Counter] = {}
    for question in questions:
        groups.setdefault(len(question.options), Counter())[question.answer] += 1
    return groups


def lint_balance(questions: list[Question], where: Path) -> list[Finding]:
    findings = []
    for n_options, counts in sorted(key_balance(questions).items()):
        total = sum(counts.values())
        expected = total / n_options
        tolerance = max(2.0, 0.3 * expected)
        spread = {LETTERS[i]: counts.get(i, 0) for i in range(n_options)}
        off = {letter: n for letter, n in spread.items() if abs(n - expected) > tolerance}
        if off and total >= n_options * 2:
            shown = ", ".join(f"{k} {v}" for k, v in spread.items())
            findings.append(Finding("warning", "unbalanced-keys", Problem(where, None,
                f"keys of the {total} questions with {n_options} options are unbalanced ({shown}; "
                f"about {expected:.0f} each expected)")))
    return findings


def lint(questions: list[Question], where: Path, everyday_words: frozenset[str] = frozenset()) -> list[Finding]:
    """Every finding for one subject's questions; `everyday_words` are the subject's words that are never a cue."""
    findings = [f for q in questions for f in lint_question(q, everyday_words)]
    return findings + lint_balance(questions, where)
