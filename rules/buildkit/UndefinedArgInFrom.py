"""UndefinedArgInFrom: FROM uses a variable no global ARG declares."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import Suggester


@rule(id="UndefinedArgInFrom", name="undefined-arg-in-from", severity=Severity.WARNING,
      category="correctness", on=("FROM",), buildkit="UndefinedArgInFrom", hadolint=())
def undefined_arg_in_from(df: Dockerfile) -> Iterator[Finding]:
    """Declare every variable a FROM line uses with an ARG before the first FROM.

    Why: FROM can only see the ARGs declared before the first FROM (and
    BuildKit's platform ARGs); any other name expands to nothing, so
    `FROM python:$PYTHON_VERSION` silently becomes `FROM python:`.

    Bad:
        FROM python:${PYTHON_VERSION}-slim
    Good:
        ARG PYTHON_VERSION=3.12
        FROM python:${PYTHON_VERSION}-slim

    Note: the image and the `--platform` value are checked, with a "did you
    mean" suggestion among the declared names, as BuildKit suggests.
    An ARG declared inside an earlier stage does not count: FROM never sees it.
    References:
    - https://docs.docker.com/reference/build-checks/undefined-arg-in-from/
    """
    known = list(df.global_scope.vars)
    suggester = Suggester()
    for stage in df.stages:
        reported: set[str] = set()
        for value in (stage.base_name, stage.platform):
            if value is None:
                continue
            for name in value.undefined:
                if name in reported or name in df.global_scope.vars:
                    continue
                reported.add(name)
                hint = suggester.suggest(name, known)
                extra = f" (did you mean {hint}?)" if hint else ""
                yield stage.from_.finding(f"FROM argument '{name}' is not declared{extra}")
