"""`calciquiz convert`: any format's questions written as one YAML set that builds into the same questions."""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calciquiz.cli import cli
from calciquiz.core import formats
from calciquiz.core.bank import load_sources
from calciquiz.core.convert import _Entry, render_set
from calciquiz.core.formats.raw import Mapping, RawQuestion, RawSet, Sequence
from calciquiz.core.formats.yaml_set import read_set as read_yaml_set
from calciquiz.core.problems import Problem
from calciquiz.core.questions import Question
from calciquiz.core.validate import SetRules, check_question
from tests.helpers import CALCINOSIS, question_yaml, tiny_png

RULES = SetRules("calcinosis-cutis", "calcinosis-cutis/converted", ("classification", "clinical-features",
                                                                   "treatment"))


def convert(*arguments: str):
    return CliRunner().invoke(cli, ["convert", *arguments])


def same(question: Question) -> Question:
    """A question without where it was read from (file, line, set), to compare two readings of it."""
    return dataclasses.replace(question, file="", line=0, set_id="",
                               options=tuple(dataclasses.replace(o, line=0) for o in question.options),
                               evidence=tuple(dataclasses.replace(e, line=0) for e in question.evidence))


def questions_of(subject: Path) -> dict[str, Question]:
    (loaded,) = load_sources([subject])
    return {q.id: same(q) for q in loaded.questions}


def test_a_yaml_set_converts_to_a_set_that_builds_into_the_same_questions(tmp_path, documents_dir, questions_dir,
                                                                          subject_dir):
    before = questions_of(subject_dir)
    source = tmp_path / "elsewhere.yaml"
    shutil.move(questions_dir / "set.yaml", source)

    result = convert(str(source), "-o", str(questions_dir / "converted.yaml"))

    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote {questions_dir / 'converted.yaml'}: 2 questions for calcinosis-cutis\n")
    assert questions_of(subject_dir) == before


def fake_reader(tmp_path: Path):
    """A reader of a '.fake' format handing over what imported files carry: tags, no teaching text, skipped items."""
    def read(path: Path, problems: list[Problem]) -> RawSet:
        options = Sequence.of([Mapping.of({"text": "Dystrophic", "rationale": "The most common type."}, 4),
                               Mapping.of({"text": "Metastatic"}, 5),
                               Mapping.of({"text": "Iatrogenic\nafter procedures"}, 6)], 4)
        first = Mapping.of({"id": "most-common-type", "stem": "Which type is the most common?\n\nChoose one.",
                            "options": options, "answer": "a", "image": "pictures/nodule.png"}, 2)
        second = Mapping.of({"id": "treatment-of-deposits", "stem": "What may remove painful deposits?",
                             "options": Sequence.of([Mapping.of({"text": "Surgery"}, 11),
                                                     Mapping.of({"text": "Rest"}, 12)], 11),
                             "answer": "A", "explanation": "Surgery may remove painful deposits."}, 10)
        return RawSet(path, "Week 3 quiz", [RawQuestion(2, first, tags=("Classification", "week 3")),
                                            RawQuestion(10, second, tags=("TREATMENT",))],
                      skipped=[Problem(path, 7, "essay question 'Describe' (CalciQuiz asks "
                                                "single-best-answer questions only)")])
    source = tmp_path / "quiz.fake"
    source.write_text("whatever the format holds")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "nodule.png").write_bytes(tiny_png())
    return read, source


