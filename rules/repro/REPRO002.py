"""REPRO002: the build's date, a random number or a fresh UUID written into a file of the image."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

_WRITES = frozenset({">", ">>", ">|", "&>", "&>>"})
_RANDOM = re.compile(r"\$(?:RANDOM\b|\{RANDOM\})")
# date options that read a given time rather than the clock: -d/--date STRING, -r/--reference FILE, -f FILE
_GIVEN_TIME = ("d", "date", "r", "reference", "f", "file")


@rule(id="REPRO002", name="build-time-value-written", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-CONTENT",), hadolint=())
def build_time_value_written(df: Dockerfile) -> Iterator[Finding]:
    """Do not write the build's date or a random value into the image; use `SOURCE_DATE_EPOCH` or set it at start.

    Why: `date > /VERSION` or `echo $RANDOM > /etc/seed` puts a value into a
    file that is different on every build: two builds of the same commit
    never give the same image, and `dockerlint verify` reports the file as
    `REPRO-CONTENT`. A date meant as a build stamp belongs in a label passed
    by CI (`--label org.opencontainers.image.created=...`); an id or a seed
    is made when the container starts.

    Bad:
        RUN echo "2.0.$(date +%Y%m%d)" > /VERSION
    Good:
        ARG SOURCE_DATE_EPOCH
        RUN echo "2.0.$(date -u -d "@${SOURCE_DATE_EPOCH}" +%Y%m%d)" > /VERSION

    Note: reported when the output of `date` (reading the clock: not `date
    -d`/`-r`/`-f`), `uuidgen`, `cat /proc/sys/kernel/random/uuid` or
    `$RANDOM` goes into a file: a `>`/`>>` redirection of the command, of the
    command it is substituted into (`echo $(date) > f`), or `| tee FILE`.
    A date printed to the build log, kept in a shell variable or written to
    `/dev/*` is not reported, nor a file written in a stage that does not
    ship (it reaches the image only if copied).
    """
    for instr in runs(df):
        if instr.stage is not None and not instr.stage.ships and instr.parent is None:
            continue
        commands = [c for c in instr.commands if c.span is not None]
        seen: set[tuple[str, str]] = set()
        for k, cmd in enumerate(commands):
            what = _source(cmd)
            if what is None:
                continue
            writer = _writer(cmd, commands, k)
            if writer is None or (what, writer) in seen:  # a wrapped command appears twice
                continue
            seen.add((what, writer))
            yield instr.finding(f"{what} is written into `{writer}`: the file differs on every build; "
                                f"use a fixed value (`SOURCE_DATE_EPOCH`) or write it when the container starts",
                                span=cmd.span)


def _source(cmd) -> str | None:
    """What non-deterministic value the command produces, or None."""
    program = cmd.program
    if program == "date":
        return None if cmd.has_option(*_GIVEN_TIME) else "`date`"
    if program == "uuidgen":
        return "`uuidgen`"
    if program == "cat" and any(w.value == "/proc/sys/kernel/random/uuid" for w in cmd.argv[1:]):
        return "a random UUID"
    if any(_RANDOM.search(w.raw) for w in cmd.argv[1:]):
        return "`$RANDOM`"
    return None


def _target(cmd) -> str | None:
    """The file the command's output is redirected into (not /dev/*), or None."""
    for r in cmd.redirects:
        if r.op in _WRITES and r.fd in (None, 1) and r.target is not None:
            value = r.target.value
            if value and not value.startswith("/dev/") and not value.startswith("&"):
                return value
    return None


def _writer(cmd, commands, k) -> str | None:
    """The file the value ends up in: its own redirection, the enclosing command's, or a tee."""
    target = _target(cmd)
    if target is not None:
        return target
    span = cmd.span
    enclosing = [c for c in commands if c is not cmd and c.span.start <= span.start and span.end <= c.span.end
                 and c.span != span]
    if enclosing:
        inner = min(enclosing, key=lambda c: c.span.end - c.span.start)
        return _target(inner)
    if cmd.next_op == "|" and k + 1 < len(commands):
        nxt = commands[k + 1]
        if nxt.program == "tee":
            files = [w.value for w in nxt.argv[1:] if w.value and not w.value.startswith("-")]
            if files and not files[0].startswith("/dev/"):
                return files[0]
    return None
