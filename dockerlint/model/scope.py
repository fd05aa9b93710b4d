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

from collections.abc import Mapping
from types import MappingProxyType

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
        vars_, env = dict(self.vars), dict(self.env)
        for name, value in pairs:
            vars_.pop(name, None)  # re-setting moves it last, as BuildKit's env list does
            vars_[name] = value
            env[name] = value
        return Scope(MappingProxyType(vars_), MappingProxyType(env), self.args, self.open)


def _put(mapping: Mapping[str, str | None], name: str, value: str | None) -> Mapping[str, str | None]:
    new = dict(mapping)
    new.pop(name, None)
    new[name] = value
    return MappingProxyType(new)


def global_scope(build_args: Mapping[str, str], target_name: str) -> Scope:
    """The scope FROM lines start from: the predefined platform ARGs."""
    values: dict[str, str | None] = {}
    for name, default in PLATFORM_ARGS.items():
        values[name] = build_args.get(name, default)
    values["TARGETSTAGE"] = build_args.get("TARGETSTAGE", target_name)
    proxy = MappingProxyType(values)
    return Scope(proxy, _EMPTY, proxy, open=False)
