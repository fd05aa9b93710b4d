"""SEC002: package signature checks turned off."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.security._commands import run_commands

_APT = frozenset({"apt-get", "apt", "aptitude"})
_RPM_FAMILY = frozenset({"yum", "dnf", "tdnf", "microdnf"})
_GPGCHECK_OFF = re.compile(r"(?:^|(?<![A-Za-z0-9_])|(?<=\\n))(?:repo_)?gpgcheck\s*=\s*(?:0|false|no)\b",
                           re.IGNORECASE)
_APT_UNAUTH = re.compile(r"(?:AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)"
                         r"\s*=?\s*\"?(?:true|1|yes)", re.IGNORECASE)
_TRUSTED_REPO = re.compile(r"\[[^\]]*\btrusted=yes\b[^\]]*\]")
_RPM_OFF = ("nosignature", "nodigest", "noverify", "nofiledigest")


@rule(id="SEC002", name="package-signature-check-disabled", severity=Severity.ERROR, category="security",
      on=("RUN",), hadolint=(),
      checkov=("CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"))
def package_signature_check_disabled(df: Dockerfile) -> Iterator[Finding]:
    """Keep package signature checks on: import the repository's signing key instead.

    Why: signatures are what proves a package comes from its publisher;
    without them a mirror or a man in the middle can swap any package, and
    `--force-yes` also lets apt downgrade to broken or vulnerable versions.

    Bad:
        RUN apt-get install -y --allow-unauthenticated curl
    Good:
        RUN apt-get install -y --no-install-recommends curl

    Note: covers apt-get/apt `--allow-unauthenticated`, `--force-yes`,
    `--allow-insecure-repositories`, `-o APT::Get::AllowUnauthenticated=true`
    and `[trusted=yes]` sources; apk `--allow-untrusted`; yum/dnf/tdnf/
    microdnf `--nogpgcheck` and `gpgcheck=0` (in `--setopt` or a repo file
    written by RUN); zypper `--no-gpg-checks`; rpm `--nosignature`,
    `--nodigest`, `--noverify`, `--nofiledigest`.
    References:
    - https://github.com/bridgecrewio/checkov/tree/main/checkov/dockerfile/checks/graph_checks
    """
    for instr, command in run_commands(df):
        found = _unsigned(command)
        if found is not None:
            word, text = found
            yield instr.finding(f"Package signature checks are turned off: {text}",
                                span=word.span if word is not None and word.span is not None else None)


def _unsigned(command):
    program = command.program
    if command.wrapper is None and program == "sudo":
        return None
    argv = command.argv
    if program in _APT:
        for flag in ("allow-unauthenticated", "force-yes", "allow-insecure-repositories"):
            if command.has_option(flag):
                return _option_word(argv, flag), f"`{program} --{flag}`"
    if program == "apk" and command.has_option("allow-untrusted"):
        return _option_word(argv, "allow-untrusted"), "`apk --allow-untrusted`"
    if program in _RPM_FAMILY and command.has_option("nogpgcheck"):
        return _option_word(argv, "nogpgcheck"), f"`{program} --nogpgcheck`"
    if program == "zypper" and command.has_option("no-gpg-checks"):
        return _option_word(argv, "no-gpg-checks"), "`zypper --no-gpg-checks`"
    if program == "rpm":
        for flag in _RPM_OFF:
            if command.has_option(flag):
                return _option_word(argv, flag), f"`rpm --{flag}`"
    for word in argv[1:]:
        v = word.value or ""
        if _GPGCHECK_OFF.search(v):
            return word, "`gpgcheck=0`"
        if _APT_UNAUTH.search(v):
            return word, f"`{v}`"
        if _TRUSTED_REPO.search(v):
            return word, "an apt source marked `[trusted=yes]`"
    return None


def _option_word(argv, flag: str):
    for word in argv[1:]:
        v = word.value or ""
        if v == "--" + flag or v.startswith("--" + flag + "="):
            return word
    return None
