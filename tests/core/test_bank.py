from __future__ import annotations

from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from calciquiz.core.bank import Bank
from calciquiz.core.documents import load_documents
from calciquiz.core.documents import normalize
from tests.helpers import SHIPPED_DOCUMENTS


def test_shipped_bank_has_the_required_content(bank: Bank):
    kinds = Counter(r["kind"] for r in bank.db.query("select kind from questions"))
    assert kinds["mcq"] + kinds["vignette"] >= 40
    assert kinds["vignette"] >= 15
    topics = {r["topic"] for r in bank.db.query("select distinct topic from question_topics")}
    assert {"classification", "dystrophic", "metastatic", "idiopathic", "iatrogenic", "calciphylaxis",
            "clinical-features", "diagnosis", "treatment"} <= topics
    option_counts = Counter(r["n"] for r in bank.db.query("select count(*) n from options group by question_id"))
    assert set(option_counts) == {5}


def test_every_row_of_the_shipped_bank_joins_the_rows_it_names(bank: Bank):
    # The writer does not enforce foreign keys while writing (bank_writer.BankWriter): the rows must still join.
    assert list(bank.db.execute("PRAGMA foreign_key_check").fetchall()) == []
    assert bank.db.execute("PRAGMA page_size").fetchone()[0] == 16384


def test_every_evidence_quote_resolves_to_a_teaching_passage_word_for_word(bank: Bank):
    raw = {d.id: normalize(d.text) for d in load_documents(SHIPPED_DOCUMENTS, subject="calcinosis-cutis")}
    rows = list(bank.db.query(
        "select e.question_id, e.quote, e.start, e.end, p.text, p.kind, p.document_id"
        " from evidence e join passages p on p.id = e.passage_id"
    ))
    assert len(rows) >= len(list(bank.db.query("select id from questions")))
    for row in rows:
        assert row["kind"] == "text", row
        assert row["text"].replace("\n", " ")[row["start"]:row["end"]] == normalize(row["quote"]), row
        assert normalize(row["quote"]) in raw[row["document_id"]], row


def test_every_question_has_evidence_and_a_rationale_for_every_option(bank: Bank):
    for row in bank.db.query("select id from questions"):
        question = bank.question(row["id"])
        assert question.evidence, question.id
        assert all(o.rationale for o in question.options), question.id
        assert 0 <= question.answer < len(question.options)


def test_passages_are_searchable_with_fts(bank: Bank):
    hits = list(bank.db["passages"].search("lithotripsy", columns=["document_id", "text"]))
    assert hits and all("lithotripsy" in h["text"].lower() for h in hits)
    stemmed = list(bank.db["passages"].search("ulcerated", columns=["text"]))
    assert any("ulcer" in h["text"].lower() for h in stemmed)  # the porter tokenizer matches word forms


def test_bank_is_opened_read_only(bank: Bank):
    try:
        bank.db.execute("delete from questions")
    except Exception as error:  # sqlite3.OperationalError: attempt to write a readonly database
        assert "readonly" in str(error)
    else:
        raise AssertionError("the bank accepted a write")


def test_search_finds_passages_with_highlighted_context_and_survives_odd_input(bank: Bank):
    from calciquiz.core.bank import HIT_END, HIT_START

    hits = bank.search("skin biopsy")
    assert {h.document_id for h in hits} >= {"calcinosis-cutis/hospital-page", "calcinosis-cutis/medicover"}
    assert all(HIT_START in h.snippet and HIT_END in h.snippet for h in hits)
    assert bank.search("calciphyl")  # the last word matches as a prefix
    for odd in ['"', "AND OR NOT", "x*(", "NEAR(", "", "   "]:
        bank.search(odd)  # never an SQL or FTS syntax error


def test_a_passage_knows_the_questions_that_cite_it(bank: Bank):
    question = bank.question("calcinosis-cutis/cls-most-common-type")
    evidence = question.evidence[0]
    assert "calcinosis-cutis/cls-most-common-type" in bank.citing_questions(evidence.document_id, evidence.passage_ordinal)
    assert bank.citation_counts(evidence.document_id)[evidence.passage_ordinal] >= 1


def test_a_bank_built_by_an_earlier_release_is_refused_in_plain_words(bank_copy: Path):
    import sqlite3

    from calciquiz.core.bank import BankOutdated

    conn = sqlite3.connect(bank_copy)
    conn.execute("update meta set value = '2' where key = 'schema_version'")  # as before subjects
    conn.commit()
    conn.close()
    with pytest.raises(BankOutdated, match=r"built by an earlier CalciQuiz; rebuild it with `calciquiz build`"):
        Bank(bank_copy)


@pytest.mark.parametrize("content", [b"", b"this is not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 5000,
                                     "empty database"])
def test_a_file_that_is_no_bank_is_refused_and_its_connection_closed(tmp_path: Path, monkeypatch, content):
    import sqlite3

    path = tmp_path / "bank.sqlite"
    if content == "empty database":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("create table other (x)")
    else:
        path.write_bytes(content)
    opened = []
    connect = sqlite3.connect

    def recording_connect(*args, **kwargs):
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", recording_connect)
    with pytest.raises(sqlite3.DatabaseError):
        Bank(path)
    assert opened
    for connection in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            connection.execute("select 1")
