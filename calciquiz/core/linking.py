"""Evidence linked automatically: the passage of a subject's documents that best supports a question.

A question brought from Moodle, GIFT, Aiken or a spreadsheet has no evidence quote. The build ranks
the subject's teaching passages for it and takes the supporting sentence of the best one as its
quote, marked auto-linked; a question no passage supports well enough is left out and said.

Ranking is BM25 over passages with a query weighted by where each word stands in the question:
the key's words weigh most (the passage must say what the answer is), the stem's and learning
point's next, the explanation's and the key's rationale a little; words found only in the
distractors count against a passage (a passage that lists every option supports none of them).
The best sentence of each passage adds to its score, because a quote is one sentence and a long
passage that mentions many query words once each supports less than one sentence that holds them.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from calciquiz.core.documents import BULLET, MAX_QUOTE_CHARS, Document, Passage, locate_quote
from calciquiz.core.problems import Problem
from calciquiz.core.questions import Evidence, Question

# Part of every cache key: a change to how links are made (weights, threshold, words) links again.
LINKER_VERSION = 1

# Field weights, chosen on the shipped bank's questions whose id hashes even (bench/linking.py, a grid
# over them; among ties the weights nearest to the first guess): the others were only measured.
KEY_WEIGHT = 3.0
STEM_WEIGHT = 1.0
LEARNING_POINT_WEIGHT = 1.0
EXPLANATION_WEIGHT = 0.5
KEY_RATIONALE_WEIGHT = 1.0
DISTRACTOR_WEIGHT = -0.5  # a word only the wrong options hold
SENTENCE_WEIGHT = 0.5  # how much a passage's best sentence adds to the passage's BM25
# For a question with no explanation, learning point or key rationale (most imported ones) the stem
# and key alone say too little about the passage, and the one sentence that holds the key says most.
BARE_SENTENCE_WEIGHT = 4.0
K1, B = 1.2, 0.75  # BM25's usual constants
SHORTLIST = 30  # passages, by BM25, whose sentences are scored
# The least support a link needs (support: a passage's score as a share of the most it could score).
# Linked with their evidence hidden, the shipped bank's and the fixture's questions score at least 0.089
# (0.050 with their explanation, rationales and learning point hidden too, as an import may come);
# linked to the other subject's documents, where nothing supports them, 95 in 100 score at most 0.032
# (a few reach 0.21, sharing words such as "type" or "phase" with them). 0.045 lies between the two.
# bench/linking.py prints these figures again.
MIN_SUPPORT = 0.045

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just may me might more most much must my no nor not of off on
once only or other our out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which while who whom why will
with would you your following best likely most least true false correct answer option statement describes
""".split())
WORD = re.compile(r"[a-z0-9]+")
SUFFIXES = ("ational", "ations", "ation", "ities", "ity", "ically", "ical", "ness", "ments", "ment", "ings", "ing",
            "edly", "ed", "ies", "ic", "es", "s", "al", "ly", "ous", "ive", "y", "e")
# A sentence ends at . ! or ? with any closing quotes and citation marks ("... cutis.[1]") after it.
SENTENCE_END = re.compile(r"(?<=[.!?])(?:[\"'”’)]|\[\d+(?:[,–-]\s?\d+)*\])*\s+(?=[\"'“(\[A-Z0-9])")
CLOSING = re.compile(r"[.!?:](?:[\"'”’)]|\[\d+(?:[,–-]\s?\d+)*\])*$")
ITEM = re.compile(rf"^(?:{BULLET}|[-*+]|\d+[.)])\s")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripper, so "calcified", "calcification" and "calcifications" meet as one word."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The text's content words, lowercased and stemmed: the unit of every comparison here."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


