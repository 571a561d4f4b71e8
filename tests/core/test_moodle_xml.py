"""Moodle XML question files: a Moodle export builds, or fails with file:line and no traceback."""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.bank import build_bank
from calciquiz.core.formats import READERS
from calciquiz.core.formats.moodle_xml import to_text
from calciquiz.core.problems import InputError
from calciquiz.core.subjects import load_subject, read_subject
from tests.helpers import CALCINOSIS, query, tiny_png

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
XML = FIXTURES / "moodle-xml"
SKIP = "(CalciQuiz asks single-best-answer questions only)"


@pytest.fixture
def subject(tmp_path: Path) -> Path:
    """A copy of the shipped subject whose questions folder is empty, for the files a test puts in it."""
    folder = tmp_path / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, folder)
    shutil.rmtree(folder / "questions")
    (folder / "questions").mkdir()
    return folder


def build(subject: Path, *files: Path) -> tuple[int, list[str], Path]:
    """`calciquiz build` of the subject with these files as its questions: exit code, stderr lines, bank."""
    for file in files:
        shutil.copy(file, subject / "questions" / file.name)
    bank = subject.parent / "bank.sqlite"
    result = CliRunner().invoke(cli, ["build", "-s", str(subject), "-o", str(bank)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines(), bank


def test_the_readme_example_builds_in_the_shipped_subject(subject: Path):
    code, stderr, bank = build(subject, FIXTURES / "readme" / "example.xml")
    example = subject / "questions" / "example.xml"
    assert code == 0
    assert stderr == [f"subjects: {subject}",
                      f"skipped: {example}:42: essay question 'Describe the four types' {SKIP}",
                      "1 item left out of the bank (listed above)"]
    assert query(bank, "select local_id, stem, answer, explanation, learning_point, kind, line from questions") == [
        ("ex-most-common-type", "Which type of calcinosis cutis is the most common?", 0,
         "Medscape names dystrophic calcinosis cutis as the most common of its four types.",
         "Dystrophic calcinosis cutis is the most common type.", "mcq", 7),
        ("sodium-thiosulfate", "Sodium thiosulfate is used mainly in which condition?", 0, "", "", "mcq", 29),
    ]
    assert query(bank, "select question_id, position, text, rationale from options where position < 2 "
                       "order by question_id, position") == [
        ("calcinosis-cutis/ex-most-common-type", 0, "Dystrophic", "Correct: it arises in damaged or inflamed skin."),
        ("calcinosis-cutis/ex-most-common-type", 1, "Metastatic",
         "Less common; it follows abnormal calcium or phosphate levels."),
        ("calcinosis-cutis/sodium-thiosulfate", 0, "Calciphylaxis", ""),
        ("calcinosis-cutis/sodium-thiosulfate", 1, "Calcinosis cutis of the CREST syndrome", ""),
    ]
    # The category's "Classification" and the tags that name topics; "Calcinosis cutis" names none.
    assert query(bank, "select question_id, topic from question_topics order by 1, 2") == [
        ("calcinosis-cutis/ex-most-common-type", "classification"),
        ("calcinosis-cutis/sodium-thiosulfate", "calciphylaxis"),
        ("calcinosis-cutis/sodium-thiosulfate", "classification"),
        ("calcinosis-cutis/sodium-thiosulfate", "treatment"),
    ]
    assert [q for (q,) in query(bank, "select quote from evidence order by question_id")] == [
        "Dystrophic calcinosis cutis is most common.",
        "Sodium Thiosulfate: Used mainly in calciphylaxis, it can help dissolve calcium deposits.",
    ]


SKIPPED = [
    (24, "true/false question 'Not a disease itself'"),
    (30, "short answer question 'Most common type'"),
    (36, "matching question 'Types and causes'"),
    (42, "numerical question 'Number of types'"),
    (47, "essay question 'Work-up'"),
    (52, "cloze question 'Cloze'"),  # not a Moodle type name, but what some tools write
    (56, "cloze question 'Embedded answers'"),
    (60, "description question 'About this quiz'"),
    (64, "calculated question 'Calculated'"),
    (68, "multiple-answer question 'Every type'"),
    (76, "multiple-answer question 'Two keys' (it has 2 answers at 100%; CalciQuiz asks single-best-answer "
         "questions only)"),
    (83, "partial-credit question 'Partial credit'"),
    (90, "drag and drop question 'Drag and drop'"),
]


@pytest.fixture(scope="module")
def question_types(tmp_path_factory) -> tuple[list[str], Path, Path]:
    root = tmp_path_factory.mktemp("types")
    subject = root / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, subject)
    shutil.rmtree(subject / "questions")
    (subject / "questions").mkdir()
    code, stderr, bank = build(subject, XML / "question-types.xml")
    assert code == 0
    return stderr, bank, subject / "questions" / "question-types.xml"


@pytest.mark.parametrize(("line", "message"), SKIPPED, ids=[m.split(" question")[0] for _, m in SKIPPED])
def test_each_type_calciquiz_cannot_ask_is_listed_as_skipped_with_its_line(question_types, line, message):
    stderr, _bank, file = question_types
    expected = message if message.endswith(")") else f"{message} {SKIP}"
    assert f"skipped: {file}:{line}: {expected}" in stderr


def test_the_single_best_answer_question_among_them_is_built_and_nothing_else(question_types):
    stderr, bank, _file = question_types
    assert len([line for line in stderr if line.startswith("skipped: ")]) == len(SKIPPED)
    assert query(bank, "select local_id, stem, answer from questions") == [
        ("four-types", "Calcinosis cutis is classified into four major types according to what?", 0)]
    # A negative fraction is a wrong answer, as Moodle grades it; "Diagnosis" from the category is a topic.
    assert query(bank, "select text from options order by position") == [("Etiology",), ("Age at onset",),
                                                                         ("Size of the deposits",)]
    assert query(bank, "select topic from question_topics") == [("diagnosis",)]


HOSTILE = [
    ("billion-laughs.xml", 2, "a DTD (<!DOCTYPE ...>) is not allowed in a question file"),
    ("external-entity.xml", 2, "a DTD (<!DOCTYPE ...>) is not allowed in a question file"),
    ("dtd.xml", 4, "a DTD (<!DOCTYPE ...>) is not allowed in a question file"),
    ("malformed.xml", 5, "malformed XML: mismatched tag"),
    ("broken-encoding.xml", 5, "file is not UTF-8 (line 5); save it as UTF-8"),
    ("html-entity.xml", 4, "malformed XML: undefined entity &nbsp; (XML knows only &amp; &lt; &gt; &quot; &apos;; "
                           "write the character itself or a numeric reference such as &#160;)"),
]


@pytest.mark.parametrize(("name", "line", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_or_broken_file_fails_with_its_line_and_leaves_the_bank(subject: Path, name, line, message):
    code, _stderr, bank = build(subject, FIXTURES / "readme" / "example.xml")
    before = bank.read_bytes()
    code, stderr, bank = build(subject, XML / name)
    assert code == 1
    errors = [e for e in stderr if e.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {subject / 'questions' / name}:{line}: {message}")
    assert bank.read_bytes() == before


def test_unknown_elements_are_ignored_and_unknown_types_skipped(subject: Path):
    code, stderr, bank = build(subject, XML / "unknown-type.xml")
    file = subject / "questions" / "unknown-type.xml"
    assert code == 0
    assert [e for e in stderr if e.startswith("skipped")] == [
        f"skipped: {file}:10: hologram question 'From a plugin' {SKIP}",
        f"skipped: {file}:14: untyped question 'No type' {SKIP}",
    ]
    assert query(bank, "select local_id from questions") == [("most-common-type",)]


def question_xml(body: str, questiontext: str = "Which type of calcinosis cutis is the most common?") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="multichoice">\n'
            "    <name><text>Most common</text></name>\n"
            f'    <questiontext format="html"><text>{questiontext}</text>\n{body}\n    </questiontext>\n'
            '    <answer fraction="100"><text>Dystrophic</text></answer>\n'
            '    <answer fraction="0"><text>Metastatic</text></answer>\n  </question>\n</quiz>\n')


def test_an_image_embedded_in_the_question_text_is_the_questions_image(subject: Path, tmp_path: Path):
    png = tiny_png()
    file = tmp_path / "image.xml"
    file.write_text(question_xml(f'      <file name="deposit.png" path="/" encoding="base64">'
                                 f'{base64.b64encode(png).decode()}</file>',
                                 '&lt;p&gt;Which type?&lt;/p&gt;&lt;img src="@@PLUGINFILE@@/deposit.png"&gt;'))
    code, _stderr, bank = build(subject, file)
    assert code == 0
    assert query(bank, "select q.stem, i.name, i.data from images i join questions q on q.id = i.question_id") == [
        ("Which type?", "deposit.png", png)]


@pytest.mark.parametrize(("body", "expected"), [
    ('<file name="a.png" encoding="base64">{png}</file><file name="b.png" encoding="base64">{png}</file>',
     "skipped: {file}:3: multichoice question 'Most common' has 2 images in its text (CalciQuiz shows one "
     "image per question)"),
    ('<file name="deposit.gif" encoding="base64">{png}</file>',
     "error: {file}:6: question 'most-common': image 'deposit.gif' must be a .png or .jpg file"),
    ('<file name="deposit.png" encoding="base64">not base64!</file>',
     "error: {file}:6: image 'deposit.png' is not valid base64"),
], ids=["two images", "a gif", "bad base64"])
def test_an_image_that_cannot_be_shown_is_named_with_its_line(subject: Path, tmp_path: Path, body, expected):
    file = tmp_path / "image.xml"
    file.write_text(question_xml("      " + body.format(png=base64.b64encode(tiny_png()).decode())))
    code, stderr, _bank = build(subject, file)
    assert expected.format(file=subject / "questions" / "image.xml") in stderr


def test_a_10_mb_field_is_refused_at_its_element_without_holding_it(subject: Path, tmp_path: Path):
    file = tmp_path / "huge.xml"
    file.write_text(question_xml("", "calcium " * 1_300_000))
    code, stderr, _bank = build(subject, file)
    assert code == 1
    assert f"error: {subject / 'questions' / 'huge.xml'}:5: <text> holds more than 7,000,000 characters" in stderr


def test_the_validators_messages_name_the_elements_line(subject: Path, tmp_path: Path):
    file = tmp_path / "lines.xml"
    file.write_text('<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n'
                    "<name><text>Most common</text></name>\n"
                    "<questiontext><text>Which type of calcinosis cutis is the most common?</text></questiontext>\n"
                    '<answer fraction="100"><text>Dystrophic</text></answer>\n'
                    '<answer fraction="0"><text>Dystrophic</text></answer>\n'
                    '<calciquiz kind="essay">\n'
                    '<evidence document="nowhere">A quote.</evidence>\n'
                    "</calciquiz>\n</question>\n</quiz>\n")
    code, stderr, _bank = build(subject, file)
    where = subject / "questions" / "lines.xml"
    assert code == 1
    assert [e for e in stderr if e.startswith("error")] == [
        f"error: {where}:8: question 'most-common': kind must be one of mcq, vignette",
        f"error: {where}:7: question 'most-common', option B: duplicate option 'Dystrophic' (same as option A)",
    ]


def test_a_file_that_is_not_moodle_xml_says_so():
    problems: list = []
    with pytest.raises(InputError) as caught:
        READERS[".xml"](FIXTURES / "readme" / "example.csv", problems)
    assert "malformed XML" in caught.value.problems[0].message and caught.value.problems[0].line == 1


@pytest.mark.parametrize(("html", "text"), [
    ("<p>First paragraph.</p><p>Second &amp; last.</p>", "First paragraph.\n\nSecond & last."),
    ("Line one<br>line   two<br/>", "Line one\nline two"),
    ('<div><b>Bold</b> and <span style="x">span</span>&nbsp;text</div>', "Bold and span\xa0text"),
    ("<ul><li>one</li><li>two</li></ul>", "- one\n\n- two"),
    ("<p>A <script>alert(1)</script>clean stem</p>", "A clean stem"),
    ("5 &lt; 6 &#x26; 7 &gt; 6", "5 < 6 & 7 > 6"),
])
def test_html_is_shown_as_plain_text(html, text):
    assert to_text(html, "html") == text


def test_plain_text_and_markdown_are_kept_as_written():
    assert to_text("  2 < 3\n\n**bold**  ", "plain_text") == "2 < 3\n\n**bold**"
    assert to_text("a <b>tag</b>", "moodle_auto_format") == "a tag"
    assert to_text("x < y", "moodle_auto_format") == "x < y"


def test_export_then_build_gives_the_same_questions_as_the_yaml_build(tmp_path: Path):
    source = tmp_path / "yaml" / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, source)
    # One question with an image, so images travel too.
    (source / "questions" / "deposit.png").write_bytes(tiny_png(3, 3))
    first = source / "questions" / "classification-and-pathogenesis.yaml"
    first.write_text(first.read_text().replace("    kind: mcq\n", "    kind: mcq\n    image: deposit.png\n", 1))
    exported = tmp_path / "bank.xml"
    result = CliRunner().invoke(cli, ["export", "moodle-xml", str(exported), "-s", str(source)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "xml" / "calcinosis-cutis"
    shutil.copytree(source, target)
    shutil.rmtree(target / "questions")
    (target / "questions").mkdir()
    shutil.copy(exported, target / "questions" / "bank.xml")
    build_bank([read_subject(source)], tmp_path / "yaml.sqlite")
    build_bank([read_subject(target)], tmp_path / "xml.sqlite")
    for sql in ["select local_id, kind, skill, stem, answer, explanation, learning_point from questions",
                "select question_id, position, text, rationale from options",
                "select question_id, topic from question_topics",
                "select question_id, ordinal, passage_id, quote, start, \"end\" from evidence",
                "select question_id, name, data from images"]:
        yaml_rows, xml_rows = (sorted(query(tmp_path / f"{b}.sqlite", sql)) for b in ("yaml", "xml"))
        assert yaml_rows == xml_rows and yaml_rows, sql
    assert len(query(tmp_path / "xml.sqlite", "select 1 from images")) == 1
    # Lint warnings the instructor accepted with a reason travel too, so lint says the same of both.
    accepted = [{q.local_id: q.accepted_warnings for q in load_subject(read_subject(folder)).questions
                 if q.accepted_warnings} for folder in (source, target)]
    assert accepted[0] == accepted[1] and accepted[0]
    lint = [CliRunner().invoke(cli, ["lint", "-s", str(folder)]) for folder in (source, target)]
    assert [r.exit_code for r in lint] == [0, 0]
    assert [r.stdout.splitlines()[-1] for r in lint] == [lint[0].stdout.splitlines()[-1]] * 2
    assert "accepted with a reason" in lint[0].stdout and "(0 more accepted" not in lint[0].stdout


def test_a_warning_accepted_twice_is_a_problem_at_the_second(subject: Path, tmp_path: Path):
    # A YAML set says so of a key written twice; a second reason must not silently replace the first.
    example = (FIXTURES / "readme" / "example.xml").read_text(encoding="utf-8")
    quote = '<evidence document="medscape">Dystrophic calcinosis cutis is most common.</evidence>\n'
    twice = example.replace(quote, quote + '      <accept code="key-longest">One reason.</accept>\n'
                                           '      <accept code="key-longest">Another.</accept>\n')
    path = tmp_path / "twice.xml"
    path.write_text(twice, encoding="utf-8")
    line = twice[:twice.index("Another.")].count("\n") + 1
    code, errors, bank = build(subject, path)
    assert (code, errors[1:]) == (1, [
        f"error: {subject / 'questions' / 'twice.xml'}:{line}: question 'ex-most-common-type': warning 'key-longest' "
        f"is accepted twice (first on line {line - 1})",
        f"1 problem found; {bank} was not changed"])
