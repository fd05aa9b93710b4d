"""CACHE006: a package-index update in a RUN of its own, before a RUN that installs."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="CACHE006", name="index-update-alone", severity=Severity.WARNING, category="performance",
      on=("RUN",), hadolint=())
def index_update_alone(df: Dockerfile) -> Iterator[Finding]:
    """Update the package index in the same RUN as the install: `RUN apt-get update && apt-get install -y ...`.

    Why: `RUN apt-get update` alone is a layer the cache keeps for months.
    When the install line below it changes, only the install reruns, against
    the old index: the versions it names are gone from the mirror and the
    build fails with `404 Not Found`, or it installs stale packages.

    Bad:
        RUN apt-get update
        RUN apt-get install -y --no-install-recommends curl
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl \\
            && rm -rf /var/lib/apt/lists/*
    Note: reported when a RUN does nothing but refresh an index (`apt-get
    update`, `apk update`, `zypper refresh`, `dnf makecache`) and a later RUN
    of the same stage installs with that manager without refreshing it
    again. hadolint has no such check (DL3009 is about the lists left in the
    layer). A RUN that updates and then runs a script is not reported: what
    the script does is not known.
    References:
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """
    for stage in df.stages:
        instrs = stage.instructions
        for i, instr in enumerate(instrs):
            if instr.keyword != "RUN":
                continue
            updates = [c for c in instr.package_commands if c.action == "update"]
            if not updates or not _only(instr, updates):
                continue
            for update in updates:
                later = next((r for r in instrs[i + 1:] if r.keyword == "RUN" and _installs(r, update.manager)), None)
                if later is None or any(c.manager == update.manager and c.action == "update"
                                        for c in later.package_commands):
                    continue
                yield instr.finding(
                    f"`{update.tool} {update.subcommand}` runs in a RUN of its own: its layer stays cached while "
                    f"the install on line {later.line} changes, which then reads an old package index "
                    f"(`404 Not Found` or stale packages). Run it in the same RUN as the install",
                    span=update.command.span or instr.span)
                break


def _only(instr, updates) -> bool:
    """Every command the RUN runs is one of the updates (or a wrapper around one)."""
    spans = [u.command.span for u in updates]
    if any(s is None for s in spans):
        return False
    for cmd in instr.commands:
        if cmd.wrapper is not None:
            continue
        span = cmd.span
        if span is None or not any(s.start >= span.start and s.end <= span.end for s in spans):
            return False
    return True


def _installs(instr, manager: str) -> bool:
    return any(c.manager == manager and c.action in ("install", "upgrade", "dist-upgrade")
               for c in instr.package_commands)
