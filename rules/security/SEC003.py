"""SEC003: a password set on the command line."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.security._commands import run_commands


@rule(id="SEC003", name="password-in-build-command", severity=Severity.WARNING, category="security",
      on=("RUN",), hadolint=(), checkov=("CKV2_DOCKER_17",))
def password_in_build_command(df: Dockerfile) -> Iterator[Finding]:
    """Do not set account passwords in RUN: lock the account, or use a secret mount.

    Why: the command line of every RUN is stored in the image history
    (`docker history --no-trunc`), so the password ships with the image to
    everyone who can pull it; an image with a login password also invites
    logging in to containers instead of rebuilding them.

    Bad:
        RUN echo "app:changeme" | chpasswd
    Good:
        RUN useradd --create-home --shell /usr/sbin/nologin app

    Note: reports `chpasswd` (as Checkov's CKV2_DOCKER_17), `useradd`/
    `usermod` with `-p`/`--password`, and `passwd --stdin`. Reading the
    password from a secret mount still runs chpasswd and is reported: the
    account then has a password baked into /etc/shadow.
    References:
    - https://github.com/bridgecrewio/checkov/blob/main/checkov/dockerfile/checks/graph_checks/RunChpasswd.yaml
    """
    for instr, command in run_commands(df):
        program = command.program
        if program == "sudo" and command.wrapper is None:
            continue
        if program == "chpasswd":
            yield instr.finding("A password is set during the build with `chpasswd`: it stays in the image",
                                span=command.argv[0].span if command.argv and command.argv[0].span else None)
        elif program in ("useradd", "usermod") and command.has_option("p", "password"):
            yield instr.finding(f"A password is set during the build with `{program} --password`: "
                                "it stays in the image history", span=command.span)
        elif program == "passwd" and command.has_option("stdin"):
            yield instr.finding("A password is set during the build with `passwd --stdin`: it stays in the image",
                                span=command.span)
