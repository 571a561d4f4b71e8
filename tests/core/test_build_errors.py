"""Every kind of bad input gets file, line and problem, and leaves the previous bank untouched."""
from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.bank import build_bank
from calciquiz.core.problems import InputError
from tests.helpers import question_count, question_yaml, subject_of

HEADER = "title: Broken set\nquestions:\n"

CASES = {
    "malformed syntax": (
        HEADER + question_yaml("q-one") + "  - id: [unclosed\n",
        22,
        "',' or ']'",
    ),
    "missing field": (
        HEADER + question_yaml("q-one", answer=None),
        3,
        "question 'q-one': missing field(s): answer",
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
    build_bank([subject_of(questions_dir, documents_dir)], out)
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
        build_bank([subject_of(broken, documents_dir)], previous_bank)

    reported = [str(p) for p in caught.value.problems]
    assert any(r.startswith(f"{path}:{line}: ") and message in r for r in reported), reported
    if case == "malformed syntax":
        assert "malformed YAML" in reported[0] and "flow sequence that starts on line 21" in reported[0]
    assert previous_bank.read_bytes() == before
    assert question_count(previous_bank) == 2
    assert sorted(p.name for p in previous_bank.parent.iterdir() if "building" in p.name) == []


def test_duplicate_id_across_files_names_both_places(tmp_path: Path, documents_dir: Path, previous_bank: Path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEADER + question_yaml("q-same"), encoding="utf-8")
    (folder / "b.yaml").write_text(HEADER + question_yaml("q-other") + question_yaml("q-same"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], previous_bank)
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
        build_bank([subject_of(folder, documents_dir)], tmp_path / "out.sqlite")
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
        build_bank([subject_of(folder, documents_dir)], tmp_path / "out.sqlite")
    assert message in str(caught.value)


def test_non_utf8_file_names_its_line(tmp_path: Path, documents_dir: Path):
    folder = tmp_path / "bytes"
    folder.mkdir()
    (folder / "set.yaml").write_bytes(b"title: ok\nquestions:\n  - id: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "out.sqlite")
    assert str(caught.value) == f"{folder / 'set.yaml'}:3: file is not valid UTF-8 text"


def build_one(tmp_path: Path, documents_dir: Path, text: str) -> tuple[Path, list[str]]:
    """Build from one question file holding `text`; the problems it gets, as printed."""
    folder = tmp_path / "hostile"
    folder.mkdir(exist_ok=True)
    path = folder / "set.yaml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "out.sqlite")
    return path, [str(p) for p in caught.value.problems]


# 41 brackets in a comment send a file to PyYAML's pure-Python loader, which (unlike libyaml)
# accepts an escaped lone surrogate.
PURE_PYTHON = "# " + "[" * 41 + "\n"


@pytest.mark.parametrize("answer, message", [
    ("1" * 4301, "'11111111111111111111111111111111111111…' is not a valid integer"),
    ("0x" + "f" * 4000, "'0xffffffffffffffffffffffffffffffffffff…' is not a valid integer"),
    ("2024-02-30", "'2024-02-30' is not a valid date"),
    ("!!bool maybe", "'maybe' is not a valid true/false value"),
    ("!!int abc", "'abc' is not a valid integer"),
    ('!!int ""', "'' is not a valid integer"),
    ("!!timestamp nope", "'nope' is not a valid date"),
    ("!!float 1text", "'1text' is not a valid number"),
], ids=["4301-digits", "huge-hex", "impossible-date", "bool-maybe", "int-abc", "int-empty", "timestamp-nope",
        "float-text"])
def test_a_value_that_cannot_be_read_is_an_error_on_its_line(tmp_path: Path, documents_dir: Path, answer, message):
    path, reported = build_one(tmp_path, documents_dir, HEADER + question_yaml("q-one", answer=answer))
    assert reported == [f"{path}:15: {message}"]


@pytest.mark.parametrize("prefix", ["", PURE_PYTHON], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("field, value, line, message", [
    ("stem", '"Which \\ud800 type?"', 7, "text contains a lone surrogate (\\ud800), which is not a character"),
    ("explanation", '"Because \\udcff."', 16, "text contains a lone surrogate (\\udcff), which is not a character"),
    ("stem", '"Which \\0 type?"', 7, "text contains a NUL character (\\x00)"),
], ids=["stem-surrogate", "explanation-surrogate", "stem-nul"])
def test_surrogates_and_nul_characters_are_refused_at_load_so_validate_and_build_agree(
    tmp_path: Path, documents_dir: Path, prefix, field, value, line, message
):
    text = prefix + HEADER + question_yaml("q-one", **{field: value})
    path, reported = build_one(tmp_path, documents_dir, text)
    line += prefix.count("\n")
    assert len(reported) == 1 and reported[0].startswith(f"{path}:{line}: "), reported
    if prefix or "NUL" in message:  # libyaml refuses a surrogate escape itself, with its own words
        assert reported == [f"{path}:{line}: {message}"]


def test_a_lone_surrogate_in_an_option_is_refused_on_its_line(tmp_path: Path, documents_dir: Path):
    options = ('      - text: "Dystrophic \\ud800"\n        rationale: One.\n'
               "      - text: Metastatic\n        rationale: Two.")
    path, reported = build_one(tmp_path, documents_dir, PURE_PYTHON + HEADER + question_yaml("q-one", options=options))
    assert reported == [f"{path}:10: text contains a lone surrogate (\\ud800), which is not a character"]


LONG_FIELDS = [
    ("stem", "x" * 5001, 7, "question 'q-one': field 'stem' is 5,001 characters long; at most 5,000 are allowed"),
    ("stem", '"' + "Which\\n" * 61 + '"', 7, "question 'q-one': field 'stem' has 61 lines; at most 60 are allowed"),
    ("explanation", "x" * 5001, 16,
     "question 'q-one': field 'explanation' is 5,001 characters long; at most 5,000 are allowed"),
    ("learning_point", "x" * 1001, 17,
     "question 'q-one': field 'learning_point' is 1,001 characters long; at most 1,000 are allowed"),
    ("options", "      - text: " + "x" * 501 + "\n        rationale: One.\n      - text: B\n        rationale: Two.", 9,
     "question 'q-one', option A: field 'text' is 501 characters long; at most 500 are allowed"),
    ("options", "      - text: A\n        rationale: " + "x" * 3001 + "\n      - text: B\n        rationale: Two.", 10,
     "question 'q-one', option A: field 'rationale' is 3,001 characters long; at most 3,000 are allowed"),
    ("evidence", "\n        - document: basics\n          quote: " + "x" * 2001, 20,
     "question 'q-one' evidence: field 'quote' is 2,001 characters long; at most 2,000 are allowed"),
]


@pytest.mark.parametrize("field, value, line, message", LONG_FIELDS,
                         ids=["stem", "stem-lines", "explanation", "learning-point", "option", "rationale", "quote"])
def test_each_text_field_has_a_generous_maximum(tmp_path: Path, documents_dir: Path, field, value, line, message):
    path, reported = build_one(tmp_path, documents_dir, HEADER + question_yaml("q-one", **{field: value}))
    assert reported == [f"{path}:{line}: {message}"]


def test_a_million_unknown_topics_give_one_error_not_a_million(tmp_path: Path, documents_dir: Path):
    topics = "[" + ", ".join(["zz"] * 1_000_000) + "]"
    path, reported = build_one(tmp_path, documents_dir, HEADER + question_yaml("q-one", topics=topics))
    assert reported == [f"{path}:5: question 'q-one': at most 15 topics, found 1,000,000"]


def test_problems_per_file_are_capped_and_the_rest_counted(tmp_path: Path, documents_dir: Path):
    text = HEADER + "".join(question_yaml(f"q-{i}", answer="Z") for i in range(80))
    path, reported = build_one(tmp_path, documents_dir, text)
    assert len(reported) == 51
    assert reported[0].startswith(f"{path}:15: question 'q-0': answer must be an option letter")
    assert reported[-1] == f"{path}: ... and 30 more problems in this file"


def test_many_unknown_keys_are_reported_with_bounded_work(tmp_path: Path, documents_dir: Path, monkeypatch):
    # 300,000 unknown keys took 15 s: a did-you-mean hint was computed for every one of them.
    import calciquiz.core.validate as validate

    hints = []
    real = validate.difflib.get_close_matches
    monkeypatch.setattr(validate.difflib, "get_close_matches", lambda *a, **k: hints.append(1) or real(*a, **k))
    keys = "".join(f"    k{i}: 1\n" for i in range(30_000))
    path, reported = build_one(tmp_path, documents_dir, HEADER + question_yaml("q-one") + keys)
    assert len(hints) <= 50
    assert len(reported) == 51 and reported[-1] == f"{path}: ... and 29,950 more problems in this file"
    assert reported[0].startswith(f"{path}:21: unknown field 'k0' in question 'q-one'")


def test_a_huge_evidence_quote_is_refused_quickly(tmp_path: Path, documents_dir: Path):
    import time

    quote = "Dystrophic calcification is common " * 45_000  # 1.5 MB; the trailing space is stripped
    started = time.monotonic()
    path, reported = build_one(tmp_path, documents_dir, HEADER + question_yaml(
        "q-one", evidence="\n        - document: basics\n          quote: " + quote))
    assert time.monotonic() - started < 10
    assert reported == [f"{path}:20: question 'q-one' evidence: field 'quote' is 1,574,999 characters long; "
                        "at most 2,000 are allowed"]


def test_too_many_evidence_quotes_or_too_long_a_reason_are_refused(tmp_path: Path, documents_dir: Path):
    quote = "\n        - document: basics\n          quote: Dystrophic calcification is the most common type."
    text = (HEADER + question_yaml("q-one", evidence=quote * 11)
            + question_yaml("q-two", accept_warnings="{key-longest: " + "because " * 130 + "}"))
    path, reported = build_one(tmp_path, documents_dir, text)
    assert reported == [
        f"{path}:18: question 'q-one': at most 10 evidence quotes, found 11",
        f"{path}:59: question 'q-two': the reason for accepting 'key-longest' is longer than 1,000 characters",
    ]
