"""Item-writing checks for question sets, after the NBME item-writing discipline.

Errors are flaws no shipped item may have; warnings are cues a test-wise reader can use.
A question may accept a warning with a written reason (`accept_warnings`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from calciquiz.core.documents import Document
from calciquiz.core.problems import Problem
from calciquiz.core.questions import LETTERS, Evidence, Question

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
# A lead-in that asks what a source says tests which web page lists what, not clinical reasoning.
SOURCE_ATTRIBUTION = re.compile(
    r"\baccording to\b"
    r"|\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:described|listed|named|documented|mentioned|cited|stated|reported|called)\b"
    r"|\b(?:does|do|did)\s+(?:it|they|the\s+\w+(?:\s+\w+)?|\w+)\s+(?:say|list|name|describe|give|make|mention|state|add"
    r"|call|report|document)\b"
    r"|\b(?:sources?|documents?|pages?|articles?|text|Medscape|Medicover|authors?)\s+(?:lists?|names?|describes?|says?"
    r"|states?|mentions?|gives?|cites?|calls?|adds?|reports?)\b"
    r"|\bsupported by the (?:sources|documents|page|article)\b",
    re.IGNORECASE,
)
# A quote of fewer words than this shows too little on its own (a lone bullet such as "acne").
SHORT_QUOTE_WORDS = 5
AUTO_QUOTE_WORDS = 8  # of an auto-linked quote, shown by `calciquiz lint`
BULLET = "\n•"
# A word in at least this share of all questions (stem and options) is the subject's everyday
# vocabulary (the type names, "nodule", "serum"): naming it in a stem gives nothing away.
EVERYDAY_SHARE = 0.05
EVERYDAY_MIN = 3  # in a small set, a word must still recur in this many questions to count as everyday
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
        return f"{self.severity}: {self.problem.where}: [{self.code}] {self.problem.message}{note}"


def lead_in(stem: str) -> str:
    """The question the stem ends with: the last sentence of its last paragraph."""
    last = [p for p in stem.split("\n\n") if p.strip()][-1]
    return SENTENCE_END.split(" ".join(last.split()))[-1]


def _words(text: str, everyday: frozenset[str] = frozenset()) -> set[str]:
    return {w.rstrip("s") for w in WORD.findall(text.lower()) if w not in COMMON_WORDS and w not in everyday}


def _report_to(findings: list[Finding], question: Question):
    accepted = dict(question.accepted_warnings)

    def report(severity: str, code: str, line: int | None, message: str) -> None:
        reason = accepted.get(code, "") if severity == "warning" else ""
        findings.append(Finding(severity, code, Problem(Path(question.file), line,
                                                        f"question '{question.name}': {message}"), reason))
    return report


def lint_question(question: Question, everyday_words: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    report = _report_to(findings, question)
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
    if match := SOURCE_ATTRIBUTION.search(question_text):
        report("warning", "source-attribution", question.line,
               f"the lead-in asks what a source says ('{match.group(0)}'); ask what to do or what is most likely")
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
    return findings


def lint_teaching(question: Question, documents: dict[str, Document]) -> list[Finding]:
    """What a resident reads after answering that the question lacks, and evidence nobody checked."""
    findings: list[Finding] = []
    report = _report_to(findings, question)
    if not question.topics:
        # An import whose categories and tags name no topic (or Aiken, which has none) builds without one, but
        # topic blocks, the progress screen and coverage leave it out until it has one.
        report("warning", "no-topics", question.line, "no topic: give it one of the subject's topics")
    if not question.explanation:
        report("warning", "no-explanation", question.line, "no explanation")
    if not question.learning_point:
        report("warning", "no-learning-point", question.line, "no learning point")
    missing = [LETTERS[i] for i, option in enumerate(question.options) if not option.rationale]
    if missing:
        report("warning", "no-rationale", question.line, f"no rationale for option(s) {', '.join(missing)}")
    for evidence in question.evidence:
        if evidence.auto:
            document = documents.get(evidence.document_id)
            name = document.local_id if document else evidence.document_id.split("/", 1)[-1]
            words = evidence.quote.split()
            first = " ".join(words[:AUTO_QUOTE_WORDS]) + (" …" if len(words) > AUTO_QUOTE_WORDS else "")
            report("warning", "auto-linked", question.line,
                   f"evidence linked automatically to {name}: \"{first}\"; check it with `calciquiz link "
                   f"{question.name}` and keep it with --accept")
    return findings


def _evidence_parts(evidence: Evidence, documents: dict[str, Document]) -> tuple[bool, bool, bool]:
    """(short, list lead-in only, inside a list's bullets) for one resolved quote."""
    short = len(evidence.quote.split()) < SHORT_QUOTE_WORDS
    document = documents.get(evidence.document_id)
    if document is None or evidence.passage_ordinal < 0:
        return short, False, False
    text = document.passages[evidence.passage_ordinal].text
    first_bullet = text.find(BULLET)
    if first_bullet < 0:
        return short, False, False
    if evidence.start >= first_bullet:
        return short, False, True
    # The quote is the line that opens the list ("... include:"): it ends at the colon before the
    # bullets. A whole sentence that happens to stand before a list says something on its own.
    tail = text[evidence.end:first_bullet]
    lead_in_only = (evidence.end <= first_bullet and not re.search(r"\w", tail)
                    and (evidence.quote.rstrip().endswith(":") or ":" in tail))
    return short, lead_in_only, False


def lint_evidence(question: Question, documents: dict[str, Document]) -> list[Finding]:
    """short-evidence: the quotes do not show the key on their own.

    That is: a list's lead-in quoted without any bullet of its list (the keyed item sits in
    the un-highlighted bullet), a short bullet quoted without its lead-in, or nothing but quotes
    of a few words.
    """
    parts = [(e, *_evidence_parts(e, documents)) for e in question.evidence]
    lead_ins = {(e.document_id, e.passage_ordinal) for e, _, lead_in_only, _ in parts if lead_in_only}
    bulleted = {(e.document_id, e.passage_ordinal) for e, _, _, in_bullets in parts if in_bullets}
    problem = ""
    if lead_ins - bulleted:
        problem = "a list's lead-in is quoted without the bullet that names the key"
    elif any(short and in_bullets and (e.document_id, e.passage_ordinal) not in lead_ins
             for e, short, _, in_bullets in parts):
        problem = "a bullet of a few words is quoted without its list's lead-in"
    elif all(short for _, short, _, _ in parts) and not lead_ins & bulleted:
        problem = f"every quote has fewer than {SHORT_QUOTE_WORDS} words"
    if not problem:
        return []
    findings: list[Finding] = []
    _report_to(findings, question)("warning", "short-evidence", question.evidence[0].line or question.line,
                                   f"no quote carries the key on its own: {problem}; quote the sentence, "
                                   "or the bullet beside its lead-in")
    return findings


def _word_list(text: str) -> list[str]:
    return [w.rstrip("s") for w in WORD.findall(text.lower())]


def _holds_phrase(stem_words: list[str], key_words: set[str], window: int) -> bool:
    """True when every telling word of a key stands within `window` words of a stem, in any order."""
    places = [i for i, word in enumerate(stem_words) if word in key_words]
    for first in places:
        if {stem_words[i] for i in places if first <= i < first + window} >= key_words:
            return True
    return False


def lint_give_aways(questions: list[Question], everyday_words: frozenset[str] = frozenset()) -> list[Finding]:
    """stem-gives-away: a stem holding every telling word of another question's key."""
    stems = {q.id: _words(q.stem, everyday_words) for q in questions}
    share = Counter(word for q in questions for word in
                    stems[q.id].union(*(_words(option.text, everyday_words) for option in q.options)))
    everyday = {word for word, n in share.items() if n >= max(EVERYDAY_MIN, EVERYDAY_SHARE * len(questions))}
    stem_lists = {q.id: _word_list(q.stem) for q in questions}
    findings: list[Finding] = []
    for other in questions:
        key_text = other.options[other.answer].text
        key_words = _words(key_text, everyday_words) - everyday
        all_words = set(_word_list(key_text))
        # A single telling word among common ones ("Most people with her condition...") is no key text;
        # a key that is wholly a name ("Probenecid", "Calcium gluconate") is.
        if not key_words or (len(key_words) < 2 and key_words != all_words):
            continue
        window = len(_word_list(key_text)) + 2
        for question in questions:
            if question.id != other.id and key_words <= stems[question.id] \
                    and _holds_phrase(stem_lists[question.id], key_words, window):
                _report_to(findings, question)(
                    "warning", "stem-gives-away", question.line,
                    f"the stem holds the key of question '{other.name}' ({other.file}:{other.line}): "
                    f"'{other.options[other.answer].text}'")
    return findings


def _stale_acceptances(question: Question, findings: list[Finding]) -> list[Finding]:
    fired = {f.code for f in findings}
    stale: list[Finding] = []
    for code, _ in question.accepted_warnings:
        if code not in fired:
            _report_to(stale, question)("warning", "stale-acceptance", question.line,
                                        f"accepts '{code}', which no longer applies; remove the acceptance")
    return stale


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


def lint(questions: list[Question], where: Path, everyday_words: frozenset[str] = frozenset(),
         documents: list[Document] | None = None) -> list[Finding]:
    """Every check over one subject's questions.

    `everyday_words` are the subject's words that are never a cue; the evidence check needs the
    documents the quotes come from.
    """
    by_id = {d.id: d for d in documents or []}
    given_away = lint_give_aways(questions, everyday_words)
    findings: list[Finding] = []
    for question in questions:
        own = lint_question(question, everyday_words) + [f for f in given_away if f.problem.message.startswith(
            f"question '{question.name}':")]
        if documents is not None:
            own += lint_evidence(question, by_id)
        own += lint_teaching(question, by_id)
        findings += own + _stale_acceptances(question, own)
    return findings + lint_balance(questions, where)
