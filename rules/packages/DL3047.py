"""DL3047: wget's progress bar floods the build log."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Options that already decide what wget prints (hadolint's list).
_QUIET = ("progress", "q", "quiet", "o", "output-file", "a", "append-output", "-nv", "no-verbose")
_BUSYBOX = ("alpine", "busybox")


@rule(id="DL3047", name="wget-progress", severity=Severity.INFO, category="maintainability", fixable=True,
      on=("RUN",))
def wget_progress(df: Dockerfile) -> Iterator[Finding]:
    """Give wget a terse progress: `wget --progress=dot:giga <url>` (or `-nv`, `-q`).

    Why: without a terminal, wget prints one line of dots per 50 KB; a 2 GB
    model download writes tens of thousands of lines into the build log and
    CI output, and hides the line that matters.

    Bad:
        RUN wget https://example.com/model.tar.gz
    Good:
        RUN wget --progress=dot:giga https://example.com/model.tar.gz
    Fix: inserts `--progress=dot:giga` after `wget`.
    Fix safety: GNU wget only changes what it prints. BusyBox wget (Alpine)
    has no `--progress`, so in a stage whose base image names alpine or
    busybox, or that installs with apk, the fix is offered but not applied.
    References:
    - https://www.gnu.org/software/wget/manual/wget.html#Download-Options
    Note: `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`,
    `-o`/`--output-file` and `-a`/`--append-output` count (as hadolint).
    Checked through `sudo`/`sh -c`, in `ONBUILD RUN`, exec form and heredocs.
    """
    for instr in df.walk():
        if instr.keyword != "RUN":
            continue
        for cmd in instr.commands:
            if cmd.program != "wget" or cmd.has_option(*_QUIET):
                continue
            edit = cmd.argv[0].insert_after("--progress=dot:giga")
            fix = Fix("add --progress=dot:giga", (edit,), safe=not _maybe_busybox(instr)) if edit else None
            yield instr.finding(
                "Avoid use of wget without progress bar: use `wget --progress=dot:giga <url>` "
                "(or `-nv`/`-q`)",
                span=cmd.argv[0].span or cmd.span, fix=fix,
            )


def _maybe_busybox(instr) -> bool:
    """Could ``wget`` here be BusyBox's (no ``--progress``)? Unknown bases count as maybe."""
    stage = instr.stage
    if stage is None or instr.parent is not None:
        return True
    for s in stage.chain:
        if any(pc.manager == "apk" for i in s.instructions for pc in i.package_commands):
            return True
    root = stage.chain[-1]
    base = root.base
    if base is None or not base.resolved:
        return True
    return any(word in base.text for word in _BUSYBOX)
