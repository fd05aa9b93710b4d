"""REPRO009: an archive created during the build, stamped with the build's file times."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

_GZIPS = frozenset({"gzip", "pigz"})


@rule(id="REPRO009", name="archive-with-build-time", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-ARCHIVE",), hadolint=())
def archive_with_build_time(df: Dockerfile) -> Iterator[Finding]:
    """Create archives with fixed times: `tar --sort=name --mtime=@$SOURCE_DATE_EPOCH ...`, `gzip -n`.

    Why: `tar czf /out/app.tgz app` stores every file's modification time,
    which is the moment the build wrote it, and `gzip file` stores the file's
    name and time in its header. The archive differs on every build even when
    its content does not, and `dockerlint verify` reports `REPRO-ARCHIVE`.

    Bad:
        RUN tar -czf /model.tar.gz /model
    Good:
        ARG SOURCE_DATE_EPOCH=0
        RUN tar --sort=name --mtime="@${SOURCE_DATE_EPOCH}" --owner=0 --group=0 --numeric-owner \\
                -czf /model.tar.gz /model

    Note: reported for `tar` creating an archive file (`-c`, `czf`, `--create`)
    without `--mtime`, and for `gzip`/`pigz` compressing a file without `-n`
    (`--no-name`, or `-n` in `$GZIP`). An archive written to stdout (`-f -`,
    `gzip -c` into a pipe) or removed later in the same RUN is not reported;
    zip is not judged (its times come from the files).
    """
    for instr in runs(df):
        commands = list(instr.commands)
        for k, cmd in enumerate(commands):
            out = _tar_output(cmd) if cmd.program == "tar" else _gzip_output(cmd) if cmd.program in _GZIPS else None
            if out is None or _removed_later(commands[k + 1:], out):
                continue
            if cmd.program == "tar":
                message = f"`tar` creates `{out}` with the build's file times: add `--mtime=@$SOURCE_DATE_EPOCH` " \
                          "(and `--sort=name --owner=0 --group=0 --numeric-owner`)"
            else:
                message = f"`{cmd.program}` writes the name and time of `{out}` into its header: use `{cmd.program} -n`"
            yield instr.finding(message + " so two builds give the same archive", span=cmd.span)


def _tar_output(cmd) -> str | None:
    """The archive file a creating tar writes, or None (not creating, stdout, fixed times, unknown)."""
    words = [w.value for w in cmd.argv[1:]]
    if any(w is None for w in words) or not words:
        return None
    create = "--create" in words or any(w.startswith("-") and not w.startswith("--") and "c" in w for w in words) \
        or (not words[0].startswith("-") and "c" in words[0] and set(words[0]) <= set("cxtrupzjJavfhopPkSlWOmM"))
    if not create or any(w.startswith("--mtime") for w in words):
        return None
    for i, w in enumerate(words):
        if w.startswith("--file="):
            return _file(w.split("=", 1)[1])
        if w in ("--file", "-f") and i + 1 < len(words):
            return _file(words[i + 1])
        bundle = w[1:] if w.startswith("-") and not w.startswith("--") else w if i == 0 else ""
        if "f" in bundle and i + 1 < len(words) and not (w.startswith("--")):
            return _file(words[i + 1])
    return None


def _gzip_output(cmd) -> str | None:
    words = [w.value for w in cmd.argv[1:]]
    if any(w is None for w in words):
        return None
    flags = "".join(w[1:] for w in words if w.startswith("-") and not w.startswith("--"))
    longs = [w for w in words if w.startswith("--")]
    if "n" in flags or "--no-name" in longs or "d" in flags or "--decompress" in longs or "t" in flags \
            or "c" in flags or "--stdout" in longs or "-n" in (cmd.env("GZIP") or ""):
        return None
    files = [w for w in words if not w.startswith("-")]
    return files[0] + ".gz" if files else None


def _file(path: str) -> str | None:
    return None if path == "-" or path.startswith("/dev/") else path


def _removed_later(commands, path: str) -> bool:
    return any(c.program == "rm" and any(w.value == path for w in c.argv[1:]) for c in commands)
