"""The layering contracts in pyproject.toml hold, and lint-imports really fails when one is broken."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports as CI runs it, on the package and pyproject.toml in `folder`."""
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache", "--no-logo"],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


# A core module reaching the GUI or the CLI breaks both contracts; one reaching Qt, or the GUI
# reaching the CLI, breaks one.
@pytest.mark.parametrize("module, line, broken, count", [
    ("core/study.py", "from calciquiz.gui import html", "calciquiz.core.study -> calciquiz.gui.html", 2),
    ("core/documents.py", "import PySide6.QtCore", "calciquiz.core.documents -> PySide6", 1),
    # Imported inside a function, where a text search for a top-level import would not look.
    ("core/noise.py", "def _later():\n    from calciquiz.cli import main", "calciquiz.core.noise -> calciquiz.cli", 2),
    ("gui/html.py", "from calciquiz import cli", "calciquiz.gui.html -> calciquiz.cli", 1),
])
def test_an_import_across_the_layers_fails_lint_imports(tmp_path: Path, module: str, line: str, broken: str,
                                                        count: int):
    shutil.copytree(ROOT / "calciquiz", tmp_path / "calciquiz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "calciquiz" / module, "a", encoding="utf-8") as source:
        source.write(f"\n{line}\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
    assert f"Contracts: {2 - count} kept, {count} broken." in result.stdout
