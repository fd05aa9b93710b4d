"""DL3027: apt used in a Dockerfile."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# apt verbs that apt-get runs the same way (`apt upgrade` also installs new
# dependencies, `apt list`/`search`/`show` belong to apt-cache: no fix for those).
_SAME_IN_APT_GET = frozenset({
    "install", "remove", "purge", "autoremove", "update", "dist-upgrade", "clean", "autoclean",
    "build-dep", "source", "download"})


@rule(id="DL3027", name="apt-not-apt-get", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("RUN",), checkov=("CKV_DOCKER_9",))
def apt_not_apt_get(df: Dockerfile) -> Iterator[Finding]:
    """Use `apt-get` (or `apt-cache`) instead of `apt` in a Dockerfile.

    Why: `apt` is the interactive front end; its output and behaviour may
    change between releases, and it warns "apt does not have a stable CLI
    interface. Use with caution in scripts." `apt-get` is the stable one.

    Bad:
        RUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    Fix: replaces `apt` with `apt-get` for `install`, `remove`, `purge`,
    `autoremove`, `update`, `dist-upgrade`, `clean`, `autoclean`, `build-dep`,
    `source` and `download`.
    Fix safety: apt-get runs those the same way. `apt upgrade` is not
    rewritten (it also installs new dependencies, unlike `apt-get upgrade`),
    nor `apt list`/`search`/`show` (their replacement is `apt-cache`).
    References:
    - https://manpages.debian.org/bookworm/apt/apt.8.en.html
    Note: every command named `apt` is reported, through `sudo` or `sh -c`
    and in exec form too; `/usr/bin/apt` as well.
    """
    for instr in df.walk():
        if instr.keyword != "RUN":
            continue
        verbs = {id(pc.command): pc.verb for pc in instr.package_commands if pc.tool == "apt"}
        for cmd in instr.commands:
            if cmd.program != "apt":
                continue
            verb = verbs.get(id(cmd))
            fix = None
            if verb is not None and verb.value in _SAME_IN_APT_GET:
                edit = cmd.argv[0].replace_with("apt-get") if cmd.name == "apt" else None
                fix = Fix("use apt-get", (edit,), safe=True) if edit is not None else None
            yield instr.finding("Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache "
                                "instead", span=cmd.argv[0].span or cmd.span, fix=fix)
