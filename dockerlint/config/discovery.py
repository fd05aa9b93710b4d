"""Which config file applies to a Dockerfile: the nearest one walking up, read once per run.

(Plain ``os.path``, not pathlib: importing pathlib costs more than a whole lint of a small file.)
"""
from __future__ import annotations

import os

from dockerlint.config.files import has_tool_table, load_config
from dockerlint.config.hadolint import HADOLINT_FILES, env_overrides, hadolint_user_configs
from dockerlint.config.settings import Overrides, Settings
from dockerlint.files import MAX_CONFIG_BYTES

DOCKERLINT_FILES = (".dockerlint.toml", "pyproject.toml")


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
            env = env_overrides(os.environ)
            if env:
                from dockerlint.config.settings import parse_threshold

                if "failure_threshold" in env:
                    parse_threshold(env["failure_threshold"])  # a bad value is one clear config error
                base = Overrides(**env).apply(base or Settings())
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


def hadolint_user_config() -> str | None:
    """hadolint's own user-level config (``$XDG_CONFIG_HOME/hadolint.yaml``, ``~/.hadolint.yaml``, ...), if any."""
    return next((p for p in hadolint_user_configs() if os.path.isabs(p) and os.path.isfile(p)), None)


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
            return hadolint or user_config() or hadolint_user_config()
        d = parent


def shadowed_hadolint(directory: str | os.PathLike) -> tuple[str, str] | None:
    """(the ``.hadolint.yaml``, the dockerlint config that wins over it) when a dockerlint config
    applies to ``directory`` and a hadolint file sits between them (or beside the winner): that file is
    not read, which a user moving over should be told (``-v``)."""
    found = find_config(directory)
    if found is None or os.path.basename(found) not in DOCKERLINT_FILES:
        return None
    top = os.path.dirname(found)
    d = os.path.abspath(directory)
    while True:
        hadolint = next((os.path.join(d, n) for n in HADOLINT_FILES if os.path.isfile(os.path.join(d, n))), None)
        if hadolint is not None:
            return hadolint, found
        parent = os.path.dirname(d)
        if d == top or parent == d:
            return None
        d = parent


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return False
    return has_tool_table(data)
