"""Syntax tree -> meaning: stages, image references, ARG/ENV scopes, instruction views.

Entry point: ``build(tree, build_args=..., target=..., path=..., context_dir=...)``
(or ``load(text)`` to parse and build in one step). See the model API contract
for what rules may rely on.
"""
from __future__ import annotations

from collections.abc import Mapping

from dockerlint.model.builder import build
from dockerlint.model.dockerfile import DEFAULT_SHELL, Dockerfile, Instr, Stage
from dockerlint.model.expand import UNKNOWN, Env, Expansion, expand
from dockerlint.model.imageref import ImageRef
from dockerlint.model.options import Argument, Arguments, OptionSpec
from dockerlint.model.scope import PLATFORM_ARGS, PREDEFINED_ARGS, PROXY_ARGS
from dockerlint.model.values import (
    ArgDecl,
    CommandSpec,
    CopySpec,
    HealthcheckSpec,
    KeyValue,
    Mount,
    Port,
    RunSpec,
    UserSpec,
    Value,
)
from dockerlint.syntax.nodes import Span

__all__ = [
    "ArgDecl", "Argument", "Arguments", "CommandSpec", "CopySpec", "DEFAULT_SHELL", "Dockerfile", "Env",
    "Expansion", "HealthcheckSpec", "ImageRef", "Instr", "KeyValue", "Mount", "OptionSpec", "PLATFORM_ARGS",
    "PREDEFINED_ARGS", "PROXY_ARGS", "Port", "RunSpec", "Span", "Stage", "UNKNOWN", "UserSpec", "Value", "build",
    "expand", "load",
]


def load(data: bytes | str, *, path: str | None = None, build_args: Mapping[str, str] | None = None,
         target: str | None = None, context_dir: str | None = None) -> Dockerfile:
    """Parse and build in one step; raises only ``DockerfileSyntaxError``."""
    from dockerlint.syntax import parse

    return build(parse(data, path), build_args=build_args, target=target, path=path, context_dir=context_dir)
