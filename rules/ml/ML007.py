"""ML007: a pip install of a name that is not the package you mean."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.ml.pypi import WRONG_NAMES
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv

_NAME_END = re.compile(r"[\s=<>!~;\[@(]")


@rule(id="ML007", name="wrong-pypi-name", severity=Severity.ERROR, category="ml", on=("RUN",))
def wrong_pypi_name(df: Dockerfile) -> Iterator[Finding]:
    """Install the package by its PyPI name, not its import name: `scikit-learn`, not `sklearn`.

    Why: the import name and the PyPI name often differ. `pip install sklearn`
    fails the build (`The 'sklearn' PyPI package is deprecated, use
    'scikit-learn'`), `tensorflow-gpu` was removed from PyPI, and there is no
    `cv2` or `PIL` to install. Worse, some import names belong to *another*
    project on PyPI: `pip install fitz` installs an unrelated package instead
    of PyMuPDF, `whisper` is a database library, not OpenAI's model; that code
    runs inside your image (marked "security" in the message).

    Bad:
        RUN pip install --no-cache-dir sklearn pandas
    Good:
        RUN pip install --no-cache-dir scikit-learn pandas

    Fix: replaces the name with the right one when the name is not pinned
    (`sklearn` -> `scikit-learn`); with a pin the version belongs to the wrong
    project, so the fix is offered but not applied.
    Fix safety: the new name is the distribution that provides the module the
    wrong name stands for (see the table in `dockerlint/ml/pypi.py`).

    Note: also checks the requirements files the install reads (the finding is
    on the `-r` word and names the file and line), uv, pipx, poetry, pipenv and
    pdm; conda names are not PyPI names and are not checked.
    References:
    - https://pypi.org/project/sklearn/
    - https://pypi.org/project/tensorflow-gpu/
    """
    seen: set[tuple[int, str]] = set()
    for stage in df.stages:
        env = ImageEnv(df, stage)
        for install in env.python_installs:
            wrong = WRONG_NAMES.get(install.name)
            command = install.command
            if wrong is None or command.ecosystem != "pypi" or "://" in (install.text or ""):
                continue  # a URL or VCS install names its source: `git+https://github.com/NVIDIA/apex#egg=apex`
            if wrong.broken_from and install.version and _older(install.version, wrong.broken_from):
                continue  # tensorflow-gpu==2.10.0 still installs
            key = (install.span.start, install.name)
            if key in seen:
                continue
            seen.add(key)
            where = f"{install.file}:{install.line} lists" if install.file else "installs"
            label = "security: " if wrong.security else ""
            message = (f"{label}{where} `{install.text or install.name}`, not the package you mean: {wrong.why}; "
                       f"install `{wrong.instead}` instead")
            yield command.instr.finding(message, span=install.span, fix=_fix(df, install, wrong))


def _older(version: str, bound: str) -> bool:
    from packaging.version import InvalidVersion, Version
    try:
        return Version(version) < Version(bound)
    except InvalidVersion:
        return False


def _fix(df: Dockerfile, install, wrong) -> Fix | None:
    if install.file is not None or " " in wrong.instead:
        return None
    span = install.span
    raw = df.source.text[span.start:span.end]
    m = _NAME_END.search(raw)
    written = raw[:m.start()] if m else raw
    if written.lower().replace("_", "-") != install.name:
        return None
    pinned = install.specifier is not None
    return Fix(f"install {wrong.instead}", (Edit(span.start, span.start + len(written), wrong.instead),),
               safe=not pinned)
