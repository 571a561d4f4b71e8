"""Every kind of bad input gets file, line and problem, and leaves the previous bank untouched."""
from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.bank import Bank, build_bank
from calciquiz.core.problems import InputError
from tests.conftest import question_yaml

HEADER = "title: Broken set\nquestions:\n"

CASES = {
    "malformed syntax": (
        HEADER + question_yaml("q-one") + "  - id: [unclosed\n",
        22,
        "',' or ']'",
    ),
    "missing field": (
        HEADER + question_yaml("q-one", explanation=None),
        3,
        "question 'q-one': missing field(s): explanation",
    ),
    "unknown field": (
        HEADER + question_yaml("q-one", difficulty="hard"),
        21,
        "unknown field 'difficulty' in question 'q-one'",
    ),
    "correct option out of range": (
        HEADER + question_yaml("q-one", answer="E"),
        15,
        "answer 'E' is out of range: there are 3 options (A-C)",
    ),
    "fewer than two options": (
        HEADER + question_yaml("q-one", options="      - text: Dystrophic\n        rationale: Only one."),
        8,
        "needs at least two options, found 1",
    ),
    "duplicate options": (
        HEADER + question_yaml(
            "q-one",
            options="      - text: Dystrophic\n        rationale: One.\n"
                    "      - text: dystrophic\n        rationale: Two.",
        ),
        11,
        "option B: duplicate option 'dystrophic' (same as option A)",
    ),
    "evidence not in the document": (
        HEADER + question_yaml(
            "q-one",
            evidence="\n        - document: basics\n          quote: Dystrophic calcification is the rarest type.",
        ),
        20,
        "evidence quote not found word for word in document 'basics'",
    ),
    "evidence from an unknown document": (
        HEADER + question_yaml("q-one", evidence="\n        - document: nowhere\n          quote: Some text."),
        20,
        "unknown document 'nowhere' (known: basics)",
    ),
    "evidence quoting web-page noise": (
        HEADER + question_yaml("q-one", evidence="\n        - document: basics\n          quote: Types"),
        20,
        "evidence quote is from a heading, not from teaching text",
    ),
}


@pytest.fixture
def previous_bank(tmp_path: Path, questions_dir: Path, documents_dir: Path) -> Path:
    out = tmp_path / "bank.sqlite"
    build_bank([questions_dir], documents_dir, out)
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_bad_question_file_is_reported_with_file_and_line_and_the_old_bank_is_untouched(
    case: str, tmp_path: Path, previous_bank: Path, documents_dir: Path
):
    text, line, message = CASES[case]
    broken = tmp_path / "broken"
    broken.mkdir()
    path = broken / "set.yaml"
    path.write_text(text, encoding="utf-8")
    before = previous_bank.read_bytes()

    with pytest.raises(InputError) as caught:
        build_bank([broken], documents_dir, previous_bank)

    reported = [str(p) for p in caught.value.problems]
    assert any(r.startswith(f"{path}:{line}: ") and message in r for r in reported), reported
    if case == "malformed syntax":
        assert "malformed YAML" in reported[0] and "flow sequence that starts on line 21" in reported[0]
    assert previous_bank.read_bytes() == before
    assert Bank(previous_bank).question_count() == 2
    assert sorted(p.name for p in previous_bank.parent.iterdir() if "building" in p.name) == []


def test_duplicate_id_across_files_names_both_places(tmp_path: Path, documents_dir: Path, previous_bank: Path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEADER + question_yaml("q-same"), encoding="utf-8")
    (folder / "b.yaml").write_text(HEADER + question_yaml("q-other") + question_yaml("q-same"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_bank([folder], documents_dir, previous_bank)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'b.yaml'}:21: duplicate id 'q-same' (also in {folder / 'a.yaml'}:3)"
    ]


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        HEADER + question_yaml("q-one", answer="Z") + question_yaml("q-two", kind="essay"), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        build_bank([folder], documents_dir, tmp_path / "out.sqlite")
    assert len(caught.value.problems) == 2
    assert not (tmp_path / "out.sqlite").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "file is empty"),
        ("base: &a [1, 2]\nquestions: *a\n", "anchors and aliases (&, *) are not allowed"),
        ("title: x\ntitle: y\nquestions: []\n", "duplicate key 'title'"),
        ("questions: !!python/object/apply:os.system ['echo hi']\n",
         "YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"),
        ("title: !!python/name:os.system x\nquestions: []\n", "are not allowed"),
    ],
)
def test_unsafe_or_odd_yaml_is_refused_with_a_message(tmp_path: Path, documents_dir: Path, text: str, message: str):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "set.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_bank([folder], documents_dir, tmp_path / "out.sqlite")
    assert message in str(caught.value)


def test_non_utf8_file_names_its_line(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "bytes"
    folder.mkdir()
    (folder / "set.yaml").write_bytes(b"title: ok\nquestions:\n  - id: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        build_bank([folder], documents_dir, tmp_path / "out.sqlite")
    assert str(caught.value) == f"{folder / 'set.yaml'}:3: file is not valid UTF-8 text"
