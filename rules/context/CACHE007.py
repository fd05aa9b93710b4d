"""CACHE007: a `$VAR` in an exec-form CMD/ENTRYPOINT, where no shell expands it."""
from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule

_VAR = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
_SAFE = re.compile(r"[A-Za-z0-9_./:=@%+,-]+")


@rule(id="CACHE007", name="exec-form-variable", severity=Severity.ERROR, category="correctness",
      on=("CMD", "ENTRYPOINT"), fixable=True, hadolint=())
def exec_form_variable(df: Dockerfile) -> Iterator[Finding]:
    """Run a command that needs `$VAR` through a shell: `CMD ["sh", "-c", "exec uvicorn app:app --port \\"$PORT\\""]`.

    Why: the JSON form runs the program directly, with no shell in between,
    so `$PORT` reaches uvicorn as the five characters `$PORT` (Docker: "the
    exec form does not invoke a command shell ... variable substitution
    does not happen"). The container starts and exits at once with
    `Invalid value for '--port': '$PORT' is not a valid integer`.

    Bad:
        CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "$PORT"]
    Good:
        CMD ["sh", "-c", "exec uvicorn main:app --host 0.0.0.0 --port \\"$PORT\\""]
    Fix: rewrites a CMD with no ENTRYPOINT in the file, or an ENTRYPOINT, to
    `["sh", "-c", "exec ..."]` (`exec` keeps the program PID 1, receiving
    `docker stop`'s SIGTERM), the variables in double quotes.
    Fix safety: unsafe: the image must have `/bin/sh` (distroless images do
    not), and an unset variable becomes an empty argument.
    Note: not reported when the program is a shell with `-c` (it expands the
    script), for a CMD when an ENTRYPOINT of the file (or its FROM chain)
    is a shell or a script (`docker-entrypoint.sh` may expand its
    arguments), nor for `$` not followed by a name (`$1`, a regex's `$`).
    References:
    - https://docs.docker.com/reference/dockerfile/#exec-form
    """
    for stage in df.stages:
        entrypoint: Instr | None = None
        inherited = _chain_entrypoint(stage)
        for instr in stage.instructions:
            if instr.keyword == "ENTRYPOINT":
                entrypoint = instr
            spec = instr.cmd
            if spec is None or not spec.exec_form or not spec.argv or _is_shell_c(spec.argv):
                continue
            if instr.keyword == "CMD":
                ep = entrypoint or inherited
                if ep is not None and ep.cmd is not None and _passes_to_shell(ep.cmd):
                    continue
            names = [m.group(0) for arg in spec.argv for m in _VAR.finditer(arg)]
            if not names:
                continue
            program = spec.argv[0].rsplit("/", 1)[-1]
            shown = ", ".join(f"`{n}`" for n in dict.fromkeys(names))
            fix = None
            if instr.keyword == "ENTRYPOINT" or (entrypoint is None and inherited is None):
                fix = _fix(instr)
            yield instr.finding(
                f"{shown} in the JSON form of {instr.keyword} is passed to `{program}` as written: no shell "
                f"expands it. Use `[\"sh\", \"-c\", \"exec {program} ...\"]` or the shell form",
                span=spec.span, fix=fix)


def _chain_entrypoint(stage) -> Instr | None:
    """The last ENTRYPOINT of the stages this one is built FROM (nearest first)."""
    for parent in stage.chain[1:]:
        found = [i for i in parent.instructions if i.keyword == "ENTRYPOINT"]
        if found:
            return found[-1]
    return None


def _is_shell_c(argv: tuple[str, ...]) -> bool:
    return argv[0].rsplit("/", 1)[-1] in _SHELLS and any(a.startswith("-") and "c" in a for a in argv[1:2] + argv[1:3])


def _passes_to_shell(spec) -> bool:
    """An ENTRYPOINT that may expand the CMD it is given: a shell, a script, or shell form (``sh -c``)."""
    if not spec.exec_form:
        return True
    if not spec.argv:
        return False
    program = spec.argv[0].rsplit("/", 1)[-1]
    return program in _SHELLS or program.endswith(".sh") or "entrypoint" in program.lower()


def _fix(instr: Instr) -> Fix | None:
    spec = instr.cmd
    if spec is None:
        return None
    words = []
    for arg in spec.argv:
        if _SAFE.fullmatch(arg):
            words.append(arg)
        elif _VAR.fullmatch(arg):
            words.append(f'"{arg}"')
        elif '"' not in arg and "\\" not in arg and "`" not in arg and "$" in arg:
            words.append(f'"{arg}"')
        elif "$" in arg:
            return None  # a variable inside text that needs other quoting: no exact rewrite
        else:
            words.append(shlex.quote(arg))
    script = "exec " + " ".join(words)
    return Fix("run it through sh -c so the variables expand",
               (Edit(spec.span.start, spec.span.end, ", ".join(json.dumps(a) for a in ("sh", "-c", script))),),
               safe=False)
