"""A checked question as the rows the bank stores: plain tuples, cheap to send between processes.

A build in several processes (calciquiz.core.import_pool) sends each question from the process
that read it to the one that writes the bank. Sent as a Question (frozen dataclasses of options and
evidence), 100,000 questions cost 4 s to pickle and 1.8 s to unpickle; as tuples of text they cost
a fraction of that. The one-process build writes through the same rows, so both banks are equal.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from calciquiz.core.questions import Question

# The fields of a QuestionRow, by position.
(ID, SUBJECT, SET_ID, LOCAL_ID, KIND, SKILL, STEM, ANSWER, EXPLANATION, LEARNING_POINT, FILE, LINE, TOPICS,
 OPTIONS, IMAGE, IMAGE_DATA, EVIDENCE) = range(17)

QuestionRow = tuple  # the fields above; OPTIONS holds (text, rationale) pairs and EVIDENCE
# (qualified document id, passage ordinal, quote, start, end, auto, score) tuples, resolved.


def question_row(question: Question, evidence: tuple | None = None) -> QuestionRow:
    """A resolved question's row (or a checked one's, with its evidence resolved as a row's EVIDENCE)."""
    q = question
    if evidence is None:
        evidence = tuple((e.document_id, e.passage_ordinal, e.quote, e.start, e.end, e.auto, e.score)
                         for e in q.evidence)
    return (q.id, q.subject, q.set_id, q.local_id, q.kind, q.skill, q.stem, q.answer, q.explanation,
            q.learning_point, q.file, q.line, q.topics, tuple((o.text, o.rationale) for o in q.options),
            q.image, q.image_data, evidence)


def fingerprint_text(rows: list[QuestionRow]) -> str:
    """What a bank's id digests of its questions: their ids, stems, keys and options, each ended by a NUL
    (so rows digested a batch at a time give the digest of all of them at once)."""
    return "".join(
        f"{r[ID]}\1{r[STEM]}\1{r[ANSWER]}\1" + "\1".join(f"{text}\2{rationale}" for text, rationale in r[OPTIONS])
        + "\0" for r in rows)


def new_rank(question_id: str) -> int:
    # New questions are offered in a fixed shuffled order, so topics interleave.
    return int.from_bytes(hashlib.sha256(question_id.encode()).digest()[:6], "big")


def table_rows(rows: list[QuestionRow], passage_ids: dict[tuple[str, int], int]) -> dict:
    """The rows of each question table, ready for executemany (a question's position left out: the writer
    numbers them), with their part of the bank id. Made where the questions were read, in a worker if
    they were read in one: the process that writes the bank only inserts them."""
    file_names = {f: Path(f).name for f in {r[FILE] for r in rows}}
    return {
        "questions": [(r[ID], r[SUBJECT], r[SET_ID], r[LOCAL_ID], new_rank(r[ID]), r[KIND], r[SKILL], r[STEM],
                       r[ANSWER], r[EXPLANATION], r[LEARNING_POINT], file_names[r[FILE]], r[LINE]) for r in rows],
        "options": [(r[ID], i, text, rationale) for r in rows for i, (text, rationale) in enumerate(r[OPTIONS])],
        "question_topics": [(r[ID], t) for r in rows for t in r[TOPICS]],
        "images": [(r[ID], r[IMAGE], r[IMAGE_DATA]) for r in rows if r[IMAGE]],
        "evidence": [(r[ID], i, passage_ids[(document, ordinal)], quote, start, end, int(auto), score)
                     for r in rows for i, (document, ordinal, quote, start, end, auto, score) in enumerate(r[EVIDENCE])],
        "fingerprint": fingerprint_text(rows).encode("utf-8", "surrogatepass"),
        "vignettes": sum(r[KIND] == "vignette" for r in rows),
    }