def test_another_formats_set_keeps_its_tags_skipped_items_and_images(tmp_path, monkeypatch, documents_dir,
                                                                      subject_dir):
    read, source = fake_reader(tmp_path)
    monkeypatch.setitem(formats.READERS, ".fake", read)
    output = subject_dir / "questions" / "week-3.yaml"

    result = convert(str(source), "-o", str(output), "-s", str(subject_dir))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"skipped: {source}:7: essay question 'Describe' (CalciQuiz asks single-best-answer questions only)",
        "1 item left out of the bank (listed above)",
        f"wrote {output}: 2 questions and 1 image for calcinosis-cutis",
        f"2 questions marked 'to write:' lack topics or teaching text; calciquiz lint -s {subject_dir} lists them",
    ]
    assert (output.parent / "pictures" / "nodule.png").read_bytes() == tiny_png()
    assert output.read_text(encoding="utf-8") == f"""\
# Converted by calciquiz convert from quiz.fake.
# Questions marked 'to write:' build as they are; what they lack is listed by calciquiz lint.
# Left out (CalciQuiz asks single-best-answer questions only):
#   {source}:7: essay question 'Describe' (CalciQuiz asks single-best-answer questions only)
title: Week 3 quiz
questions:
  # from quiz.fake:2
  # tags that name no topic of calcinosis-cutis: week 3
  # to write: explanation, learning_point, evidence (the build links evidence until then; calciquiz link --accept writes it here)
  - id: most-common-type
    kind: mcq
    topics:
    - classification
    skill: recall
    stem: |-
      Which type is the most common?

      Choose one.
    image: pictures/nodule.png
    options:
    - text: Dystrophic
      rationale: The most common type.
    - text: Metastatic
    - text: |-
        Iatrogenic
        after procedures
    answer: A
  # from quiz.fake:10
  # to write: learning_point, evidence (the build links evidence until then; calciquiz link --accept writes it here)
  - id: treatment-of-deposits
    kind: mcq
    topics:
    - treatment
    skill: recall
    stem: What may remove painful deposits?
    options:
    - text: Surgery
    - text: Rest
    answer: A
    explanation: Surgery may remove painful deposits.
"""
    # The set builds into what the reader gave, with evidence the build linked.
    problems: list[Problem] = []
    rules = SetRules("calcinosis-cutis", "calcinosis-cutis/week-3", read_subject_topics())
    from_reader = [same(check_question(raw, source, problems, rules)) for raw in read(source, problems).questions]
    assert problems == []
    built = questions_of(subject_dir)
    assert all(built[q.id].evidence and all(e.auto for e in built[q.id].evidence) for q in from_reader)
    assert [dataclasses.replace(built[q.id], evidence=()) for q in from_reader] == from_reader


def read_subject_topics() -> tuple[str, ...]:
    from calciquiz.core.subjects import read_subject

    return read_subject(CALCINOSIS).topics


def test_an_existing_set_is_kept_unless_forced(tmp_path, documents_dir, questions_dir, subject_dir):
    source = tmp_path / "source.yaml"
    shutil.move(questions_dir / "set.yaml", source)
    output = questions_dir / "converted.yaml"
    output.write_text("mine")
    result = convert(str(source), "-o", str(output))
    assert result.exit_code == 1
    assert result.output == (f"error: {output}: already exists; choose another name or add --force to replace it\n"
                             f"1 problem found; {output} was not written\n")
    assert output.read_text() == "mine"
    assert convert(str(source), "-o", str(output), "--force").exit_code == 0
    assert output.read_text().startswith("# Converted by calciquiz convert from source.yaml.")


def test_problems_are_named_by_file_and_line_and_nothing_is_written(tmp_path, documents_dir, subject_dir):
    source = tmp_path / "source.yaml"
    source.write_text("title: t\nquestions:\n" + question_yaml("q-one", answer="F", topics="[diet]"), encoding="utf-8")
    output = subject_dir / "questions" / "converted.yaml"
    result = convert(str(source), str(tmp_path / "notes.docx"), "-o", str(output))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {source}:5: question 'q-one': unknown topic 'diet' (not among the topics in the subject.yaml of "
        "'calcinosis-cutis')",
        f"error: {source}:15: question 'q-one': answer 'F' is out of range: there are 3 options (A-C)",
        f"error: {tmp_path / 'notes.docx'}: unknown question file format '.docx' (known: {', '.join(formats.suffixes())})",
        f"3 problems found; {output} was not written",
    ]
    assert not output.exists() and "Traceback" not in result.output


