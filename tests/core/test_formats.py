"""Reading apart from checking: any reader's RawQuestions get the one validator's checks and words."""
from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.bank import build_bank
from calciquiz.core.formats import READERS, RawQuestion, RawSet
from calciquiz.core.formats.raw import Mapping, Sequence
from calciquiz.core.problems import InputError
from calciquiz.core.validate import SetRules, check_question
from tests.helpers import question_yaml, subject_of

RULES = SetRules("calcinosis-cutis", "calcinosis-cutis/set", ("classification", "treatment"))


def raw_question(line: int, **fields) -> RawQuestion:
    """A question as a reader of another format (say GIFT, one line per field) would hand it over."""
    options = Sequence.of([Mapping.of({"text": text, "rationale": "Because."}, line + 4 + i)
                           for i, text in enumerate(("Dystrophic", "Metastatic", "Iatrogenic"))], line + 4)
    values = {"id": "q-gift", "kind": "mcq", "topics": Sequence.of(["classification"], line + 1), "skill": "recall",
              "stem": "Which type is the most common?", "options": options, "answer": "A",
              "explanation": "The document says so.", "learning_point": "Dystrophic.",
              "evidence": Sequence.of([Mapping.of({"document": "basics", "quote": "A quote."}, line + 8)], line + 8)}
    values.update(fields)
    return RawQuestion(line, Mapping.of(values, line, {key: line + n for n, key in enumerate(values)}))


def test_a_question_from_another_reader_is_made_by_the_same_validator():
    problems: list = []
    question = check_question(raw_question(10), Path("set.gift"), problems, RULES)
    assert problems == []
    assert (question.id, question.local_id, question.set_id) == ("calcinosis-cutis/q-gift", "q-gift",
                                                                 "calcinosis-cutis/set")
    assert [o.text for o in question.options] == ["Dystrophic", "Metastatic", "Iatrogenic"]


def test_another_reader_gets_the_same_messages_as_yaml(tmp_path: Path, documents_dir: Path):
    problems: list = []
    assert check_question(raw_question(10, answer="F", topics=Sequence.of(["diet"], 11)), Path("set.gift"),
                          problems, RULES) is None
    from_gift = sorted(p.message for p in problems)

    folder = tmp_path / "yaml"
    folder.mkdir()
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-gift", answer="F", topics="[diet]"))
    with pytest.raises(InputError) as caught:
        build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    from_yaml = sorted(p.message for p in caught.value.problems)
    assert from_gift == from_yaml == [
        "question 'q-gift': answer 'F' is out of range: there are 3 options (A-C)",
        "question 'q-gift': unknown topic 'diet' (not among the topics in the subject.yaml of 'calcinosis-cutis')",
    ]


def test_the_yaml_reader_hands_over_fields_with_their_lines(questions_dir: Path):
    problems: list = []
    raw = READERS[".yaml"](questions_dir / "set.yaml", problems)
    assert isinstance(raw, RawSet) and raw.title == "Test set" and problems == []
    first = raw.questions[0]
    assert (first.line, first.fields["id"], first.fields.line_of("answer")) == (3, "q-one", 15)


def test_a_question_with_only_stem_options_and_key_is_made_with_defaults_and_its_tags_as_topics():
    """What GIFT or Aiken carries is enough: the teaching fields may wait, and tags that name a topic are kept."""
    options = Sequence.of([Mapping.of({"text": text}, 3 + i) for i, text in enumerate(("Dystrophic", "Metastatic"))], 3)
    fields = Mapping.of({"id": "q-bare", "stem": "Which type is the most common?", "options": options, "answer": "A"},
                        2)
    problems: list = []
    question = check_question(RawQuestion(2, fields, tags=("Top", "Treatment", "exam 2019", "CLASSIFICATION")),
                              Path("set.gift"), problems, RULES)
    assert problems == []
    assert (question.kind, question.skill, question.topics) == ("mcq", "recall", ("treatment", "classification"))
    assert (question.explanation, question.learning_point, question.evidence) == ("", "", ())
    assert [(o.text, o.rationale) for o in question.options] == [("Dystrophic", ""), ("Metastatic", "")]


def test_a_teaching_field_written_empty_is_still_an_error():
    problems: list = []
    assert check_question(raw_question(10, explanation="  "), Path("set.gift"), problems, RULES) is None
    assert [p.message for p in problems] == ["question 'q-gift': field 'explanation' is empty or not text"]


def test_an_imported_question_gets_an_id_from_its_name_or_else_its_first_words():
    from calciquiz.core.formats.raw import derive_id

    taken: set[str] = set()
    made = [derive_id("Q1: Calcinosis — Type?", "", taken), derive_id("", "Which type of calcinosis cutis is the "
                                                                             "most common?", taken),
            derive_id("q1 calcinosis type", "", taken), derive_id("", "¿¡!?", taken)]
    assert made == ["q1-calcinosis-type", "which-type-of-calcinosis-cutis-is-the-most-common", "q1-calcinosis-type-2", "question"]


def test_two_aiken_files_whose_stems_begin_alike_keep_their_ids_whatever_their_order(tmp_path: Path, documents_dir):
    """Aiken cannot name an id: a question inserted above another, or in another file, must not take its id."""
    first = "Which type of calcinosis cutis is the most common?\nA. Dystrophic\nB. Metastatic\nANSWER: A\n"
    second = "Which type of calcinosis cutis has no evident cause?\nA. Idiopathic\nB. Iatrogenic\nANSWER: A\n"
    ids = []
    for order in ((first, second), (second, first)):
        folder = tmp_path / f"q{len(ids)}"
        folder.mkdir()
        (folder / "one.txt").write_text(order[0], encoding="utf-8")
        (folder / "two.txt").write_text(order[1], encoding="utf-8")
        problems: list = []
        ids.append(sorted(READERS[".txt"](folder / name, problems).questions[0].fields["id"]
                          for name in ("one.txt", "two.txt")))
    assert ids[0] == ids[1] == ["which-type-of-calcinosis-cutis-has-no-evident-cause",
                                "which-type-of-calcinosis-cutis-is-the-most-common"]
