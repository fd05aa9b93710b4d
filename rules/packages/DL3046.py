"""DL3046: useradd with a high UID writes a huge sparse file into the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.model.options import OptionSpec
from dockerlint.rule import rule
from dockerlint.rules.packages._view import add_after

# useradd(8): the options that take a value.
_USERADD = OptionSpec("bcdefgGkKpPRsuZ", frozenset({
    "base-dir", "comment", "home-dir", "expiredate", "inactive", "gid", "groups", "skel", "key",
    "password", "prefix", "root", "shell", "uid", "selinux-user", "btrfs-subvolume-home-not",
    "selinux-range"}), long_names={"u": "uid", "l": "no-log-init"})
_HIGH_UID = 100_000  # six digits, as hadolint counts


@rule(id="DL3046", name="useradd-no-log-init", severity=Severity.WARNING, category="performance",
      fixable=True, on=("RUN",))
def useradd_no_log_init(df: Dockerfile) -> Iterator[Finding]:
    """Use `useradd -l` with a high UID: `useradd -l -u 1000000 app`.

    Why: useradd reserves the user's record in `/var/log/lastlog` and
    `/var/log/faillog` at offset UID x record size. For UID 1000000 that is
    a sparse file of about 300 MB; image layers do not keep files sparse, so
    the image grows by that much (or the build runs out of disk).

    Bad:
        RUN useradd -u 1000000 app
    Good:
        RUN useradd -l -u 1000000 app
    Fix: inserts `-l` after `useradd`.
    Fix safety: `-l` (`--no-log-init`) only skips those log records, which
    a container does not use.
    References:
    - https://docs.docker.com/build/building/best-practices/#user
    - https://github.com/moby/moby/issues/5419
    Note: `-u` and `--uid` (hadolint reads `-u` only) with a value of six
    digits or more; a UID held in ARG/ENV is judged when it resolves, and
    not at all when it does not. `-l` inside a bundle (`-lu 1000000`) counts.
    """
    for instr in df.walk():
        if instr.keyword != "RUN":
            continue
        for cmd in instr.commands:
            if cmd.program != "useradd":
                continue
            args = cmd.arguments(_USERADD)
            if args.has("no-log-init"):
                continue
            uids = args.values("uid")
            uid = uids[-1] if uids else None
            if uid is None or uid.value is None or not uid.value.isdigit() or int(uid.value) < _HIGH_UID:
                continue
            yield instr.finding(
                f"`useradd` without flag `-l` and high UID {uid.value} will result in excessively large image: "
                "use `useradd -l`",
                span=(uid.value_word or uid.word).span or cmd.span,
                fix=add_after(cmd.argv[0], "-l"),
            )
