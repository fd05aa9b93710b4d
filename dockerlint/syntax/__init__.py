"""Dockerfile syntax: bytes -> SyntaxTree, exactly as BuildKit's parser reads them."""
from __future__ import annotations

from .nodes import (
    Arg,
    Comment,
    Directive,
    DockerfileSyntaxError,
    Flag,
    Heredoc,
    Instruction,
    ParseWarning,
    Source,
    Span,
    SyntaxTree,
)
from .parser import parse

__all__ = [
    "Arg", "Comment", "Directive", "DockerfileSyntaxError", "Flag", "Heredoc", "Instruction",
    "ParseWarning", "Source", "Span", "SyntaxTree", "parse",
]
