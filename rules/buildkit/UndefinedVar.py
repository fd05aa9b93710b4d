"""UndefinedVar: a variable used in an instruction before any ARG or ENV sets it."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import Suggester, stage_instructions

# Instructions whose words BuildKit expands itself (RUN, CMD, ENTRYPOINT,
# HEALTHCHECK and SHELL are left to the shell and not checked).
_EXPANDED = ("ADD", "ARG", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR")
_EXPANDED_FLAGS = ("chown", "chmod")
# BuildKit's own switches, never reported (nonEnvArgs).
_NOT_ENV = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})
# Docker Official Images whose image config sets no ENV but PATH (docker-library's
# Dockerfiles for alpine, busybox, debian and ubuntu); any other base image may set
# variables the linter cannot see.
_PATH_ONLY_IMAGES = frozenset({"library/alpine", "library/busybox", "library/debian", "library/ubuntu"})


@rule(id="UndefinedVar", name="undefined-var", severity=Severity.WARNING, category="correctness",
      on=_EXPANDED, buildkit="UndefinedVar", hadolint=())
def undefined_var(df: Dockerfile) -> Iterator[Finding]:
    """Declare a variable (ARG or ENV) before an instruction uses it.

    Why: an undefined variable expands to nothing without an error: `COPY
    $SRC_DIR /app` copies the whole context, `ENV PATH=$PAHT:/app/bin`
    throws the system PATH away.

    Bad:
        FROM alpine:3.20
        ENV PATH=$PAHT:/app/bin
    Good:
        FROM alpine:3.20
        ENV PATH=$PATH:/app/bin

    Note: the words BuildKit expands (ADD, ARG defaults, COPY, ENV, EXPOSE,
    LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR), with BuildKit's "did you mean"
    suggestion. ARGs and ENVs of a parent stage are visible in the stages
    built FROM it; a global ARG is visible only once the stage re-declares
    it. A base image's own ENV is invisible to a linter, so the check runs
    only where the image's variables are known: stages built on `scratch`,
    or on alpine, busybox, debian or ubuntu (which set only PATH); elsewhere
    it stays silent rather than guess.
    References:
    - https://docs.docker.com/reference/build-checks/undefined-var/
    """
    suggester = Suggester()
    for stage, instr in stage_instructions(df):
        if instr.keyword not in _EXPANDED or not _image_env_known(stage):
            continue
        reported: set[str] = set()
        for name in _undefined_names(instr):
            if name in reported or name in _NOT_ENV or name == "PATH" or name in instr.vars:
                continue
            reported.add(name)
            # the options only when a name is undefined: listing the scope per instruction was quadratic
            hint = "" if suggester.exhausted else suggester.suggest(
                name, ["PATH", *(k for k in instr.vars if k != "PATH")])
            extra = f" (did you mean ${hint}?)" if hint else ""
            yield instr.finding(f"Usage of undefined variable '${name}'{extra}")


def _image_env_known(stage) -> bool:
    root = stage.root
    if root.is_scratch:
        return True
    ref = root.base
    if ref is None or not ref.resolved or ref.is_docker_hub is not True or ref.repository is None:
        return False
    repository = ref.repository if "/" in ref.repository else "library/" + ref.repository
    return repository in _PATH_ONLY_IMAGES


def _undefined_names(instr) -> Iterator[str]:
    if instr.keyword == "ARG":
        for decl in instr.arg_decls or ():
            if decl.default is not None:
                yield from decl.default.undefined
        return
    markers = {h.marker_span.start for h in instr.syntax.heredocs}
    for arg in instr.syntax.args:
        if arg.span.start not in markers:
            yield from instr.expand(arg.value).undefined
    for flag in instr.syntax.flags:
        if flag.name in _EXPANDED_FLAGS and flag.value is not None:
            yield from instr.expand(flag.value).undefined
