"""GIFT and Aiken files build beside YAML sets, as an instructor brings them from Moodle; and GIFT goes back out."""
from __future__ import annotations

import json
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.bank import Bank
from tests.helpers import CALCINOSIS, query

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
GIFT, AIKEN = FORMATS / "gift", FORMATS / "aiken"
SKIP = "(CalciQuiz asks single-best-answer questions only)"


def subject_with(tmp_path: Path, *files: Path, **written: str | bytes) -> Path:
    """A copy of the shipped subject whose questions folder holds only these files (name=text for new ones)."""
    folder = tmp_path / "calcinosis-cutis"
    shutil.copytree(CALCINOSIS, folder, ignore=shutil.ignore_patterns("questions"))
    questions = folder / "questions"
    questions.mkdir()
    for path in files:
        shutil.copy(path, questions / path.name)
    for name, content in written.items():
        name = name.replace("_", ".", 1) if "_" in name else name  # questions_gift -> questions.gift
        target = questions / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def build(folder: Path, out: Path):
    return CliRunner().invoke(cli, ["build", "-s", str(folder), "-o", str(out)])


def stored(out: Path) -> list[tuple]:
    """Each question of a bank as a resident meets it: id, topics, stem, options with rationales, key, explanation."""
    ids = [row[0] for row in query(out, "SELECT id FROM questions ORDER BY rowid")]
    with closing(Bank(out)) as bank:
        questions = [bank.question(i) for i in ids]
    return [(q.local_id, q.topics, q.stem, [(o.text, o.rationale) for o in q.options], q.answer_letter,
             q.explanation) for q in questions]


def errors(result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if not line.startswith("subjects: ")]


def test_a_moodle_gift_file_builds_with_feedback_categories_html_missing_words_and_escapes(tmp_path: Path):
    folder = subject_with(tmp_path, GIFT / "moodle-style.gift")
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert errors(result) == []
    assert stored(tmp_path / "bank.sqlite") == [
        ("gift-most-common", ("classification", "dystrophic"), "Which type of calcinosis cutis is the most common?",
         [("Dystrophic", "Correct: several sources call it the most common type."),
          ("Metastatic", "Metastatic calcinosis is not the type the sources call most common."),
          ("Idiopathic", "Idiopathic calcification occurs with no underlying tissue damage; it is not the most "
                         "common.")],
         "A", "Medscape classifies calcinosis cutis into 4 major types: dystrophic, metastatic, iatrogenic, and "
              "idiopathic."),
        ("deposit-composition", ("classification",),
         "The calcium salts deposited in the skin consist primarily of which crystals?\nChoose one.",
         [("Calcium oxalate crystals", ""), ("Hydroxyapatite crystals & amorphous calcium phosphate",
                                             "Correct.\nMedscape names these."), ("Monosodium urate crystals", "")],
         "B", ""),
        ("topical-sodium-may-also-be-useful", ("treatment",), "Topical sodium _____ may also be useful.",
         [("bicarbonate", ""), ("thiosulfate", ""), ("chloride", "")], "B", ""),
        ("escapes-all-of-them", ("treatment",), "Which salts {calcium phosphate} are deposited: a test of ~, = and #?",
         [("Hydroxyapatite = calcium phosphate", "Right: { and } are braces\nand this is a second line."),
          ("Calcium oxalate ~ urate", "A backslash stays: C\\D.")], "A", ""),
    ]


def test_a_file_saved_by_notepad_with_a_byte_order_mark_and_crlf_builds_with_the_right_lines(tmp_path: Path):
    crlf = (GIFT / "windows.gift").read_bytes()
    broken = crlf.replace(b"::Diagnosis::", b"::Biopsy::").replace(b"::Treatment::", b"::Dose::").replace(
        b"=minocycline", b"~doxycycline")
    folder = subject_with(tmp_path, GIFT / "windows.gift", **{"broken.gift": broken})
    result = build(folder, tmp_path / "bank.sqlite")
    assert broken.startswith(b"\xef\xbb\xbf") and b"\r\n" in broken
    assert errors(result) == [
        f"error: {folder / 'questions' / 'broken.gift'}:8: question 'Dose': no right answer in its answer block: "
        "mark the key with '=' (or '~%100%')",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed",
    ]
    (folder / "questions" / "broken.gift").unlink()
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "bank.sqlite") == [
        ("diagnosis", (), "Which test shows calcium deposits in the skin?", [("A biopsy", ""), ("A urine culture", "")],
         "A", ""),
        ("treatment", (), "Which antibiotic, in a low dose, relieved the pain of lesions in people with CREST "
                          "syndrome?", [("minocycline", ""), ("warfarin", "")], "A", "")]


