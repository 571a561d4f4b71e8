"""Every command in one table: it drives the menus, their shortcuts, the screens' keys and the F1 list.

The README's key table is checked against the same table by a test, so a key added here and
nowhere else is noticed. A menu command without keys (File › Export to Anki › ...) is in the menus
only, not in the F1 list or the key table.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from calciquiz.core.questions import LETTERS

# Where a command works; each is a heading of the F1 list and of the README table.
ANYWHERE, ANSWERING, STUDYING, EXAM, READING = "anywhere", "answering", "studying", "exam", "reading"
PLACES = {
    ANSWERING: "While answering (study and exam)",
    STUDYING: "Studying",
    EXAM: "In an exam block",
    READING: "On the documents and progress screens",
    ANYWHERE: "Anywhere",
}
MAX_OPTIONS = 10
# Letters choose only the first five options: F, G, M, N and O are command keys.
LETTER_OPTIONS = 5
# The tenth option has no strike key: Ctrl+0 is Normal text size (it can be right-clicked).
STRUCK_WITH_KEYS = 9


@dataclass(frozen=True)
class Command:
    id: str
    label: str  # in the menu, the F1 list and the README
    keys: tuple[str, ...]  # QKeySequence text; the first is the one shown
    where: str
    menu: str | None = None  # the menu holding it, for commands of the whole window
    shown: str = ""  # how the keys are written when not simply listed (a range of keys)
    submenu: str = ""  # the submenu of `menu` holding it, if any (File › Export to Anki)

    @property
    def text(self) -> str:
        """The label without its menu mnemonic."""
        return self.label.replace("&", "")

    def key_text(self) -> str:
        # Portable text, so the F1 list and the README read the same on every system.
        return self.shown or " or ".join(QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
                                         for key in self.keys)


def option_key(display_index: int) -> str:
    """The digit that chooses an option: 1-9, then 0 for the tenth."""
    return str((display_index + 1) % 10)


def option_keys(display_index: int) -> tuple[str, ...]:
    """The keys choosing the option shown at this place: its digit, and its letter for the first five."""
    letter = (LETTERS[display_index],) if display_index < LETTER_OPTIONS else ()
    return (option_key(display_index), *letter)


def strike_keys(display_index: int) -> tuple[str, ...]:
    return (f"Ctrl+{option_key(display_index)}",) if display_index < STRUCK_WITH_KEYS else ()


ANKI_MENU = "Export to &Anki"

COMMANDS: tuple[Command, ...] = (
    Command("choose", "choose an option (0 is the tenth); in an exam block, change it any time before submitting",
            tuple(k for i in range(MAX_OPTIONS) for k in option_keys(i)), ANSWERING, shown="1–9, 0 or A–E"),
    Command("strike", "strike an option through (or right-click it); it stays struck while the question is on screen",
            tuple(k for i in range(MAX_OPTIONS) for k in strike_keys(i)), ANSWERING, shown="Ctrl+1–Ctrl+9"),
    Command("flag", "flag the question (flagged questions can be selected as a block)", ("F",), ANSWERING),
    Command("note", "your note on the question, shown whenever it comes back", ("N",), ANSWERING),
    Command("submit", "submit; then go to the next question", ("Return", "Enter", "Space"), STUDYING,
            shown="Enter or Space"),
    Command("guess", "a right answer was a guess: scheduled as Hard (also after answering)", ("G",), STUDYING),
    Command("open-passage", "open the source document at the cited passage", ("O",), STUDYING),
    Command("end-session", "end the session", ("Escape",), STUDYING),
    Command("previous", "previous question", ("Left",), EXAM),
    Command("next", "next question", ("Right",), EXAM),
    Command("mark", "mark the question for review", ("M",), EXAM),
    Command("submit-block", "submit the block", ("Ctrl+Return", "Ctrl+Enter"), EXAM, shown="Ctrl+Enter"),
    Command("find", "search the documents", ("Ctrl+F",), READING),
    Command("back", "back to the home screen", ("Escape",), READING),
    Command("study", "&Start studying", ("Ctrl+S",), ANYWHERE, "Study"),
    Command("exam", "Timed &exam block…", ("Ctrl+E",), ANYWHERE, "Study"),
    Command("custom", "&Custom block…", ("Ctrl+B",), ANYWHERE, "Study"),
    Command("history", "Exam &history…", ("Ctrl+Y",), ANYWHERE, "Study"),
    Command("progress", "&Progress", ("Ctrl+P",), ANYWHERE, "Study"),
    Command("home", "&Home", ("Ctrl+H",), ANYWHERE, "Study"),
    Command("documents", "&Read and search the documents", ("Ctrl+D",), ANYWHERE, "Documents"),
    Command("larger", "&Larger text", ("Ctrl++", "Ctrl+="), ANYWHERE, "View", shown="Ctrl++"),
    Command("smaller", "&Smaller text", ("Ctrl+-",), ANYWHERE, "View"),
    Command("normal-size", "&Normal text size", ("Ctrl+0",), ANYWHERE, "View"),
    Command("open-bank", "&Open question bank…", ("Ctrl+O",), ANYWHERE, "File"),
    Command("bundled-bank", "Open the b&undled question bank", ("Ctrl+Shift+O",), ANYWHERE, "File"),
    Command("back-up", "&Back up progress now", ("Ctrl+Shift+B",), ANYWHERE, "File"),
    Command("restore", "&Restore progress from a backup…", ("Ctrl+Shift+R",), ANYWHERE, "File"),
    Command("export", "&Export progress…", ("Ctrl+Shift+E",), ANYWHERE, "File"),
    Command("import", "&Import progress…", ("Ctrl+Shift+I",), ANYWHERE, "File"),
    # Residents review in Anki too: a deck of what they chose, in the subject they study.
    Command("anki-flagged", "My &flagged questions…", (), ANYWHERE, "File", submenu=ANKI_MENU),
    Command("anki-wrong", "Questions I got &wrong…", (), ANYWHERE, "File", submenu=ANKI_MENU),
    Command("anki-topic", "A &topic…", (), ANYWHERE, "File", submenu=ANKI_MENU),
    Command("anki-subject", "The &current subject…", (), ANYWHERE, "File", submenu=ANKI_MENU),
    # Spelled out: the platform's standard Quit key is empty on some systems.
    Command("quit", "&Quit", ("Ctrl+Q",), ANYWHERE, "File"),
    Command("shortcuts", "&Keyboard shortcuts", ("F1",), ANYWHERE, "Help"),
)
MENUS = ("File", "Study", "View", "Documents", "Help")
BY_ID = {command.id: command for command in COMMANDS}


def command(command_id: str) -> Command:
    return BY_ID[command_id]


def sequences(command_id: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in command(command_id).keys]


def action(parent: QWidget, command_id: str, triggered: Callable[[], object]) -> QAction:
    """A menu action for a window-wide command, with its keys."""
    made = QAction(command(command_id).label, parent)
    made.setShortcuts(sequences(command_id))
    made.triggered.connect(lambda *_: triggered())
    return made


def install(parent: QWidget, command_id: str, triggered: Callable[[], object]) -> list[QShortcut]:
    """A screen's keys for a command, active while the screen (or one of its children) has the focus."""
    made = []
    for sequence in sequences(command_id):
        shortcut = QShortcut(sequence, parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(triggered)
        made.append(shortcut)
    return made


def install_options(parent: QWidget, choose: Callable[[int], object], strike: Callable[[int], object]) -> None:
    """The option keys of a question screen: one per place an option can be shown, up to ten."""
    for index in range(MAX_OPTIONS):
        for key in option_keys(index):
            shortcut = QShortcut(QKeySequence(key), parent)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: choose(i))
        for key in strike_keys(index):
            shortcut = QShortcut(QKeySequence(key), parent)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: strike(i))


