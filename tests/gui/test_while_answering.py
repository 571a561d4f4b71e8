from __future__ import annotations

from PySide6.QtCore import Qt

from calciquiz.core.blocks import BlockFilter
from calciquiz.core.exam import ExamBlock
from tests.helpers import query


def test_flag_note_and_strike_through_in_a_study_session(qtbot, window, progress_path):
    window.run_command("study")
    study = window.study
    question_id = study.presentation.question.id
    qtbot.keyClick(study, Qt.Key.Key_F)
    assert study.flag.isChecked() and window.collection.progress.is_flagged(question_id)

    qtbot.keyClick(study, Qt.Key.Key_N)
    study.note_dialog.editor.setPlainText("Medscape counts four types; the others five.")
    study.note_dialog.accept()
    assert window.collection.progress.note(question_id) == "Medscape counts four types; the others five."
    assert study.note_label.isVisible()
    assert "Medscape counts four types" in study.note_label.text()

    qtbot.keyClick(study, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(study.options.rows[3], Qt.MouseButton.RightButton)
    assert study.options.struck() == {1, 3}
    assert study.options.rows[1].text.font().strikeOut()
    qtbot.mouseClick(study.options.rows[3], Qt.MouseButton.RightButton)
    assert study.options.struck() == {1}

    # The flag and the note are there when the question comes back in a custom block.
    study.start([question_id])
    assert study.presentation.question.id == question_id
    assert study.flag.isChecked() and study.note_label.isVisible()
    assert study.options.struck() == set()  # strikes last only while the question is on screen
    assert window.collection.blocks.count(BlockFilter(statuses=frozenset({"flagged"}))) == 1


def test_a_right_answer_can_be_marked_as_a_guess_after_answering(qtbot, window, progress_path):
    window.run_command("study")
    study = window.study
    qtbot.keyClick(study, Qt.Key(Qt.Key.Key_1 + study.presentation.correct_display_index))
    qtbot.keyClick(study, Qt.Key.Key_Return)
    assert study.guess.isEnabled()
    qtbot.keyClick(study, Qt.Key.Key_G)
    assert study.explanation.verdict.text().endswith("(marked as a guess)")
    assert query(progress_path, "select guessed, rating from reviews") == [(1, 2)]


def test_strikes_stay_with_an_exam_question_while_moving_around_the_block(qtbot, window):
    ids = window.collection.blocks.questions(BlockFilter(), 3, seed="s")
    window.stack.setCurrentWidget(window.exam)
    window.exam.start(ExamBlock(window.collection, ids, time_limit_s=270))
    screen = window.exam
    qtbot.keyClick(screen, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(screen, Qt.Key.Key_Right)
    assert screen.options.struck() == set()
    qtbot.keyClick(screen, Qt.Key.Key_Left)
    assert screen.options.struck() == {2}
    qtbot.keyClick(screen, Qt.Key.Key_F)
    assert window.collection.progress.is_flagged(ids[0])


def test_a_question_image_is_shown_from_the_bank(qtbot, tmp_path, documents_dir):
    from calciquiz.core.bank import build_bank
    from calciquiz.core.collection import Collection
    from calciquiz.gui.main_window import MainWindow
    from tests.helpers import question_yaml, subject_of, tiny_png

    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "lesion.png").write_bytes(tiny_png(3, 2))
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml("q-img", image="lesion.png"))
    build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    collection = Collection(tmp_path / "bank.sqlite", tmp_path / "progress.sqlite")
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()
    window.run_command("study")
    assert window.study.image.isVisible()
    assert (window.study.image.pixmap().width(), window.study.image.pixmap().height()) == (3, 2)
    collection.close()