@pytest.mark.parametrize(("kind", "answers"), [
    ("true/false", "{FALSE#It is not cancerous.}"),
    ("short answer", "{=hydroxyapatite =hydroxyapatite crystals}"),
    ("matching", "{=Dystrophic -> damaged tissue =Idiopathic -> no cause found}"),
    ("numerical", "{#4}"),
    ("essay", "{}"),
    ("description", ""),
    ("multiple-answer", "{~%50%Dystrophic ~%50%Metastatic ~%-100%Malignant}"),
    ("partial-credit", "{=Idiopathic ~%50%Iatrogenic ~Dystrophic}"),
])
def test_each_question_type_calciquiz_cannot_ask_is_listed_as_skipped_with_its_line(tmp_path: Path, kind: str,
                                                                                   answers: str):
    text = ("::Kept::Which type of calcinosis cutis is the most common? {=Dystrophic ~Metastatic}\n\n"
            f"// a comment line\n::Other::A question about calcinosis cutis. {answers}\n")
    folder = subject_with(tmp_path, **{"set.gift": text})
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert errors(result) == [f"skipped: {folder / 'questions' / 'set.gift'}:4: {kind} question 'Other' "
                              f"{SKIP}", "1 item left out of the bank (listed above)"]
    assert [q[0] for q in stored(tmp_path / "bank.sqlite")] == ["kept"]


def test_a_file_of_every_skipped_type_builds_the_one_question_it_can_ask(tmp_path: Path):
    folder = subject_with(tmp_path, GIFT / "skipped-types.gift")
    result = build(folder, tmp_path / "bank.sqlite")
    where = folder / "questions" / "skipped-types.gift"
    assert result.exit_code == 0, result.output
    assert errors(result) == [
        f"skipped: {where}:3: true/false question 'True or false' {SKIP}",
        f"skipped: {where}:5: short answer question 'Short answer' {SKIP}",
        f"skipped: {where}:7: matching question 'Matching' {SKIP}",
        f"skipped: {where}:13: numerical question 'Numerical' {SKIP}",
        f"skipped: {where}:15: essay question 'Essay' {SKIP}",
        f"skipped: {where}:17: description question 'This line is a description: text with no answers.' "
        f"{SKIP}",
        f"skipped: {where}:19: multiple-answer question 'Multiple answer' {SKIP}",
        f"skipped: {where}:25: partial-credit question 'Partial credit' {SKIP}",
        "8 items left out of the bank (listed above)",
    ]
    assert [q[0] for q in stored(tmp_path / "bank.sqlite")] == ["kept"]


def test_unbalanced_braces_and_a_missing_key_are_errors_with_their_lines_and_the_old_bank_stays(tmp_path: Path):
    good = subject_with(tmp_path / "good", GIFT / "questions.txt")
    out = tmp_path / "bank.sqlite"
    assert build(good, out).exit_code == 0
    before = out.read_bytes()
    folder = subject_with(tmp_path, GIFT / "unbalanced.gift")
    result = build(folder, out)
    where = folder / "questions" / "unbalanced.gift"
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {where}:3: the answer block '{{' is not closed with '}}'",
        f"error: {where}:6: '}}' with no '{{' before it (write \\}} for a brace in text)",
        f"error: {where}:9: a second answer block '{{...}}' in one question: separate questions with a blank line "
        "(write \\{ for a brace in text)",
        f"error: {where}:11: '{{' inside an answer block opened on line 11: close it with '}}' first (write \\{{ for "
        "a brace in text)",
        f"error: {where}:13: question 'No key': no right answer in its answer block: mark the key with '=' "
        "(or '~%100%')",
        f"error: {where}:18: the question's title '::' is not closed with '::' (write \\: for a colon in a title)",
        f"6 problems found; {out} was not changed",
    ]
    assert out.read_bytes() == before


