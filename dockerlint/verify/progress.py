"""Progress on stderr for the two builds and the diff.

Three modes (``wanted``): ``live`` bars on an interactive terminal outside CI
(``CI`` unset); ``plain`` lines in a log (CI, a pipe, a file): no escape
codes, nothing during the first seconds of a run and then at most one line
every :data:`PLAIN_EVERY` seconds, so a quick run prints nothing and a
10-minute double build of an ML image does not look hung; ``None`` with
``--quiet`` or when stderr is not a real file.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

PLAIN_EVERY = 10.0      # seconds between two plain progress lines (and before the first)


def wanted(quiet: bool, stream: Any = None) -> str | None:
    """``live``, ``plain`` or None (see the module docstring)."""
    stream = stream or sys.stderr
    if quiet:
        return None
    if not os.environ.get("CI") and bool(getattr(stream, "isatty", lambda: False)()):
        return "live"
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):   # a StringIO: an embedding caller's buffer
        return None
    return "plain"


class Task:
    """One line of progress: ``steps 3/7`` for a build, bytes for the diff."""

    def __init__(self, owner: Progress | None = None, task_id: Any = None, unit: str = "steps"):
        self._owner = owner
        self._id = task_id
        self._unit = unit

    def update(self, completed: float | None = None, total: float | None = None,
               note: str | None = None) -> None:
        if self._owner is None:
            return
        if self._owner.plain is not None:
            self._owner.plain.update(self._id, completed, total, note)
            return
        bar = self._owner.bar
        kwargs: dict[str, Any] = {}
        if completed is not None:
            kwargs["completed"] = completed
        if total is not None:
            kwargs["total"] = total
        if note is not None:
            from dockerlint.verify.textsafe import one_line

            kwargs["note"] = one_line(note, 60)
        bar.update(self._id, **kwargs)
        task = bar.tasks[self._id]
        bar.update(self._id, amount=_amount(task.completed, task.total, self._unit))

    def advance(self, amount: float) -> None:
        if self._owner is not None and self._owner.plain is not None:
            self._owner.plain.advance(self._id, amount)
        elif self._owner is not None:
            task = self._owner.bar.tasks[self._id]
            self.update(completed=task.completed + amount)


class Progress:
    """Context manager; a disabled one hands out tasks that do nothing."""

    def __init__(self, mode: str | bool | None, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.mode = "live" if mode is True else (mode or None)
        self.bar: Any = None     # a rich Progress while entered (live)
        self.plain = Plain(stream or sys.stderr, clock) if self.mode == "plain" else None

    def __enter__(self) -> Progress:
        if self.mode == "live":
            from rich.console import Console
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.fields[amount]}"), TimeElapsedColumn(),
                TextColumn("[dim]{task.fields[note]}"),
                console=Console(stderr=True), transient=True,
            )
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None

    def task(self, description: str, total: float | None = None, unit: str = "steps") -> Task:
        if self.plain is not None:
            return Task(self, self.plain.add(description, total, unit), unit)
        if self.bar is None:
            return Task()
        task_id = self.bar.add_task(description, total=total, amount="", note="")
        return Task(self, task_id, unit)


def _amount(completed: float, total: float | None, unit: str) -> str:
    if unit == "bytes":
        done = _human(completed)
        return f"{done} / {_human(total)}" if total else done
    return f"{int(completed)}/{int(total)} {unit}" if total else f"{int(completed)} {unit}"


def _human(size: float | None) -> str:
    size = float(size or 0)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


class Plain:
    """Plain progress lines: the current task's state, throttled to one per PLAIN_EVERY s."""

    def __init__(self, stream: TextIO, clock: Callable[[], float]):
        self.stream, self.clock = stream, clock
        self.started = self.last = clock()
        self.tasks: list[dict[str, Any]] = []

    def add(self, description: str, total: float | None, unit: str) -> int:
        self.tasks.append({"description": description, "completed": 0.0, "total": total,
                           "unit": unit, "note": "", "started": self.clock()})
        return len(self.tasks) - 1

    def advance(self, task_id: int, amount: float) -> None:
        self.update(task_id, self.tasks[task_id]["completed"] + amount, None, None)

    def update(self, task_id: int, completed: float | None, total: float | None,
               note: str | None) -> None:
        task = self.tasks[task_id]
        if completed is not None:
            task["completed"] = completed
        if total is not None:
            task["total"] = total
        if note is not None:
            task["note"] = note
        now = self.clock()
        if now - self.last < PLAIN_EVERY:
            return
        self.last = now
        self.stream.write(self.line(task_id, now) + "\n")
        self.stream.flush()

    def line(self, task_id: int, now: float) -> str:
        from dockerlint.verify.textsafe import one_line

        task = self.tasks[task_id]
        text = (f"dockerlint: {task['description']}: "
                f"{_amount(task['completed'], task['total'], task['unit'])}"
                + (" read" if task["unit"] == "bytes" else ""))
        if task["note"]:
            text += " " + one_line(task["note"], 60)
        text += f" ({now - task['started']:.0f} s"
        previous = self._earlier_build(task_id)
        if previous is not None:       # build B: build A's time is the estimate
            text += f"; build A took {previous:.0f} s"
        return text + ")"

    def _earlier_build(self, task_id: int) -> float | None:
        task = self.tasks[task_id]
        if task["description"] != "build B":
            return None
        for other in self.tasks[:task_id]:
            if other["description"] == "build A":
                return task["started"] - other["started"]
        return None
