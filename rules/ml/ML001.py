"""ML001: a Python package needs a system library the image does not have."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.pypi import DEPENDENCIES
from dockerlint.ml.syslibs import REQUIREMENTS, T64_NAMES, Requirement, satisfied
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv, PyInstall, final_stages

_IMPORT_NAMES = {"opencv-python": "cv2", "opencv-contrib-python": "cv2", "python-magic": "magic",
                 "mysqlclient": "MySQLdb"}
_WHEN = {"import": "`import {module}` fails with", "build": "the build fails with",
         "use": "the first call fails with"}


@rule(id="ML001", name="missing-system-library", severity=Severity.ERROR, category="ml", on=("RUN",))
def missing_system_library(df: Dockerfile) -> Iterator[Finding]:
    """Install the system libraries your Python packages load (libGL for opencv-python, libgomp1 for lightgbm).

    Why: pip installs the Python side of a package; some wheels still load a
    shared library from the OS when imported. On a slim image the build
    succeeds and the container dies at `import cv2` with
    `ImportError: libGL.so.1: cannot open shared object file: No such file or directory`,
    or at `import lightgbm` with `OSError: libgomp.so.1: cannot open shared
    object file`. Packages built from source (psycopg2, mysqlclient, PyAudio,
    dlib, pygraphviz before 2.0.4) fail the build instead; tools called at run time (pytesseract needs
    `tesseract`, pdf2image needs `pdfinfo` from poppler-utils) fail at the first call.

    Bad:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir opencv-python==4.10.0.84
    Good:
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y --no-install-recommends libgl1 libglib2.0-0t64 \\
            && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir opencv-python==4.10.0.84

    Fix: the message gives the exact line for the image's distro and release
    (apt names on Debian/Ubuntu, `libglib2.0-0t64` on Debian 13 and Ubuntu
    24.04, apk names on Alpine), or a package swap that needs nothing
    (opencv-python-headless, psycopg2-binary).

    Note: only for base images whose system packages are known to be minimal
    (python:*-slim and -alpine, debian, ubuntu, alpine, nvidia/cuda base and
    runtime); the full `python:3.X` image and big vendor images carry many
    libraries and are not judged. Silent when a step may install packages it
    cannot see (a shell script, `make`, a variable, conda, which brings its own
    libraries). A distro package that depends on the library counts (ffmpeg
    brings libGL and glib, gcc brings libgomp1). Version-dependent needs apply
    only to pinned versions (xgboost < 2 needed libgomp1; current wheels vendor it).
    References:
    - https://github.com/opencv/opencv-python/issues/370
    - https://github.com/lightgbm-org/LightGBM/issues/2223
    """
    for stage in final_stages(df):
        env = ImageEnv(df, stage)
        facts = env.facts
        if facts is None or not facts.system_complete or facts.libc is None or facts.distro not in \
                ("debian", "ubuntu", "alpine") or env.opaque_system:
            continue
        system = env.system_packages
        if system is None:
            continue
        system |= set(facts.system_packages)
        reported: set[str] = set()
        for install, dist, via in _needing(env):
            requirement = REQUIREMENTS[dist]
            if dist in reported or facts.libc not in requirement.libc or not _version_applies(requirement, install):
                continue
            missing = [n for n in requirement.needs if not satisfied(n, system)]
            if not missing:
                continue
            reported.add(dist)
            yield install.command.instr.finding(_message(env, install, dist, via, requirement, missing),
                                                span=install.span)


def _needing(env: ImageEnv) -> Iterator[tuple[PyInstall, str, str | None]]:
    """(install, distribution that needs a library, the installed one that brings it)."""
    for install in env.python_installs:
        if install.command.ecosystem != "pypi" or install.marker:
            continue
        if install.name in REQUIREMENTS:
            yield install, install.name, None
        for dep in DEPENDENCIES.get(install.name, ()):
            if dep in REQUIREMENTS and dep not in env.installed_names:
                yield install, dep, install.name


def _version_applies(requirement: Requirement, install: PyInstall) -> bool:
    if requirement.below is None:
        return True
    if install.version is None:
        return False  # unpinned: the current release, which does not need it
    try:
        version = tuple(int(p) for p in install.version.split(".")[:len(requirement.below)])
    except ValueError:
        return False
    return version < requirement.below


def _message(env: ImageEnv, install: PyInstall, dist: str, via: str | None, requirement: Requirement,
             missing) -> str:
    facts = env.facts
    assert facts is not None
    if facts.distro == "alpine":
        packages = [p for n in missing for p in n.apk]
        line = f"`RUN apk add --no-cache {' '.join(packages)}`"
    else:
        t64 = facts.uses_t64_names
        packages = [T64_NAMES.get(p, p) if t64 else p for n in missing for p in n.apt]
        line = (f"`RUN apt-get update && apt-get install -y --no-install-recommends {' '.join(packages)} "
                f"&& rm -rf /var/lib/apt/lists/*`")
    what = " and ".join(n.what for n in missing)
    module = _IMPORT_NAMES.get(dist, dist.replace("-", "_"))
    where = f"{install.file}:{install.line} lists `{install.name}`, which installs `{dist}`" if via and install.file \
        else f"{install.file}:{install.line} lists `{dist}`" if install.file \
        else f"`{via}` installs `{dist}`" if via else f"`{dist}`"
    when = _WHEN[requirement.when].format(module=module)
    error = missing[0].error if len(missing) == 1 and missing[0].error else requirement.error
    instead = f" (or install {requirement.fix_instead})" if requirement.fix_instead else ""
    image = env.stage.root_image.text if env.stage.root_image is not None else facts.image
    return (f"{where} needs {what}, which {image} does not have and no step installs: {when} "
            f"`{error}`; add {line} before it{instead}")
