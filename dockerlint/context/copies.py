"""What a COPY/ADD sends from the build context, and where each file lands.

``sent_by(instr)`` answers "which context files does this instruction copy,
how many bytes, to which image paths"; ``origin(instr, path)`` answers the
reverse question a RUN asks: "which context file is at this image path when
I run?" (the latest COPY that put it there, or a ``RUN --mount=type=bind``).
Both read the sorted file list of ``BuildContext`` with prefix searches, so a
100k-file context costs one walk, not one per instruction.

Docker's rules, as BuildKit applies them: a source directory copies its
contents (not itself) into the destination; a file goes to ``dest`` itself
unless ``dest`` ends with ``/`` (or is ``.``), or several sources or a glob
are given, then to ``dest/<name>``; ``*``/``?``/``[...]`` never cross ``/``;
``--parents`` keeps the path from the context root (or from a ``/./`` pivot);
``--exclude`` drops matching files; ``--from`` and URLs send nothing.
"""
from __future__ import annotations

import bisect
import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple

from dockerlint.context.ignore import IgnoreMatcher, clean_path

if TYPE_CHECKING:
    from dockerlint.context import BuildContext
    from dockerlint.model.dockerfile import Instr

__all__ = ["Sent", "Source", "match_source", "sent_by", "origin", "UNKNOWN_CWD"]

UNKNOWN_CWD = "/\u2026cwd"  # the working directory when the base image's is unknown: equal to itself only
_GLOB = re.compile(r"[*?\[]")


class Source(NamedTuple):
    """One source argument of a COPY: as written, its context path, the files it matched."""

    written: str
    path: str | None  # cleaned, relative to the root; None when not known ($VAR) or not a context path
    files: tuple[str, ...]
    is_glob: bool
    is_dir: bool


class Sent(NamedTuple):
    """What one COPY/ADD takes from the context.

    ``complete`` is False when a source is unknown (an unresolved ``$VAR``) or
    the context listing was cut at ``BuildContext.max_files``: then the files
    are a lower bound.
    """

    instr: Instr
    sources: tuple[Source, ...]
    dest: str | None  # absolute image path of the destination, None when not known
    files: tuple[str, ...]
    bytes: int
    complete: bool

    @property
    def missing(self) -> tuple[Source, ...]:
        """Sources that match nothing the build can see (the build fails on them)."""
        return tuple(s for s in self.sources if s.path is not None and not s.files and not s.is_dir)

    def image_path(self, rel: str) -> str | None:
        """Where the context file ``rel`` lands in the image (None if this COPY does not send it)."""
        if self.dest is None:
            return None
        many = len(self.sources) > 1
        for source in self.sources:
            i = bisect.bisect_left(source.files, rel)
            if source.path is None or i == len(source.files) or source.files[i] != rel:
                continue
            return _destination(self.instr, source, rel, self.dest, many)
        return None

    def landings(self) -> dict[str, str]:
        """Image path -> context path of every file it sends (the later source wins, as in the build)."""
        out = {}
        for rel in self.files:
            image = self.image_path(rel)
            if image is not None:
                out[image] = rel
        return out


def sent_by(ctx: BuildContext, instr: Instr) -> Sent | None:
    """The ``Sent`` of a COPY/ADD reading the context; None for ``--from``, heredocs-only and URLs."""
    spec = instr.copy
    if spec is None or spec.from_ or not spec.sources:
        return None
    excluded = IgnoreMatcher.from_text("\n".join(spec.exclude)) if spec.exclude else None
    sources = []
    complete = not ctx.truncated
    for value in spec.sources:
        text = value.value
        if text is None:
            complete = False
            sources.append(Source(value.raw, None, (), False, False))
            continue
        if "://" in text or text.startswith("git@"):  # ADD <url>: not from the context
            continue
        sources.append(match_source(ctx, text, excluded))
    if not sources:
        return None
    files = tuple(sorted({f for s in sources for f in s.files}))
    return Sent(instr, tuple(sources), _dest(instr), files, sum(ctx.size(f) for f in files),
                complete and not ctx.truncated)