@dataclass(frozen=True)
class Candidate:
    """A passage ranked for a question, with the quote a link to it would hold."""

    document: Document
    passage: Passage
    rank_score: float  # BM25 plus the best sentence's: orders the candidates of one question
    support: float  # 0..1, comparable across questions: decides whether a link is made at all
    quote: str
    start: int  # offsets of the quote in the passage's text (as locate_quote gives them)
    end: int

    def evidence(self) -> Evidence:
        return Evidence(self.document.id, self.quote, self.passage.ordinal, self.start, self.end, auto=True,
                        score=round(self.support, 4))


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a list item, of a passage: its span in the flattened text and its words."""

    start: int
    end: int
    terms: frozenset[str]
    item: bool


@dataclass
class _Indexed:
    document: Document
    passage: Passage
    flat: str
    tf: Counter
    length: int
    units: list[_Unit]


def split_units(text: str) -> list[tuple[int, int, bool]]:
    """Sentences and list items of a passage as (start, end, is_item) spans of its flattened text.

    A passage's text keeps its lines, and a list item is always a line of its own; the flattened text
    (newlines as spaces) has the same offsets, which is what locate_quote matches quotes against.
    """
    spans: list[tuple[int, int, bool]] = []
    offset = 0
    for line in text.split("\n"):
        if ITEM.match(line):
            spans.append((offset, offset + len(line), True))
        else:
            start = 0
            for match in SENTENCE_END.finditer(line):
                spans.append((offset + start, offset + match.start(), False))
                start = match.end()
            if start < len(line):
                spans.append((offset + start, offset + len(line), False))
        offset += len(line) + 1
    # Prose sentences that run over a line break are joined again: only an item line ends a unit by itself.
    merged: list[tuple[int, int, bool]] = []
    for span in spans:
        if merged and not span[2] and not merged[-1][2] and not _ends_sentence(text[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], span[1], False)
        else:
            merged.append(span)
    return [s for s in merged if text[s[0]:s[1]].strip()]


def _ends_sentence(text: str) -> bool:
    return bool(CLOSING.search(text.rstrip()))


class Linker:
    """The teaching passages of one subject's documents, indexed once, ranked for any question."""

    def __init__(self, documents: list[Document]):
        # Read here rather than at each use so a benchmark can measure the linker without one of them.
        self.weights = {"key": KEY_WEIGHT, "stem": STEM_WEIGHT, "learning_point": LEARNING_POINT_WEIGHT,
                        "explanation": EXPLANATION_WEIGHT, "key_rationale": KEY_RATIONALE_WEIGHT,
                        "distractor": DISTRACTOR_WEIGHT, "sentence": SENTENCE_WEIGHT,
                        "bare_sentence": BARE_SENTENCE_WEIGHT}
        self.passages: list[_Indexed] = []
        df: Counter = Counter()
        for document in documents:
            for passage, flat in zip(document.passages, document.flat_passages):
                if not passage.is_teaching or "\0" in flat:
                    # A NUL cannot be quoted (the quote finder refuses it, and a YAML set cannot hold it), so
                    # a passage holding one would give a quote that fails its own check; documents should not
                    # hold one at all (calciquiz.core.documents lets it through).
                    continue
                terms = words(flat)
                units = [_Unit(s, e, frozenset(words(flat[s:e])), item) for s, e, item in split_units(passage.text)]
                units = units or [_Unit(0, len(flat), frozenset(terms), False)]
                self.passages.append(_Indexed(document, passage, flat, Counter(terms), len(terms), units))
                df.update(set(terms))
        n = len(self.passages)
        self.average_length = sum(p.length for p in self.passages) / n if n else 1.0
        # BM25's idf; a word no passage holds gets the highest, so a question full of words the documents
        # never use scores low support, as it should.
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: dict[str, list[int]] = {}
        for i, indexed in enumerate(self.passages):
            for term in indexed.tf:
                self.postings.setdefault(term, []).append(i)

    def query(self, question: Question) -> dict[str, float]:
        """Each word of the question with its weight (see the module's docstring)."""
        key = question.options[question.answer]
        weights: Counter = Counter()
        w = self.weights
        fields = [(key.text, w["key"]), (question.stem, w["stem"]), (question.learning_point, w["learning_point"]),
                  (question.explanation, w["explanation"]), (key.rationale, w["key_rationale"])]
        for text, weight in fields:
            if weight:
                for term in set(words(text)):
                    weights[term] += weight
        if w["distractor"]:
            for i, option in enumerate(question.options):
                if i != question.answer:
                    for term in set(words(option.text)) - set(weights):
                        weights[term] = w["distractor"]
        return dict(weights)

    def rank(self, question: Question, limit: int = 3) -> list[Candidate]:
        """The best `limit` passages for the question, best first."""
        weights = self.query(question)
        key = question.options[question.answer]
        taught = question.explanation or question.learning_point or key.rationale
        sentence_weight = self.weights["sentence" if taught else "bare_sentence"]
        idf = {t: self.idf.get(t, self.unseen_idf) for t in weights}
        scores: dict[int, float] = {}
        for term, weight in weights.items():
            for i in self.postings.get(term, ()):
                indexed = self.passages[i]
                tf = indexed.tf[term]
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * indexed.length / self.average_length))
                scores[i] = scores.get(i, 0.0) + weight * idf[term] * norm
        ranked: list[tuple[float, int, _Unit]] = []
        # The sentence bonus reorders the passages BM25 puts near the top; scoring every sentence of
        # every passage that shares a word would cost most of the time for nothing.
        shortlist = sorted(scores.items(), key=lambda item: -item[1])[:SHORTLIST]
        for i, bm25 in shortlist:
            unit, unit_score = self._best_unit(self.passages[i], weights, idf)
            ranked.append((bm25 + sentence_weight * unit_score, i, unit))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        # What a passage of average length would score holding every wanted word once, all in one sentence:
        # the score as a share of it is comparable across questions (a long question scores more).
        most = (1 + sentence_weight) * sum(w * idf[t] for t, w in weights.items() if w > 0)
        return [self._candidate(self.passages[i], unit, score, most) for score, i, unit in ranked[:limit]]

    def link(self, question: Question) -> Evidence | None:
        """The auto-linked evidence of a question, or None when no passage supports it well enough."""
        best = self.rank(question, limit=1)
        if not best or best[0].support < MIN_SUPPORT:
            return None
        return best[0].evidence()

    def _best_unit(self, indexed: _Indexed, weights: dict[str, float], idf: dict[str, float]) -> tuple[_Unit, float]:
        best, best_score = indexed.units[0], -math.inf
        for unit in indexed.units:
            score = sum(weights[t] * idf[t] for t in unit.terms if t in weights)
            if score > best_score:
                best, best_score = unit, score
        return best, max(best_score, 0.0)

    def _candidate(self, indexed: _Indexed, unit: _Unit, score: float, most: float) -> Candidate:
        support = min(1.0, score / most) if most > 0 else 0.0
        start, end = self._quote_span(indexed, unit)
        quote, passage = indexed.flat[start:end], indexed.passage
        # Once accepted, the quote is found where locate_quote finds it: the first teaching passage
        # holding those words. Link there too, so accepting a link never moves it.
        found = locate_quote(indexed.document, quote, hint=False)
        if not isinstance(found, str) and found[0].ordinal != passage.ordinal:
            passage, start, end = found
        return Candidate(indexed.document, passage, score, support, quote, start, end)

    def _quote_span(self, indexed: _Indexed, unit: _Unit) -> tuple[int, int]:
        """Whole sentences: the unit, and for a list item the list's lead-in with the items up to it."""
        start = unit.start
        if unit.item:
            position = indexed.units.index(unit)
            lead = next((u for u in reversed(indexed.units[:position]) if not u.item), None)
            if lead is not None and unit.end - lead.start <= MAX_QUOTE_CHARS:
                start = lead.start
        end = min(unit.end, start + MAX_QUOTE_CHARS)
        text = indexed.flat[start:end]
        stripped = text.strip()
        offset = start + text.index(stripped) if stripped else start
        return offset, offset + len(stripped)


