"""REPRO006: .pyc files compiled at build time with the build's timestamps in their headers."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_HASH_MODES = ("checked-hash", "unchecked-hash")


@rule(id="REPRO006", name="pyc-timestamps", severity=Severity.INFO, category="reproducibility",
      on=("RUN",), causes=("REPRO-PYC-TIMESTAMP",), default_enabled=False, hadolint=())
def pyc_timestamps(df: Dockerfile) -> Iterator[Finding]:
    """Install with `pip install --no-compile`, or build with `SOURCE_DATE_EPOCH` so .pyc files are hash-based.

    Why: `pip install` compiles every installed module to a `.pyc` whose
    header holds the source file's modification time, which is the moment
    of the build. Two builds of the same Dockerfile give different `.pyc`
    files (`dockerlint verify` reports `REPRO-PYC-TIMESTAMP`), and the image
    digest changes although no code did. `PYTHONDONTWRITEBYTECODE` does not
    stop it: pip compiles regardless (docker-library/python uses both).

    Bad:
        RUN pip install flask==3.0.3
    Good:
        RUN pip install --no-compile flask==3.0.3
        # or keep the .pyc files, hash-based (py_compile switches when SOURCE_DATE_EPOCH is set):
        ARG SOURCE_DATE_EPOCH
        RUN pip install flask==3.0.3

    Note: opt-in (in `profile:strict`): true of nearly every `pip install`,
    and the cost is start-up time, not a broken image. Reported for `pip
    install` and `python -m compileall` (without `--invalidation-mode
    checked-hash`/`unchecked-hash`) in the image that is built, unless
    `SOURCE_DATE_EPOCH` is an ARG or ENV there (py_compile then writes
    hash-based pycs), `PIP_NO_COMPILE` is set, or the same RUN deletes the
    `.pyc` files afterwards (`find ... -name '*.pyc' -delete`, `rm -rf
    __pycache__`). uv does not compile unless asked.
    References:
    - https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-no-compile
    - https://docs.python.org/3/library/py_compile.html#py_compile.PycInvalidationMode
    - https://github.com/docker-library/python/pull/700
    """
    for instr in (i for i in df.walk() if i.keyword == "RUN"):
        ships = instr.parent is not None or instr.stage is None or instr.stage.ships
        if not ships or "SOURCE_DATE_EPOCH" in instr.vars or "PIP_NO_COMPILE" in instr.vars:
            continue
        commands = list(instr.commands)
        for cmd in commands:
            what = _compiles(cmd, instr)
            if what is None:
                continue
            if any(c.env("SOURCE_DATE_EPOCH") is not None or c.env("PIP_NO_COMPILE") is not None or
                   _deletes_pyc(c) for c in commands if c.span is not None and cmd.span is not None
                   and c.span.start >= cmd.span.start):
                continue
            yield instr.finding(f"{what} writes .pyc files stamped with the build time: every build differs; "
                                "add `--no-compile` or set `ARG SOURCE_DATE_EPOCH` (hash-based .pyc)",
                                span=cmd.span)
            break


def _compiles(cmd, instr) -> str | None:
    for pc in instr.package_commands:
        if pc.command is cmd and pc.manager == "pip" and pc.action == "install":
            if pc.args.has("no-compile") or cmd.env("PIP_NO_COMPILE") is not None:
                return None
            return f"`{pc.tool} {pc.subcommand}`"
    values = [w.value for w in cmd.argv]
    if cmd.program and cmd.program.startswith("python") and "-m" in values and "compileall" in values:
        k = values.index("compileall")
        rest = values[k + 1:]
        if any(v is None for v in rest) or any(v in _HASH_MODES or (v or "").endswith(_HASH_MODES) for v in rest):
            return None
        return "`python -m compileall`"
    return None


def _deletes_pyc(cmd) -> bool:
    raw = " ".join(w.raw for w in cmd.argv)
    return (cmd.program == "find" and (".pyc" in raw or "__pycache__" in raw)) or \
        (cmd.program == "rm" and ("__pycache__" in raw or ".pyc" in raw))
