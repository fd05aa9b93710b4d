"""DL3042: pip's download cache left in the image."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs, shipped_stage_indexes
from dockerlint.rules.packages._installers import PipInstall, pip_install

# pip parses PIP_NO_CACHE_DIR with strtobool and, for backward compatibility,
# disables the cache for *any* valid boolean, "0" and "false" included.
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_STRTOBOOL = _TRUE | {"n", "no", "f", "false", "off", "0"}
_DISABLING_VALUES = {"pip": _STRTOBOOL, "uv": _TRUE}  # uv reads UV_NO_CACHE as a plain boolean
_NO_CACHE_FLAGS = {"pip": ("no-cache-dir",), "uv": ("no-cache", "n", "no-cache-dir")}
_NO_CACHE_ENV = {"pip": "PIP_NO_CACHE_DIR", "uv": "UV_NO_CACHE"}
_CACHE_DIR_ENV = {"pip": ("PIP_CACHE_DIR",), "uv": ("UV_CACHE_DIR",)}
_CACHE_SUBDIR = {"pip": "pip", "uv": "uv"}


@rule(id="DL3042", name="pip-no-cache-dir", severity=Severity.WARNING, category="performance", fixable=True,
      on=("RUN",), causes=("REPRO-CACHE-PIP",))
def pip_no_cache_dir(df: Dockerfile) -> Iterator[Finding]:
    """Avoid keeping pip's cache in the image: `pip install --no-cache-dir <package>`.

    Why: pip stores every downloaded wheel under `~/.cache/pip`, inside the
    layer. For ML images that is the size of torch and its CUDA wheels a
    second time (often gigabytes) that no one will ever read.

    Bad:
        RUN pip install torch==2.3.1
    Good:
        RUN pip install --no-cache-dir torch==2.3.1
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/root/.cache/pip pip install torch==2.3.1

    Fix: inserts `--no-cache-dir` after `install` (`--no-cache` for `uv pip`),
    in exec form (`RUN ["pip", "install", ...]`) as an element of its own.

    Note: not reported when `PIP_NO_CACHE_DIR` is set (by ENV, on the command
    or by `export`; pip treats any boolean value, even `0`, as "no cache"), or
    when a `--mount=type=cache` covers the cache directory (`~/.cache/pip`,
    `$PIP_CACHE_DIR` or `--cache-dir`). With a cache mount the cache is the
    point. `pipx` and `pipenv` are not pip. `uv pip install` is checked the
    same way with uv's `--no-cache`, `UV_NO_CACHE` and `~/.cache/uv`.
    Builder stages that other stages only COPY from are not checked: their
    cache never reaches an image (hadolint reports them).
    """
    shipped = shipped_stage_indexes(df)
    for run in runs(df):
        # an ONBUILD RUN (``run.parent``) runs in every image built FROM this one: always shipped
        if run.stage is not None and run.stage.index not in shipped and run.parent is None:
            continue
        exported: list[tuple[str, str]] = []  # NAME=value exported earlier in this RUN
        for cmd in run.commands:
            if cmd.program == "export":
                exported.extend(_assignments(cmd.argv[1:]))
                continue
            install = pip_install(cmd)
            if install is None or _cache_disabled(install, run, exported):
                continue
            yield run.finding(
                f"Avoid use of cache directory with {'uv pip' if install.tool == 'uv' else 'pip'}: "
                f"add `{_flag(install)}` (or mount a build cache on it)",
                span=install.install.span,
                fix=_insert_flag(run, install),
            )


def _flag(install: PipInstall) -> str:
    return "--no-cache" if install.tool == "uv" else "--no-cache-dir"


def _assignments(words) -> list[tuple[str, str]]:
    """``(NAME, value)`` of the ``NAME=value`` words (unresolvable ones left out)."""
    return [(w.value.partition("=")[0], w.value.partition("=")[2]) for w in words if w.value and "=" in w.value]


def _cache_disabled(install: PipInstall, run, exported: list[tuple[str, str]]) -> bool:
    tool = install.tool
    if install.args.has(*_NO_CACHE_FLAGS[tool]):
        return True
    name, disabling = _NO_CACHE_ENV[tool], _DISABLING_VALUES[tool]
    assigned = [v for n, v in [*exported, *_assignments(install.command.assignments)] if n == name]
    value = assigned[-1] if assigned else run.env.get(name)  # the latest assignment wins
    if value is not None and value.strip().lower() in disabling:
        return True
    return _cache_mounted(install, run)


def _cache_mounted(install: PipInstall, run) -> bool:
    """Does a ``--mount=type=cache`` target hold the cache directory?"""
    targets = [posixpath.normpath(m.target) for m in (run.run.mounts if run.run else ())
               if m.type == "cache" and m.target]
    if not targets:
        return False
    tool = install.tool
    candidates = [o.value for o in install.args.values("cache-dir") if o.value]
    candidates += [run.env.get(name) for name in _CACHE_DIR_ENV[tool] if run.env.get(name)]
    xdg = run.env.get("XDG_CACHE_HOME")
    if xdg:
        candidates.append(posixpath.join(xdg, _CACHE_SUBDIR[tool]))
    candidates = [posixpath.normpath(c) for c in candidates]
    for target in targets:
        if any(c == target or c.startswith(target.rstrip("/") + "/") for c in candidates):
            return True
        # the default location, for whichever user runs it: ~/.cache/pip or ~/.cache
        if target.endswith(f"/.cache/{_CACHE_SUBDIR[tool]}") or target.endswith("/.cache"):
            return True
    return False


def _insert_flag(run, install: PipInstall) -> Fix | None:
    """Insert the flag right after the word ``install`` (a word of its own in exec form)."""
    word = install.install
    span = word.span
    source = _source_text(run)
    if span is None or source is None:
        return None
    flag = _flag(install)
    written = source[span.start:span.end]
    if written == "install":
        text = f" {flag}"
    elif written == '"install"':  # RUN ["pip", "install", ...]
        text = f', "{flag}"'
    else:
        return None
    return Fix(f"add {flag}", (Edit(span.end, span.end, text),), safe=True)


def _source_text(run) -> str | None:
    """The Dockerfile text the instruction's spans index."""
    return run.dockerfile.source.text
