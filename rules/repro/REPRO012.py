"""REPRO012: the package manager's logs, with the build's timestamps, left in the image (strict profile)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Logs each manager appends to on every install, with the time of the build in them.
_LOGS = {"apt": "/var/log/dpkg.log, /var/log/apt/", "dnf": "/var/log/dnf*.log", "yum": "/var/log/yum.log",
         "zypper": "/var/log/zypper.log"}
_DIRS = ("/var/log", "/var/log/", "/var/log/*", "/var/log/apt", "/var/log/apt/", "/var/log/apt/*",
         "/var/log/dpkg.log")


@rule(id="REPRO012", name="package-logs-kept", severity=Severity.INFO, category="reproducibility",
      on=("RUN",), causes=("REPRO-LOG",), default_enabled=False, hadolint=())
def package_logs_kept(df: Dockerfile) -> Iterator[Finding]:
    """Leave the package manager's logs out of the layer: `RUN --mount=type=tmpfs,target=/var/log ...`.

    Why: every `apt-get install` appends to `/var/log/dpkg.log` and
    `/var/log/apt/history.log` with the date and time of the build (dnf,
    yum and zypper keep their own logs). The layer differs on every build
    although the packages do not, and `dockerlint verify` reports `REPRO-LOG`.

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
    Good:
        RUN --mount=type=tmpfs,target=/var/log \\
            apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

    Note: opt-in (in `profile:strict`): true of nearly every install. Reported
    once per RUN that installs with apt, dnf, yum or zypper in a stage that
    ships, unless the RUN mounts a tmpfs or cache on `/var/log` or removes the
    logs afterwards (`rm -rf /var/log/*`, `/var/log/apt`, `/var/log/dpkg.log`)
    or runs a cleanup script of its own (`clean-layer.sh`: what it removes
    is not known).
    """
    for instr in (i for i in df.walk() if i.keyword == "RUN"):
        run = instr.run
        if run is not None and any(m.target in ("/var/log", "/var/log/") and m.type in ("tmpfs", "cache")
                                   for m in run.mounts):
            continue
        pc = next((p for p in instr.package_commands if p.manager in _LOGS and p.action in
                   ("install", "upgrade", "dist-upgrade", "remove", "purge") and p.stage_ships), None)
        if pc is None or _removed(instr, pc):
            continue
        yield instr.finding(f"`{pc.tool} {pc.subcommand}` writes the build's time into {_LOGS[pc.manager]}: the "
                            "layer differs on every build; add `--mount=type=tmpfs,target=/var/log` to this RUN",
                            span=pc.verb.span if pc.verb is not None else pc.span)


def _removed(instr, pc) -> bool:
    end = pc.command.span.end if pc.command.span is not None else 0
    for c in instr.commands:
        if c.span is None or c.span.start < end or c.program is None:
            continue
        if "clean" in c.program.casefold() and c.program not in _LOGS:  # `clean-layer.sh`: not known
            return True
        if c.program == "rm" and any((w.value or w.raw) in _DIRS or (w.value or "").startswith("/var/log/")
                                     for w in c.argv[1:]):
            return True
    return False