def subject_digest(documents: list[Document]) -> str:
    """What every link of a subject depends on besides its question: its documents' ids and texts."""
    digest = hashlib.sha256()
    for document in documents:
        digest.update(f"{document.id}\0{document.checksum}\0".encode())
    return digest.hexdigest()


def link_key(question: Question, documents_digest: str) -> str:
    """A hash of everything the linker reads of a question, and of the documents it links into."""
    inputs = (question.stem, question.answer, [(o.text, o.rationale) for o in question.options],
              question.explanation, question.learning_point, documents_digest, LINKER_VERSION)
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


@dataclass
class LinkCache:
    """Links made by earlier builds, by link_key: an Evidence, or None for "no passage supports it".

    The build reads them from the bank it is about to replace, so an unchanged question is never
    linked twice; `used` is what this build needed, which the new bank keeps for the next one.
    """

    known: dict[str, Evidence | None] = field(default_factory=dict)
    used: dict[str, Evidence | None] = field(default_factory=dict)
    linked: int = 0  # questions the linker ranked in this build (the rest came from `known`)
    # Questions no passage supports, left out of the bank: `calciquiz link` still shows their candidates.
    left_out: list[Question] = field(default_factory=list)


def how_to_add_evidence(file: str | Path) -> str:
    """How an instructor gives a question evidence, in the words of the format its file is in."""
    suffix = Path(file).suffix.lower()
    if suffix == ".csv":
        return "fill in its document and quote cells"
    if suffix == ".gift":
        return "add a line '// [evidence:DOCUMENT] QUOTE' above it"
    if suffix == ".xml":
        return 'add <calciquiz><evidence document="DOCUMENT">QUOTE</evidence></calciquiz> to it'
    if suffix == ".txt":  # GIFT or Aiken, and Aiken has no place for it
        return "convert the file with calciquiz convert and add `evidence` to the question"
    return "add `evidence` by hand"


