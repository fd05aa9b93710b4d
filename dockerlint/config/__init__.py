"""Configuration: find the file that applies to a Dockerfile, validate it, merge the CLI.

Where settings come from, lowest precedence first:

1. defaults (``Settings()``);
2. the nearest config file walking up from the linted file: ``.dockerlint.toml``
   or ``[tool.dockerlint]`` in ``pyproject.toml`` (the two are equivalent; in
   one directory ``.dockerlint.toml`` wins). Only when no such file exists up
   to the root, the nearest ``.hadolint.yaml``/``.hadolint.yml`` is read with
   hadolint's key names, so a hadolint user migrates without edits;
3. the command line (``--config FILE`` replaces discovery altogether).

``settings`` holds the values, ``discovery`` finds the file, ``files`` reads and
validates it, ``hadolint`` reads hadolint's YAML and translates its keys.
"""
from dockerlint.config.discovery import ConfigFinder, find_config, user_config
from dockerlint.config.files import load_config
from dockerlint.config.hadolint import HADOLINT_FORMATS, HADOLINT_KEYS
from dockerlint.config.settings import (
    DEFAULT_THRESHOLD,
    LABEL_FORMATS,
    LEVELS,
    THRESHOLDS,
    ConfigError,
    Overrides,
    Settings,
    parse_threshold,
)

__all__ = ["DEFAULT_THRESHOLD", "HADOLINT_FORMATS", "HADOLINT_KEYS", "LABEL_FORMATS", "LEVELS", "THRESHOLDS",
           "ConfigError", "ConfigFinder", "Overrides", "Settings", "find_config", "load_config",
           "parse_threshold", "user_config"]
