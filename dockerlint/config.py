"""Configuration: find the file that applies to a Dockerfile, validate it, merge the CLI.

Where settings come from, lowest precedence first:

1. defaults (``Settings()``);
2. the nearest config file walking up from the linted file: ``.dockerlint.toml``
   or ``[tool.dockerlint]`` in ``pyproject.toml`` (the two are equivalent; in
   one directory ``.dockerlint.toml`` wins). Only when no such file exists up
   to the root, the nearest ``.hadolint.yaml``/``.hadolint.yml`` is read with
   hadolint's key names, so a hadolint user migrates without edits;
3. the command line (``--config FILE`` replaces discovery altogether).

pydantic is imported only when a config file is actually read, so linting a
project without one pays nothing for it.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from dockerlint.findings import Severity
from dockerlint.registry import Selection

DOCKERLINT_FILES = (".dockerlint.toml", "pyproject.toml")
HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")
LABEL_FORMATS = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
THRESHOLDS = ("error", "warning", "info", "style", "none")
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


# --------------------------------------------------------------------------- discovery

class ConfigFinder:
    """Finds (and reads once) the config that applies to each file of a run."""

    def __init__(self, explicit: str | None = None, overrides: Overrides = Overrides(),  # noqa: B008 - an immutable NamedTuple
                 discover: bool = True):
        self.explicit = explicit
        self.discover = discover
        self.overrides = overrides
        self._by_dir: dict[str, Settings] = {}
        self._files: dict[str, Settings | None] = {}

    def for_file(self, path: str | os.PathLike | None) -> Settings:
        """Settings for a Dockerfile at ``path`` (None: stdin, resolved from the cwd)."""
        directory = os.path.dirname(os.path.realpath(path)) if path else os.getcwd()
        return self.for_directory(directory)

    def for_directory(self, directory: str) -> Settings:
        cached = self._by_dir.get(directory)
        if cached is None:
            if self.explicit is not None:
                base = self._read(os.path.realpath(self.explicit), explicit=True)
            else:
                found = find_config(directory) if self.discover else None
                base = self._read(found) if found else None
            cached = self.overrides.apply(base or Settings())
            self._by_dir[directory] = cached
        return cached

    def _read(self, path: str, explicit: bool = False) -> Settings | None:
        if path not in self._files:
            self._files[path] = load_config(path, explicit=explicit)
        return self._files[path]


def user_config() -> str | None:
    """The user's own config, below every project config: ``$XDG_CONFIG_HOME/dockerlint/config.toml``
    (``~/.config/dockerlint/config.toml`` when the variable is unset), if it exists."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = os.path.join(base, "dockerlint", "config.toml")
    return path if os.path.isabs(path) and os.path.isfile(path) else None


def find_config(directory: str | os.PathLike) -> str | None:
    """The nearest dockerlint config walking up, else the nearest hadolint one, else the user's config.

    (Plain ``os.path``, not pathlib: importing pathlib costs more than a whole lint of a small file.)
    """
    hadolint: str | None = None
    d = os.path.abspath(directory)
    while True:
        for name in DOCKERLINT_FILES:
            candidate = os.path.join(d, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        if hadolint is None:
            hadolint = next((os.path.join(d, n) for n in HADOLINT_FILES if os.path.isfile(os.path.join(d, n))),
                            None)
        parent = os.path.dirname(d)
        if parent == d:
            return hadolint or user_config()
        d = parent


def _has_tool_table(pyproject: str) -> bool:
    # A cheap textual test first: most pyproject.toml files have no such table,
    # and parsing TOML for each of them would cost more than reading it.
    try:
        with open(pyproject, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return False
    return "tool.dockerlint" in text


# --------------------------------------------------------------------------- loading

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
        try:
            data = load_yaml_subset(raw_text.decode("utf-8-sig"))
        except (ConfigError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of hadolint keys at the top level")
        spelled = {ours: key for key in data if (ours := HADOLINT_KEYS.get(key))}
        return _validate(_from_hadolint(data, path), path, prefix="", lenient=True, spelled=spelled)

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
    if os.path.basename(path) == "pyproject.toml" or "tool" in doc and "dockerlint" in doc.get("tool", {}):
        table = doc.get("tool", {}).get("dockerlint")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.dockerlint] must be a table")
        return table, "tool.dockerlint."
    return doc, ""


def _from_hadolint(data: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Translate .hadolint.yaml keys into ours (see HADOLINT_KEYS)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in HADOLINT_KEYS:
            raise ConfigError(f"{path}: unknown hadolint key {key!r} "
                              f"(dockerlint reads: {', '.join(HADOLINT_KEYS)})")
        ours = HADOLINT_KEYS[key]
        if ours is None:
            continue
        if key == "override":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: key 'override': expected a mapping of "
                                  f"error/warning/info/style to rule lists")
            sev: dict[str, Any] = {}
            for level, ids in value.items():
                if level not in ("error", "warning", "info", "style"):
                    raise ConfigError(f"{path}: key 'override.{level}': unknown level "
                                      f"(allowed: error, warning, info, style)")
                for rid in _as_list(ids):
                    sev[rid] = level
            out["severity"] = sev
        elif key == "trustedRegistries":
            out[ours] = _as_list(value)
        elif key in ("format", "formats"):
            out[ours] = [HADOLINT_FORMATS.get(f, f) for f in _as_list(value)]
        elif key == "failure-threshold" and value == "ignore":
            out[ours] = "none"
        else:
            out[ours] = value
    return out


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


# hadolint key -> dockerlint key (None: accepted and ignored)
HADOLINT_KEYS: dict[str, str | None] = {
    "ignored": "ignore",
    "failure-threshold": "failure-threshold",
    "override": "severity",
    "trustedRegistries": "trusted-registries",
    "label-schema": "required-labels",
    "strict-labels": "strict-labels",
    "disable-ignore-pragma": "disable-ignore-pragma",
    "no-fail": "no-fail",
    "no-color": "no-color",
    "format": "format",
    "formats": "format",
    "verbose": None,
}
HADOLINT_FORMATS = {"gitlab_codeclimate": "gitlab"}  # hadolint format name -> ours


def _validate(table: Mapping[str, Any], path: str, prefix: str, lenient: bool = False,
              chain: tuple[str, ...] = (), spelled: Mapping[str, str] | None = None) -> Settings:
    """``spelled`` maps our key names back to the file's (a .hadolint.yaml's) for error messages."""
    from pydantic import ValidationError

    model = _file_model()
    try:
        cfg = model.model_validate(dict(table))
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, prefix, spelled or {})) from None
    root = os.path.dirname(path)
    from dockerlint.pathglob import GlobError, PathGlob

    for glob in cfg.per_file_ignores:
        try:
            PathGlob(glob)
        except GlobError as exc:
            raise ConfigError(f"{path}: key '{prefix}per-file-ignores': {exc}") from None
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
    return _extend(base, own, cfg.model_fields_set)