def _still_holds(evidence: Evidence | None, documents: dict[str, Document]) -> bool:
    """Whether a remembered link may be used as it is: its quote is still found, word for word, where it says.

    The key it is remembered by covers the documents' texts, so this holds for every link a build wrote;
    it guards against a bank file edited by hand or damaged, whose link would otherwise reach the bank (or
    fail to, with a traceback) unchecked. Such a link is made again.
    """
    if evidence is None:
        return True  # "no passage supports it"
    document = documents.get(evidence.document_id)
    if document is None or not isinstance(evidence.quote, str) or not isinstance(evidence.score, (int, float)):
        return False
    found = locate_quote(document, evidence.quote, hint=False)
    return not isinstance(found, str) and (found[0].ordinal, found[1], found[2]) == (
        evidence.passage_ordinal, evidence.start, evidence.end)


def link_missing(questions: list[Question], documents: list[Document], subject: str,
                 cache: LinkCache | None = None) -> tuple[list[Question], list[Problem]]:
    """The questions, each without evidence given the best passage's quote, and a Problem for each one
    no passage supports well enough (left out)."""
    cache = cache if cache is not None else LinkCache()
    kept: list[Question] = []
    skipped: list[Problem] = []
    linker: Linker | None = None  # indexed only when some question is not in the cache
    digest = subject_digest(documents) if any(not q.evidence for q in questions) else ""
    by_id = {d.id: d for d in documents}
    for question in questions:
        if question.evidence:
            kept.append(question)
            continue
        key = link_key(question, digest)
        if key in cache.known and _still_holds(cache.known[key], by_id):
            evidence = cache.known[key]
        else:
            linker = linker or Linker(documents)
            evidence = linker.link(question)
            cache.linked += 1
        cache.used[key] = evidence
        if evidence is None:
            cache.left_out.append(question)
            skipped.append(Problem(Path(question.file), question.line,
                                   f"question '{question.name}': no supporting passage found in the documents of "
                                   f"{subject}; {how_to_add_evidence(question.file)} (left out of the bank)"))
        else:
            kept.append(replace(question, evidence=(evidence,)))
    return kept, skipped
