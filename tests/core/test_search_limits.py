"""A pasted essay in the search box is searched by its first words, in bounded time."""
from __future__ import annotations

import time
from pathlib import Path

from calciquiz.core.bank import Bank, fts_query


def test_a_5000_word_query_sends_a_bounded_number_of_terms(shipped_bank: Path):
    repeated = " ".join(["calcium"] * 5000)
    distinct = " ".join(f"word{i}" for i in range(5000))
    assert fts_query(repeated) == 'text : "calcium"*'
    assert fts_query(distinct).count('text : "') == 20
    assert fts_query(distinct).startswith('text : "word0" text : "word1" ')


def test_a_pasted_5000_word_query_returns_quickly_and_finds_what_its_first_words_find(bank: Bank):
    started = time.perf_counter()
    hits = bank.search(" ".join(["calcium"] * 5000))
    assert time.perf_counter() - started < 10  # generous: it took about a minute
    assert hits == bank.search("calcium")
    assert hits
