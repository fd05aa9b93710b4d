"""SC: ShellCheck's findings on the shell scripts of RUN (SC1000-SC9999, each an id of its own)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import PROXY_ARGS, Dockerfile
from dockerlint.model.shell import MAX_SCRIPT_CHARS
from dockerlint.rule import rule

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "style": Severity.STYLE}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@rule(id="SC", name="shellcheck", severity=Severity.WARNING, category="correctness", on=("RUN",),
      codes=r"SC\d{4}", hadolint=("SC",))
def shellcheck(df: Dockerfile) -> Iterator[Finding]:
    """ShellCheck's findings on the shell script of every RUN, on the Dockerfile line and column they are about.

    Why: a RUN is a shell script, and the mistakes ShellCheck knows (an
    unquoted `$VAR` split into words, a `cd` whose failure is ignored,
    bash-only syntax under `/bin/sh`) break builds or, worse, build the wrong
    thing without failing.

    Bad:
        FROM debian:12
        RUN cd /tmp; echo `date` > stamp
    Good:
        FROM debian:12
        WORKDIR /tmp
        RUN date > stamp

    Options: every ShellCheck id is a rule id: `--ignore SC2086`, `--select
    SC2086`, `# hadolint ignore=SC2086` (or `# dockerlint ignore=SC2086`) on
    the instruction before, `severity = {SC2086 = "error"}`; `SC` (or
    `shellcheck`) names them all. The severity is ShellCheck's level (error,
    warning, info, style) unless configured.

    Note: as hadolint does, the script is checked with the stage's SHELL as
    the dialect (`/bin/sh` by default; bash, dash, ash and ksh too; zsh,
    PowerShell and cmd scripts are not checked), with every ARG and ENV name
    in scope (and the proxy variables) declared as set, so `$VERSION` from
    an ARG is neither unassigned (SC2154) nor split (SC2086); SC1090, SC1091
    (a `source`d file that is in the image, not here) and SC2187 are never
    reported. Here-documents are part of the script; one that BuildKit runs
    (`RUN <<EOF`, its `#!` line choosing the shell) or that feeds a shell
    (`RUN bash <<EOF`) is checked as a script of its own. ONBUILD RUNs are
    checked too, and so is the script of an exec-form `RUN ["sh", "-c",
    "..."]` (at its place in the JSON string when that has no escapes).
    Differences from hadolint, on purpose: every finding is
    reported at its word (hadolint reports the instruction's first line and
    keeps one finding per RUN), ENV inherited from a parent stage counts as
    set (hadolint forgets it at each FROM), the SHELL stays the dialect after
    an ARG or ENV (hadolint 2.15 falls back to sh there: `SHELL
    ["/bin/bash", "-c"]`, `ENV D=1`, `RUN [ "$B" == 1 ]` is SC3014 in
    hadolint, nothing here), PowerShell scripts are not read as sh, and
    the script of an exec-form `["sh", "-c", "..."]` is checked (hadolint
    checks no exec-form RUN). The findings are those of the installed ShellCheck: 0.9 still
    reports SC2002 (useless cat), which 0.10 turned off by default. ShellCheck must
    be installed (`apt-get install shellcheck`, or `pip install
    'dockerlint[shellcheck]'`); without it dockerlint says so once and these
    findings are left out.

    References:
        https://www.shellcheck.net/wiki/
        https://github.com/hadolint/hadolint#shellcheck
    """
    from dockerlint import shellcheck as sc

    runs: list = []
    jobs = []
    for instr in df.walk():
        for script in instr.scripts:
            dialect = sc.dialect(script.shell)
            if dialect is None or not script.text.strip() or len(script.text) > MAX_SCRIPT_CHARS:
                continue
            runs.append(script)
            # the scope's names the script mentions (listing the whole scope per RUN was quadratic)
            known = {name for name in _NAME.findall(script.text) if name in instr.vars or name in PROXY_ARGS}
            jobs.append(sc.Job(script.text, dialect, tuple(known)))
    if not jobs:
        return
    try:
        results = sc.check(jobs)
    except sc.Unavailable as exc:
        sc.warn_once(str(exc))
        return
    seen = set()  # a heredoc both in its RUN's script and run as one: the same finding once
    for script, comments in zip(runs, results):
        for c in comments:
            span = script.span(c.start, c.end)
            if (c.code, span, c.message) not in seen:
                seen.add((c.code, span, c.message))
                yield Finding(message=c.message, span=span, rule_id=c.code,
                              severity=_LEVELS.get(c.level, Severity.WARNING))
