"""SEC001: TLS certificate verification turned off."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.security._commands import env_settings, run_commands

_PIP = re.compile(r"pip(?:\d+(?:\.\d+)*)?$")
_SSLVERIFY_OFF = re.compile(r"(?:^|(?<![A-Za-z0-9_])|(?<=\\n))sslverify\s*=\s*(?:0|false|no)\b", re.IGNORECASE)
_APT_PEER_OFF = re.compile(r"Verify-(?:Peer|Host)\s*\"?\s*(?:false|0|no)", re.IGNORECASE)
_FALSE = frozenset({"false", "0", "no", "off"})


@rule(id="SEC001", name="tls-verification-disabled", severity=Severity.ERROR, category="security",
      on=("RUN", "ENV", "ARG"), hadolint=(),
      checkov=("CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6",
               "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16"))
def tls_verification_disabled(df: Dockerfile) -> Iterator[Finding]:
    """Keep TLS certificate verification on; install the CA certificate you need instead.

    Why: with verification off, anyone on the network path (a proxy, a
    hotel Wi-Fi, a compromised mirror) can serve their own package, model or
    script, and the build runs it without a warning.

    Bad:
        RUN curl -k https://example.com/install.sh -o install.sh
    Good:
        COPY corp-ca.crt /usr/local/share/ca-certificates/
        RUN update-ca-certificates && curl -fsSL https://example.com/install.sh -o install.sh

    Note: covers curl `-k`/`--insecure`, wget `--no-check-certificate`, pip
    `--trusted-host` (and `pip config set global.trusted-host`), git
    `http.sslVerify=false`, npm/yarn/pnpm `strict-ssl false`, conda
    `ssl_verify false`, yum/dnf `sslverify=0`, apt `Verify-Peer "false"`,
    and the variables PIP_TRUSTED_HOST, PYTHONHTTPSVERIFY=0,
    NODE_TLS_REJECT_UNAUTHORIZED=0, NPM_CONFIG_STRICT_SSL=false and
    GIT_SSL_NO_VERIFY (ENV, or an ARG default: both reach RUN). Only words
    that are really options of those programs count: a URL or a file name
    containing `-k` does not.
    References:
    - https://github.com/bridgecrewio/checkov/tree/main/checkov/dockerfile/checks/graph_checks
    - https://docs.docker.com/build/building/secrets/
    """
    for instr, command in run_commands(df):
        what = _insecure_command(command)
        if what is not None:
            word, text = what
            yield instr.finding(f"TLS certificate verification is turned off: {text}",
                                span=(word.span if word is not None and word.span is not None else None))
    for instr, name, value in env_settings(df):
        text = _insecure_variable(name, value.value)
        if text is not None:
            yield instr.finding(f"TLS certificate verification is turned off: {text}")


def _insecure_command(command):
    program = command.program
    argv = command.argv
    if command.wrapper is None and program == "sudo":
        return None  # reported through the unwrapped command
    values = [w.value or "" for w in argv[1:]]
    if program == "curl" and command.has_option("k", "insecure"):
        return _word(argv, ("-k", "--insecure"), short="k"), "`curl --insecure`"
    if program == "wget" and command.has_option("no-check-certificate"):
        return _word(argv, ("--no-check-certificate",)), "`wget --no-check-certificate`"
    if _is_pip(command) and (command.has_option("trusted-host") or "global.trusted-host" in values
                             or any(v.endswith(".trusted-host") for v in values)):
        word = _word(argv, ("--trusted-host",)) or next(
            (w for w in argv[1:] if (w.value or "").endswith(".trusted-host")), None)
        return word, "`pip --trusted-host`"
    if program == "git":
        for word in argv[1:]:
            v = (word.value or "").replace(" ", "").lower()
            if v in ("http.sslverify=false", "http.sslverify=0"):
                return word, "`git -c http.sslVerify=false`"
        lowered = [v.lower() for v in values]
        if "config" in lowered and "http.sslverify" in lowered:
            i = lowered.index("http.sslverify")
            if i + 1 < len(lowered) and lowered[i + 1] in _FALSE:
                return argv[i + 1], "`git config http.sslVerify false`"
    if program in ("npm", "yarn", "pnpm"):
        lowered = [v.lower() for v in values]
        for i, v in enumerate(lowered):
            if v in ("strict-ssl=false", "--strict-ssl=false", "--no-strict-ssl") or (
                    v in ("strict-ssl", "--strict-ssl") and i + 1 < len(lowered) and lowered[i + 1] in _FALSE):
                return argv[i + 1], f"`{program} strict-ssl false`"
    if program in ("conda", "mamba", "micromamba"):
        lowered = [v.lower() for v in values]
        if "ssl_verify" in lowered:
            i = lowered.index("ssl_verify")
            if i + 1 < len(lowered) and lowered[i + 1] in _FALSE:
                return argv[i + 1], f"`{program} config --set ssl_verify false`"
    for word in argv[1:]:
        v = word.value or ""
        if _SSLVERIFY_OFF.search(v):
            return word, "`sslverify=0` for yum/dnf"
        if _APT_PEER_OFF.search(v):
            return word, "apt `Verify-Peer false`"
    return None


def _is_pip(command) -> bool:
    program = command.program or ""
    if _PIP.match(program):
        return True
    args = [w.value for w in command.argv[1:3]]
    return program.startswith("python") and args[:2] == ["-m", "pip"]


def _word(argv, spellings, short: str | None = None):
    for word in argv[1:]:
        v = word.value or ""
        if v in spellings or any(v.startswith(s + "=") for s in spellings if s.startswith("--")):
            return word
        if short and v.startswith("-") and not v.startswith("--") and short in v[1:]:
            return word
    return None


def _insecure_variable(name: str, value: str | None) -> str | None:
    upper = name.upper()
    if upper == "PIP_TRUSTED_HOST":
        return f"`{name}` makes pip trust plain-HTTP or unverified hosts"
    if upper == "GIT_SSL_NO_VERIFY":
        return f"`{name}` turns off git's verification (whatever its value)"
    if value is None:
        return None
    v = value.strip().lower()
    if upper == "PYTHONHTTPSVERIFY" and v == "0":
        return f"`{name}=0`"
    if upper == "NODE_TLS_REJECT_UNAUTHORIZED" and v == "0":
        return f"`{name}=0`"
    if upper == "NPM_CONFIG_STRICT_SSL" and v in _FALSE:
        return f"`{name}={value}`"
    return None
