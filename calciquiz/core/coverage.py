"""What the bank covers: questions per topic, kind and document; uncited teaching passages; key balance."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from calciquiz.core.documents import Document
from calciquiz.core.lint import key_balance
from calciquiz.core.questions import LETTERS, Question
from calciquiz.core.subjects import LoadedSubject


@dataclass(frozen=True)
class PassageGap:
    ordinal: int
    line: int
    section: str
    text: str
    reason: str = ""  # set when the catalog says why no question cites it


@dataclass
class DocumentCoverage:
    id: str
    title: str
    questions: int
    teaching_passages: int
    cited: int
    uncited: list[PassageGap] = field(default_factory=list)
    not_taught: list[PassageGap] = field(default_factory=list)


@dataclass
class CoverageReport:
    subject: str
    title: str
    questions: int
    kinds: dict[str, int]
    skills: dict[str, int]
    topics: dict[str, int]
    documents: list[DocumentCoverage]
    key_positions: dict[str, dict[str, int]]

    @property
    def uncited(self) -> int:
        return sum(len(d.uncited) for d in self.documents)

    def to_json(self) -> dict:
        return {
            "subject": self.subject,
            "title": self.title,
            "questions": self.questions,
            "kinds": self.kinds,
            "skills": self.skills,
            "topics": self.topics,
            "key_positions": self.key_positions,
            "documents": [
                {
                    "id": d.id, "title": d.title, "questions": d.questions,
                    "teaching_passages": d.teaching_passages, "cited": d.cited,
                    "uncited": [gap.__dict__ for gap in d.uncited],
                    "not_taught": [gap.__dict__ for gap in d.not_taught],
                }
                for d in self.documents
            ],
        }


def coverage(documents: list[Document], questions: list[Question], topics: tuple[str, ...] = (),
             subject: str = "", title: str = "") -> CoverageReport:
    """What one subject's questions cover; `topics` is its taxonomy, each listed even when no question has it."""
    cited: set[tuple[str, int]] = {(e.document_id, e.passage_ordinal) for q in questions for e in q.evidence}
    per_document: list[DocumentCoverage] = []
    for document in documents:
        teaching = [p for p in document.passages if p.is_teaching]
        entry = DocumentCoverage(
            id=document.local_id, title=document.title,
            questions=sum(any(e.document_id == document.id for e in q.evidence) for q in questions),
            teaching_passages=len(teaching),
            cited=sum((document.id, p.ordinal) in cited for p in teaching),
        )
        for passage in teaching:
            if (document.id, passage.ordinal) in cited:
                continue
            gap = PassageGap(passage.ordinal, passage.line, passage.section, passage.text,
                             document.not_taught.get(passage.ordinal, ""))
            (entry.not_taught if gap.reason else entry.uncited).append(gap)
        per_document.append(entry)
    counted = Counter(t for q in questions for t in q.topics)
    return CoverageReport(
        subject=subject,
        title=title,
        questions=len(questions),
        kinds=dict(Counter(q.kind for q in questions)),
        skills=dict(Counter(q.skill for q in questions)),
        topics={t: counted.get(t, 0) for t in (topics or sorted(counted))},
        documents=per_document,
        key_positions={
            f"{n} options": {LETTERS[i]: counts.get(i, 0) for i in range(n)}
            for n, counts in sorted(key_balance(questions).items())
        },
    )


def subject_coverage(loaded: LoadedSubject) -> CoverageReport:
    subject = loaded.subject
    return coverage(loaded.documents, loaded.questions, subject.topics, subject.id, subject.title)


def render_text(report: CoverageReport, width: int = 100) -> str:
    heading = [f"{report.title} ({report.subject})", ""] if report.subject else []
    lines = heading + [f"{report.questions} questions: " + ", ".join(f"{n} {k}" for k, n in sorted(report.kinds.items()))
             + " | skills: " + ", ".join(f"{n} {k}" for k, n in sorted(report.skills.items())), "", "By topic:"]
    lines += [f"  {topic:<18} {n:>4}" for topic, n in report.topics.items()]
    lines += ["", "Key positions (as authored):"]
    lines += [f"  {group}: " + "  ".join(f"{k} {v}" for k, v in counts.items())
              for group, counts in report.key_positions.items()]
    lines += ["", "By document (teaching passages cited by at least one question):"]
    for d in report.documents:
        lines.append(f"  {d.id:<18} {d.questions:>4} questions   {d.cited}/{d.teaching_passages} passages cited"
                     + (f", {len(d.not_taught)} not taught" if d.not_taught else ""))
    for d in report.documents:
        if d.uncited:
            lines += ["", f"Not cited by any question in {d.id} ({d.title}):"]
            lines += [f"  line {g.line}: {_clip(g.text, width - 14)}" for g in d.uncited]
    for d in report.documents:
        if d.not_taught:
            lines += ["", f"Left out on purpose in {d.id}:"]
            lines += [f"  line {g.line}: {_clip(g.text, 50)} -- {g.reason}" for g in d.not_taught]
    lines += ["", f"{report.uncited} teaching passage(s) not cited and not explained."]
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def readme_figures(report: CoverageReport) -> str:
    """The README's paragraph and topic table of bank figures, generated so they cannot drift."""
    kinds, skills = report.kinds, report.skills
    option_counts = sorted(int(group.split()[0]) for group in report.key_positions)
    options = (f"{_number_word(option_counts[0])} options each" if len(option_counts) == 1
               else f"{option_counts[0]} to {option_counts[-1]} options")
    keys = "; ".join(", ".join(f"{k} {v}" for k, v in counts.items()) for counts in report.key_positions.values())
    not_taught = sum(len(d.not_taught) for d in report.documents)
    cited = ("Every teaching passage of the documents is cited by at least one question" if not report.uncited
             else f"{report.uncited} teaching passages are not cited by any question")
    paragraph = (
        f"{report.questions} questions over the {_number_word(len(report.documents))} documents: "
        f"{kinds.get('mcq', 0)} direct questions and {kinds.get('vignette', 0)} case vignettes "
        f"({skills.get('application', 0)} application, {skills.get('recall', 0)} recall), {options}, "
        f"authored keys spread {keys} (options are shuffled when shown). {cited}; "
        f"{not_taught} garbled or truncated passages are left out on purpose, each listed in the catalog "
        "with its reason (`calciquiz coverage` shows both)."
    )
    ranked = sorted(report.topics.items(), key=lambda item: (-item[1], item[0]))
    half = (len(ranked) + 1) // 2
    rows = ["| topic | questions | topic | questions |", "|---|---|---|---|"]
    for left, right in zip(ranked[:half], ranked[half:] + [("", "")]):
        rows.append(f"| {left[0]} | {left[1]} | {right[0]} | {right[1]} |")
    return _wrap(paragraph) + "\n\n" + "\n".join(rows)


def _number_word(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return words[n] if n < len(words) else str(n)


def _wrap(text: str, width: int = 92) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
