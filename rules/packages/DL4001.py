"""DL4001: both wget and curl in one stage."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_TOOLS = ("curl", "wget")


@rule(id="DL4001", name="wget-or-curl", severity=Severity.WARNING, category="maintainability",
      on=("RUN",), trivy=("DS014",))
def wget_or_curl(df: Dockerfile) -> Iterator[Finding]:
    """Either use wget or curl, not both: pick one download tool per image.

    Why: two tools that do the same job means two packages to install,
    patch and audit, and two sets of flags (retries, TLS, proxies) to get right.

    Bad:
        RUN wget -q https://example.com/a.tar.gz
        RUN curl -fsSLO https://example.com/b.tar.gz
    Good:
        RUN curl -fsSLO https://example.com/a.tar.gz
        RUN curl -fsSLO https://example.com/b.tar.gz
    References:
    - https://github.com/hadolint/hadolint/wiki/DL4001
    Note: as hadolint, each stage starts afresh and every RUN that uses one
    of them once both were used in the stage is reported; ONBUILD RUNs are
    judged among themselves. Only commands count (`curl` through `sudo` or
    `sh -c` too), not the words: `apt-get install curl` or `which wget` use neither.
    """
    seen: dict[tuple[int, bool], list[str]] = {}  # the tools used so far, in order of first use
    for instr in df.walk():
        if instr.keyword != "RUN":
            continue
        used = [c for c in instr.commands if c.program in _TOOLS]
        if not used:
            continue
        key = (instr.stage.index if instr.stage is not None else -1, instr.parent is not None)
        tools = seen.setdefault(key, [])
        tools.extend(t for t in dict.fromkeys(c.program for c in used) if t not in tools)
        if len(tools) < 2:
            continue
        # point at the tool that came second, else at the first use in this RUN
        other = next((c for c in used if c.program == tools[1]), used[0])
        yield instr.finding(f"Either use wget or curl but not both: this stage uses `{tools[0]}` and "
                            f"`{tools[1]}`", span=other.argv[0].span or other.span)
