from __future__ import annotations

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
