"""The core works without Qt: the CLI runs and never loads PySide6 (the imports are checked in test_layers)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
