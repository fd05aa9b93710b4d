"""CACHE005: a value that changes on every build declared before the dependency install."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.context.installs import command_text, expensive_commands
from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule

# Build-arg names CI fills with a new value on every build: a commit, a date, a build counter.
PER_BUILD = frozenset({
    "BUILD_DATE", "BUILDDATE", "BUILD_TIME", "BUILD_TIMESTAMP", "BUILD_NUMBER", "BUILD_NUM", "BUILD_ID",
    "BUILD_REVISION", "BUILD_SHA", "GIT_SHA", "GIT_COMMIT", "GIT_COMMIT_SHA", "GIT_HASH", "GIT_REV",
    "GIT_REVISION", "COMMIT", "COMMIT_SHA", "COMMIT_HASH", "COMMIT_ID", "SOURCE_COMMIT", "VCS_REF",
    "REVISION", "CI_COMMIT_SHA", "GITHUB_SHA", "CACHEBUST", "CACHE_BUST", "CACHEBUSTER", "CACHE_BUSTER",
    "CACHE_DATE", "TIMESTAMP",
})
# Release versions: per build only when CI must pass them (no default in the file).
VERSION_NAMES = frozenset({"VERSION", "APP_VERSION", "BUILD_VERSION", "RELEASE_VERSION", "IMAGE_VERSION"})


@rule(id="CACHE005", name="per-build-value-before-install", severity=Severity.WARNING, category="performance",
      on=("ARG", "ENV"), hadolint=())
def per_build_value_before_install(df: Dockerfile) -> Iterator[Finding]:
    """Declare build-specific values (commit, date, build number) after the dependency installs.

    Why: CI passes a new `GIT_SHA` or `BUILD_DATE` on every build. A RUN
    after the `ARG` sees it in its environment, so its cache key changes
    (Docker: "all RUN instructions following an ARG instruction use the ARG
    variable implicitly ... thus can cause a cache miss"), and an `ENV`
    changes the image config for every later step. Declared at the top, the
    value makes every build reinstall all the dependencies.

    Bad:
        WORKDIR /app
        ARG GIT_SHA
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        LABEL org.opencontainers.image.revision=$GIT_SHA
    Good:
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        ARG GIT_SHA
        LABEL org.opencontainers.image.revision=$GIT_SHA
    Note: reported on the first declaration in a stage of a name CI fills
    per build (`BUILD_DATE`, `GIT_SHA`, `GIT_COMMIT`, `VCS_REF`, `CACHEBUST`,
    `BUILD_NUMBER`, ...; `VERSION`/`APP_VERSION` only without a default) or
    an `ENV` whose value uses one, when a package install, sync, `npm ci` or
    `conda env create` follows it in the stage. Other names are not guessed
    at (`ARG PYTHON_VERSION=3.11` changes only when edited); an `ENV` set to
    a constant is not a per-build value; a value the install itself uses
    (`RUN pip install mlflow==$VERSION`) is not reported: that rerun is its
    purpose. A global `ARG` before `FROM` reaches a stage only when
    redeclared there, and the redeclaration is reported.
    References:
    - https://docs.docker.com/reference/dockerfile/#impact-on-build-caching
    - https://docs.docker.com/build/cache/invalidation/
    """
    for stage in df.stages:
        pending: list[tuple[Instr, str, str]] = []  # (instr, name, how it is written)
        seen: set[str] = set()
        for instr in stage.instructions:
            if instr.keyword == "ARG":
                for decl in instr.arg_decls or ():
                    if _per_build(decl.name, has_default=decl.default is not None) and decl.name not in seen:
                        seen.add(decl.name)
                        pending.append((instr, decl.name, f"ARG {decl.name}"))
            elif instr.keyword == "ENV":
                for pair in instr.pairs or ():
                    used = [n for n in pair.value.names if n in seen or _per_build(n, has_default=True)]
                    if used and not any(n in seen for n in used) and pair.key not in seen:
                        seen.update((pair.key, *used))
                        pending.append((instr, used[0], f"ENV {pair.key}"))
                    elif used:
                        seen.add(pair.key)
            elif instr.keyword == "RUN" and pending and (steps := expensive_commands(instr)):
                step = f"`{command_text(instr, steps[0])}` (line {instr.line})"
                # `RUN pip install mlflow==$VERSION`: the install needs the value, the rerun is its purpose.
                text = instr.dockerfile.source.text[instr.span.start:instr.span.end]
                for decl_instr, name, written in pending:
                    if re.search(rf"\$\{{?{re.escape(name)}\b", text):
                        continue
                    yield decl_instr.finding(
                        f"`{written}` takes a new value on every build ({_kind(name)}) and comes before {step}: "
                        "each build reruns that install and every step after it. Declare it after the "
                        "installs, just before the instruction that uses it")
                pending = []


def _per_build(name: str, *, has_default: bool) -> bool:
    upper = name.upper()
    return upper in PER_BUILD or (upper in VERSION_NAMES and not has_default)


def _kind(name: str) -> str:
    upper = name.upper()
    if "DATE" in upper or "TIME" in upper:
        return "a date"
    if "BUST" in upper:
        return "a cache-buster"
    if "NUM" in upper or upper == "BUILD_ID":
        return "a build number"
    if "VERSION" in upper:
        return "a release version"
    return "a commit"
