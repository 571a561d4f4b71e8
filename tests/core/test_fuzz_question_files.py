"""Hostile and broken question files: always a valid bank or a clear error with file and line, never a traceback."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calciquiz.core.bank import build_bank
from calciquiz.core.problems import InputError
from tests.helpers import fuzz_workspace, mutate, question_count, question_yaml, subject_of

VALID = "title: Fuzz set\nquestions:\n" + question_yaml("q-one") + question_yaml("q-two", answer="B")
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return Workspace(*fuzz_workspace(tmp_path_factory.mktemp("fuzz"), "set.yaml", VALID))


class Workspace(tuple):
    """documents, previous bank, its bytes; short in hypothesis reports."""

    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __repr__(self) -> str:
        return f"Workspace({self[0].parent})"


def check(workspace, content: bytes) -> None:
    """Build from one file with this content over the previous bank; judge the outcome."""
    documents, bank, before = workspace
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "set.yaml"
        path.write_bytes(content)
        target = Path(folder) / "bank.sqlite"
        shutil.copy(bank, target)
        try:
            build_bank([subject_of(Path(folder), documents)], target)
        except InputError as error:
            assert 1 <= len(error.problems) <= 51, "at most 50 problems per file and a count of the rest"
            for problem in error.problems:
                assert str(problem.file).startswith(folder), problem
                assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1), problem
                assert problem.message and "Traceback" not in problem.message and "\n" not in problem.message
            assert target.read_bytes() == before, "the previous bank changed on error"
            assert not [p for p in Path(folder).iterdir() if p.name not in ("set.yaml", "bank.sqlite")]
        else:
            assert question_count(target) >= 1


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(workspace, content):
    check(workspace, content)


@st.composite
def mutated(draw):
    """The valid file with random edits: characters deleted, inserted or replaced, lines dropped or doubled."""
    return mutate(VALID, draw, ":-[]{}&*!|>#'\"\t ,\nabcAB0\x00é")


@FUZZ
@given(mutated())
def test_mutated_valid_files(workspace, text):
    check(workspace, text.encode("utf-8", errors="surrogatepass"))


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40),
                    st.dates())

# Raw YAML for one value, written the ways that used to end in a traceback: integers past Python's 4,300-digit
# conversion limit, impossible dates, explicit tags on junk, and escapes that make NUL or lone surrogates.
junk = st.text(alphabet="abcxyz019-:. ", max_size=12)
raw_values = st.one_of(
    st.integers(4_000, 6_000).map(lambda n: "9" * n),
    st.integers(1, 5_000).map(lambda n: "0x" + "f" * n),
    st.tuples(st.integers(1, 9999), st.integers(0, 19), st.integers(0, 40)).map(lambda d: "%04d-%02d-%02d" % d),
    st.tuples(st.sampled_from(["!!bool", "!!int", "!!float", "!!timestamp", "!!null", "!!str", "!!binary"]),
              junk).map(lambda t: f'{t[0]} "{t[1]}"'),
    st.integers(0xD800, 0xDFFF).map(lambda c: f'"text \\u{c:04x} more"'),
    st.sampled_from(['"a\\0b"', '"\\x00"', '"images/\\0.png"', '"\\U0010ffff"']),
    st.integers(1, 40).map(lambda n: ":".join(["59"] * n)),  # sexagesimal integers
)
# Forty-one brackets in a comment send a file to PyYAML's pure-Python loader, which reads escapes libyaml refuses.
loader_choice = st.sampled_from(["", "# " + "[" * 41 + "\n"])
documents_like = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=6)), max_leaves=40)


@FUZZ
@given(documents_like)
def test_random_yaml_structures(workspace, data):
    check(workspace, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(st.sampled_from(["id", "kind", "topics", "skill", "stem", "options", "answer", "explanation",
                        "learning_point", "evidence", "accept_warnings"]), documents_like)
def test_any_field_with_any_value(workspace, field, value):
    data = yaml.safe_load(VALID)
    data["questions"][0][field] = value
    check(workspace, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(st.sampled_from(["id", "kind", "topics", "skill", "stem", "answer", "explanation", "learning_point",
                        "image", "accept_warnings"]), raw_values, loader_choice)
def test_any_field_with_a_hostile_raw_value(workspace, field, value, prefix):
    text = prefix + "title: Fuzz set\nquestions:\n" + question_yaml("q-one", **{field: value})
    check(workspace, text.encode("utf-8"))


@FUZZ
@given(raw_values, loader_choice)
def test_an_option_or_quote_with_a_hostile_raw_value(workspace, value, prefix):
    options = f"      - text: {value}\n        rationale: {value}\n      - text: B\n        rationale: Two."
    evidence = f"\n        - document: basics\n          quote: {value}"
    text = (prefix + "title: Fuzz set\nquestions:\n" + question_yaml("q-one", options=options)
            + question_yaml("q-two", evidence=evidence))
    check(workspace, text.encode("utf-8"))


@pytest.mark.parametrize("content", [
    b"",
    b"\xff\xfe\x00t\x00i",
    b"title: caf\xe9\nquestions: []\n",
    b"[" * 100000,
    b"a: " + b"[" * 30 + b"]" * 30,
    b"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
    b"title: x\ntitle: y\nquestions: []\n",
    b"questions: !!python/object/apply:os.system ['echo pwned']\n",
    VALID.replace("stem: Which", "stem: " + "very long " * 200_000 + "Which").encode(),
    ("title: t\nquestions:\n" + "".join(question_yaml(f"q-{i}") for i in range(2000))).encode(),
    ("title: t\nquestions:\n" + question_yaml("q-one") + "".join(f"    k{i}: 1\n" for i in range(20_000))).encode(),
    VALID.replace("topics: [classification]", "topics: [" + ", ".join(["zz"] * 100_000) + "]").encode(),
], ids=["empty", "utf16-ish", "latin-1", "deep-flow", "nesting", "alias-bomb", "duplicate-key", "python-tag",
        "huge-field", "many-questions", "many-unknown-keys", "many-topics"])
def test_named_hostile_files(workspace, content):
    check(workspace, content)


def check_special(workspace, make, message: str) -> None:
    """Like check(), for a question file that is not plain bytes: made by `make(path)` in place of set.yaml."""
    documents, bank, before = workspace
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "set.yaml"
        make(path)
        target = Path(folder) / "bank.sqlite"
        shutil.copy(bank, target)
        with pytest.raises(InputError) as caught:
            build_bank([subject_of(Path(folder), documents)], target)
        assert [str(p) for p in caught.value.problems] == [f"{path}: {message}"]
        assert target.read_bytes() == before


def sparse(size: int):
    def make(path: Path) -> None:
        with open(path, "wb") as f:
            f.write(VALID.encode())
            f.truncate(size)
    return make


@pytest.mark.parametrize("make, message", [
    (os.mkfifo, "file is not a regular file"),
    (lambda path: path.symlink_to("/dev/zero"), "file is not a regular file"),
    (lambda path: path.symlink_to(path), "file is a symbolic link that loops"),
    (sparse(5_000_001), "file is larger than 5,000,000 bytes"),
    (sparse(2 * 1024**3), "file is larger than 5,000,000 bytes"),
], ids=["fifo", "dev-zero", "symlink-loop", "just-too-big", "2-gb"])
def test_question_files_that_are_not_small_regular_files(workspace, make, message):
    check_special(workspace, make, message)