def test_checks_of_imported_questions_are_the_validators_with_the_gift_line(tmp_path: Path):
    text = ("// [id:Bad Id]\n::T::Which type is the most common? {=Dystrophic ~Metastatic}\n\n"
            "// [id:same]\n::A::Which type is the most common? {=Dystrophic ~Metastatic}\n\n"
            "// [id:same]\n::B::Which type is the most common? {=Dystrophic ~Metastatic}\n\n"
            "// [kind:essay]\n::K::Which type is the most common? {=Dystrophic ~Metastatic}\n")
    folder = subject_with(tmp_path, **{"set.gift": text})
    result = build(folder, tmp_path / "bank.sqlite")
    where = folder / "questions" / "set.gift"
    assert errors(result) == [
        f"error: {where}:1: question 'id' is missing or not lowercase letters, digits and dashes (it is 'Bad Id')",
        f"error: {where}:8: duplicate id 'same' (also in {where}:5)",
        f"error: {where}:10: question 'k': kind must be one of mcq, vignette",
        f"3 problems found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


def test_an_aiken_file_builds(tmp_path: Path):
    folder = subject_with(tmp_path, AIKEN / "basic.txt")
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "bank.sqlite") == [
        ("which-type-of-calcinosis-cutis-is-the-most-common", (), "Which type of calcinosis cutis is the most common?",
         [("Dystrophic", ""), ("Metastatic", ""), ("Idiopathic", "")], "A", ""),
        ("topical-use-of-which-compound-may-also-be-useful-in", (), "Topical use of which compound may also be useful in calcinosis "
                                                  "cutis?",
         [("Sodium bicarbonate", ""), ("Sodium thiosulfate", ""), ("Sodium chloride", "")], "B", ""),
    ]


def test_a_broken_aiken_file_lists_every_problem_with_its_line(tmp_path: Path):
    folder = subject_with(tmp_path, AIKEN / "broken.txt", **{"range.txt": "Which type?\nA. One\nB. Two\nANSWER: D\n"})
    result = build(folder, tmp_path / "bank.sqlite")
    where, other = folder / "questions" / "broken.txt", folder / "questions" / "range.txt"
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {where}:8: option 'C' where 'B' was due: options go A, B, C ... in order",
        f"error: {where}:11: option 'A' with no question text above it",
        f"error: {where}:17: expected an option ('C. text') or 'ANSWER: X' after the options; write 'ANSWER:' in "
        "capitals",
        f"error: {where}:19: question has no 'ANSWER: X' line (it ends at a blank line or the end of the file)",
        f"error: {where}:24: 'ANSWER:' with no options ('A. text') above it",
        f"error: {other}:4: question 'which-type': answer 'D' is out of range: there are 2 options (A-B)",
        f"6 problems found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


def test_a_txt_file_is_read_as_gift_or_aiken_by_what_it_holds_and_says_so_when_it_is_neither(tmp_path: Path):
    folder = subject_with(tmp_path, GIFT / "questions.txt", AIKEN / "basic.txt")
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert [q[0] for q in stored(tmp_path / "bank.sqlite")] == [
        "which-type-of-calcinosis-cutis-is-the-most-common", "topical-use-of-which-compound-may-also-be-useful-in", "most-common"]
    shutil.copy(AIKEN / "neither.txt", folder / "questions")
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / 'neither.txt'}:1: neither GIFT nor Aiken questions: no answer block such as "
        "'{=right ~wrong}' and no 'ANSWER: A' line",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


@pytest.mark.parametrize("name", ["set.gift", "set.txt"])
def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path: Path, name: str):
    content = "::A::Which type is the most common? {\n=Dystrophic\n~Métastatic\n}\n".encode("latin-1")
    folder = subject_with(tmp_path, **{name: content})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / name}:3: file is not UTF-8 (line 3); save it as UTF-8",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


def test_a_nul_character_is_refused_with_its_line(tmp_path: Path):
    folder = subject_with(tmp_path, **{"set.txt": "Which type?\nA. One\x00\nB. Two\nANSWER: A\n"})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / 'set.txt'}:2: text contains a NUL character (\\x00)",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


def test_a_10_mb_field_is_a_problem_with_its_line_and_a_file_over_the_cap_is_refused(tmp_path: Path):
    huge = "::Big::Which type is the most common?\n" + "calcium " * 1_250_000 + "{=Dystrophic ~Metastatic}\n"
    aiken = "A?\nA. x\nB. " + "y" * 10_000_000 + "\nANSWER: A"
    folder = subject_with(tmp_path, **{"big.gift": huge, "big-aiken.txt": aiken})
    result = build(folder, tmp_path / "bank.sqlite")
    questions = folder / "questions"
    assert errors(result) == [
        f"error: {questions / 'big-aiken.txt'}:3: question 'a', option B: field 'text' is 10,000,000 characters "
        "long; at most 500 are allowed",
        f"error: {questions / 'big.gift'}:1: question 'big': field 'stem' is 10,000,030 characters long; at most "
        "5,000 are allowed",
        f"2 problems found; {tmp_path / 'bank.sqlite'} was not changed",
    ]
    (questions / "big-aiken.txt").write_bytes(b"x" * 20_000_001)
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result)[0] == f"error: {questions / 'big-aiken.txt'}: file is larger than 20,000,000 bytes"


