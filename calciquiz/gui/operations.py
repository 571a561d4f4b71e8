"""One way the GUI changes anything: run the change, tell a failure in plain words, announce what changed.

Every change of the collection (an answer, a flag, a note, a guess, an exam block, an import, a
restore) is run by `Operations.run`, which then emits `changed` once with what the change touched.
Each screen connects to `changed` in its constructor and refreshes what it shows when a change
concerns it (at once when visible, else when next shown), so no screen keeps a count of its own
and no navigation has to remember to refresh anything.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from calciquiz.core import safekeeping
from calciquiz.core.bank import BankUnusable
from calciquiz.core.exchange import ExchangeError
from calciquiz.core.progress import Cancelled, write_problem
from calciquiz.gui.widgets import plain_message
from calciquiz.gui.worker import run_with_progress

T = TypeVar("T")

# What a change can fail with that is not a fault of the app: told in words, never a traceback.
EXPECTED_FAILURES = (OSError, sqlite3.Error, ExchangeError, safekeeping.ProgressDamaged,
                     safekeeping.ProgressUnwritable, safekeeping.ProgressInUse, Cancelled, BankUnusable)


@dataclass(frozen=True)
class Changes:
    """What an operation changed, for the screens to decide whether they must refresh."""

    reviews: bool = False  # answers logged or amended: counts, schedules, statistics
    flags: bool = False
    notes: bool = False
    exams: bool = False  # exam blocks started, finished or discarded
    progress: bool = False  # the whole progress file (a restore): everything
    bank: bool = False  # a different bank was opened: everything
    # Another subject was chosen to study (not a change of the collection; the screens showing one subject follow).
    subject: bool = False

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def touches(self, *kinds: str) -> bool:
        """Whether this change concerns any of the given kinds (a whole-file change concerns all)."""
        return self.progress or self.bank or any(getattr(self, kind) for kind in kinds)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How an operation went: its result, or the error it failed with (already told to the learner)."""

    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_failure(title: str) -> Callable[[BaseException], str]:
    return lambda error: f"{title}: this could not be done: {write_problem(error)}."


class ChangeEvent:
    """`changed`: the screens' subscriptions to what operations changed, called in order.

    Plain Python rather than a Qt signal: the app's own screens are its only listeners, and
    PySide6 6.12 drops a reference to True on every Python-side emit (a crash once enough add up).
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[Changes], Any]] = []

    def connect(self, listener: Callable[[Changes], Any]) -> None:
        self._listeners.append(listener)

    def emit(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            listener(changes)


class Operations:
    """Runs the GUI's changes of one collection; `changed` announces each one."""

    def __init__(self) -> None:
        self.changed = ChangeEvent()
        self.busy = False

    def run(self, parent: QWidget | None, op: Callable[..., T], *, changes: Changes, title: str,
            label: str = "", background: bool = False,
            failure: Callable[[BaseException], str | None] | None = None) -> Outcome[T]:
        """Run `op` (with an on_progress callback, in a worker thread, when `background`).

        On success `changed` is emitted once with `changes` (when anything changed). On an expected
        failure nothing is announced and the learner is told: by `failure(error)`'s words in a
        message titled `title`, or by the caller itself when `failure` returns None.
        """
        if self.busy:
            # The window takes no input during a background job; a timer firing meanwhile waits its turn.
            return Outcome(error=RuntimeError("another change is running"))
        self.busy = True
        try:
            if background:
                value = run_with_progress(parent, label or f"{title}…", op)
            else:
                value = op()
        except EXPECTED_FAILURES as error:
            told = (failure or default_failure(title))(error)
            if told:
                plain_message(parent, QMessageBox.Icon.Warning, title, told)
            return Outcome(error=error)
        finally:
            self.busy = False
        if changes:
            self.changed.emit(changes)
        return Outcome(value=value)


class Watcher:
    """Keeps a screen in step with the collection: it refreshes when a change concerns it.

    A visible screen refreshes at once; a hidden one is marked and refreshes when it is next shown,
    so it never shows stale figures and does no work while nobody looks.
    """

    def __init__(self, screen: QWidget, operations: Operations, refresh: Callable[[Changes], Any],
                 *kinds: str):
        self.screen, self.refresh, self.kinds = screen, refresh, kinds
        self.pending: Changes | None = Changes()  # not shown yet: the first showing fills it
        operations.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if not changes.touches(*self.kinds):
            return
        if self.screen.isVisible():
            self.refresh(changes)
        else:
            self.pending = changes if self.pending is None else _union(self.pending, changes)

    def shown(self) -> None:
        """Call from the screen's showEvent."""
        if self.pending is not None:
            changes, self.pending = self.pending, None
            self.refresh(changes)


def _union(a: Changes, b: Changes) -> Changes:
    return Changes(**{f.name: getattr(a, f.name) or getattr(b, f.name) for f in fields(Changes)})
