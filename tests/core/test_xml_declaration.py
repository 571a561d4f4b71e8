"""A Moodle XML file whose declaration names an encoding Python has no codec for fails with its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from calciquiz.core.formats import read_set
from calciquiz.core.problems import InputError


def test_an_unknown_encoding_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "set.xml"
    path.write_text('<?xml version="1.0" encoding="TF-8"?>\n<quiz></quiz>\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_set(path, [])
    assert [str(p) for p in raised.value.problems] == [f"{path}:1: malformed XML: unknown encoding: TF-8"]
