"""Which Dockerfile instruction made which image layer.

The image's history (one ``created_by`` per layer, empty layers dropped)
says what produced each layer, in the builder's words:

* classic builder: ``/bin/sh -c #(nop) COPY file:<hash> in /app/`` for
  COPY/ADD/WORKDIR and metadata, ``/bin/sh -c <command>`` (possibly preceded
  by ``|<n> ARG=value …``) for RUN;
* BuildKit: the instruction itself, ``RUN /bin/sh -c <command> # buildkit``,
  ``COPY src dst # buildkit``, ``WORKDIR /app``.

The Dockerfile says which instructions of the built stage chain can make a
layer (RUN, COPY, ADD, WORKDIR). Both lists are aligned from the top of the
image down: the last layer belongs to the last layer-making instruction
unless their kinds or RUN commands disagree, in which case the instruction
made no layer (a classic-builder RUN or WORKDIR that changed nothing) and is
skipped. Layers left when the Dockerfile runs out come from the base image.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dockerlint.syntax.nodes import Instruction, SyntaxTree

LAYER_KEYWORDS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
_KEYWORDS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
_BUILD_ARGS_PREFIX = re.compile(r"^\|(\d+)\s+")


class InstructionRef(NamedTuple):
    """Where an instruction is: the tuple ``classify`` receives per layer."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass
class Attribution:
    layers: dict[int, InstructionRef | None]  # layer index -> instruction (None: base image)
    image: InstructionRef | None  # the target stage's FROM: where image-wide findings go
    base_layers: int = 0  # layers that come from the base image
    unmatched: list[int] = field(default_factory=list)  # built-layer indices with no instruction


def history_step(created_by: str) -> tuple[str, str] | None:
    """``(KEYWORD, payload)`` of a history ``created_by``; None for imports and unknown text."""
    text = created_by.strip()
    if not text or text.startswith("Imported from"):
        return None
    if text.endswith("# buildkit"):
        text = text[: -len("# buildkit")].rstrip()
    if "#(nop)" in text:
        rest = text.split("#(nop)", 1)[1].strip()
        keyword, _, payload = rest.partition(" ")
        return keyword.upper(), payload.strip()
    keyword, _, payload = text.partition(" ")
    if keyword in _KEYWORDS:
        return keyword, payload.strip()
    return "RUN", text  # classic RUN: the command line itself


def run_command(payload: str) -> str:
    """The command of a RUN history payload, build-arg prefix removed, whitespace normalised."""
    text = payload.strip()
    if match := _BUILD_ARGS_PREFIX.match(text):
        words = text[match.end():].split(" ")
        text = " ".join(words[int(match[1]):])
    return " ".join(text.split())


def _instruction_text(instruction: Instruction) -> str:
    return " ".join(instruction.original.split())


def _ref(instruction: Instruction) -> InstructionRef:
    span = instruction.span
    first_line = instruction.raw.split("\n", 1)[0].rstrip("\\ \t\r")
    return InstructionRef(span.line, span.column, span.end_line, span.end_column,
                          " ".join(first_line.split()) or _instruction_text(instruction))


def _stage_name(instruction: Instruction) -> str | None:
    words = [a.value for a in instruction.args]
    if len(words) >= 3 and words[1].lower() == "as":
        return words[2].lower()
    return None


def stage_chain(tree: SyntaxTree, target: str | None = None) -> tuple[list[Instruction], Instruction | None]:
    """Instructions (FROM excluded) whose layers end up in the built image, and the target's FROM.

    Follows ``FROM <earlier stage>`` back to the first stage built from an
    image; ``target`` picks a named stage (default: the last one).
    """
    stages: list[list[Instruction]] = []
    for instruction in tree.instructions:
        if instruction.keyword == "FROM":
            stages.append([instruction])
        elif stages:
            stages[-1].append(instruction)
    if not stages:
        return [], None
    names = {_stage_name(s[0]): i for i, s in enumerate(stages) if _stage_name(s[0])}
    index = len(stages) - 1
    if target is not None:
        index = names.get(target.lower(), index)
    chain: list[Instruction] = []
    current: int | None = index
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        stage = stages[current]
        chain[:0] = stage[1:]
        base = stage[0].args[0].value.lower() if stage[0].args else ""
        parent = names.get(base)
        if parent is None and base.isdigit() and int(base) < current:
            parent = int(base)
        current = parent if parent is not None and parent < current else None
    return chain, stages[index][0]


