"""DL3010: a local tar archive COPY'd and then extracted by a RUN: ADD does both."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule
from dockerlint.rules._common import TAR_ARCHIVES, is_archive

# Programs that unpack a compressed file (hadolint's list, without unzip: ADD does not unpack zip).
_DECOMPRESSORS = frozenset({"gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"})


@rule(id="DL3010", name="add-to-extract-archive", severity=Severity.INFO, category="performance",
      on=("COPY",))
def add_to_extract_archive(df: Dockerfile) -> Iterator[Finding]:
    """Use `ADD` for extracting archives into an image.

    Why: `COPY app.tar.gz /tmp/` then `RUN tar -xzf /tmp/app.tar.gz -C /opt`
    stores the archive in one layer and its contents in another (removing
    the archive later frees nothing); `ADD app.tar.gz /opt/` unpacks a local
    tar archive in one step and one layer.

    Bad:
        COPY app.tar.gz /tmp/
        RUN tar -xzf /tmp/app.tar.gz -C /opt
    Good:
        ADD app.tar.gz /opt/

    Note: as hadolint: a COPY (not `--from`) of a source or to a destination
    named like an archive (hadolint's extensions), extracted later in the same
    stage by `tar -x`/`--extract`/`--get` or a decompressor naming the same
    file. Differences, on purpose: a stage that is not the last is checked
    too (hadolint's state reset at each FROM drops the findings of earlier
    stages: `COPY x.tar.gz /`, `RUN tar -xf x.tar.gz`, `FROM b` gives
    nothing there); old-style `tar xzf` counts too; `tar
    --strip-components` does not (ADD cannot strip directories), and neither
    does `gunzip`/`zcat` of a file whose name does not say it is a tar
    archive (`data.gz`: ADD would copy it compressed, not decompress it);
    `unzip` never does (ADD does not unpack zip files). A source held in an
    unknown variable is not judged.
    """
    for stage in df.stages:
        copied: list[tuple[Instr, str, object]] = []  # (COPY, archive basename, the word's span)
        for instr in stage.instructions:
            spec = instr.copy
            if instr.keyword == "COPY" and spec is not None and spec.from_ is None:
                dest = spec.dest.value if spec.dest is not None else None
                if dest is not None and is_archive(dest) and not dest.endswith("/"):
                    copied.append((instr, posixpath.basename(dest), spec.dest.span))  # type: ignore[union-attr]
                else:
                    copied.extend((instr, posixpath.basename(s.value.rstrip("/")), s.span) for s in spec.sources
                                  if s.value is not None and is_archive(s.value))
            elif instr.keyword == "RUN" and copied:
                extracted = _extracted(instr)
                for entry in [c for c in copied if c[1] in extracted]:
                    copy, name, span = entry
                    copied.remove(entry)
                    yield copy.finding(f"Use `ADD` for extracting archives into an image: `{name}` is extracted "
                                       f"on line {instr.span.line}; ADD unpacks a local tar archive itself",
                                       span=span)  # type: ignore[arg-type]


def _extracted(run: Instr) -> set[str]:
    """Basenames of the files a RUN's commands extract (tar) or decompress (tar archives only)."""
    out: set[str] = set()
    for cmd in run.commands:
        program = cmd.program
        words = [w.value for w in cmd.argv[1:] if w.value is not None]
        operands = [posixpath.basename(w) for w in words if w and not w.startswith("-")]
        if program == "tar" and _tar_extracts(words):
            out.update(operands)
        elif program in _DECOMPRESSORS:
            out.update(w for w in operands if w.lower().endswith(TAR_ARCHIVES))
    return out


def _tar_extracts(words: list[str]) -> bool:
    if any(w.startswith("--strip-components") for w in words):
        return False
    if any(w in ("--extract", "--get") for w in words):
        return True
    if any(w.startswith("-") and not w.startswith("--") and "x" in w for w in words):
        return True
    return bool(words) and not words[0].startswith("-") and "x" in words[0]  # old style: tar xzf f