# Settings whose value in an extending file replaces the base's only when written there.
_REPLACED = {"failure_threshold": "failure_threshold", "trusted_registries": "trusted_registries",
             "strict_labels": "strict_labels", "context": "context", "target": "target",
             "disable_ignore_pragma": "disable_ignore_pragma", "format": "formats",
             "no_color": "no_color", "no_fail": "no_fail"}


def _extend(base: Settings, own: Settings, written: set[str]) -> Settings:
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


def _describe(exc, path: str, prefix: str, spelled: Mapping[str, str]) -> str:
    """First pydantic error as 'FILE: key 'a.b': what is wrong (allowed: …)'."""
    err = exc.errors()[0]
    parts = [str(p) for p in err["loc"]]
    if parts:
        parts[0] = spelled.get(parts[0], parts[0])
    loc = ".".join(parts)
    key = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "(top level)"
    if err["type"] == "extra_forbidden":
        allowed = ", ".join(_file_model().model_fields_by_alias())
        return f"{path}: unknown key {key!r} (allowed: {allowed})"
    msg = err["msg"]
    if err["type"] == "literal_error":
        msg = f"invalid value {err['input']!r} (allowed: {err['ctx']['expected']})"
    elif err["type"] in _EXPECTED:
        msg = f"expected {_EXPECTED[err['type']]}, got {err['input']!r}"
    return f"{path}: key {key!r}: {msg}"


# pydantic error types in the words of a config file
_EXPECTED = {"list_type": "a list of strings", "string_type": "a string", "bool_type": "true or false",
             "dict_type": "a table"}


_MODEL = None


