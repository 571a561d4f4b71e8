"""Hostile and broken documents, plain text and Markdown: always a valid bank or a clear error naming the
file, never a traceback, and the previous bank untouched."""
from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calciquiz.core.bank import Bank, build_bank
from calciquiz.core.problems import InputError
from tests.helpers import CATALOG, SMALL_DOCUMENT, question_yaml, subject_of

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
QUESTIONS = "title: Fuzz set\nquestions:\n" + question_yaml("q-one")
# The pieces documents are made of: Markdown's markup, plain-text bullets, web-page noise, odd characters.
PIECES = ["# ", "## ", "###### ", "- ", "* ", "+ ", "1. ", "3) ", "> ", "```", "~~~", "    ", "**", "*", "_", "__",
          "`", "[", "](", ")", "![", "<b>", "</b>", "<div>", "&amp;", "&#0;", "\\", "  ", "===", "---", "***", "• ",
          ":", "Book Appointment", "Copyright © 2024", "References", "calcium", "deposits", "skin", "\t", "\r",
          "\u200b", "é", "\ufeff", "\x00", "\x1b"]


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=8),
                          max_size=40))
    return "\n".join("".join(pieces) for pieces in lines)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A question set citing the small document, and a bank built from it before the fuzzed document came."""
    root = tmp_path_factory.mktemp("fuzz-documents")
    questions = root / "questions"
    questions.mkdir()
    (questions / "set.yaml").write_text(QUESTIONS, encoding="utf-8")
    documents_dir = root / "documents"
    documents_dir.mkdir()
    (documents_dir / "basics.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    (documents_dir / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    bank = root / "bank.sqlite"
    build_bank([subject_of(questions, documents_dir)], bank)
    return questions, documents_dir, bank


def check(workspace, content: bytes, name: str) -> None:
    """Build with one more document holding `content` over the previous bank; judge the outcome."""
    questions, documents_dir, bank = workspace
    before = bank.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        documents = Path(folder) / "documents"
        shutil.copytree(documents_dir, documents)
        (documents / name).write_bytes(content)
        with open(documents / "catalog.yaml", "a", encoding="utf-8") as catalog:
            catalog.write(f"  - id: fuzzed\n    file: {name}\n    title: Fuzzed\n")
        target = Path(folder) / "bank.sqlite"
        shutil.copy(bank, target)
        try:
            build_bank([subject_of(questions, documents)], target)
        except InputError as error:
            for problem in error.problems:
                assert str(problem.file).startswith(folder), problem
                assert problem.line is None or problem.line >= 1, problem
                assert problem.message and "\n" not in problem.message
            assert target.read_bytes() == before, "the previous bank changed on error"
        else:
            # Windows and old Mac line ends each end a line, as the readers take them.
            lines = len(re.split(r"\r\n|\r|\n", content.decode("utf-8", errors="replace")))
            with closing(Bank(target)) as built:
                for passage in built.passages("calcinosis-cutis/fuzzed"):
                    assert 1 <= passage.line <= lines, passage
                    assert passage.kind in ("heading", "text", "reference"), passage
                    assert passage.text.strip(), passage


@FUZZ
@given(documents(), st.sampled_from(["handout.md", "handout.txt"]))
def test_documents_made_of_markup_and_noise(workspace, text, name):
    check(workspace, text.encode("utf-8", errors="surrogatepass"), name)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["handout.md", "handout.txt"]))
def test_documents_of_random_bytes(workspace, content, name):
    check(workspace, content, name)
