"""Random and mutated Moodle XML and CSV: every file ends in a RawSet or an InputError naming it and a line in it."""
from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calciquiz.core.formats import READERS
from calciquiz.core.problems import InputError
from calciquiz.core.validate import SetRules, check_question
from tests.helpers import mutate, tiny_png

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RULES = SetRules("calcinosis-cutis", "calcinosis-cutis/set", ("classification", "treatment", "diagnosis"))
PNG = base64.b64encode(tiny_png()).decode()
VALID_XML = (FIXTURES / "readme" / "example.xml").read_text(encoding="utf-8").replace(
    "</questiontext>", f'<file name="a.png" encoding="base64">{PNG}</file></questiontext>', 1)
VALID_CSV = (FIXTURES / "readme" / "example.csv").read_text(encoding="utf-8")


def check(suffix: str, content: bytes) -> None:
    """Read one file with this content; only a RawSet or an InputError pointing inside the file may come out."""
    # XML counts a lone CR as a line break too (as the editors of old Macs wrote them); CSV does when the
    # file's first line ends with one (Excel for Mac's "CSV (Macintosh)"), and then its LFs break lines too.
    lines = len(re.split(rb"\r\n|\r|\n", content)) if suffix == ".xml" else content.count(b"\n") + 1
    first = re.search(rb"[\r\n]", content)
    if suffix == ".csv" and first and re.match(rb"\r[^\n]", content[first.start():], re.DOTALL):
        lines = content.count(b"\r") + content.count(b"\n") + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"set{suffix}"
        path.write_bytes(content)
        problems: list = []
        try:
            raw = READERS[suffix](path, problems)
        except InputError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file == path, problem
                assert problem.line is not None and 1 <= problem.line <= lines, (problem, lines)
                assert problem.message and "\n" not in problem.message
            return
        for problem in problems + raw.skipped:
            assert problem.file == path and 1 <= problem.line <= lines, (problem, lines)
        for question in raw.questions:
            assert 1 <= question.line <= lines
            found: list = []
            check_question(question, path, found, RULES)  # the validator takes whatever a reader hands it
            assert all(p.line is None or 1 <= p.line <= lines for p in found), found


@st.composite
def mutated_xml(draw):
    return mutate(VALID_XML, draw, "<>/&;\"'=![]-?#x0 \n\x00\udc80éabcquiz")


@st.composite
def mutated_csv(draw):
    return mutate(VALID_CSV, draw, ",;\t\"\r\n \x00\ufeffabAB1é")


TAGS = ["quiz", "question", "text", "name", "questiontext", "answer", "feedback", "generalfeedback", "single",
        "idnumber", "tags", "tag", "file", "category", "calciquiz", "learningpoint", "evidence", "x"]
ATTRIBUTES = st.dictionaries(st.sampled_from(["type", "fraction", "format", "name", "encoding", "document", "kind",
                                              "skill"]),
                             st.sampled_from(["multichoice", "category", "essay", "100", "0", "-50", "abc", "html",
                                              "plain_text", "base64", "a.png", "true", "vignette", ""]), max_size=3)
TEXTS = st.one_of(st.text(max_size=30).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
                  st.sampled_from(["true", "false", PNG, "@@PLUGINFILE@@/a.png", "&lt;p&gt;x&lt;/p&gt;"]))
ELEMENTS = st.recursive(TEXTS, lambda inner: st.tuples(st.sampled_from(TAGS), ATTRIBUTES,
                                                        st.lists(inner, max_size=5)), max_leaves=30)


def to_xml(node) -> str:
    if isinstance(node, str):
        return node
    tag, attributes, children = node
    shown = "".join(f' {k}="{v}"' for k, v in attributes.items())
    return f"<{tag}{shown}>" + "".join(to_xml(c) for c in children) + f"</{tag}>"


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".xml", ".csv"]))
def test_random_bytes(content, suffix):
    check(suffix, content)


@FUZZ
@given(mutated_xml())
def test_mutated_moodle_xml(text):
    check(".xml", text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.lists(ELEMENTS, max_size=6))
def test_random_moodle_xml_structures(questions):
    body = "".join(to_xml(("question", {"type": "multichoice"}, [q])) if isinstance(q, str) else to_xml(q)
                   for q in questions)
    check(".xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode())


@FUZZ
@given(mutated_csv())
def test_mutated_csv(text):
    check(".csv", text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.lists(st.sampled_from(["id", "stem", "a", "b", "c", "answer", "topics", "document", "quote", "image",
                                 "kind", "Rationale A", "learning_point", "zzz"]), min_size=1, max_size=8),
       st.lists(st.lists(st.text(max_size=20), max_size=9), max_size=5), st.sampled_from([",", ";", "\t"]))
def test_random_csv_grids(header, rows, delimiter):
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in f'"\r\n{delimiter}') else text
    lines = [delimiter.join(cell(c) for c in row) for row in [header, *rows]]
    check(".csv", ("\r\n".join(lines) + "\r\n").encode("utf-8", errors="surrogatepass"))