def _compatible(instruction: Instruction, step: tuple[str, str]) -> bool:
    keyword, payload = step
    if instruction.keyword != keyword:
        return False
    if keyword == "RUN":
        if instruction.heredocs:
            return True  # builders record heredoc scripts in their own ways; the kind must do
        if instruction.json_form:
            body = " ".join(a.value for a in instruction.args)
        else:
            body = instruction.rest
        body = " ".join(body.split())
        command = run_command(payload)
        return not body or command == body or command.endswith(" " + body)
    if keyword == "WORKDIR":
        path = instruction.args[0].value if instruction.args else ""
        return not path.startswith("/") or "$" in path or payload.rstrip("/") == path.rstrip("/")
    return True


def attribute(tree: SyntaxTree, created_by: Sequence[str], target: str | None = None) -> Attribution:
    """Map layer indices (``created_by[i]`` is layer i's history) to instructions."""
    chain, target_from = stage_chain(tree, target)
    makers = [i for i in chain if i.keyword in LAYER_KEYWORDS]
    layers: dict[int, InstructionRef | None] = {i: None for i in range(len(created_by))}
    unmatched: list[int] = []
    position = len(makers) - 1
    layer = len(created_by) - 1
    while layer >= 0 and position >= 0:
        step = history_step(created_by[layer])
        if step is None:
            break  # an imported base layer: everything below is the base image
        match = next((p for p in range(position, -1, -1) if _compatible(makers[p], step)), None)
        if match is None:
            unmatched.append(layer)
        else:
            layers[layer] = _ref(makers[match])
            position = match - 1
        layer -= 1
    return Attribution(layers, _ref(target_from) if target_from else None,
                       base_layers=layer + 1, unmatched=sorted(unmatched))


_CONFIG_KEYWORDS = {
    "config.Env": "ENV", "config.Labels": "LABEL", "config.Cmd": "CMD", "config.Entrypoint": "ENTRYPOINT",
    "config.User": "USER", "config.WorkingDir": "WORKDIR", "config.ExposedPorts": "EXPOSE",
    "config.Volumes": "VOLUME", "config.Healthcheck": "HEALTHCHECK", "config.StopSignal": "STOPSIGNAL",
    "config.Shell": "SHELL", "config.OnBuild": "ONBUILD",
}


def config_instruction(tree: SyntaxTree, key: str, a: object = None, b: object = None,
                       target: str | None = None) -> InstructionRef | None:
    """The instruction that sets a differing config key (``config.Env``, ``config.Labels.x``, …).

    The last instruction of that kind in the built stage chain wins, as in
    the image; for ENV and labels, the last one that names the variable or
    label that differs.
    """
    chain, _ = stage_chain(tree, target)
    if re.fullmatch(r"history\[\d+\]\.created_by", key) and isinstance(a, str):
        return _history_instruction(chain, a)
    prefix = next((p for p in _CONFIG_KEYWORDS if key == p or key.startswith(p + ".")), None)
    if prefix is None:
        return None
    candidates = [i for i in chain if i.keyword == _CONFIG_KEYWORDS[prefix]]
    names: set[str] = set()
    if prefix == "config.Labels" and key != prefix:
        names = {key[len(prefix) + 1:]}
    elif prefix == "config.Env" and isinstance(a, list) and isinstance(b, list):
        names = {str(item).split("=", 1)[0] for item in set(map(str, a)) ^ set(map(str, b))}
    if names:
        named = [i for i in candidates if any(_sets(i, name) for name in names)]
        candidates = named or candidates
    return _ref(candidates[-1]) if candidates else None


def _history_instruction(chain: list[Instruction], created_by: str) -> InstructionRef | None:
    """The instruction a history entry describes (classic COPY/ADD: matched by destination)."""
    step = history_step(created_by)
    if step is None:
        return None
    matches = [i for i in chain if _compatible(i, step)]
    if step[0] in ("COPY", "ADD") and " in " in step[1]:
        destination = step[1].rsplit(" in ", 1)[1].strip()
        matches = [i for i in matches if i.args and i.args[-1].value == destination] or matches
    return _ref(matches[-1]) if matches else None


def _sets(instruction: Instruction, name: str) -> bool:
    """ENV/LABEL args come in (key, value, separator) triples; keys may be quoted in LABEL."""
    keys = [a.value.strip("\"'") for a in instruction.args[0::3]]
    return name in keys