def test_deeply_repeated_escapes_and_braces_end_in_a_bank_or_a_problem(tmp_path: Path):
    stem = "\\{" * 200_000 + "\\\\" * 200_000
    folder = subject_with(tmp_path, **{"set.gift": f"::Esc::{stem} {{=Dystrophic ~Metastatic}}\n\n" + "{" * 100_000})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / 'set.gift'}:3: '{{' inside an answer block opened on line 3: close it with "
        "'}' first (write \\{ for a brace in text)",
        f"error: {folder / 'questions' / 'set.gift'}:1: question 'esc': field 'stem' is 400,000 characters long; at "
        "most 5,000 are allowed",
        f"2 problems found; {tmp_path / 'bank.sqlite'} was not changed",
    ]


@pytest.mark.parametrize(("content", "expected"), [
    ("x\n\n" * 50_001, ":100001: more than 50,000 questions (runs of lines between blank lines) in one file; split "
                        "it into several files"),
    ("Q?\n" + "x\n" * 2_001 + "{=a ~b}", ":1: a question of more than 2,000 lines: separate questions with a blank "
                                         "line"),
    ("\n\nQ? {" + "~a " * 1_000_000 + "=b}", ":3: question 'Q?': more than 1,000 answers in one answer block"),
], ids=["many-questions", "long-question", "many-answers"])
def test_a_file_too_big_in_questions_lines_or_answers_is_refused_with_its_line(tmp_path: Path, content: str,
                                                                               expected: str):
    folder = subject_with(tmp_path, **{"set.gift": content})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result)[0] == f"error: {folder / 'questions' / 'set.gift'}{expected}"


def test_ids_from_the_same_first_words_are_numbered_as_before_with_the_last_number_remembered():
    from calciquiz.core.formats.raw import TakenIds, derive_id

    names = ["Q", "Q", "", "Q 2", "Q", "", "Q"]
    plain, remembered = set(), TakenIds("q-4")
    assert [derive_id(n, "Which of the following", plain) for n in ["Q-4"] + names][1:] == \
        [derive_id(n, "Which of the following", remembered) for n in names] == \
        ["q", "q-2", "which-of-the-following", "q-2-2", "q-3", "which-of-the-following-2", "q-5"]


def test_the_message_for_an_empty_questions_folder_names_every_format(tmp_path: Path):
    folder = subject_with(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "-s", str(folder)])
    assert errors(result)[0] == (f"error: {folder / 'questions'}: no question files (*.yaml, *.yml, *.gift, *.txt, "
                                 "*.xml, *.csv) found")


def whole(bank_path: Path) -> dict[str, tuple]:
    """Every question of a bank with everything an instructor wrote for it, by id."""
    ids = [row[0] for row in query(bank_path, "SELECT id FROM questions")]
    with closing(Bank(bank_path)) as bank:
        questions = [bank.question(i) for i in ids]
    return {q.id: (q.kind, q.skill, q.topics, q.stem, [(o.text, o.rationale) for o in q.options], q.answer,
                   q.explanation, q.learning_point, [(e.document_id, e.quote, e.passage_ordinal, e.start, e.auto)
                                                     for e in q.evidence])
            for q in questions}


def test_the_shipped_subject_exported_to_gift_builds_back_into_the_same_questions(tmp_path: Path, shipped_bank: Path):
    exported = tmp_path / "calcinosis.gift"
    result = CliRunner().invoke(cli, ["export", "gift", str(exported), "-s", str(CALCINOSIS)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {exported}: 187 questions\n"
    folder = subject_with(tmp_path, exported)
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert errors(result) == []
    back, original = whole(tmp_path / "bank.sqlite"), whole(shipped_bank)
    assert len(back) == 187
    assert back == original


def test_special_characters_and_line_breaks_survive_a_gift_round_trip(tmp_path: Path):
    """Every mark GIFT gives a meaning to, a text that looks like a format or a weight, and line breaks."""
    nasty = "a ~ b = c # d { e } f : g \\ h \\n i -> j //k ####l"
    q = json.dumps  # a JSON string is a YAML double-quoted string
    text = ("title: t\nquestions:\n  - id: q-nasty\n    topics: [treatment]\n"
            f"    stem: {q('[html] <b>' + nasty + '</b>' + chr(10) + 'second line')}\n"
            f"    options:\n      - text: {q('%50% ' + nasty)}\n        rationale: {q('[plain]' + nasty)}\n"
            f"      - text: {q('[markdown] plain')}\n    answer: B\n"
            f"    explanation: {q('# ' + nasty + chr(10) + chr(10) + 'after a blank line')}\n"
            f"    learning_point: {q(nasty + chr(10) + 'second line')}\n"
            f"    accept_warnings:\n      key-longest: {q('Because ' + chr(92) + ' it is.')}\n")
    source = subject_with(tmp_path / "source", **{"set.yaml": text})
    (tmp_path / "source" / "bank.sqlite").parent.mkdir(exist_ok=True)
    assert build(source, tmp_path / "source" / "bank.sqlite").exit_code == 0
    exported = tmp_path / "nasty.gift"
    assert CliRunner().invoke(cli, ["export", "gift", str(exported), "-s", str(source)]).exit_code == 0
    back = subject_with(tmp_path / "back", exported)
    result = build(back, tmp_path / "back" / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert whole(tmp_path / "back" / "bank.sqlite") == whole(tmp_path / "source" / "bank.sqlite")
    from calciquiz.core.subjects import load_subjects

    (question,) = load_subjects([back])[0].questions
    assert question.accepted_warnings == (("key-longest", "Because \\ it is."),)
    assert question.stem == f"[html] <b>{nasty}</b>\nsecond line"


@pytest.mark.parametrize("name", ["example.gift", "example-aiken.txt"])
def test_the_readme_examples_build_in_the_shipped_subject(tmp_path: Path, name: str):
    folder = subject_with(tmp_path, FORMATS / "readme" / name)
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert errors(result) == []
    assert len(stored(tmp_path / "bank.sqlite")) >= 2


AIKEN_WITH_A_BRACE = """Which type is most common?
A. Dystrophic
B. Metastatic
ANSWER: A

In the set {dystrophic, metastatic, iatrogenic, idiopathic}, how are the types grouped?
A. By etiology
B. By size
ANSWER: A
"""


def test_a_brace_in_an_aiken_stem_does_not_make_the_file_gift(tmp_path: Path):
    # It did: the whole file was read as GIFT, every question skipped as a description, and a bank of none built.
    folder = subject_with(tmp_path, **{"set.txt": AIKEN_WITH_A_BRACE})
    result = build(folder, tmp_path / "bank.sqlite")
    assert result.exit_code == 0, result.output
    assert [(q[2], q[4]) for q in stored(tmp_path / "bank.sqlite")] == [
        ("Which type is most common?", "A"),
        ("In the set {dystrophic, metastatic, iatrogenic, idiopathic}, how are the types grouped?", "A")]
    assert "skipped" not in result.output


def test_lowercase_aiken_options_are_named_where_they_are(tmp_path: Path):
    folder = subject_with(tmp_path, **{"set.txt": "Which type follows heel sticks?\na) Iatrogenic\nb) Idiopathic\n"
                                                  "ANSWER: a\n"})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / 'set.txt'}:2: option 'a' must be a capital letter: write 'A. text' or "
        "'A) text'",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed"]


def test_lint_names_each_imported_question_without_a_topic(tmp_path: Path):
    # Aiken carries no categories; convert marks such questions 'to write: topics', and lint must list them.
    folder = subject_with(tmp_path, AIKEN / "basic.txt")
    result = CliRunner().invoke(cli, ["lint", "-s", str(folder), "--bank", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 0, result.output
    where = folder / "questions" / "basic.txt"
    assert [line for line in result.output.splitlines() if "[no-topics]" in line] == [
        f"warning: {where}:1: [no-topics] question 'which-type-of-calcinosis-cutis-is-the-most-common': no topic: give "
        "it one of the subject's topics",
        f"warning: {where}:7: [no-topics] question 'topical-use-of-which-compound-may-also-be-useful-in': no topic: "
        "give it one of the subject's topics"]


def test_a_warning_accepted_twice_in_gift_is_a_problem_at_the_second(tmp_path: Path):
    folder = subject_with(tmp_path, **{"set.gift": "// [accept:key-longest] One reason.\n// [accept:key-longest] "
                                                   "Another.\n::Q::Which type is most common? {\n=Dystrophic\n"
                                                   "~Metastatic\n}\n"})
    result = build(folder, tmp_path / "bank.sqlite")
    assert errors(result) == [
        f"error: {folder / 'questions' / 'set.gift'}:2: warning 'key-longest' is accepted twice (first on line 1)",
        f"1 problem found; {tmp_path / 'bank.sqlite'} was not changed"]
