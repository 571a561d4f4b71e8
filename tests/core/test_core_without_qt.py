"""The core never imports Qt: the CLI and these tests work without a display or PySide6."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_core_module_imports_pyside6():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "calciquiz" / "core").rglob("*.py")
        if "PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_core_and_cli_commands_load_without_importing_qt(tmp_path: Path):
    code = (
        "import sys, calciquiz.core.bank, calciquiz.core.study, calciquiz.core.collection, calciquiz.cli\n"
        "from click.testing import CliRunner\n"
        "result = CliRunner().invoke(calciquiz.cli.cli, ['validate'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PATH": "/usr/bin:/bin",
                   "CALCIQUIZ_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)})
