"""SEC005: WORKDIR or COPY onto a kernel-managed system directory."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Mount points the container runtime replaces with its own file systems (or that
# belong to the host's boot process): files put there by the build are hidden or lost.
SYSTEM_DIRS = ("/proc", "/sys", "/dev", "/boot", "/lost+found", "/initrd")


@rule(id="SEC005", name="system-directory-target", severity=Severity.ERROR, category="security",
      on=("WORKDIR", "COPY", "ADD"), hadolint=(), trivy=("DS030",))
def system_directory_target(df: Dockerfile) -> Iterator[Finding]:
    """Do not WORKDIR or COPY into /proc, /sys, /dev or /boot.

    Why: at run time the runtime mounts its own /proc, /sys and /dev over
    these paths, so whatever the build put there disappears (or, with
    --privileged, touches the host's kernel interfaces).

    Bad:
        WORKDIR /proc/app
    Good:
        WORKDIR /opt/app

    Note: /proc, /sys, /dev, /boot, /lost+found and /initrd (Trivy DS030's
    list, plus /sys and COPY/ADD destinations), after ARG/ENV expansion and
    resolved against the current WORKDIR; unknown paths are not judged.
    References:
    - https://avd.aquasec.com/misconfig/ds030
    """
    for instr in df.walk():
        if instr.keyword == "WORKDIR":
            path = instr.workdir_path
            value = instr.workdir
        elif instr.keyword in ("COPY", "ADD") and instr.copy is not None and instr.copy.dest is not None:
            value = instr.copy.dest
            path = _resolve(instr.cwd, value.value)
        else:
            continue
        root = _system_dir(path)
        if root is not None:
            yield instr.finding(f"{instr.keyword} targets the system directory {root}: `{path}`",
                                span=value.span if value is not None else None)


def _resolve(cwd: str | None, path: str | None) -> str | None:
    if path is None:
        return None
    if path.startswith("/"):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(cwd, path)) if cwd is not None else None


def _system_dir(path: str | None) -> str | None:
    if not path:
        return None
    path = posixpath.normpath(path)
    for root in SYSTEM_DIRS:
        if path == root or path.startswith(root + "/"):
            return root
    return None
