"""hadolint's config file: its YAML read safely, its keys translated into ours.

The YAML is read by PyYAML's safe loader, imported only when such a file
exists. A config is a small document, so what a hostile one could make
expensive is bounded before anything is built: one document only, at most
MAX_NODES nodes counting every alias expansion (a "billion laughs" file is
refused, not expanded), and nesting the parser can follow without running out
of stack.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockerlint.config.settings import ConfigError

HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")
MAX_NODES = 10_000


def read_hadolint(data: bytes, path: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The file's settings in our key names, and our key names spelled as the file spells them."""
    try:
        doc = load_yaml(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping of hadolint keys at the top level")
    spelled = {ours: key for key in doc if isinstance(key, str) and (ours := HADOLINT_KEYS.get(key))}
    return _from_hadolint(doc, path), spelled


def load_yaml(text: str) -> Any:
    """One YAML document through the safe loader, bounded in size, aliases and depth."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return loader.construct_document(node)
    except yaml.composer.ComposerError as exc:
        if "single document" in str(exc.context):
            raise ConfigError("holds several YAML documents; a config is one document") from None
        raise ConfigError(_yaml_message(exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(_yaml_message(exc)) from None
    except RecursionError:
        raise ConfigError("YAML nested too deeply") from None
    finally:
        loader.dispose()


def _check_size(root: Any) -> None:
    """Count nodes as construction would visit them (an alias counts again each time it is used)."""
    import yaml

    seen, pending = 0, [root]
    while pending:
        node = pending.pop()
        seen += 1
        if seen > MAX_NODES:
            raise ConfigError(f"YAML too large: more than {MAX_NODES} values once aliases are expanded")
        if isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.extend((key, value))


def _yaml_message(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"line {mark.line + 1}: invalid YAML: {problem}" if mark is not None else f"invalid YAML: {problem}"


def _from_hadolint(data: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Translate .hadolint.yaml keys into ours (see HADOLINT_KEYS)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in HADOLINT_KEYS:
            raise ConfigError(f"{path}: unknown hadolint key {key!r} "
                              f"(dockerlint reads: {', '.join(HADOLINT_KEYS)})")
        ours = HADOLINT_KEYS[key]
        if ours is None or value is None:  # an empty key (`ignored:`) is not given, as in hadolint
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
                for rid in _rule_ids(ids, path, f"override.{level}"):
                    sev[rid] = level
            out["severity"] = sev
        elif key == "trustedRegistries":
            out[ours] = _as_list(value)
        elif key in ("format", "formats"):
            formats = _as_list(value)
            yaml_formats = {**HADOLINT_FORMATS, "json": "hadolint-json"}  # in hadolint's file, hadolint's shape
            out[ours] = [yaml_formats.get(f, f) if isinstance(f, str) else f
                         for f in formats] if isinstance(formats, list) else formats
        elif key == "failure-threshold" and value == "ignore":
            out[ours] = "none"
        else:
            out[ours] = value
    return out


def _as_list(value: Any) -> Any:
    """hadolint takes one string where it takes a list; anything else is left for validation to name."""
    return [value] if isinstance(value, str) else value


def _rule_ids(value: Any, path: str, key: str) -> list[str]:
    if value is None:
        return []
    ids = _as_list(value)
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ConfigError(f"{path}: key {key!r}: expected a list of rule ids, got {value!r}")
    return ids


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


# hadolint's user-level config files, tried in this order when no project config is found
def hadolint_user_configs() -> tuple[str, ...]:
    import os

    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    bases = (os.path.join(xdg, "hadolint"), os.path.join(home, ".config", "hadolint"),
             os.path.join(home, ".hadolint", "hadolint"), os.path.join(home, "hadolint", "config"),
             os.path.join(home, ".hadolint"))
    return tuple(dict.fromkeys(base + ext for base in bases for ext in (".yaml", ".yml")))


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """hadolint's ``HADOLINT_*`` variables as ``Overrides`` fields: above config files, below the command line."""
    from dockerlint.findings import Severity

    out: dict[str, Any] = {}

    def csv(name: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in environ.get(name, "").split(",") if v.strip())

    def flag(name: str) -> bool | None:
        value = environ.get(name)
        if value is None or not value.strip():
            return None
        text = value.strip().lower()
        if text in ("1", "true", "yes", "y", "on"):
            return True
        if text in ("0", "false", "no", "n", "off"):
            return False
        raise ConfigError(f"environment variable {name}: expected true or false, got {value!r}")

    for name, field in (("HADOLINT_NOFAIL", "no_fail"), ("HADOLINT_STRICT_LABELS", "strict_labels"),
                        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "disable_ignore_pragma")):
        if (value := flag(name)) is not None:
            out[field] = value
    if threshold := environ.get("HADOLINT_FAILURE_THRESHOLD", "").strip():
        out["failure_threshold"] = threshold
    out["ignore"] = csv("HADOLINT_IGNORE")
    out["trusted_registries"] = csv("HADOLINT_TRUSTED_REGISTRIES")
    out["severity"] = tuple((rid, Severity.parse(level)) for level in ("error", "warning", "info", "style")
                            for rid in csv(f"HADOLINT_OVERRIDE_{level.upper()}"))
    labels = []
    for item in csv("HADOLINT_REQUIRE_LABELS"):
        label, sep, fmt = item.partition(":")
        if not sep or not label:
            raise ConfigError(f"environment variable HADOLINT_REQUIRE_LABELS: expected label:format, got {item!r}")
        labels.append((label, fmt))
    out["required_labels"] = tuple(labels)
    return {k: v for k, v in out.items() if v != ()}
