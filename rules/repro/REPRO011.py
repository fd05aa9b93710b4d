"""REPRO011: a package whose install script writes a random machine id into the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Packages whose maintainer scripts create a random id: dbus runs `dbus-uuidgen --ensure`
# (/var/lib/dbus/machine-id), systemd runs `systemd-machine-id-setup` (/etc/machine-id).
# Only the packages themselves: what merely depends on them (dbus-x11, ...) is not judged.
_WRITERS = frozenset({"dbus", "systemd", "systemd-sysv"})
_IDS = ("/etc/machine-id", "/var/lib/dbus/machine-id")


@rule(id="REPRO011", name="machine-id-generated", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-MACHINE-ID",), hadolint=())
def machine_id_generated(df: Dockerfile) -> Iterator[Finding]:
    """Remove the machine id that dbus or systemd generates: `rm -f /etc/machine-id /var/lib/dbus/machine-id`.

    Why: installing dbus or systemd runs `dbus-uuidgen --ensure` or
    `systemd-machine-id-setup`, which write a random id into the image. Every
    build gets another one (`dockerlint verify` reports `REPRO-MACHINE-ID`),
    and every container of the image shares the same "unique" id.

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends dbus \\
            && rm -rf /var/lib/apt/lists/*
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends dbus \\
            && rm -rf /var/lib/apt/lists/* /etc/machine-id /var/lib/dbus/machine-id

    Note: reported for an install (any distro manager) naming `dbus`,
    `systemd` or `systemd-sysv` in a stage that ships, unless the same RUN
    removes or empties the id afterwards (`rm`, `truncate -s0`, `: >`) or
    runs a cleanup script of its own (`clean-layer.sh`: what it removes is
    not known); packages that only depend on them are not judged.
    """
    for instr in (i for i in df.walk() if i.keyword == "RUN"):
        for pc in instr.package_commands:
            if pc.action != "install" or pc.ecosystem not in ("deb", "rpm", "apk") or not pc.stage_ships:
                continue
            named = sorted({p.name for p in pc.packages if p.name in _WRITERS})
            if not named or _cleared(instr, pc):
                continue
            yield instr.finding(f"installing {', '.join(f'`{n}`' for n in named)} writes a random machine id into "
                                "the image: every build differs and every container shares it; add `rm -f "
                                "/etc/machine-id /var/lib/dbus/machine-id` to this RUN",
                                span=pc.verb.span if pc.verb is not None else pc.span)


def _cleared(instr, pc) -> bool:
    end = pc.command.span.end if pc.command.span is not None else 0
    for c in instr.commands:
        if c.span is None or c.span.start < end:
            continue
        words = [w.value or "" for w in c.argv[1:]] + [r.target.value or "" for r in c.redirects if r.target]
        if "clean" in c.program.casefold() if c.program else False:
            return True
        if c.program in ("rm", "truncate", ":", "true", "echo", "printf") and any(
                w.rstrip("/*") in _IDS or w.endswith("machine-id") for w in words):
            return True
    return False
