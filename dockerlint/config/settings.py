"""What decides how one Dockerfile is linted: the settings, the command-line overrides, the error type."""
from __future__ import annotations

import os
from typing import Any, NamedTuple

from dockerlint.findings import Severity
from dockerlint.registry import Selection

LABEL_FORMATS = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
LEVELS = ("error", "warning", "info", "style")  # a severity in config and on the command line
THRESHOLDS = (*LEVELS, "none")
DEFAULT_THRESHOLD = Severity.INFO  # as hadolint: style findings alone do not fail a run


class ConfigError(ValueError):
    """A config file (or an option) is invalid; the message names file, key and allowed values."""


class Settings(NamedTuple):
    """Everything that decides how one Dockerfile is linted (hashable, picklable)."""

    selection: tuple[Selection, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # selector -> level; later entries win
    failure_threshold: Severity | None = DEFAULT_THRESHOLD  # None: never fail
    per_file_ignores: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (base dir, glob, selectors)
    trusted_registries: tuple[str, ...] = ()
    required_labels: tuple[tuple[str, str], ...] = ()  # label -> format
    strict_labels: bool = False
    build_args: tuple[tuple[str, str], ...] = ()
    context: str | None = None  # absolute; None: the Dockerfile's directory
    target: str | None = None
    disable_ignore_pragma: bool = False
    origin: str | None = None  # the config file these settings came from
    # Run-wide options: taken from the config that applies to the working directory.
    formats: tuple[str, ...] = ()
    no_color: bool = False
    no_fail: bool = False
    exclude: tuple[tuple[str, str], ...] = ()  # (base dir, glob): files and directories the run leaves out


class Overrides(NamedTuple):
    """Command-line values; None (or empty) means "not given"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    failure_threshold: str | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    trusted_registries: tuple[str, ...] = ()
    required_labels: tuple[tuple[str, str], ...] = ()
    strict_labels: bool | None = None
    build_args: tuple[tuple[str, str], ...] = ()
    context: str | None = None
    target: str | None = None
    disable_ignore_pragma: bool | None = None
    no_fail: bool | None = None
    no_color: bool | None = None
    exclude: tuple[str, ...] | None = None  # --exclude: replaces the config's exclude
    extend_exclude: tuple[str, ...] = ()

    def apply(self, s: Settings) -> Settings:
        layer = Selection(self.select, self.extend_select, self.ignore)
        changes: dict[str, Any] = {
            "selection": s.selection + ((layer,) if layer != Selection() else ()),
            "severity": s.severity + self.severity,
            "per_file_ignores": s.per_file_ignores + tuple((os.getcwd(), g, ids)
                                                           for g, ids in self.per_file_ignores),
            "trusted_registries": s.trusted_registries + self.trusted_registries,
            "required_labels": tuple({**dict(s.required_labels), **dict(self.required_labels)}.items()),
            "build_args": tuple({**dict(s.build_args), **dict(self.build_args)}.items()),
            "exclude": (s.exclude if self.exclude is None else tuple((os.getcwd(), g) for g in self.exclude))
                       + tuple((os.getcwd(), g) for g in self.extend_exclude),
        }
        if self.failure_threshold is not None:
            changes["failure_threshold"] = parse_threshold(self.failure_threshold)
        if self.context is not None:
            changes["context"] = os.path.abspath(self.context)
        for name in ("target", "strict_labels", "disable_ignore_pragma", "no_fail", "no_color"):
            if getattr(self, name) is not None:
                changes[name] = getattr(self, name)
        return s._replace(**changes)


def parse_threshold(text: str) -> Severity | None:
    value = text.strip().lower()
    if value in ("none", "ignore"):
        return None
    try:
        return Severity.parse(value)
    except ValueError:
        raise ConfigError(f"unknown failure threshold {text!r} (allowed: {', '.join(THRESHOLDS)})") from None
