"""REPRO008: apt installs from today's mirror, not a snapshot (strict profile)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# What points apt at a fixed state of the archive (or hands the choice to a tool that does).
_SNAPSHOT_MARKS = ("snapshot.debian.org", "snapshot.ubuntu.com", "APT::Snapshot", "--snapshot", "repro-get")


@rule(id="REPRO008", name="apt-without-snapshot", severity=Severity.INFO, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",), default_enabled=False, hadolint=())
def apt_without_snapshot(df: Dockerfile) -> Iterator[Finding]:
    """Install Debian/Ubuntu packages from a snapshot of the archive: `snapshot.debian.org`, `apt-get --snapshot`.

    Why: the mirror moves every day. `apt-get install -y curl=7.88.1-10+deb12u8`
    pins curl, but not the libraries it pulls in, and the pinned version
    itself disappears from the mirror after the next point release (the
    build then fails with `Version '...' for 'curl' was not found`). A
    snapshot date fixes every package apt can see.

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends curl
    Good:
        RUN echo 'deb http://snapshot.debian.org/archive/debian/20240601T000000Z bookworm main' \\
                > /etc/apt/sources.list.d/snapshot.list \\
            && apt-get update && apt-get install -y --no-install-recommends curl
        # Debian 13 / Ubuntu 24.04 (apt 2.7+): apt-get install --snapshot 20240601T000000Z ...

    Note: opt-in (in `profile:strict`): almost every Dockerfile that uses apt
    reads the live mirror. Reported once per stage that ships, on its first
    `apt-get install`/`apt install`, unless that RUN or one before it in the
    stage's FROM chain names a snapshot (`snapshot.debian.org`,
    `snapshot.ubuntu.com`, `APT::Snapshot`, `--snapshot`) or uses repro-get;
    sources copied in from the context (`COPY sources.list /etc/apt/`) are not
    known and not judged. Version pins are DL3008's.
    References:
    - https://snapshot.debian.org/
    - https://snapshot.ubuntu.com/
    """
    for stage in df.stages:
        if not stage.ships:
            continue
        chain = [i for s in reversed(stage.chain) for i in s.instructions]
        for instr in chain:
            if instr.keyword == "COPY" and any("sources.list" in (v.value or "") or ".sources" in (v.value or "")
                                               for v in (instr.copy.sources if instr.copy else ())):
                break  # the sources come from the context: not known
            if instr.keyword != "RUN":
                continue
            if _names_snapshot(df, instr):
                break
            install = next((pc for pc in instr.package_commands if pc.manager == "apt" and pc.action == "install"),
                           None)
            if install is None:
                continue
            if instr.stage is stage:  # an ancestor stage's install is reported on that stage
                yield instr.finding(f"`{install.tool} {install.subcommand}` installs from today's mirror: a "
                                    "rebuild gets other package versions; install from a snapshot "
                                    "(`snapshot.debian.org`, `snapshot.ubuntu.com`, `apt-get --snapshot`)",
                                    span=install.verb.span if install.verb is not None else install.span)
            break


def _names_snapshot(df: Dockerfile, instr) -> bool:
    """The RUN's text, or an ARG/ENV value it can read, names a snapshot."""
    text = df.source.text[instr.span.start:instr.span.end]
    values = " ".join(v for v in instr.vars.values() if v)
    return any(mark in text or mark in values for mark in _SNAPSHOT_MARKS)
