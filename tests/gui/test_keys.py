"""One keymap: the menus, the screens' keys, the F1 list and the README's key table all say the same."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from calciquiz.gui import keymap

ROOT = Path(__file__).resolve().parents[2]


def normal(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def readme_key_table() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("While answering:"):].split("\n\n")[1]
    lines = table.splitlines()
    assert lines[:2] == ["| key | what it does |", "|---|---|"]
    return [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in lines[2:]]


def test_the_readme_key_table_is_the_keymap(qtbot):
    assert readme_key_table() == keymap.readme_rows()


def test_f1_lists_every_command_with_its_keys_by_where_it_works(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append((title, text)))
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert shown == [("Keyboard shortcuts", keymap.shortcuts_text())]
    lines = shown[0][1].splitlines()
    for command in keymap.COMMANDS:
        assert (f"  {command.key_text()}   {command.text}" in lines) == bool(command.keys)
    assert [line[:-1] for line in lines if line.endswith(":")] == list(keymap.PLACES.values())


def test_the_menus_hold_every_window_command_with_its_keys(qtbot, window):
    in_menus = {}
    for top in window.menuBar().actions():
        for action in top.menu().actions():
            # A submenu's commands are listed under the menu holding it, with the submenu's name.
            inner = [(action.text(), a) for a in action.menu().actions()] if action.menu() else [("", action)]
            for submenu, each in inner:
                if not each.isSeparator() and "About" not in each.text():
                    in_menus[each.text()] = (top.text().replace("&", ""), submenu,
                                             [normal(s.toString()) for s in each.shortcuts()])
    assert in_menus == {c.label: (c.menu, c.submenu, [normal(k) for k in c.keys]) for c in keymap.COMMANDS if c.menu}


def test_every_screen_key_of_the_keymap_is_installed(qtbot, window):
    installed: dict[str, set[str]] = {}
    for name, screen in window.screens.items():
        for shortcut in screen.findChildren(QShortcut):
            installed.setdefault(normal(shortcut.key().toString()), set()).add(name)
    where = {keymap.ANSWERING: {"study", "exam"}, keymap.STUDYING: {"study"}, keymap.EXAM: {"exam"},
             keymap.READING: {"documents"}}
    missing = [(c.id, key, screens) for c in keymap.COMMANDS if c.menu is None for key in c.keys
               for screens in [where[c.where] - installed.get(normal(key), set())] if screens]
    assert missing == []


def test_option_keys_follow_the_number_of_options_and_never_clash_with_a_command(qtbot):
    commands = {normal(key) for c in keymap.COMMANDS if c.id not in ("choose", "strike")
                and c.where in (keymap.ANSWERING, keymap.STUDYING, keymap.EXAM, keymap.ANYWHERE) for key in c.keys}
    for count in range(2, keymap.MAX_OPTIONS + 1):
        chooses = [[normal(k) for k in keymap.option_keys(i)] for i in range(count)]
        strikes = [[normal(k) for k in keymap.strike_keys(i)] for i in range(count)]
        assert all(chooses), count  # every option can be chosen by a key
        flat = [k for keys in chooses + strikes for k in keys]
        assert len(flat) == len(set(flat)), count  # no key serves two options
        assert set(flat) & commands == set(), count
    assert keymap.option_keys(9) == ("0",) and keymap.option_keys(4) == ("5", "E")
    assert keymap.option_hint(3) == "1–3 or A–C" and keymap.option_hint(10) == "1–9, 0 or A–E"


def test_a_question_with_ten_options_is_answered_by_its_keys(qtbot, tmp_path, documents_dir):
    from calciquiz.core.bank import build_bank
    from calciquiz.core.collection import Collection
    from calciquiz.gui.main_window import MainWindow
    from tests.helpers import question_yaml, show_active, subject_of

    options = "".join(f"- text: Option {i}\n  rationale: Reason {i}.\n" for i in range(10))
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "set.yaml").write_text("title: t\nquestions:\n" + question_yaml(
        "q-ten", options="\n".join("      " + line for line in options.splitlines())))
    build_bank([subject_of(folder, documents_dir)], tmp_path / "bank.sqlite")
    collection = Collection(tmp_path / "bank.sqlite", tmp_path / "progress.sqlite")
    window = show_active(qtbot, MainWindow(collection))
    try:
        window.run_command("study")
        study = window.study
        assert len(study.options.rows) == 10
        assert study.hint.text().startswith("1–9, 0 or A–E: choose")
        assert "key 0" in study.options.rows[9].toolTip()
        qtbot.keyClick(study, Qt.Key.Key_0)
        assert study.options.selected == 9
        qtbot.keyClick(study, Qt.Key.Key_E)
        assert study.options.selected == 4
        qtbot.keyClick(study, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
        assert study.options.struck() == {8}
    finally:
        collection.close()
