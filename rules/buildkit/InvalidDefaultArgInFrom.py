"""InvalidDefaultArgInFrom: the ARG defaults alone make FROM empty or invalid."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.model.expand import Env, expand
from dockerlint.model.imageref import parse_image
from dockerlint.model.scope import PLATFORM_ARGS
from dockerlint.rule import rule


@rule(id="InvalidDefaultArgInFrom", name="invalid-default-arg-in-from", severity=Severity.WARNING,
      category="correctness", on=("FROM",), buildkit="InvalidDefaultArgInFrom", hadolint=())
def invalid_default_arg_in_from(df: Dockerfile) -> Iterator[Finding]:
    """Give the ARGs a FROM line uses defaults that make a valid image name.

    Why: without `--build-arg` the build uses the defaults; an ARG with no
    default expands to nothing, so `FROM python:$TAG` becomes `FROM python:`
    and the build fails for anyone who does not know the magic arguments.

    Bad:
        ARG TAG
        FROM python:$TAG
    Good:
        ARG TAG=3.12-slim
        FROM python:$TAG

    Note: as BuildKit: the check uses the defaults only, never the
    `--build-arg` values given to dockerlint; an ARG without default counts
    as unset (`${TAG:-3.12}` is fine).
    References:
    - https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/
    """
    values: dict[str, str | None] = dict(PLATFORM_ARGS)
    values["TARGETSTAGE"] = df.global_scope.vars.get("TARGETSTAGE") or ""
    for instr in df.global_args:
        for arg in instr.syntax.args:
            name, eq, default = arg.value.partition("=")
            if eq:
                values[name] = expand(default, Env(values), df.escape).text
            else:
                values.pop(name, None)  # BuildKit: declared without a default is unset
    env = Env(values)
    for stage in df.stages:
        args = stage.from_.syntax.args
        if not args or "$" not in args[0].value:
            continue
        word = args[0]
        expansion = expand(word.value, env, df.escape)
        if expansion.error is not None:
            continue
        ref = parse_image(word.value, expansion, word.span)
        if not expansion.text or not ref.is_valid or ref.repository is None:
            yield stage.from_.finding(
                f"Default value for ARG {word.value} results in empty or invalid base image name")
