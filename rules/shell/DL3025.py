"""DL3025: CMD and ENTRYPOINT in shell form."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Characters a bare word may hold and still mean the same without a shell.
_BARE = re.compile(r"[A-Za-z0-9_./:,=+@%^-]+")
# Words that only mean something to a shell.
_SHELL_ONLY = frozenset({
    "cd", "source", ".", "export", "set", "unset", "alias", "eval", "trap", "ulimit", "umask",
    "wait", "read", "shift", "if", "then", "else", "elif", "fi", "for", "while", "until", "do",
    "done", "case", "esac", "function", "[[", "!", "{", "}", "exec",
})


@rule(id="DL3025", name="json-args-cmd", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("CMD", "ENTRYPOINT"), buildkit="JSONArgsRecommended")
def json_args_cmd(df: Dockerfile) -> Iterator[Finding]:
    """Use JSON (exec) form for CMD and ENTRYPOINT: `CMD ["python", "app.py"]`.

    Why: in shell form the command runs as a child of `/bin/sh -c`, which
    does not forward signals: `docker stop` sends SIGTERM to the shell, the
    program never hears it, and after 10 seconds everything is killed
    without a chance to flush, checkpoint or close connections.

    Bad:
        CMD python serve.py --port 8080
    Good:
        CMD ["python", "serve.py", "--port", "8080"]

    Fix: rewrites a plain word list (no variables, globs, redirections,
    operators or shell built-ins) to exec form. The fix is safe for CMD; for
    an ENTRYPOINT followed by a CMD it is offered but not applied by `--fix`,
    because in exec form the CMD becomes its arguments.

    Note: a command that starts with `exec` already replaces the shell and
    receives signals, so it is not reported. As BuildKit's
    JSONArgsRecommended (and unlike hadolint), silent after a SHELL
    instruction in the stage or in a stage it is built FROM, whatever the
    shell: shell form is then a deliberate choice. Not checked in ONBUILD.
    """
    for instr in df.instructions:
        spec = instr.cmd
        if instr.keyword not in ("CMD", "ENTRYPOINT") or spec is None or spec.exec_form:
            continue
        if not instr.posix_shell or spec.script is None or not spec.script.strip():
            continue
        if _after_shell(instr):
            continue
        words = plain_words(spec.script)
        if words is None and spec.script.split(None, 1)[0] == "exec":
            continue
        suggestion = f": `{instr.keyword} {json.dumps(words, ensure_ascii=False)}`" if words else ""
        yield instr.finding(
            f"Use JSON arguments for {instr.keyword} so the program receives signals{suggestion}",
            span=spec.span,
            fix=_fix(df, instr, spec, words),
        )


def _after_shell(instr) -> bool:
    """Whether a SHELL instruction is in effect: earlier in the stage, or in a parent stage."""
    if instr.stage is None:
        return False
    for stage in instr.stage.chain:
        if any(i.keyword == "SHELL" and i.index < instr.index for i in stage.instructions):
            return True
    return False


def plain_words(script: str) -> list[str] | None:
    """The words of ``script`` when it is a plain word list a shell would not change.

    Quotes are allowed (single quotes around anything but ``'``, double quotes
    around text without ``$``, backquote or backslash); anything else a shell
    interprets makes the answer None.
    """
    words: list[str] = []
    i, n = 0, len(script)
    while i < n:
        if script[i] in " \t":
            i += 1
            continue
        word, quoted = [], False
        while i < n and script[i] not in " \t":
            ch = script[i]
            if ch in "'\"":
                end = script.find(ch, i + 1)
                if end == -1:
                    return None
                inner = script[i + 1:end]
                if ch == '"' and any(c in inner for c in "$`\\"):
                    return None
                word.append(inner)
                quoted = True
                i = end + 1
                continue
            match = _BARE.match(script, i)
            if not match:
                return None
            word.append(match.group())
            i = match.end()
        text = "".join(word)
        if not words and (not quoted and (text in _SHELL_ONLY or "=" in text)):
            return None
        words.append(text)
    return words or None


def _fix(df, instr, spec, words: list[str] | None) -> Fix | None:
    span = spec.span
    source = df.source
    if not words or span is None or source is None or span.line != span.end_line:
        return None
    if source.text[span.start:span.end].strip() != spec.script.strip():
        return None
    safe = True
    if instr.keyword == "ENTRYPOINT":
        safe = not any(
            other.keyword == "CMD" and other.index > instr.index and other.stage is not None
            and instr.stage in other.stage.chain
            for other in df.instructions
        )
    replacement = json.dumps(words, ensure_ascii=False)
    return Fix(f"use exec form {replacement}", (Edit(span.start, span.end, replacement),), safe=safe)
