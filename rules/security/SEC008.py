"""SEC008: a package index update with no install in the same RUN."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

# manager -> (the verb that only refreshes the index, the verbs that use it)
_MANAGERS = {
    "apt-get": ("update", frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep",
                                      "source", "reinstall"})),
    "apt": ("update", frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "reinstall"})),
    "apk": ("update", frozenset({"add", "upgrade", "fix"})),
    "zypper": ("refresh", frozenset({"install", "update", "dist-upgrade", "patch", "source-install"})),
    "dnf": ("makecache", frozenset({"install", "upgrade", "update", "reinstall", "downgrade", "distro-sync"})),
    "yum": ("makecache", frozenset({"install", "upgrade", "update", "reinstall", "downgrade"})),
}
_VERBS = {"ref": "refresh", "in": "install", "up": "update", "dup": "dist-upgrade", "si": "source-install"}
_FAMILY = {"apt": "apt-get", "yum": "dnf"}  # apt and apt-get share one index, as yum and dnf do


@rule(id="SEC008", name="update-without-install", severity=Severity.WARNING, category="security",
      on=("RUN",), aliases=("CACHE006",), hadolint=(), trivy=("DS017",), checkov=("CKV_DOCKER_5",))
def update_without_install(df: Dockerfile) -> Iterator[Finding]:
    """Run `apt-get update` in the same RUN as the `apt-get install` that needs it.

    Why: a RUN of its own is cached; later installs then use the package
    index of the day the cache was made and install outdated versions,
    missing security fixes, until the cache is thrown away. When the install
    line changes, only it reruns, against the old index: the versions it
    names are gone from the mirror and the build fails with `404 Not Found`.

    Bad:
        RUN apt-get update
        RUN apt-get install -y --no-install-recommends curl
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl

    Note: apt-get, apt and apk `update`, zypper `refresh` and dnf/yum
    `makecache`, which only refresh the index (yum/dnf `update` installs
    upgrades, so it is not "alone"); `apt` and `apt-get` share one index.
    Also answers to CACHE006, its id in the layer-order family before the
    two were one rule. An upgrade in the same RUN counts as using
    the index. Reported only when a later RUN of the stage (or of a stage
    built FROM it) installs with that manager: that install is the one the
    stale cache hurts (Trivy DS017 and Checkov CKV_DOCKER_5 report every lone
    update). A RUN that runs a script (`./setup.sh`, `bash install.sh`) is
    not judged: the script may install.
    References:
    - https://avd.aquasec.com/misconfig/ds017
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """
    for instr in runs(df):
        verbs: dict[str, set[str]] = {}
        first: dict[str, object] = {}
        for command in instr.commands:
            if _runs_a_script(command):
                break  # a script may install: the RUN cannot be judged
            program = command.program
            if program not in _MANAGERS:
                continue
            family = _FAMILY.get(program, program)
            positional = [w.value for w in command.positional() if w.value]
            if not positional:
                continue
            verb = _VERBS.get(positional[0], positional[0]) if family == "zypper" else positional[0]
            verbs.setdefault(family, set()).add(verb)
            if verb == _MANAGERS[family][0]:
                first.setdefault(family, command)
        else:
            for family, command in first.items():
                if not verbs[family] & _MANAGERS[family][1] and _installs_later(df, instr, family):
                    name = command.program  # type: ignore[attr-defined]
                    verb = "add" if family == "apk" else "install"
                    yield instr.finding(f"`{name} {_MANAGERS[family][0]}` without `{name} {verb}` in the same RUN: "
                                        "later installs use a stale cached index (outdated packages, or `404 Not "
                                        "Found` once the versions are gone from the mirror)",
                                        span=command.span)  # type: ignore[attr-defined]


def _installs_later(df, update, family: str) -> bool:
    """Whether a later RUN of this stage (or of a stage built FROM it) installs with ``family``:
    that install is the one the cached, stale index hurts."""
    for instr in runs(df):
        if instr.index <= update.index or instr.stage is None or update.stage not in instr.stage.chain:
            continue
        for command in instr.commands:
            if _FAMILY.get(command.program or "", command.program) != family:
                continue
            positional = [w.value for w in command.positional() if w.value]
            verb = _VERBS.get(positional[0], positional[0]) if positional and family == "zypper" else \
                (positional[0] if positional else None)
            if verb in _MANAGERS[family][1]:
                return True
    return False


def _runs_a_script(command) -> bool:
    """``./setup.sh``, ``bash install.sh``: what the script does is not known."""
    program = command.program or ""
    if program.endswith(".sh") or (command.name or "").startswith(("./", "/tmp/")):
        return True
    if program in ("sh", "bash", "dash", "ash", "zsh") and command.wrapper is None:
        return any((w.value or "").endswith(".sh") or w.value is None for w in command.argv[1:2])
    return False