def option_hint(count: int) -> str:
    """How to choose among `count` options, as the hint line and tooltips say it."""
    digits = f"1–{count}" if count <= 9 else "1–9, 0"
    letters = f" or A–{LETTERS[min(count, LETTER_OPTIONS) - 1]}"
    return digits + letters


def strike_hint(count: int) -> str:
    return f"Ctrl+1–{min(count, STRUCK_WITH_KEYS)}"


def grouped() -> list[tuple[str, list[Command]]]:
    """The commands with keys by where they work, in the order the F1 list and the README show them."""
    return [(title, [c for c in COMMANDS if c.where == place and c.keys]) for place, title in PLACES.items()]


def shortcuts_text() -> str:
    """The F1 list."""
    lines: list[str] = []
    for title, commands in grouped():
        lines.append(f"{title}:")
        lines.extend(f"  {c.key_text()}   {c.text}" for c in commands)
        lines.append("")
    return "\n".join(lines).rstrip()


def readme_rows() -> list[tuple[str, str]]:
    """The README key table's rows: a heading row per place, then `key` | what it does."""
    rows: list[tuple[str, str]] = []
    for title, commands in grouped():
        rows.append((f"**{title}**", ""))
        rows.extend((" or ".join(f"`{part}`" for part in c.key_text().split(" or ")), c.text) for c in commands)
    return rows