def match_source(ctx: BuildContext, text: str, excluded: IgnoreMatcher | None = None) -> Source:
    """The context files one COPY source argument names (after the ignore file and ``--exclude``):
    itself, what is under it, or what a glob matches. The one matcher ``sent_by`` and
    ``CopySpec.context_files()`` share."""
    path = clean_path(text.replace("/./", "/").lstrip("/")) if text not in ("/", "") else "."
    if path.startswith(".."):
        return Source(text, None, (), False, False)
    files = ctx.files
    if _GLOB.search(path):
        parts = path.split("/")
        matcher = IgnoreMatcher.from_text(path)
        found = tuple(f for f in files if len(f.split("/")) >= len(parts)
                      and matcher.ignored("/".join(f.split("/")[:len(parts)])))
        is_dir, is_glob = False, True
    elif path == ".":
        found, is_dir, is_glob = files, True, False
    else:
        i = bisect.bisect_left(files, path)
        found_list = []
        if i < len(files) and files[i] == path:
            found_list.append(path)
            i += 1
        prefix = path + "/"
        j = bisect.bisect_left(files, prefix, i)
        k = bisect.bisect_left(files, prefix + "\U0010ffff", j)
        found_list.extend(files[j:k])
        found = tuple(found_list)
        is_dir, is_glob = (j < k) or (not found and ctx.is_dir(path)), False
    if excluded is not None:
        found = tuple(f for f in found if not excluded.ignored(f)
                      and not excluded.ignored(f[len(path) + 1:] if f.startswith(path + "/") else f))
    return Source(text, path, found, is_glob, is_dir)


def _dest(instr: Instr) -> str | None:
    spec = instr.copy
    if spec is None or spec.dest is None or spec.dest.value is None:
        return None
    dest = spec.dest.value
    if not dest.startswith("/"):
        base = instr.cwd or UNKNOWN_CWD
        into = dest.endswith(("/", "/.")) or dest in (".", "..")
        dest = clean_path(posixpath.join(base, dest)).rstrip("/") + ("/" if into else "")
    return dest


def _destination(instr: Instr, source: Source, rel: str, dest: str, many: bool) -> str:
    spec = instr.copy
    into_dir = dest.endswith("/") or dest.endswith("/.") or many or source.is_glob
    base = clean_path(dest)
    if spec is not None and spec.parents:
        pivot = source.written.find("/./")
        keep = rel[len(clean_path(source.written[:pivot].lstrip("/"))) + 1:] if pivot >= 0 else rel
        return clean_path(f"{base}/{keep}")
    if source.is_glob:
        depth = len(source.path.split("/")) if source.path else 1
        parts = rel.split("/")
        return clean_path(f"{base}/{'/'.join(parts[depth - 1:])}")
    if source.path == ".":
        return clean_path(f"{base}/{rel}")
    if rel == source.path:  # a file source
        return clean_path(f"{base}/{rel.rsplit('/', 1)[-1]}") if into_dir else base
    return clean_path(f"{base}/{rel[len(source.path or '') + 1:]}")


def origin(ctx: BuildContext, instr: Instr, path: str) -> tuple[Instr, str] | None:
    """``(COPY or RUN, context path)`` of the context file at image ``path`` when ``instr`` runs.

    ``path`` relative to ``instr``'s working directory. Looks at the bind
    mounts of ``instr`` itself, then back through the COPYs of its stage and
    the stages it is built FROM. None when no COPY from the context put a file
    there (it comes from the base image, another stage, or is unknown).
    """
    target = _absolute(instr.cwd, path)
    if target is None:
        return None
    for mount in (instr.run.mounts if instr.run else ()):
        if mount.type == "bind" and not mount.from_ and mount.target:
            mounted = _absolute(instr.cwd, mount.target)
            if mounted is None:
                continue
            source = clean_path((mount.source or ".").lstrip("/"))
            if target == mounted:
                return instr, source
            if target.startswith(mounted.rstrip("/") + "/"):
                rel = target[len(mounted.rstrip("/")) + 1:]
                return instr, rel if source == "." else f"{source}/{rel}"
    for earlier in reversed(_before(instr)):
        if earlier.keyword not in ("COPY", "ADD") or earlier.copy is None:
            continue
        spec = earlier.copy
        if spec.from_:
            dest = _dest(earlier)
            if dest is not None and _covers(dest, target):
                return None  # another stage's file may be there
            continue
        landed = ctx.landings(earlier)
        if target in landed:
            return earlier, landed[target]
    return None


def _covers(dest: str, target: str) -> bool:
    base = clean_path(dest)
    return target == base or target.startswith(base.rstrip("/") + "/")


def _absolute(cwd: str | None, path: str) -> str | None:
    if not path:
        return None
    return clean_path(path if path.startswith("/") else posixpath.join(cwd or UNKNOWN_CWD, path))


def _before(instr: Instr) -> list[Instr]:
    """The instructions that ran before ``instr``: earlier stages it builds on, then its own."""
    stage = instr.stage
    if stage is None:
        return []
    chain = []
    current = stage.base_stage
    seen = {stage.index}
    while current is not None and current.index not in seen:
        chain.append(current)
        seen.add(current.index)
        current = current.base_stage
    out = [i for s in reversed(chain) for i in s.instructions]
    own = instr.parent or instr
    return out + [i for i in stage.instructions if i.index < own.index]
