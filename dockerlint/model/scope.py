"""ARG and ENV scopes, with BuildKit's rules.

* Global ARGs (before the first FROM) and the platform ARGs BuildKit predefines
  are usable in FROM lines. Inside a stage a global ARG is visible only after
  the stage re-declares it (``ARG NAME``).
* ``ENV`` and in-stage ``ARG`` values are inherited by a stage built
  ``FROM`` an earlier stage.
* ``--build-arg`` overrides the default of a declared ARG (and the predefined
  platform ARGs); it declares nothing by itself.
* An ARG without a default and without a ``--build-arg`` is *unknown* (None):
  the linter cannot know what the build will be given.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from dockerlint.model.expand import Env

#: The host platform the linter assumes when no ``--build-arg`` says otherwise.
HOST_OS = "linux"
HOST_ARCH = "amd64"

#: Set automatically in the global scope (usable in FROM); a stage sees them
#: only after ``ARG NAME``. TARGETSTAGE is added per build (the target's name).
PLATFORM_ARGS: Mapping[str, str] = MappingProxyType({
    "BUILDPLATFORM": f"{HOST_OS}/{HOST_ARCH}",
    "BUILDOS": HOST_OS,
    "BUILDOSVERSION": "",
    "BUILDARCH": HOST_ARCH,
    "BUILDVARIANT": "",
    "TARGETPLATFORM": f"{HOST_OS}/{HOST_ARCH}",
    "TARGETOS": HOST_OS,
    "TARGETOSVERSION": "",
    "TARGETARCH": HOST_ARCH,
    "TARGETVARIANT": "",
})

#: Passed to RUN from ``--build-arg`` without being declared; never in the
#: image history and never expanded in Dockerfile words unless declared.
PROXY_ARGS = frozenset({
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
})

#: Every name BuildKit treats as predefined.
PREDEFINED_ARGS = frozenset(PLATFORM_ARGS) | {"TARGETSTAGE"} | PROXY_ARGS

_EMPTY: Mapping[str, str | None] = MappingProxyType({})


_REMOVED: Any = object()  # the value of a VarMap entry that ``without`` took out


class _History:
    """The assignments made along one chain of scopes, in order (append-only).

    A Dockerfile sets variables one after another and keeps every
    intermediate scope (each instruction holds its own): copying the mapping
    per ARG made 20,000 ARG lines cost 10 GB. Instead every scope of a chain
    shares one history and sees its first ``version`` assignments.
    """

    __slots__ = ("at", "values", "length")

    def __init__(self) -> None:
        self.at: dict[str, list[int]] = {}  # name -> the assignment numbers that set it
        self.values: dict[str, list[str | None]] = {}
        self.length = 0

    def append(self, name: str, value: str | None) -> None:
        self.at.setdefault(name, []).append(self.length)
        self.values.setdefault(name, []).append(value)
        self.length += 1


class VarMap(Mapping[str, "str | None"]):
    """An immutable mapping that shares storage with the scopes it was derived from.

    Iteration follows the order of the last assignment of each name (a
    re-set name moves last, as in BuildKit's env list).
    """

    __slots__ = ("_history", "_version", "_flat")

    def __init__(self, history: _History, version: int):
        self._history = history
        self._version = version
        self._flat: dict[str, str | None] | None = None

    @classmethod
    def of(cls, mapping: Mapping[str, str | None]) -> VarMap:
        if isinstance(mapping, VarMap):
            return mapping
        history = _History()
        for name, value in mapping.items():
            history.append(name, value)
        return cls(history, history.length)

    def _index(self, name: str) -> int:
        at = self._history.at.get(name)
        if not at:
            return -1
        if at[-1] < self._version:
            return len(at) - 1
        return bisect_left(at, self._version) - 1

    def __getitem__(self, name: str) -> str | None:
        i = self._index(name)
        value = self._history.values[name][i] if i >= 0 else _REMOVED
        if value is _REMOVED:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        i = self._index(name)
        return i >= 0 and self._history.values[name][i] is not _REMOVED

    def _flatten(self) -> dict[str, str | None]:
        if self._flat is None:
            h, v = self._history, self._version
            last: list[tuple[int, str]] = []
            for name, at in h.at.items():
                i = len(at) - 1 if at[-1] < v else bisect_left(at, v) - 1
                if i >= 0 and h.values[name][i] is not _REMOVED:
                    last.append((at[i], name))
            last.sort()
            self._flat = {name: self[name] for _, name in last}
        return self._flat

    def __iter__(self) -> Iterator[str]:
        return iter(self._flatten())

    def __len__(self) -> int:
        return len(self._flatten())

    def __repr__(self) -> str:
        return f"VarMap({self._flatten()!r})"

    def without(self, name: str) -> VarMap:
        """This mapping with ``name`` removed (``unset``); O(1) as ``put``."""
        return self.put(name, _REMOVED) if name in self else self

    def put(self, name: str, value: str | None) -> VarMap:
        """This mapping with ``name`` set (last); O(1) unless an older scope is extended again."""
        history = self._history
        if self._version != history.length:  # a branch (two stages FROM one): start a history of its own
            history = VarMap.of(dict(self._flatten()))._history
        history.append(name, value)
        return VarMap(history, history.length)


class Scope:
    """The variables in effect at one point of the Dockerfile (immutable).

    ``vars`` is what BuildKit expands words against (ENV and ARG values in
    the order they were set); ``env`` and ``args`` split it by origin.
    ``open`` is True in a stage built on an image: that image's own ENV is
    invisible here, so an unknown name is unknown rather than unset.
    """

    __slots__ = ("vars", "env", "args", "open", "_env_obj")

    def __init__(self, vars: Mapping[str, str | None] = _EMPTY, env: Mapping[str, str | None] = _EMPTY,
                 args: Mapping[str, str | None] = _EMPTY, open: bool = False):
        self.vars = vars
        self.env = env
        self.args = args
        self.open = open
        self._env_obj: Env | None = None

    @property
    def expansion_env(self) -> Env:
        if self._env_obj is None:
            self._env_obj = Env(self.vars, self.open)
        return self._env_obj

    def with_arg(self, name: str, value: str | None) -> Scope:
        return Scope(_put(self.vars, name, value), self.env, _put(self.args, name, value), self.open)

    def with_env(self, pairs: list[tuple[str, str | None]]) -> Scope:
        vars_, env = self.vars, self.env
        for name, value in pairs:
            vars_ = _put(vars_, name, value)
            env = _put(env, name, value)
        return Scope(vars_, env, self.args, self.open)


def _put(mapping: Mapping[str, str | None], name: str, value: str | None) -> VarMap:
    return VarMap.of(mapping).put(name, value)


def global_scope(build_args: Mapping[str, str], target_name: str) -> Scope:
    """The scope FROM lines start from: the predefined platform ARGs."""
    values: dict[str, str | None] = {}
    for name, default in PLATFORM_ARGS.items():
        values[name] = build_args.get(name, default)
    values["TARGETSTAGE"] = build_args.get("TARGETSTAGE", target_name)
    proxy = MappingProxyType(values)
    return Scope(proxy, _EMPTY, proxy, open=False)
