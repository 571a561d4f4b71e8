"""Random and mutated GIFT and Aiken files: always a bank, or problems that name the file and a line inside it."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calciquiz.core.bank import build_bank
from calciquiz.core.problems import InputError
from tests.helpers import fuzz_workspace, mutate, question_count, subject_of

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
# GIFT and Aiken fixtures only: the Moodle XML and CSV ones (some not even UTF-8) are fed to their own readers.
FIXTURES = {path.name: path.read_text(encoding="utf-8-sig") for path in sorted(FORMATS.rglob("*.*"))
            if path.suffix in (".gift", ".txt")}
FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# Every mark the two formats give a meaning to, and the words that start their special lines.
SPECIAL = "{}~=#:\\%/->[]$ \n\t.)ABCJ0"
WORDS = ["ANSWER: ", "ANSWER: A", "A. ", "B) ", "$CATEGORY: top/treatment", "::", "// [id:x]", "// [tag:treatment]",
         "// [evidence:basics] ", "// [kind:vignette]", "// [learning-point] ", "####", "[html]", "<p>", "&amp;",
         "%100%", "%-50%", "%50%", "->", "\\n", "\\", "\r\n", "\ufeff", "\u2028"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return fuzz_workspace(tmp_path_factory.mktemp("fuzz-gift"), "set.txt", FIXTURES["basic.txt"])


def check(workspace, content: bytes, name: str) -> None:
    """Build from one file with this content over the previous bank; judge the outcome."""
    documents, bank, before = workspace
    lines = len(LINE_BREAK.split(content))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        target = Path(folder) / "bank.sqlite"
        shutil.copy(bank, target)
        try:
            report = build_bank([subject_of(Path(folder), documents)], target)
        except InputError as error:
            assert 1 <= len(error.problems) <= 51
            for problem in error.problems:
                assert problem.file == path, problem
                if problem.message.startswith("... and "):
                    continue
                assert isinstance(problem.line, int) and 1 <= problem.line <= lines, problem
                assert problem.message and "\n" not in problem.message
            assert target.read_bytes() == before, "the previous bank changed on error"
        else:
            for skipped in report.skipped:
                assert skipped.file == path, skipped
                assert 1 <= skipped.line <= lines, skipped
            assert question_count(target) >= 0


@st.composite
def mutated(draw, names=tuple(FIXTURES)):
    """A fixture with random edits: characters deleted, special marks inserted, lines dropped or doubled."""
    return mutate(FIXTURES[draw(st.sampled_from(names))], draw, SPECIAL, words=tuple(WORDS), max_edits=8)


suffixes = st.sampled_from(["set.gift", "set.txt"])


@FUZZ
@given(st.binary(max_size=2000), suffixes)
def test_random_bytes(workspace, content, name):
    check(workspace, content, name)


@FUZZ
@given(st.text(alphabet=SPECIAL + "abé\x00\x07\ud800", max_size=400), suffixes)
def test_random_text_of_special_marks(workspace, text, name):
    check(workspace, text.encode("utf-8", errors="surrogatepass"), name)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=SPECIAL + "ab", max_size=6)), max_size=60),
       suffixes)
def test_random_sequences_of_format_words(workspace, parts, name):
    check(workspace, "".join(parts).encode("utf-8"), name)


@FUZZ
@given(mutated(), suffixes)
def test_mutated_fixtures(workspace, text, name):
    check(workspace, text.encode("utf-8", errors="surrogatepass"), name)


@pytest.mark.parametrize("content", [
    b"",
    b"\xef\xbb\xbf",
    b"\n\n\n",
    b"{" * 50_000,
    b"}" * 50_000,
    b"\\" * 50_001 + b"{=a ~b}",
    b"::" * 50_000,
    b"// " + b"[id:x]" * 50_000 + b"\nQ? {=a ~b}",
    b"Q? {" + b"~a " * 50_000 + b"=b}",
    b"Q? {=a ~b}\n" * 20_000,
    b"Q?\n" + b"".join(b"%c. x\n" % c for c in range(65, 91)) + b"ANSWER: Z\n",
    b"ANSWER: A\n" * 10_000,
    b"Q? {=a ~b}\r\rQ2? {=c ~d}",
    b"[html]<p>" * 10_000 + b"{=a ~b}",
    b"Q? {~%999999999999999999999%a ~b}",
    b"Q? {~%-0.000000001%a =b}",
], ids=["empty", "bom-only", "blank", "open-braces", "close-braces", "backslashes", "colons", "id-comments",
        "many-options", "many-questions", "26-options", "answers-only", "cr-only", "html-tags", "huge-weight",
        "tiny-weight"])
@pytest.mark.parametrize("name", ["set.gift", "set.txt"])
def test_named_hostile_files(workspace, content, name):
    check(workspace, content, name)
