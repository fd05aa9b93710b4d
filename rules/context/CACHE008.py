"""CACHE008: the script or app module the container starts with is not where any COPY put it."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_SERVERS = frozenset({"uvicorn", "gunicorn"})
_FETCHES = re.compile(r"\b(git|wget|curl|unzip|tar|mv|cp|ln|rsync|gdown|aws|gsutil|huggingface-cli|dvc)\b")


@rule(id="CACHE008", name="start-file-not-copied", severity=Severity.ERROR, category="correctness",
      on=("CMD", "ENTRYPOINT"), hadolint=())
def start_file_not_copied(df: Dockerfile) -> Iterator[Finding]:
    """Start the container with a file that a COPY puts at that path, relative to the WORKDIR.

    Why: `COPY src/ /app/src/` then `CMD ["python", "main.py"]` in `/app`
    builds fine; the container exits at once with `can't open file
    '/app/main.py'` (or uvicorn's `Could not import module "main"`), often
    only once it is deployed.

    Bad:
        WORKDIR /app
        COPY src/ ./src/
        CMD ["python", "main.py"]
    Good:
        WORKDIR /app
        COPY src/ ./src/
        CMD ["python", "src/main.py"]
    Note: only with a build context, for the target stage, for `python
    X.py` and `uvicorn`/`gunicorn` `module:app` (the module's file or
    package relative to the WORKDIR or `--app-dir`/`--chdir`). Silent
    whenever the image's files are not all known: a base image the tables
    do not know, a COPY from another stage or a URL, a source with an
    unknown `$VAR`, a VOLUME, a RUN that fetches, moves or unpacks files
    (`git clone`, `curl`, `tar`, `mv`...), a project installed with `pip
    install .` (the module is in site-packages), a package installed under
    the module's name, or no file of that name anywhere in the context.
    """
    ctx = df.context
    stage = df.target
    if ctx is None or ctx.truncated or stage is None or stage.base_facts is None:
        return
    landed: dict[str, str] = {}
    installed: set[str] = set()
    for s in reversed(stage.chain):
        for instr in s.instructions:
            if instr.keyword == "VOLUME" or (instr.keyword == "ADD" and instr.copy is not None
                                             and instr.copy.from_ is None and _url(instr)):
                return
            if instr.keyword in ("COPY", "ADD"):
                sent = ctx.sent(instr)
                if sent is None or not sent.complete or (instr.copy is not None and instr.copy.from_):
                    return
                landed.update(sent.landings())
            elif instr.keyword == "RUN":
                if _FETCHES.search(df.source.text[instr.span.start:instr.span.end]):
                    return
                for cmd in instr.package_commands:
                    if any(p.pin == "local" for p in cmd.packages) or cmd.editables:
                        return
                    installed.update((p.name or "").replace("-", "_") for p in cmd.packages)
    basenames = {posixpath.basename(p) for p in ctx.files}
    for start in stage.start_commands:
        instr = start.instr
        cwd = instr.cwd
        if not cwd or not start.argv:
            continue
        for wanted, shown in _wanted(start.argv, cwd, installed):
            if any(w in landed for w in wanted) or not any(posixpath.basename(w) in basenames for w in wanted):
                continue
            yield instr.finding(
                f"`{shown}` is not in the image: no COPY puts `{wanted[0]}` there (WORKDIR `{cwd}`); "
                "the container will exit at start. Copy it there or fix the path", span=start.span)


def _url(instr) -> bool:
    return any(v.value is None or "://" in v.value for v in instr.copy.sources)


def _wanted(argv: tuple[str, ...], cwd: str, installed: set[str]) -> Iterator[tuple[list[str], str]]:
    """(image paths any one of which must exist, the argument as written) for each file the command starts."""
    program = argv[0].rsplit("/", 1)[-1]
    if re.fullmatch(r"python[0-9.]*", program):
        for arg in argv[1:]:
            if arg in ("-m", "-c") or arg.startswith(("-m", "-c")):
                return
            if arg.startswith("-"):
                continue
            if arg.endswith(".py") and "$" not in arg:
                yield [posixpath.normpath(posixpath.join(cwd, arg))], arg
            return
    if program in _SERVERS:
        base = cwd
        for i, arg in enumerate(argv):
            if arg in ("--app-dir", "--chdir") and i + 1 < len(argv):
                base = posixpath.join(cwd, argv[i + 1])
            elif arg.startswith(("--app-dir=", "--chdir=")):
                base = posixpath.join(cwd, arg.split("=", 1)[1])
        for i, arg in enumerate(argv[1:], 1):
            if arg.startswith("-") or (i > 1 and argv[i - 1] in ("--app-dir", "--chdir", "-b", "--bind", "-k",
                                                                 "--worker-class", "-c", "--config")):
                continue
            module, sep, _ = arg.partition(":")
            if not sep or not re.fullmatch(r"[A-Za-z_][\w.]*", module) or module.split(".")[0] in installed:
                continue
            path = posixpath.normpath(posixpath.join(base, module.replace(".", "/")))
            yield [f"{path}.py", f"{path}/__init__.py"], arg
