"""The README stays true: generated figures match the bank; every command and lint rule is documented."""
from __future__ import annotations

import re
import runpy
from pathlib import Path

import click

from calciquiz.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_bank_figures_in_the_readme_are_those_of_the_shipped_bank():
    script = runpy.run_path(str(ROOT / "scripts" / "update_readme.py"))
    expected = script["replace_block"](README, script["generated_block"]())
    assert README == expected, "README bank figures are stale: run python scripts/update_readme.py"


def test_every_command_is_documented_in_the_readme():
    context = click.Context(cli)
    for name in cli.list_commands(context):
        assert f"calciquiz {name}" in README, f"'calciquiz {name}' is missing from the README"


def test_every_lint_rule_is_in_the_readme_table():
    source = (ROOT / "calciquiz" / "core" / "lint.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(?:warning|error)", "([a-z-]+)"', source)) - {"stale-acceptance"}
    documented = set(re.findall(r"^\| (?:error|warning) \| `([a-z-]+)` \|", README, re.MULTILINE))
    assert codes == documented
