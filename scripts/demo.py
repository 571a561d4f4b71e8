"""Open the app in a given state, for screenshots:
python scripts/demo.py [answered|home|reader|exam|report|documents|progress|home-two-subjects|block-two-subjects|imported].

Uses a throw-away progress folder, answers through the real study screen until a case
vignette is on screen, then answers it (wrongly, to show every part of the feedback).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CALCIQUIZ_DATA_DIR", tempfile.mkdtemp(prefix="calciquiz-demo-"))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from calciquiz.gui.app import open_collection  # noqa: E402
from calciquiz.gui.main_window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# The second subject of the tests (never shipped), beside calcinosis cutis, for the two-subject states.
TWO_SUBJECTS = (ROOT / "subjects" / "calcinosis-cutis", ROOT / "tests" / "fixtures" / "subjects" / "wound-healing")


def open_two_subjects(window: MainWindow) -> None:
    """Build a bank of calcinosis cutis and the fixture subject, open it as File › Open question bank… does,
    and answer a few questions of each, so that every figure on the home screen has something to show."""
    from calciquiz.core.bank import build_bank

    bank = Path(os.environ["CALCIQUIZ_DATA_DIR"]) / "two-subjects.sqlite"
    build_bank(list(TWO_SUBJECTS), bank)
    window.bank_commands.open(bank, remember=False)
    for subject, answers in (("calcinosis-cutis", 7), ("wound-healing", 1)):
        window.home.choose(subject)
        window.run_command("study")
        study = window.study
        for i in range(answers):
            right = study.presentation.correct_display_index
            study.choose(right if i % 3 else (right + 1) % len(study.presentation.order))
            study.advance()
            study.advance()
    window.home.choose("calcinosis-cutis")
    window.run_command("home")


def open_imported(window: MainWindow) -> None:
    """Build a bank from the README's example files in every imported format, open it, and answer the
    question that came without evidence, so its auto-linked source shows with its label."""
    import shutil

    from calciquiz.core.bank import build_bank

    folder = Path(os.environ["CALCIQUIZ_DATA_DIR"]) / "imported" / "calcinosis-cutis"
    shutil.copytree(TWO_SUBJECTS[0], folder, ignore=shutil.ignore_patterns("questions"))
    examples = ROOT / "tests" / "fixtures" / "formats" / "readme"
    (folder / "questions").mkdir()
    for name, as_named in (("example.xml", "moodle-export.xml"), ("example.gift", "gift-export.gift"),
                           ("example-aiken.txt", "aiken-quiz.txt"), ("example.csv", "spreadsheet.csv")):
        shutil.copy(examples / name, folder / "questions" / as_named)
    bank = folder.parent / "imported.sqlite"
    build_bank([folder], bank)
    window.bank_commands.open(bank, remember=False)
    window.run_command("study")
    study = window.study
    for _ in range(20):
        if study.presentation.question.local_id == "minocycline":
            break
        study.choose(study.presentation.correct_display_index)
        study.advance()
        study.advance()
    study.choose(study.presentation.correct_display_index)
    study.advance()


def main() -> int:
    state = sys.argv[1] if len(sys.argv) > 1 else "answered"
    app = QApplication(sys.argv)
    if os.environ.get("DEMO_DARK"):
        # Stand-in for a desktop in dark mode: the Fusion style with a dark palette.
        from PySide6.QtGui import QColor, QPalette

        app.setStyle("Fusion")
        palette = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                             (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6"),
                             (QPalette.ColorRole.Button, "#3a3a3a"), (QPalette.ColorRole.ButtonText, "#e6e6e6"),
                             (QPalette.ColorRole.Highlight, "#2f65ca"), (QPalette.ColorRole.Link, "#8ab4f8")):
            palette.setColor(role, QColor(colour))
        app.setPalette(palette)
    window = MainWindow(open_collection(None))
    window.show()
    if state in ("answered", "reader"):
        window.run_command("study")
        study = window.study
        while study.presentation.question.kind != "vignette":
            study.choose(study.presentation.correct_display_index)
            study.advance()
            study.advance()
        wrong = (study.presentation.correct_display_index + 1) % len(study.presentation.order)
        study.choose(wrong)
        study.advance()
        if state == "reader":
            QTimer.singleShot(300, study.open_first_passage)
    if state in ("exam", "report"):
        from calciquiz.gui.block_dialog import BlockDialog

        dialog = BlockDialog(window.collection, exam=True, parent=window)
        dialog.topic_boxes["calcinosis-cutis/treatment"].setChecked(True)
        window.start_block(dialog)
        block = window.exam.block
        for index in range(12):
            window.exam.show_item(index)
            item = block.item
            right = item.order.index(item.question.answer)
            window.exam.choose(right if index % 4 else (right + 1) % len(item.order))
            if index in (2, 7):
                window.exam.toggle_mark()
        window.exam.show_item(12)
        if state == "report":
            window.exam.submit()
            window.report.questions.setCurrentCell(4, 1)
    if state == "progress":
        window.run_command("study")
        study = window.study
        for i in range(14):
            right = study.presentation.correct_display_index
            study.choose(right if i % 3 else (right + 1) % 5)
            study.advance()
            study.advance()
        window.run_command("progress")
    if state in ("home-two-subjects", "block-two-subjects"):
        open_two_subjects(window)
        if state == "block-two-subjects":
            from calciquiz.gui.block_dialog import BlockDialog

            dialog = BlockDialog(window.collection, exam=True, parent=window, subject=window.subject)
            dialog.subject_boxes["wound-healing"].setChecked(True)
            dialog.set_boxes["calcinosis-cutis/diagnosis-and-treatment"].setChecked(True)
            dialog.show()
            window.demo_dialog = dialog
    if state == "imported":
        open_imported(window)
    if state == "documents":
        window.run_command("documents")
        window.documents.search_box.setText("sodium thiosulfate")
        window.documents.run_search()
        window.documents.open_hit(0)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
