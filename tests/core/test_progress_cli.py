from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from calciquiz.cli import cli
from calciquiz.core.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_backup_restore_export_import_from_the_command_line(data_dir: Path, tmp_path: Path):
    store = ProgressStore(data_dir / "progress.sqlite")
    store.record_answer("q1", 0, True, answered_at=T0)
    store.record_answer("q2", 1, False, answered_at=T0)
    # While the app has the file open, the commands refuse rather than write beside it.
    busy = run("backup")
    assert busy.exit_code == 1 and "already running" in busy.output
    store.close()

    made = run("backup")
    assert made.exit_code == 0 and "backed up your progress to" in made.output
    listing = run("restore", "--list")
    assert listing.exit_code == 0 and "progress-" in listing.output

    exported = tmp_path / "moving.json"
    assert "exported 2 reviews" in run("export-progress", str(exported)).output

    (data_dir / "progress.sqlite").write_bytes(b"garbage" * 300)
    damaged = run("export-progress", str(tmp_path / "x.json"))
    assert damaged.exit_code == 1 and "is damaged" in damaged.output and "calciquiz restore" in damaged.output
    assert "Traceback" not in damaged.output

    restored = run("restore")
    assert restored.exit_code == 0 and restored.output.startswith("restored ")
    merged = run("import-progress", str(exported))
    assert merged.exit_code == 0
    assert "0 reviews added, 2 already present" in merged.output
    reopened = ProgressStore(data_dir / "progress.sqlite")
    assert reopened.review_count() == 2
    reopened.close()

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}')
    refused = run("import-progress", str(bad))
    assert refused.exit_code == 1 and "nothing was changed" in refused.output


def test_a_bad_progress_file_is_refused_one_line_per_problem_without_a_traceback(data_dir: Path, tmp_path: Path):
    store = ProgressStore(data_dir / "progress.sqlite")
    store.record_answer("q1", 0, True, answered_at=T0)
    store.close()
    review = {"id": "r1", "question_id": "q1", "chosen": None, "correct": "yes", "guessed": 0, "rating": 3,
              "time_taken_ms": 1e30, "answered_at": "yesterday", "mode": "study", "session_id": "",
              "shown_order": ""}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "calciquiz-progress", "version": 1, "reviews": [review], "notes": [],
                               "flags": [{"question_id": ["q1"], "flagged_at": "2026-03-02T10:00:00+00:00"}]}))
    refused = run("import-progress", str(bad))
    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        f"error: {bad}: review 1 (id 'r1'): chosen must be a whole number, not null",
        f"error: {bad}: review 1 (id 'r1'): correct must be true or false, not text",
        f"error: {bad}: review 1 (id 'r1'): time_taken_ms must be a whole number, not a decimal number",
        f"error: {bad}: review 1 (id 'r1'): answered_at 'yesterday' is not a date and time with a time zone",
        f"error: {bad}: flag 1: question_id must be text, not a list",
        "5 problems found; nothing was changed",
    ]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    nested = run("import-progress", str(deep))
    assert nested.exit_code == 1 and "Traceback" not in nested.output
    assert nested.output.splitlines() == [f"error: {deep}: not a CalciQuiz progress file (nested too deeply)",
                                          "1 problem found; nothing was changed"]
    reopened = ProgressStore(data_dir / "progress.sqlite")
    assert reopened.review_count() == 1
    reopened.close()


def test_a_review_that_differs_from_the_one_here_is_warned_about_from_the_command_line(data_dir: Path,
                                                                                     tmp_path: Path):
    store = ProgressStore(data_dir / "progress.sqlite")
    record, _ = store.record_answer("q1", 0, True, answered_at=T0)
    store.close()
    exported = tmp_path / "moving.json"
    assert run("export-progress", str(exported)).exit_code == 0
    data = json.loads(exported.read_text())
    data["reviews"][0]["guessed"], data["reviews"][0]["rating"] = 1, 2
    exported.write_text(json.dumps(data))
    merged = run("import-progress", str(exported))
    assert merged.exit_code == 0
    assert merged.output.splitlines() == [
        f"warning: review 1 (id '{record.id}') differs from the one already here (guessed, rating); "
        "the one already here was kept",
        f"merged {exported}: 0 reviews added, 0 already present, 1 different from the one here (kept yours), "
        "0 notes and 0 flags taken, 1 schedules rebuilt",
    ]