def _file_model():
    """The pydantic model of a config table, built on first use (pydantic is heavy)."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, field_validator

    from dockerlint.report import FORMATS

    Level = Literal["error", "warning", "info", "style"]
    Threshold = Literal["error", "warning", "info", "style", "none"]
    LabelFormat = Literal["text", "url", "semver", "hash", "rfc3339", "spdx", "email"]
    Format = Literal[FORMATS]  # type: ignore[valid-type]

    class FileConfig(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True,
                                  alias_generator=lambda name: name.replace("_", "-"))

        select: list[str] | None = None
        extend_select: list[str] = []
        ignore: list[str] = []
        severity: dict[str, Level] = {}
        failure_threshold: Threshold | None = None
        per_file_ignores: dict[str, list[str]] = {}
        trusted_registries: list[str] = []
        required_labels: dict[str, LabelFormat] = {}
        strict_labels: bool = False
        build_args: dict[str, str] = {}
        context: str | None = None
        target: str | None = None
        disable_ignore_pragma: bool = False
        exclude: list[str] | None = None
        extend_exclude: list[str] = []
        format: list[Format] | None = None
        no_color: bool = False
        no_fail: bool = False
        extend: str | None = None

        @field_validator("format", mode="before")
        @classmethod
        def _one_format(cls, v):
            return [v] if isinstance(v, str) else v

        @classmethod
        def model_fields_by_alias(cls) -> list[str]:
            return [f.alias or n for n, f in cls.model_fields.items()]

    _MODEL = FileConfig
    return FileConfig


# --------------------------------------------------------------------------- .hadolint.yaml

def load_yaml_subset(text: str) -> Any:
    """Read the YAML that hadolint configs use, without a YAML dependency.

    Why not PyYAML: it is not a runtime dependency, and a migration path that
    works only when some other package happens to be installed is no path.
    hadolint configs are small mappings of scalars, lists (block ``- x`` or
    flow ``[a, b]``) and one level of nested mappings; that subset is read
    here, and anything beyond it (anchors, block scalars, multi-document
    files) is rejected with its line number instead of being misread.
    """
    lines: list[tuple[int, int, str]] = []  # (line number, indent, content)
    for number, raw in enumerate(text.splitlines(), 1):
        content = _strip_comment(raw).rstrip()
        if not content.strip() or content.strip() in ("---", "..."):
            continue
        stripped = content.lstrip(" ")
        if stripped.startswith("\t"):
            raise ConfigError(f"line {number}: tabs are not allowed for indentation in YAML")
        lines.append((number, len(content) - len(stripped), stripped))
    if not lines:
        return None
    value, end = _yaml_block(lines, 0, lines[0][1])
    if end != len(lines):
        raise ConfigError(f"line {lines[end][0]}: unexpected indentation")
    return value


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _yaml_block(lines: list[tuple[int, int, str]], i: int, indent: int) -> tuple[Any, int]:
    if lines[i][2].startswith("- ") or lines[i][2] == "-":
        items: list[Any] = []
        while i < len(lines) and lines[i][1] == indent and (lines[i][2].startswith("- ") or lines[i][2] == "-"):
            number, _, content = lines[i]
            rest = content[1:].strip()
            if not rest:
                if i + 1 < len(lines) and lines[i + 1][1] > indent:
                    value, i = _yaml_block(lines, i + 1, lines[i + 1][1])
                    items.append(value)
                    continue
                items.append(None)
            elif _mapping_key(rest) is not None:
                raise ConfigError(f"line {number}: lists of mappings are not supported here")
            else:
                items.append(_yaml_scalar(rest, number))
            i += 1
        return items, i

    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][1] == indent:
        number, _, content = lines[i]
        split = _mapping_key(content)
        if split is None:
            raise ConfigError(f"line {number}: expected 'key: value', got {content!r}")
        key, rest = split
        if key in mapping:
            raise ConfigError(f"line {number}: duplicate key {key!r}")
        i += 1
        if rest:
            mapping[key] = _yaml_scalar(rest, number)
        elif i < len(lines) and (lines[i][1] > indent or (
                lines[i][1] == indent and (lines[i][2].startswith("- ") or lines[i][2] == "-"))):
            mapping[key], i = _yaml_block(lines, i, lines[i][1])
        else:
            mapping[key] = None
    if i < len(lines) and lines[i][1] > indent:
        raise ConfigError(f"line {lines[i][0]}: unexpected indentation")
    return mapping, i


def _mapping_key(content: str) -> tuple[str, str] | None:
    if content[0] in "'\"":
        end = content.find(content[0], 1)
        if end == -1 or not content[end + 1:].startswith(":"):
            return None
        return content[1:end], content[end + 2:].strip()
    colon = content.find(": ")
    if colon == -1:
        if not content.endswith(":"):
            return None
        colon = len(content) - 1
    if content[0] in "[{":
        return None
    return content[:colon].strip(), content[colon + 1:].strip()


def _yaml_scalar(text: str, number: int) -> Any:
    if text[0] in "&*|>!%@`":
        raise ConfigError(f"line {number}: YAML feature {text[0]!r} is not supported in .hadolint.yaml "
                          f"(write the file as .dockerlint.toml instead)")
    if text[0] == "[":
        if not text.endswith("]"):
            raise ConfigError(f"line {number}: unterminated flow list")
        inner = text[1:-1].strip()
        return [_yaml_scalar(part.strip(), number) for part in _split_flow(inner, number)] if inner else []
    if text == "{}":
        return {}
    if text[0] == "{":
        raise ConfigError(f"line {number}: flow mappings are not supported; use one 'key: value' per line")
    if text[0] in "'\"":
        if len(text) < 2 or text[-1] != text[0]:
            raise ConfigError(f"line {number}: unterminated quoted string")
        body = text[1:-1]
        return body.replace("''", "'") if text[0] == "'" else body.replace('\\"', '"').replace("\\\\", "\\")
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~"):
        return None
    return text


def _split_flow(inner: str, number: int) -> list[str]:
    parts, quote, start = [], None, 0
    for i, ch in enumerate(inner):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[]{}":
            raise ConfigError(f"line {number}: nested flow collections are not supported")
        elif ch == ",":
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return [p for p in parts if p.strip()]