def test_ids_repeated_across_files_are_renamed_and_said(tmp_path, documents_dir, subject_dir):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("title: t\nquestions:\n" + question_yaml("q-one"), encoding="utf-8")
    second.write_text("title: t\nquestions:\n" + question_yaml("q-one", answer="A"), encoding="utf-8")
    output = subject_dir / "questions" / "both.yaml"
    result = convert(str(first), str(second), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert f"renamed: {second}:3: id 'q-one' is also in a.yaml:3; written as 'q-one-2'" in result.output.splitlines()
    assert sorted(questions_of(subject_dir)) == ["calcinosis-cutis/q-one", "calcinosis-cutis/q-one-2"]


# Any text a reader may hand over: every character but NUL and lone surrogates (which readers refuse).
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=TEXT, option=TEXT, rationale=TEXT, explanation=TEXT, tag=TEXT)
# Found by hand: PyYAML writes these YAML line breaks raw, so they came back as a space or broke the file.
@example(stem="a\x85b", option="a\u2028b\n c", rationale="x\u2029\ny", explanation="r\rs\nt", tag="\x85")
def test_any_text_reads_back_the_same_from_the_written_yaml(stem, option, rationale, explanation, tag):
    path = Path("quiz.fake")
    fields = Mapping.of({"id": "q", "stem": stem, "answer": "B", "explanation": explanation, "learning_point": stem,
                         "options": Sequence.of([Mapping.of({"text": option, "rationale": rationale}, 3),
                                                 Mapping.of({"text": "Other " + option}, 4)], 3)}, 1)
    raw = RawQuestion(1, fields, tags=(tag, "treatment"))
    problems: list[Problem] = []
    question = check_question(raw, path, problems, RULES)
    if question is None:  # empty after stripping, too many lines...: the validator's business, not ours
        return
    text = render_set("t", [_Entry(question, raw, path, ["from " + tag, tag])], [path], [])

    with tempfile.TemporaryDirectory() as folder:
        written = Path(folder) / "set.yaml"
        written.write_text(text, encoding="utf-8")
        (read_back,) = read_yaml_set(written, problems).questions
        assert same(check_question(read_back, written, problems, RULES)) == same(question), text
    assert problems == []


def test_images_sharing_a_name_are_all_kept_and_no_file_is_overwritten(tmp_path, documents_dir, subject_dir):
    sources = []
    for name, width in (("a", 2), ("b", 3)):
        folder = tmp_path / name
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "nodule.png").write_bytes(tiny_png(width))
        (folder / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml(f"q-{name}", image="images/nodule.png"),
                                         encoding="utf-8")
        sources.append(str(folder / "set.yaml"))
    questions = subject_dir / "questions"
    (questions / "images").mkdir(parents=True)
    (questions / "images" / "nodule.png").write_bytes(b"the instructor's own")
    (questions / "images" / "nodule-3.png").write_bytes(tiny_png(3))  # the same picture: used, not copied again

    result = convert(*sources, "-o", str(questions / "both.yaml"))

    assert result.exit_code == 0, result.output
    assert (questions / "images" / "nodule.png").read_bytes() == b"the instructor's own"
    assert "  # image was 'images/nodule.png' (another image has that name)" in (questions / "both.yaml").read_text()
    (loaded,) = load_sources([subject_dir])
    assert {q.local_id: (q.image, q.image_data) for q in loaded.questions} == {
        "q-a": ("images/nodule-2.png", tiny_png(2)), "q-b": ("images/nodule-3.png", tiny_png(3))}


def test_relative_paths_from_inside_the_subject_and_a_set_written_elsewhere(tmp_path, documents_dir, questions_dir,
                                                                              subject_dir, monkeypatch):
    # Run inside the subject folder (-s .) or inside questions/ (-o SET.yaml): both once failed to find the subject.
    shutil.move(questions_dir / "set.yaml", questions_dir / "source.yaml")
    monkeypatch.chdir(subject_dir)
    result = convert("questions/source.yaml", "-o", "questions/week3.yaml", "-s", ".")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "wrote questions/week3.yaml: 2 questions for calcinosis-cutis"
    monkeypatch.chdir(questions_dir)
    result = convert("source.yaml", "-o", "week4.yaml")
    assert result.exit_code == 0, result.output
    assert (questions_dir / "week4.yaml").is_file()
    # Written outside questions/, the set is not read by the build, so the source must stay: no advice to move it.
    result = convert("source.yaml", "-o", str(tmp_path / "draft.yaml"), "-s", str(subject_dir))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'draft.yaml'}: 2 questions for calcinosis-cutis\n"
