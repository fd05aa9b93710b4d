"""Read and validate one config file (TOML, or a .hadolint.yaml through its translation).

The keys and what each takes are ``config.schema``; this module reads the
file, checks paths and globs, and turns the table into ``Settings``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from dockerlint.config.hadolint import HADOLINT_FILES, read_hadolint
from dockerlint.config.schema import KEYS, Invalid, check_table
from dockerlint.config.settings import DEFAULT_THRESHOLD, ConfigError, Settings, parse_threshold
from dockerlint.findings import Severity
from dockerlint.registry import Selection


def load_config(path: str | os.PathLike, explicit: bool = False,
                _chain: tuple[str, ...] = ()) -> Settings | None:
    """Read and validate one config file; None for a pyproject without our table."""
    from dockerlint.files import MAX_CONFIG_BYTES, read_bounded

    path = os.fspath(path)
    try:
        raw_text = read_bounded(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    if os.path.basename(path) in HADOLINT_FILES or path.endswith((".yaml", ".yml")):
        translated, spelled = read_hadolint(raw_text, path)
        return _validate(translated, path, prefix="", lenient=True, spelled=spelled)

    table, prefix = _read_toml(raw_text, path)
    if table is None:
        if explicit:
            raise ConfigError(f"{path}: no [tool.dockerlint] table")
        return None
    return _validate(table, path, prefix=prefix, chain=(*_chain, os.path.realpath(path)))


def _read_toml(data: bytes, path: str) -> tuple[dict | None, str]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ConfigError(f"{path}: reading TOML on Python 3.10 needs the 'tomli' package "
                              f"(pip install tomli)") from None
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = doc.get("tool")
    if os.path.basename(path) == "pyproject.toml" or isinstance(tool, dict) and "dockerlint" in tool:
        if tool is not None and not isinstance(tool, dict):
            raise ConfigError(f"{path}: key 'tool': expected a table, got {tool!r}")
        table = (tool or {}).get("dockerlint")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.dockerlint] must be a table")
        return table, "tool.dockerlint."
    return doc, ""


# `[tool.dockerlint]`, `[tool."dockerlint"]`, a dotted `tool.dockerlint.x = ...`, or a `dockerlint = {...}`
# key below a `[tool]` header; a dependency string "dockerlint>=1" or a `[project.scripts]` entry is none of them.
_TOOL_TABLE = re.compile(rb"""(?m)^[ \t]*(?:\[[ \t]*tool[ \t]*\.[ \t]*["']?dockerlint["']?[ \t]*[.\]]"""
                         rb"""|tool[ \t]*\.[ \t]*["']?dockerlint["']?[ \t]*[.=])""")
_KEY = re.compile(rb"""(?m)^[ \t]*["']?dockerlint["']?[ \t]*[.=]""")
_TOOL_HEADER = re.compile(rb"(?m)^[ \t]*\[[ \t]*tool[ \t]*\]")


def has_tool_table(data: bytes) -> bool:
    """Whether a pyproject.toml holds ``[tool.dockerlint]`` in any TOML spelling.

    A cheap textual test first: most pyproject.toml files never name us, and
    parsing each of them would cost more than reading it. A file that names us
    but is not valid TOML counts as ours, so its error is reported, not skipped.
    """
    if b"dockerlint" not in data or not (
            _TOOL_TABLE.search(data) or _KEY.search(data) and _TOOL_HEADER.search(data)):
        return False
    try:
        table, _ = _read_toml(data, "pyproject.toml")
    except ConfigError:
        return True
    return table is not None


def _validate(table: Mapping[str, Any], path: str, prefix: str, lenient: bool = False,
              chain: tuple[str, ...] = (), spelled: Mapping[str, str] | None = None) -> Settings:
    """``spelled`` maps our key names back to the file's (a .hadolint.yaml's) for error messages."""
    try:
        cfg = check_table(table)
    except Invalid as exc:
        raise ConfigError(_describe(exc, path, prefix, spelled or {})) from None
    root = os.path.dirname(path)
    from dockerlint.pathglob import GlobError, PathGlob

    for key, globs in (("per-file-ignores", cfg.per_file_ignores), ("exclude", cfg.exclude or ()),
                       ("extend-exclude", cfg.extend_exclude)):
        for glob in globs:
            try:
                PathGlob(glob)
            except GlobError as exc:
                raise ConfigError(f"{path}: key '{prefix}{key}': {exc}") from None
    for key, value in (("context", cfg.context), ("extend", cfg.extend)):
        if value is not None and "\0" in value:
            raise ConfigError(f"{path}: key '{prefix}{key}': a path cannot hold a NUL character")
    context = None if cfg.context is None else os.path.normpath(os.path.join(root, cfg.context))
    if context is not None and not os.path.isdir(context):
        raise ConfigError(f"{path}: key '{prefix}context': {cfg.context!r} is not a directory")
    severity = tuple((sel, Severity.parse(level)) for sel, level in cfg.severity.items())
    own = Settings(
        selection=(Selection(
            None if cfg.select is None else tuple(cfg.select),
            tuple(cfg.extend_select), tuple(cfg.ignore), strict=not lenient),),
        severity=severity,
        failure_threshold=(parse_threshold(cfg.failure_threshold)
                           if cfg.failure_threshold is not None else DEFAULT_THRESHOLD),
        per_file_ignores=tuple((root, g, tuple(ids)) for g, ids in cfg.per_file_ignores.items()),
        trusted_registries=tuple(cfg.trusted_registries),
        required_labels=tuple(cfg.required_labels.items()),
        strict_labels=cfg.strict_labels,
        build_args=tuple(cfg.build_args.items()),
        context=context,
        target=cfg.target,
        disable_ignore_pragma=cfg.disable_ignore_pragma,
        exclude=tuple((root, g) for g in [*(cfg.exclude or ()), *cfg.extend_exclude]),
        origin=path,
        formats=tuple(cfg.format or ()),
        no_color=cfg.no_color,
        no_fail=cfg.no_fail,
    )
    if cfg.extend is None:
        return own
    base_path = os.path.realpath(os.path.join(root, cfg.extend))
    if base_path in chain:
        raise ConfigError(f"{path}: key '{prefix}extend': {cfg.extend!r} extends this file again (a cycle)")
    if not os.path.isfile(base_path):
        raise ConfigError(f"{path}: key '{prefix}extend': {cfg.extend!r} is not a file")
    base = load_config(base_path, explicit=True, _chain=chain)
    if base is None:  # explicit=True raises instead; kept for the type checker
        raise ConfigError(f"{path}: key '{prefix}extend': {cfg.extend!r} holds no dockerlint config")
    return _extend(base, own, cfg.written)


# Settings whose value in an extending file replaces the base's only when written there.
_REPLACED = {"failure_threshold": "failure_threshold", "trusted_registries": "trusted_registries",
             "strict_labels": "strict_labels", "context": "context", "target": "target",
             "disable_ignore_pragma": "disable_ignore_pragma", "format": "formats",
             "no_color": "no_color", "no_fail": "no_fail"}


def _extend(base: Settings, own: Settings, written: frozenset[str]) -> Settings:
    """``own`` on top of ``base``: selections and per-file ignores stack, maps merge, the rest replaces."""
    merged: dict[str, Any] = {
        "selection": base.selection + own.selection,
        "severity": base.severity + own.severity,
        "per_file_ignores": base.per_file_ignores + own.per_file_ignores,
        "required_labels": tuple({**dict(base.required_labels), **dict(own.required_labels)}.items()),
        "build_args": tuple({**dict(base.build_args), **dict(own.build_args)}.items()),
    }
    for field_name, attribute in _REPLACED.items():
        if field_name not in written:
            merged[attribute] = getattr(base, attribute)
    if "exclude" not in written:  # exclude replaces the base's; extend-exclude adds to it
        merged["exclude"] = base.exclude + own.exclude
    return own._replace(**merged)


def _describe(exc: Invalid, path: str, prefix: str, spelled: Mapping[str, str]) -> str:
    """'FILE: key 'a.b': what is wrong (allowed: …)', with a .hadolint.yaml's own key names."""
    parts = list(exc.where)
    if parts:
        parts[0] = spelled.get(parts[0], parts[0])
    loc = ".".join(parts)
    key = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "(top level)"
    if exc.unknown:
        return f"{path}: unknown key {key!r} (allowed: {', '.join(KEYS)})"
    return f"{path}: key {key!r}: {exc.message}"
