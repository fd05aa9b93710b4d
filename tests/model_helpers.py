"""Helpers for the model tests."""
from __future__ import annotations

from dockerlint.model import build
from dockerlint.syntax import parse


def model(text: str, **kwargs):
    """Parse ``text`` and build its model (keyword arguments go to ``build``)."""
    return build(parse(text), **kwargs)
