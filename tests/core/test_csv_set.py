"""CSV question sets: a spreadsheet as Excel, LibreOffice or Sheets saves it builds, or fails with file:line."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_moodle_xml import FIXTURES, build, subject  # noqa: F401  (the subject fixture)
from tests.helpers import query

CSV = FIXTURES / "csv"


def test_the_readme_example_builds_in_the_shipped_subject(subject: Path):  # noqa: F811
    code, stderr, bank = build(subject, FIXTURES / "readme" / "example.csv")
    assert (code, stderr) == (0, [f"subjects: {subject}"])
    assert query(bank, "select local_id, kind, skill, stem, answer, explanation, learning_point, line "
                       "from questions") == [
        ("ex-four-types", "mcq", "recall", "Calcinosis cutis is classified into four major types by what?", 0,
         "Medscape classifies calcinosis cutis into four major types according to etiology.",
         "The four types are named for their cause.", 2),
        ("ex-heel-stick-newborn", "vignette", "application",
         "A newborn develops calcinosis cutis on the heel where blood was taken by heel sticks.\nWhich type of "
         "calcinosis cutis is this most likely to be?", 0, "", "", 3),
    ]
    assert query(bank, "select question_id, text, rationale from options where position = 0") == [
        ("calcinosis-cutis/ex-four-types", "Etiology", "Correct: dystrophic, metastatic, iatrogenic and idiopathic."),
        ("calcinosis-cutis/ex-heel-stick-newborn", "Iatrogenic",
         "Correct: it results from a medical procedure, usually accidentally."),
    ]
    assert query(bank, "select count(*) from evidence") == [(2,)]


def test_an_excel_file_with_bom_semicolons_crlf_and_a_multiline_cell_builds(subject: Path):  # noqa: F811
    code, stderr, bank = build(subject, CSV / "excel-semicolon.csv")
    assert code == 0, stderr
    assert query(bank, "select local_id, stem, learning_point, line from questions") == [
        ("csv-four-types", "Calcinosis cutis is classified into four major types according to what?\nChoose one.",
         "The four types are named for their cause.", 2)]
    assert query(bank, "select text from options order by position") == [("Etiology",), ("Size",), ("Age; at onset",)]


def test_a_tab_separated_file_without_ids_builds_with_ids_from_the_stem(subject: Path):  # noqa: F811
    code, stderr, bank = build(subject, CSV / "tabs.csv")
    assert code == 0, stderr
    assert query(bank, "select local_id from questions") == [("which-type-of-calcinosis-cutis-is-the-most-common",)]
    assert sorted(query(bank, "select topic from question_topics")) == [("classification",), ("dystrophic",)]


@pytest.mark.parametrize(("name", "errors"), [
    ("missing-column.csv", ["1: missing column(s): answer (a question needs a stem, options a, b, ... and its "
                            "answer)"]),
    ("ragged.csv", ["3: row has 6 cells but the header names 5 columns; quote a cell that holds the delimiter ','"]),
    ("unknown-column.csv", ["1: unknown column 'explanaton'; did you mean 'explanation'?"]),
    ("cp1252.csv", ["3: file is not valid UTF-8 text; save it as \"CSV UTF-8\" (Excel) or with the UTF-8 "
                    "character set"]),
])
def test_a_broken_file_fails_with_its_line(subject: Path, name, errors):  # noqa: F811
    code, stderr, _bank = build(subject, CSV / name)
    where = subject / "questions" / name
    assert code == 1
    assert [e for e in stderr if e.startswith("error")] == [f"error: {where}:{e}" for e in errors]


def test_a_10_mb_cell_fails_at_its_row(subject: Path, tmp_path: Path):  # noqa: F811
    file = tmp_path / "huge.csv"
    file.write_text("stem,a,b,answer\nWhich type?,Dystrophic,Metastatic,A\n"
                    f"\"{'calcium ' * 1_300_000}\",Dystrophic,Metastatic,A\n", encoding="utf-8")
    code, stderr, _bank = build(subject, file)
    assert code == 1
    assert f"error: {subject / 'questions' / 'huge.csv'}:3: a cell is longer than 131,072 characters" in stderr


def test_a_fields_problem_is_the_validators_with_the_rows_line(subject: Path, tmp_path: Path):  # noqa: F811
    file = tmp_path / "checks.csv"
    file.write_text("id,stem,a,b,c,answer,topics\n"
                    "q-one,Which type is the most common?,Dystrophic,Metastatic,,C,classification\n"
                    "q-two,Which type is the most common?,Dystrophic,Metastatic,,A,diet\n", encoding="utf-8")
    code, stderr, _bank = build(subject, file)
    where = subject / "questions" / "checks.csv"
    assert [e for e in stderr if e.startswith("error")] == [
        f"error: {where}:2: question 'q-one': answer 'C' is out of range: there are 2 options (A-B)",
        f"error: {where}:3: question 'q-two': unknown topic 'diet' (not among the topics in the subject.yaml of "
        "'calcinosis-cutis')",
    ]


def test_a_nul_is_refused_with_its_line(subject: Path, tmp_path: Path):  # noqa: F811
    file = tmp_path / "nul.csv"
    file.write_bytes(b"stem,a,b,answer\nWhich type?,Dystrophic,Metastatic,A\nWhich\x00?,Dystrophic,Metastatic,A\n")
    code, stderr, _bank = build(subject, file)
    assert f"error: {subject / 'questions' / 'nul.csv'}:3: text contains a NUL character (\\x00)" in stderr


def test_a_column_without_a_name_is_ignored_until_a_cell_in_it_is_filled(subject: Path, tmp_path: Path):  # noqa: F811
    file = tmp_path / "unnamed.csv"
    file.write_text("stem,a,b,answer,,\n"
                    "Which type is the most common?,Dystrophic,Metastatic,A,,\n"
                    "Which type follows kidney failure?,Metastatic,Dystrophic,A,,forgotten\n", encoding="utf-8")
    code, stderr, _bank = build(subject, file)
    assert [e for e in stderr if e.startswith("error")] == [
        f"error: {subject / 'questions' / 'unnamed.csv'}:3: a cell is filled in a column whose header is empty; "
        "name the column (see the CSV columns in the README)"]


def test_excels_sep_line_and_the_names_other_tools_give_the_columns(subject: Path, tmp_path: Path):  # noqa: F811
    # "sep=;" names the delimiter in files Excel writes for other locales; lines are still the file's own.
    file = tmp_path / "excel.csv"
    file.write_bytes("\ufeffsep=;\r\nID;Question;A;B;Correct answer;Topics\r\n"
                     "q-one;Which type is the most common?;Dystrophic;Metastatic;A;classification\r\n"
                     "q-two;Which type is the most common?;Dystrophic;Metastatic;C;classification\r\n".encode())
    code, stderr, _bank = build(subject, file)
    assert [e for e in stderr if e.startswith("error")] == [
        f"error: {subject / 'questions' / 'excel.csv'}:4: question 'q-two': answer 'C' is out of range: there are 2 "
        "options (A-B)"]
    file.write_bytes(file.read_bytes().replace(b";C;", b";B;").replace(b"Topics", b"Topix"))
    code, stderr, _bank = build(subject, file)
    assert [e for e in stderr if e.startswith("error")] == [
        f"error: {subject / 'questions' / 'excel.csv'}:2: unknown column 'Topix'; did you mean 'topics'?"]
    file.write_bytes(file.read_bytes().replace(b"Topix", b"Topics"))
    code, stderr, bank = build(subject, file)
    assert code == 0, stderr
    assert query(bank, "select local_id, stem, answer from questions order by local_id") == [
        ("q-one", "Which type is the most common?", 0), ("q-two", "Which type is the most common?", 1)]
