"""ML010: a pinned package version with no wheel for the image's Python."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.wheels import WHEEL_ONLY, WINDOWS
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv


@rule(id="ML010", name="pin-outside-python-window", severity=Severity.ERROR, category="ml", on=("RUN",))
def pin_outside_python_window(df: Dockerfile) -> Iterator[Finding]:
    """Pin a release that ships wheels for the image's Python: `numpy>=1.26` on Python 3.12.

    Why: each release of numpy, pandas, scipy, scikit-learn, torch,
    TensorFlow, jaxlib, pyarrow and ONNX Runtime has wheels for a window of
    Python versions. A pin older than the first wheel for your Python makes pip
    build from source (numpy < 1.26 on 3.12 fails: no `distutils`, no
    compiler on slim images), or finds nothing for packages without a source
    archive (`No matching distribution found for torch==2.1.2` on 3.12). A pin
    newer than the last release for an old Python fails with
    `Ignored the following versions that require a different python version`.

    Bad:
        FROM python:3.12-slim
        RUN pip install --no-cache-dir numpy==1.24.4
    Good:
        FROM python:3.12-slim
        RUN pip install --no-cache-dir numpy==1.26.4

    Fix: the message names the oldest and newest release with a wheel for the
    image's Python; pick one in that window, or change the base image's Python.

    Note: the Python comes from the base image tag (`python:3.12-slim`) or the
    distro `python3` an apt step installs (Ubuntu 22.04: 3.10); unknown Python,
    non-x86_64 platforms, Alpine (ML003) and installs from another index are
    not judged. Exact pins (`==`) and upper bounds (`<`, `<=`) are checked.
    Data: PyPI, 2026-11-26 (see dockerlint/ml/wheels.py).
    """
    for stage in df.stages:
        facts = stage.base_facts
        python = stage.python
        if facts is None or python is None or facts.libc != "glibc" or _foreign_platform(stage):
            continue
        env = ImageEnv(df, stage)
        for install in env.python_installs:
            window = WINDOWS.get(install.name, {}).get(python)
            command = install.command
            if window is None or command.instr.stage is not stage or command.ecosystem != "pypi" or \
                    install.indexes or install.marker:
                continue
            message = _judge(install, python, window)
            if message is not None:
                yield command.instr.finding(message, span=install.span)


def _judge(install, python: str, window: tuple[str, str]) -> str | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    first, last = Version(window[0]), Version(window[1])
    what = f"`{install.text or install.name}`"
    span = f"Python {python} has wheels of {install.name} {window[0]} to {window[1]}"
    try:
        if install.version is not None:
            version = Version(install.version.split("+")[0])
            if version < first:
                return f"{what} is older than the first release with a wheel for Python {python}: " \
                       f"{_too_old(install.name)}; {span}"
            if version > last:
                return (f"{what} has no wheel for Python {python} (it needs a newer Python): pip fails with "
                        f"`Ignored the following versions that require a different python version`; {span}")
            return None
        if install.specifier:
            allowed = SpecifierSet(install.specifier)
            candidates = [Version(v) for v in (window[0], window[1])]
            if all(not allowed.contains(c, prereleases=True) for c in candidates) and \
                    all(s.operator in ("<", "<=") for s in allowed) and any(
                    Version(s.version) <= first for s in allowed):
                return f"{what} allows only releases older than the first wheel for Python {python}: " \
                       f"{_too_old(install.name)}; {span}"
    except (InvalidVersion, InvalidSpecifier):
        return None
    return None


def _too_old(name: str) -> str:
    if name in WHEEL_ONLY:
        return f"pip finds nothing (`No matching distribution found for {name}`)"
    return "pip builds it from source, which fails on a slim image (no compiler; no `distutils` on 3.12+)"


def _foreign_platform(stage) -> bool:
    platform = stage.platform.value if stage.platform is not None else None
    return platform is not None and "amd64" not in platform
