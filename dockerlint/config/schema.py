"""The keys of a config table and what each one takes, checked without pydantic.

pydantic checked this table until it was measured: importing it and building
the model cost about 75 ms of CPU on every run of a project that has a config
file, when linting a small file takes about 130 ms (README, "Performance").
The table is 19 keys of six shapes; they are checked here, strictly (no
coercion: ``"true"`` is not a boolean, ``3.12`` is not a string), with the
same messages. pydantic still describes the JSON report (``report.schema``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from dockerlint.config.settings import LABEL_FORMATS, LEVELS, THRESHOLDS


class Invalid(ValueError):
    """A value of the table is wrong (``where`` is its key path: ``("severity", "DL3008")``),
    or ``where`` names a key that does not exist (``unknown``)."""

    def __init__(self, where: tuple[str, ...], message: str = "", *, unknown: bool = False):
        super().__init__(message)
        self.where = where
        self.message = message
        self.unknown = unknown


Check = Callable[[Any, tuple[str, ...]], Any]


def _expected(what: str, value: Any, where: tuple[str, ...]) -> Invalid:
    return Invalid(where, f"expected {what}, got {value!r}")


def string(value: Any, where: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise _expected("a string", value, where)
    return value


def boolean(value: Any, where: tuple[str, ...]) -> bool:
    if not isinstance(value, bool):
        raise _expected("true or false", value, where)
    return value


def strings(value: Any, where: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list):
        raise _expected("a list of strings", value, where)
    return [string(item, (*where, str(i))) for i, item in enumerate(value)]


def choice(allowed: tuple[str, ...]) -> Check:
    shown = ", ".join(repr(a) for a in allowed[:-1]) + f" or {allowed[-1]!r}"

    def check(value: Any, where: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise Invalid(where, f"invalid value {value!r} (allowed: {shown})")
        return value
    return check


def table(values: Check) -> Check:
    """A table whose keys are the user's (rule ids, globs, label names) and values are ``values``."""
    def check(value: Any, where: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _expected("a table", value, where)
        return {key: values(item, (*where, str(key))) for key, item in value.items()}
    return check


def optional(inner: Check) -> Check:
    return lambda value, where: None if value is None else inner(value, where)


def formats(value: Any, where: tuple[str, ...]) -> list[str]:
    """``format = "sarif"`` or ``format = ["tty", "sarif"]``."""
    from dockerlint.report import FORMATS

    one = choice(tuple(FORMATS))
    if isinstance(value, str):
        return [one(value, where)]
    if not isinstance(value, list):
        raise _expected("a list of strings", value, where)
    return [one(item, (*where, str(i))) for i, item in enumerate(value)]


class FileConfig(NamedTuple):
    """A config table, checked; ``written`` is the set of keys the file sets."""

    select: list[str] | None = None
    extend_select: list[str] = []
    ignore: list[str] = []
    severity: dict[str, str] = {}
    failure_threshold: str | None = None
    per_file_ignores: dict[str, list[str]] = {}
    trusted_registries: list[str] = []
    required_labels: dict[str, str] = {}
    strict_labels: bool = False
    build_args: dict[str, str] = {}
    context: str | None = None
    target: str | None = None
    disable_ignore_pragma: bool = False
    exclude: list[str] | None = None
    extend_exclude: list[str] = []
    format: list[str] | None = None
    no_color: bool = False
    no_fail: bool = False
    extend: str | None = None
    written: frozenset[str] = frozenset()


# Every key, in the order the "allowed:" list shows them, and its check.
KEYS: dict[str, Check] = {
    "select": optional(strings),
    "extend-select": strings,
    "ignore": strings,
    "severity": table(choice(LEVELS)),
    "failure-threshold": optional(choice(THRESHOLDS)),
    "per-file-ignores": table(strings),
    "trusted-registries": strings,
    "required-labels": table(choice(LABEL_FORMATS)),
    "strict-labels": boolean,
    "build-args": table(string),
    "context": optional(string),
    "target": optional(string),
    "disable-ignore-pragma": boolean,
    "exclude": optional(strings),
    "extend-exclude": strings,
    "format": optional(formats),
    "no-color": boolean,
    "no-fail": boolean,
    "extend": optional(string),
}
assert [k.replace("-", "_") for k in KEYS] == list(FileConfig._fields[:-1])


def check_table(data: Mapping[str, Any]) -> FileConfig:
    """The table as a ``FileConfig``; ``Invalid`` for the first wrong key, in key order."""
    for key in data:
        if key not in KEYS:
            raise Invalid((str(key),), unknown=True)
    values = {key.replace("-", "_"): check(data[key], (key,)) for key, check in KEYS.items() if key in data}
    return FileConfig(**values, written=frozenset(values))
