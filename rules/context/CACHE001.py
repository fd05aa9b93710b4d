"""CACHE001: source code copied before the dependency install it invalidates."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.installs import command_text, expensive_commands, step_cost
from dockerlint.context.kinds import is_code
from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import summarize


@rule(id="CACHE001", name="copy-before-install", severity=Severity.WARNING, category="performance",
      on=("COPY", "ADD"), fixable=True, hadolint=())
def copy_before_install(df: Dockerfile) -> Iterator[Finding]:
    """Copy the dependency manifests first, install, then copy the rest of the code.

    Why: Docker reuses a layer only while everything before it is unchanged.
    `COPY . .` puts every source file in front of `pip install`, so each edit
    of one line of Python reinstalls all the dependencies (torch and its CUDA
    wheels: minutes and gigabytes) on every build.

    Bad:
        WORKDIR /app
        COPY . .
        RUN pip install --no-cache-dir -r requirements.txt
    Good:
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .

    Fix: when the install RUN directly follows the COPY, reads only manifests
    that COPY sent (`-r requirements.txt`, `poetry.lock`, `package.json`...) and
    runs nothing but package commands, `--fix` copies those manifests first
    and moves the RUN above the COPY.
    Fix safety: the install sees the same manifest files at the same paths,
    in the same working directory, with the same instructions before it.
    Note: reported on the COPY/ADD that sends source files (`.py`, `.ipynb`,
    `.js`, ...; or the whole context when it is not known; not shell scripts,
    rarely edited, nor the manifests the install reads, `setup.py` included) and is followed
    in its stage by an install, sync, `npm ci` or `conda env create` (not
    `pip install --upgrade pip`: the installer's own update takes seconds). A step
    installing the project itself (`pip install .`) still reruns on each edit:
    install its dependencies from the manifest first, then the project with
    `--no-deps`. Copies from other stages (`--from`) and URLs are not checked.
    """
    ctx = df.context
    for stage in df.stages:
        instrs = stage.instructions
        for i, copy in enumerate(instrs):
            spec = copy.copy
            if copy.keyword not in ("COPY", "ADD") or spec is None or spec.from_ or not spec.sources:
                continue
            steps = [(later, cmd) for later in instrs[i + 1:] if later.keyword == "RUN"
                     for cmd in expensive_commands(later)]
            if not steps:
                continue
            read = set(_manifest_paths(ctx, steps))
            code = [f for f in _code_files(ctx, copy) if f not in read]  # setup.py is a manifest here
            if not code:
                continue
            yield copy.finding(_message(ctx, copy, code, steps), span=copy.span, fix=_fix(df, ctx, copy, steps))


def _code_files(ctx, copy) -> list[str]:
    """Source files this COPY sends; ``["."]`` for the whole context when it cannot be listed."""
    if ctx is None:
        return ["."] if any(v.value in (".", "./") for v in copy.copy.sources) else []
    sent = ctx.sent(copy)
    if sent is None:
        return []
    return [f for f in sent.files if is_code(f)]


def _message(ctx, copy, code: list[str], steps) -> str:
    later, cmd = _main_step(ctx, copy, steps)
    count, heavy = step_cost(ctx, cmd)
    cost = []
    if count:
        cost.append(f"{count} package{'s' if count != 1 else ''}")
    if heavy:
        cost.append("including " + summarize(heavy, 3))
    what = f"`{command_text(later, cmd)}`"
    step = f"{what} (line {later.line}{', ' + ', '.join(cost) if cost else ''})"
    others = sorted({s.line for s, _ in steps if s is not later})
    also = f" and the step{'s' if len(others) > 1 else ''} on line {', '.join(map(str, others))}" if others else ""
    sources = "the whole build context" if code == ["."] else \
        f"{len(code)} source file{'s' if len(code) != 1 else ''} ({summarize(code, 3)})"
    manifests = _manifest_paths(ctx, steps)
    first = f" (`COPY {' '.join(manifests)} <dest>`)" if manifests else ""
    return (f"This copies {sources} before {step}{also}: every code edit reinstalls the dependencies. "
            f"Copy the dependency manifests first{first}, run the install, then copy the rest")


def _manifest_paths(ctx, steps) -> list[str]:
    """The context files the steps read (to copy first), in order."""
    if ctx is None:
        return []
    return list(dict.fromkeys(r.path for _, cmd in steps for r in ctx.installed(cmd) if r.path))


def _main_step(ctx, copy, steps):
    """The step to name: the first one reading a manifest this COPY sent, else the first one."""
    if ctx is not None:
        for later, cmd in steps:
            if any(r.copied_by is copy for r in ctx.installed(cmd)):
                return later, cmd
    return steps[0]


def _fix(df, ctx, copy, steps) -> Fix | None:
    """Move the directly following install RUN above the COPY, after a COPY of its manifests."""
    if ctx is None:
        return None
    run = steps[0][0]
    stage = copy.stage
    if stage is None or run.parent is not None:
        return None
    position = stage.instructions.index(copy)
    if stage.instructions[position + 1] is not run or run.cwd != copy.cwd or copy.copy.parents:
        return None
    if any(c.action not in ("install", "sync", "ci", "create", "clean", "update") for c in run.package_commands) \
            or len(run.package_commands) != len(run.commands):
        return None
    reads = [r for cmd in run.package_commands for r in ctx.installed(cmd)]
    if not reads or any(r.copied_by is not copy or r.path is None for r in reads):
        return None
    if any(p.pin == "local" for cmd in run.package_commands for p in cmd.packages):
        return None
    flags = " ".join(f"--chown={copy.copy.chown.value}" for _ in [0] if copy.copy.chown is not None
                     and copy.copy.chown.value)
    lines = []
    for read in reads:
        prefix = "COPY " + (flags + " " if flags else "")
        lines.append(f"{prefix}{read.path} {read.image_path}\n")
    text = df.source.text
    run_start, run_end = run.span.start, run.span.end
    run_text = text[run_start:run_end]
    end = run_end + 1 if text[run_end:run_end + 1] == "\n" else run_end
    line_start = text.rfind("\n", 0, copy.span.start) + 1
    if text[line_start:copy.span.start].strip():
        return None
    insert = "".join(dict.fromkeys(lines)) + run_text + "\n"
    return Fix("copy the manifests and install before copying the code",
               (Edit(line_start, line_start, insert), Edit(run_start - (run_start - _line_start(text, run_start)),
                                                           end, "")), safe=True)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1
