"""ML003: a package with no wheel for Alpine (musl) installed on an Alpine image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.wheels import MUSL_ALTERNATIVE, MUSL_FIRST, WHEEL_ONLY
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv


@rule(id="ML003", name="no-wheel-for-platform", severity=Severity.ERROR, category="ml", on=("RUN",))
def no_wheel_for_platform(df: Dockerfile) -> Iterator[Finding]:
    """Use a glibc base (`python:3.12-slim`) for torch, TensorFlow, scikit-learn, OpenCV, ONNX Runtime on Alpine.

    Why: PyPI has no musllinux (Alpine) wheels for these packages. For torch,
    TensorFlow, jaxlib and ONNX Runtime pip finds nothing at all:
    `ERROR: Could not find a version that satisfies the requirement tensorflow (from versions: none)`.
    For scikit-learn, OpenCV, LightGBM and XGBoost pip falls back to the source
    archive and the build runs for many minutes before failing on a missing
    compiler, BLAS or CMake. pyarrow has Alpine wheels only from 20.0.0.

    Bad:
        FROM python:3.12-alpine
        RUN pip install --no-cache-dir tensorflow==2.18.0
    Good:
        FROM python:3.12-slim
        RUN pip install --no-cache-dir tensorflow==2.18.0

    Fix: switch the base to the same Python on Debian (`python:3.12-slim`), or
    use the Alpine package where there is one (`apk add py3-scikit-learn`, `py3-opencv`).

    Note: only on images known to be Alpine (python:*-alpine, alpine). Silent
    when the install uses another index or `--find-links` (a private musl
    wheel house), and for pyarrow pins from 20.0.0 on.
    References:
    - https://github.com/tensorflow/tensorflow/issues/85371
    - https://github.com/scikit-learn/scikit-learn/issues/27004
    """
    for stage in df.stages:
        facts = stage.base_facts
        if facts is None or facts.libc != "musl":
            continue
        env = ImageEnv(df, stage)
        for install in env.python_installs:
            command = install.command
            if command.instr.stage is not stage or command.ecosystem != "pypi" or install.indexes:
                continue
            if install.name not in MUSL_FIRST:
                continue
            first = MUSL_FIRST[install.name]
            if first is not None and not _older(install.version, first):
                continue
            image = stage.root_image.text if stage.root_image is not None else facts.image
            if install.name in WHEEL_ONLY or install.name in ("torchvision", "torchaudio", "tensorflow-cpu",
                                                              "onnxruntime-gpu"):
                breaks = (f"`ERROR: Could not find a version that satisfies the requirement {install.name} "
                          f"(from versions: none)`")
            else:
                breaks = "pip builds it from source, which runs for minutes and fails without compilers and BLAS"
            since = f" before {first}" if first else ""
            alternative = f", or `apk add {MUSL_ALTERNATIVE[install.name]}`" if install.name in MUSL_ALTERNATIVE else ""
            yield command.instr.finding(
                f"`{install.text or install.name}` has no Alpine (musllinux) wheel{since} on PyPI, and {image} is "
                f"Alpine: {breaks}; use a Debian base such as `python:{facts.python or '3.12'}-slim`{alternative}",
                span=install.span)


def _older(version: str | None, first: str) -> bool:
    if version is None:
        return False  # unpinned: the newest release, which has a wheel
    from packaging.version import InvalidVersion, Version
    try:
        return Version(version) < Version(first)
    except InvalidVersion:
        return False
