"""Live progress on stderr for the two builds and the diff, or nothing at all.

Shown only on an interactive terminal outside CI (``CI`` unset) and without
``--quiet``: logs and pipes get no escape codes.
"""
from __future__ import annotations

import os
import sys
from typing import Any


def wanted(quiet: bool, stream: Any = None) -> bool:
    stream = stream or sys.stderr
    return not quiet and not os.environ.get("CI") and bool(getattr(stream, "isatty", lambda: False)())


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
        if self._owner is not None:
            task = self._owner.bar.tasks[self._id]
            self.update(completed=task.completed + amount)


class Progress:
    """Context manager; a disabled one hands out tasks that do nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: Any = None     # a rich Progress while entered

    def __enter__(self) -> Progress:
        if self.enabled:
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
