"""Small helpers the built-in rules share (not rules themselves)."""
from __future__ import annotations

from typing import Iterable, Iterator


def with_onbuild(instructions: Iterable) -> Iterator:
    """Each instruction, followed by the one inside it when it is an ONBUILD.

    Shell rules apply to ``ONBUILD RUN ...`` too: the trigger runs in every
    image built from this one, so an unpinned install there drifts the same way.
    """
    for instr in instructions:
        yield instr
        inner = instr.onbuild
        if inner is not None:
            yield inner


def runs(df) -> Iterator:
    """Every RUN instruction of the Dockerfile, ONBUILD RUN included."""
    for instr in with_onbuild(df.instructions):
        if instr.keyword == "RUN":
            yield instr


def stage_chain(stage) -> list:
    """``stage`` and the earlier stages it is built FROM, nearest first."""
    chain = []
    while stage is not None and stage not in chain:
        chain.append(stage)
        stage = stage.base_stage
    return chain


def summarize(names: list[str], limit: int = 4) -> str:
    """``a, b, c and 3 more`` for messages."""
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    rest = len(names) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown
