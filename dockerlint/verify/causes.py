"""Why two builds differ: classify the differences of an image diff into causes.

Every differing entry of an :class:`~dockerlint.verify.diff.ImageDiff` gets
exactly one cause (the first rule below that claims it), and the entries of
one layer with the same cause become one :class:`Cause`: one finding on the
instruction's line, with a count, three example paths and the fix.  The
causes themselves (ids, titles, fixes) are the catalogue in
:mod:`dockerlint.verify.catalogue`, which the lint path may import.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from dockerlint.findings import Severity
from dockerlint.verify.cachepaths import APT_CACHE, CACHE_CONDA, CACHE_ML, CACHE_NPM, CACHE_PIP, rx
from dockerlint.verify.carried import FIXES, Carried
from dockerlint.verify.catalogue import CATALOGUE, ORDER, CauseKind, render_markdown
from dockerlint.verify.diff import EntryDiff, ImageDiff, LayerDiff, verdict
from dockerlint.verify.layers import HEADER_PROBLEMS, Entry
from dockerlint.verify.summary import human_size
from dockerlint.verify.textsafe import visible

__all__ = ["CATALOGUE", "Cause", "CauseKind", "Location", "classify", "render_markdown",
           "verdict"]

# (line, column, end_line, end_column, instruction text)
Location = tuple[int, int, int, int, str]


@dataclass(frozen=True, slots=True)
class Cause:
    """One explained difference: one finding on one instruction."""

    id: str
    title: str
    message: str
    fix: str
    severity: Severity
    metadata: bool
    layer: int | None
    location: Location | None
    count: int
    examples: tuple[str, ...]
    details: dict = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "message": self.message, "fix": self.fix,
                "severity": str(self.severity), "metadata": self.metadata,
                "layer": self.layer, "location": list(self.location) if self.location else None,
                "count": self.count, "examples": list(self.examples), "details": self.details}


# --------------------------------------------------------------------------- path rules

_MACHINE_ID = rx(r"^etc/machine-id$", r"^var/lib/dbus/machine-id$",
                  r"^var/lib/systemd/random-seed$")
_LDCONFIG = rx(r"^var/cache/ldconfig(/|$)", r"^etc/ld\.so\.cache$")
_CACHE_OTHER = rx(r"(^|/)\.cache(/|$)", r"^var/cache/fontconfig(/|$)",
                   r"(^|/)\.wget-hsts$", r"(^|/)\.config/matplotlib(/|$)")
_LOG = rx(r"^var/log(/|$)", r"\.log$")
_TMP = rx(r"^(tmp|var/tmp|run)/")
_PIP_META = rx(r"\.dist-info/(RECORD|direct_url\.json|INSTALLER|REQUESTED|uv_cache\.json)$")
_SHADOW = rx(r"^etc/(g?shadow)-?$")
# Installed-package records whose path carries name and version: Python dist-info /
# egg-info directories, conda-meta/<name>-<version>-<build>.json.
_VERSIONED = re.compile(r"(?:^|/)([A-Za-z0-9_.]+?)-([^-/]+)\.(?:dist|egg)-info(?:/|$)"
                        r"|(?:^|/)conda-meta/([A-Za-z0-9_.-]+?)-([^-/]+)-[^-/]+\.json$")
_STUB_DIRS = {"proc", "sys", "dev", "dev/pts", "dev/shm", "dev/mqueue"}
_STUB_FILES = {"etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv", "dev/console",
               "etc/mtab"}
_ARCHIVE_KINDS = {"gzip", "zip", "tar", "zstd", "bzip2", "xz"}
_METADATA_FIELDS = {"mode", "uid", "gid", "uname", "gname", "xattrs", "device"}
_TIMESTAMPS = {"mtime", "atime", "ctime"}
_MTIME_CAUSES = {"REPRO-MTIME-BUILD", "REPRO-MTIME-CONTEXT"}
# causes whose summary covers directories as well as files
_DIRECTORY_CAUSES = _MTIME_CAUSES | {"REPRO-MOUNT-STUB", "REPRO-FILE-METADATA", "REPRO-FILE-SET",
                                     "REPRO-TAR-FORMAT"}


@dataclass
class _LayerContext:
    """What the rules may look at besides the entry: the layer and its instruction."""

    instruction: str
    changed_paths: frozenset[str]
    drifted: frozenset[str]            # normalised Python package names whose version moved
    drift_dbs: frozenset[str]          # package databases whose versions moved


def _is_copy(instruction: str) -> bool:
    return instruction_keyword(instruction) in ("COPY", "ADD")


def _entry(d: EntryDiff) -> Entry:
    """The entry a diff is about (build B's when both exist; a diff always has one)."""
    entry = d.b if d.b is not None else d.a
    assert entry is not None
    return entry


def _is_stub(d: EntryDiff, ctx: _LayerContext) -> bool:
    e = _entry(d)
    if not (d.kind != "changed" or d.timestamps_only):
        return False
    if d.path in _STUB_DIRS and e.type == "dir":
        return True
    if d.path == "etc" and e.type == "dir":
        return not any(p.startswith("etc/") for p in ctx.changed_paths)
    return d.path in _STUB_FILES and e.size == 0


def _package_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_drift(d: EntryDiff, ctx: _LayerContext) -> bool:
    if d.path in ctx.drift_dbs:
        return True
    found = _versioned(d.path)
    return found is not None and found[0] in ctx.drifted


def _mtime_cause(d: EntryDiff, ctx: _LayerContext) -> str:
    if _entry(d).type != "dir" and _is_copy(ctx.instruction):
        return "REPRO-MTIME-CONTEXT"
    return "REPRO-MTIME-BUILD"


def _field_cause(d: EntryDiff, ctx: _LayerContext) -> str:
    if d.kind != "changed":
        return "REPRO-FILE-SET"
    fields = set(d.fields)
    if fields <= _TIMESTAMPS:
        return _mtime_cause(d, ctx)
    if fields & {"content", "size", "type", "linkname"}:
        return "REPRO-CONTENT"
    if fields & _METADATA_FIELDS:
        return "REPRO-FILE-METADATA"
    return "REPRO-TAR-FORMAT"


def _kind(entry: Entry | None) -> str:
    return entry.kind if entry is not None else ""


def _mtime_only_dir(d: EntryDiff) -> bool:
    """A directory whose only change is a timestamp (what writing inside it does)."""
    return d.timestamps_only and d.a is not None and d.a.type == "dir"


def _content_changed(d: EntryDiff) -> bool:
    return d.kind == "changed" and "content" in d.fields


# Ordered rules: the first that claims an entry decides its cause.
_Rule = Callable[[EntryDiff, _LayerContext], "str | None"]


def _rules() -> list[_Rule]:
    def path_rule(pattern: re.Pattern, cause: str) -> _Rule:
        return lambda d, ctx: cause if pattern.search(d.path) else None

    return [
        lambda d, ctx: "REPRO-WHITEOUT" if _entry(d).is_whiteout else None,
        lambda d, ctx: "REPRO-MOUNT-STUB" if _is_stub(d, ctx) else None,
        path_rule(_MACHINE_ID, "REPRO-MACHINE-ID"),
        path_rule(_LDCONFIG, "REPRO-LDCONFIG-CACHE"),
        path_rule(CACHE_NPM, "REPRO-CACHE-NPM"),
        path_rule(CACHE_PIP, "REPRO-CACHE-PIP"),
        path_rule(CACHE_CONDA, "REPRO-CACHE-CONDA"),
        path_rule(CACHE_ML, "REPRO-CACHE-ML"),
        path_rule(_CACHE_OTHER, "REPRO-CACHE-OTHER"),
        path_rule(APT_CACHE, "REPRO-APT-CACHE"),
        path_rule(_LOG, "REPRO-LOG"),
        path_rule(_TMP, "REPRO-TMP"),
        lambda d, ctx: "REPRO-PACKAGE-DRIFT" if _is_drift(d, ctx) else None,
        lambda d, ctx: "REPRO-PIP-METADATA" if (_PIP_META.search(d.path)
                                                 and _content_changed(d)) else None,
        lambda d, ctx: (("REPRO-PYC-TIMESTAMP" if d.details.get("header_only")
                         else "REPRO-PYC-CONTENT")
                        if d.path.endswith(".pyc") and _content_changed(d) else None),
        lambda d, ctx: "REPRO-SHADOW-DATE" if (_SHADOW.search(d.path)
                                                and _content_changed(d)) else None,
        lambda d, ctx: "REPRO-ARCHIVE" if (_content_changed(d) and _kind(d.a) in _ARCHIVE_KINDS
                                            and _kind(d.b) in _ARCHIVE_KINDS) else None,
        _field_cause,
    ]


_RULES = _rules()


def cause_of(d: EntryDiff, ctx: _LayerContext) -> str:
    for rule_ in _RULES:
        found = rule_(d, ctx)
        if found:
            return found
    raise AssertionError("the field rule always decides")  # pragma: no cover


# --------------------------------------------------------------------------- drift

def _db_drift(layer: LayerDiff) -> tuple[set[str], list[str]]:
    """Package databases whose versions differ, and "pkg a -> b" notes."""
    dbs: set[str] = set()
    notes: list[str] = []
    for db in sorted(layer.packages_a.keys() & layer.packages_b.keys()):
        va, vb = layer.packages_a[db], layer.packages_b[db]
        changed = sorted(p for p in va.keys() | vb.keys() if va.get(p) != vb.get(p))
        if changed:
            dbs.add(db)
            notes.extend(f"{p} {va.get(p, '-')} -> {vb.get(p, '-')}" for p in changed)
    return dbs, notes


def _versioned(path: str) -> tuple[str, str] | None:
    """(normalised package name, version) of a package record path, if it is one."""
    match = _VERSIONED.search(path)
    if match is None:
        return None
    name, version = (match.group(1), match.group(2)) if match.group(1) else (
        match.group(3), match.group(4))
    return _package_name(name), version


def _dist_info_drift(entries: Iterable[EntryDiff]) -> tuple[set[str], list[str]]:
    """Packages installed in another version (dist-info / conda-meta records)."""
    versions: dict[str, dict[str, set[str]]] = {"only_a": {}, "only_b": {}}
    for d in entries:
        if d.kind in versions:
            found = _versioned(d.path)
            if found:
                versions[d.kind].setdefault(found[0], set()).add(found[1])
    names = set(versions["only_a"]) & set(versions["only_b"])
    notes = [f"{n} {','.join(sorted(versions['only_a'][n]))} -> "
             f"{','.join(sorted(versions['only_b'][n]))}" for n in sorted(names)]
    return names, notes


# --------------------------------------------------------------------------- aggregation

def _plural(n: int) -> str:
    return f"{n:,} {'entry' if n == 1 else 'entries'}"


def _examples(diffs: list[EntryDiff]) -> tuple[str, ...]:
    """Three paths, files before directories (a file says more than its parent)."""
    ranked = sorted(diffs, key=lambda d: (_entry(d).type == "dir", d.path))
    return tuple(d.path for d in ranked[:3])


def _detail(cause_id: str, diffs: list[EntryDiff], notes: tuple[str, ...]) -> tuple[str, dict]:
    """Extra words for the message and machine-readable details."""
    first = min(diffs, key=lambda d: (_entry(d).type == "dir", d.path))   # the first example
    fields = Counter(f for d in diffs for f in d.fields)
    kinds = Counter(d.kind for d in diffs)
    details: dict = {"fields": dict(sorted(fields.items())), "kinds": dict(sorted(kinds.items()))}
    extra = ""
    if cause_id in ("REPRO-MTIME-BUILD", "REPRO-MTIME-CONTEXT") and first.a and first.b:
        details["example_mtimes"] = (first.a.mtime, first.b.mtime)
        extra = f" ({first.path}: {_stamp(first.a.mtime)} vs {_stamp(first.b.mtime)})"
    elif cause_id == "REPRO-PYC-TIMESTAMP":
        pa, pb = first.details.get("pyc", (None, None))
        if pa and pb:
            details["example_pyc"] = (pa, pb)
            extra = (f" ({first.path}: source mtime {_stamp(pa['source_mtime'])} vs "
                     f"{_stamp(pb['source_mtime'])})")
    elif cause_id == "REPRO-ARCHIVE":
        same_members = [d.path for d in diffs if d.details.get("members_equal")]
        details["same_members"] = len(same_members)
        gz = first.details.get("gzip_mtime")
        if first.details.get("members_equal"):
            extra = (f" ({first.path}: same members, only their timestamps or order differ"
                     + (f"; gzip header mtime {gz[0]} vs {gz[1]}" if gz and gz[0] != gz[1]
                        else "") + ")")
        elif gz and first.details.get("header_only"):
            details["example_gzip_mtime"] = gz
            extra = f" ({first.path}: only the gzip header mtime differs: {gz[0]} vs {gz[1]})"
        elif "members_equal" in first.details:
            extra = f" ({first.path}: the archived files themselves differ)"
    elif cause_id == "REPRO-PACKAGE-DRIFT" and notes:
        details["packages"] = list(notes)
        shown = "; ".join(notes[:5]) + (f"; … {len(notes) - 5} more" if len(notes) > 5 else "")
        extra = f" ({shown})"
    elif cause_id == "REPRO-CONTENT" and first.a and first.b:
        details["example_digests"] = (first.a.digest, first.b.digest)
    elif cause_id == "REPRO-FILE-SET":
        only_a, only_b = kinds.get("only_a", 0), kinds.get("only_b", 0)
        extra = f" ({only_a:,} only in build A, {only_b:,} only in build B)"
    text = first.details.get("text")
    if text and not extra:             # a log line, a date, an id: show what changed
        details["example_text"] = text
        extra = f" ({first.path}: {_snippet(text[0])} vs {_snippet(text[1])})"
    return extra, details


def _snippet(text: str, width: int = 40) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return repr(line[:width] + ("…" if len(line) > width or len(text.strip()) > len(line)
                                else ""))


def _stamp(value: float) -> str:
    import datetime as _dt
    try:
        return _dt.datetime.fromtimestamp(value, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return str(value)


_SINGULAR = {"differ": "differs", "are": "is", "belong": "belongs", "exist": "exists",
             "escape": "escapes", "sit": "sits"}


def _agree(summary: str, count: int) -> str:
    """Make the leading verb of a summary agree with its count."""
    if count != 1:
        return summary
    verb, space, rest = summary.partition(" ")
    return _SINGULAR.get(verb, verb) + space + rest.replace(" their ", " its ")


def instruction_keyword(text: str) -> str:
    """RUN, COPY, ADD, WORKDIR or "COPY --from" for an instruction line or a history
    ``created_by`` (classic: ``/bin/sh -c #(nop) COPY …``, a bare command is a RUN)."""
    text = re.sub(r"^/bin/sh -c #\(nop\)\s*", "", text.strip())
    word = text.split(None, 1)[0].upper() if text else ""
    if word == "COPY" and "--from" in text:
        return "COPY --from"
    return word if word in ("COPY", "ADD", "WORKDIR") else "RUN"


def _make(cause_id: str, layer: int | None, location: Location | None, count: int,
          examples: tuple[str, ...], extra: str, details: dict, noun: str = "",
          headline: int | None = None, instruction: str = "") -> Cause:
    """A cause; the message starts with ``noun`` (default: "<headline> entries"); the fix
    is the one for ``instruction`` (its text: the fix of a RUN does not fit a COPY)."""
    kind = CATALOGUE[cause_id]
    n = count if headline is None else headline
    summary = kind.one if n == 1 and kind.one else _agree(kind.summary, n)
    message = f"{noun or _plural(n)} {summary}{extra}"
    if examples:
        message += "; e.g. " + ", ".join(examples)
    message = visible(message)      # paths and text come from the image
    fix = kind.fix_for(instruction_keyword(instruction)) if instruction else kind.fix
    return Cause(cause_id, kind.title, message, fix, kind.severity, kind.metadata,
                 layer, location, count, examples, details)


def _follow_children(items: list[EntryDiff], found: dict[str, str]) -> dict[str, str]:
    """A directory whose only change is its mtime changed because of what was written
    inside it: when all its differing children share one cause, it gets that cause
    (``root/.cache`` goes with the pip cache below it, ``etc`` with ``etc/machine-id``)."""
    children: dict[str, list[str]] = {}
    for d in items:
        if d.path != ".":
            children.setdefault(d.path.rpartition("/")[0] or ".", []).append(d.path)
    dirs = [d for d in items if _mtime_only_dir(d) and d.path in children]
    for d in sorted(dirs, key=lambda d: -d.path.count("/")):       # deepest first
        below = {found[c] for c in children[d.path]}
        if len(below) == 1 and not below <= _MTIME_CAUSES:   # a COPY'd dir keeps build time
            found[d.path] = below.pop()
    return found


def _classify_entries(diffs: Iterable[EntryDiff], layer: LayerDiff | None,
                      instruction_of: Callable[[int | None], str],
                      groups: dict[tuple[int | None, str], list[EntryDiff]],
                      notes: dict[int | None, list[str]]) -> None:
    """Add each diff to ``groups[(layer, cause)]``; drift notes go to ``notes[layer]``."""
    by_layer: dict[int | None, list[EntryDiff]] = {}
    for d in diffs:
        by_layer.setdefault(d.layer if layer is None else layer.index, []).append(d)
    for index, items in by_layer.items():
        dbs, db_notes = _db_drift(layer) if layer is not None else (set(), [])
        names, pkg_notes = _dist_info_drift(items)
        ctx = _LayerContext(instruction_of(index), frozenset(d.path for d in items),
                            frozenset(names), frozenset(dbs))
        found = _follow_children(items, {d.path: cause_of(d, ctx) for d in items})
        for d in items:
            groups.setdefault((index, found[d.path]), []).append(d)
        notes.setdefault(index, []).extend(db_notes + pkg_notes)


def _unsafe_causes(image_diff: ImageDiff, location, headers: bool) -> list[Cause]:
    """One error per layer with unsafe paths (``headers``: with hostile headers); a path
    unsafe in both builds counts once."""
    seen: dict[tuple, set[str]] = {}
    said: dict[tuple, str] = {}
    for side, issues in (("A", image_diff.issues_a), ("B", image_diff.issues_b)):
        for issue in issues:
            if (issue.problem in HEADER_PROBLEMS) == headers:
                key = (issue.layer, issue.path, issue.problem)
                seen.setdefault(key, set()).add(side)
                said.setdefault(key, issue.detail)
    by_layer: dict[int | None, list[tuple]] = {}
    for key, sides in seen.items():
        by_layer.setdefault(key[0], []).append((key, sides))
    causes = []
    for index, items in by_layer.items():
        problems = Counter(key[2] for key, _ in items)
        sides = set().union(*(s for _, s in items))
        where = "both builds" if len(sides) == 2 else f"build {sides.pop()}"
        count = len({key[1] for key, _ in items})
        examples = tuple(sorted({key[1] for key, _ in items})[:3])
        if headers:   # one issue per problem and layer, its detail says how often
            found = sorted((key[1], key[2], said[key]) for key, _ in items)
            causes.append(_make(
                "REPRO-UNSAFE-LAYER", index, location(index), len(found), (),
                f" in {where}: " + "; ".join(
                    f"{problem}: {detail}" + (f" (at {path[:80]!r})" if path else "")
                    for path, problem, detail in found),
                {"problems": dict(problems), "builds": where,
                 "found": [{"problem": p, "at": at, "detail": d} for at, p, d in found]},
                noun="the layer's tar headers"))
            continue
        causes.append(_make(
            "REPRO-UNSAFE-PATH", index, location(index), count, examples,
            f" in {where} (" + ", ".join(f"{n} {p}" for p, n in sorted(problems.items())) + ")",
            {"problems": dict(problems), "builds": where},
            noun=f"{count:,} unsafe path{'s' if count != 1 else ''}"))
    return causes


def classify(image_diff: ImageDiff,
             layer_instructions: Mapping[int, Location | None] | None = None,
             paths: list[tuple[int | None, str, EntryDiff]] | None = None) -> list[Cause]:
    """Explain an image diff: one :class:`Cause` per (layer, cause), sorted by layer.

    ``layer_instructions`` maps a layer index (image A's numbering) to the
    instruction that produced it as ``(line, column, end_line, end_column,
    text)``, or None when unknown.  Without it, the layers' history
    ``created_by`` is used to tell COPY/ADD from RUN.
    """
    layer_instructions = layer_instructions or {}
    by_index = {l.index: l for l in image_diff.layers if l.index is not None}

    def location(index: int | None) -> Location | None:
        return layer_instructions.get(index) if index is not None else None

    def instruction_of(index: int | None) -> str:
        loc = location(index)
        if loc:
            return loc[4]
        layer = by_index.get(index) if index is not None else None
        return layer.created_by_a if layer else ""

    causes: list[Cause] = []
    causes.extend(_unsafe_causes(image_diff, location, headers=False))
    causes.extend(_unsafe_causes(image_diff, location, headers=True))

    only = [l for l in image_diff.layers if l.status in ("only_a", "only_b")]
    if only:
        first = only[0]
        index = first.index if first.index is not None else first.index_b
        causes.append(_make(
            "REPRO-LAYER-COUNT", index, location(first.index), len(only),
            tuple(f"layer {l.index if l.index is not None else l.index_b} only in build "
                  f"{'A' if l.status == 'only_a' else 'B'}" for l in only[:3]),
            f" ({image_diff.layer_count_a} layers in build A, {image_diff.layer_count_b} in "
            f"build B)", {"layer_count": (image_diff.layer_count_a, image_diff.layer_count_b)},
            noun=f"{len(only)} layer{'s' if len(only) != 1 else ''}"))
    for l in image_diff.layers:
        if l.status == "moved":
            causes.append(_make("REPRO-LAYER-ORDER", l.index, location(l.index), 1,
                                (f"layer {l.index} is layer {l.index_b} in build B",), "",
                                {"positions": (l.index, l.index_b)}, noun="1 layer"))
        if l.status == "equivalent":
            causes.append(_make("REPRO-TAR-FORMAT", l.index, location(l.index), 1,
                                (l.diff_id_a, l.diff_id_b), " (every entry is equal, the "
                                "layer's diffID is not)", {}, noun="1 layer"))
        if l.status == "reordered" or l.order_changed:
            causes.append(_make("REPRO-TAR-ORDER", l.index, location(l.index),
                                l.entry_count_a, (), "", {},
                                noun=f"the entries of layer {l.index}"))
        if (l.status in ("identical", "moved") and l.blob_digest_a and l.blob_digest_b
                and l.blob_digest_a != l.blob_digest_b):
            causes.append(_make("REPRO-LAYER-COMPRESSION", l.index, location(l.index), 1,
                                (l.blob_digest_a, l.blob_digest_b), "", {}, noun="1 layer"))

    groups: dict[tuple[int | None, str], list[EntryDiff]] = {}
    notes: dict[int | None, list[str]] = {}
    for l in image_diff.layers:
        if l.entries:
            _classify_entries(l.entries, l, instruction_of, groups, notes)
    if image_diff.merged:
        _classify_entries(image_diff.merged, None, instruction_of, groups, notes)
    if paths is not None:         # every differing path with its cause (--list, JSON)
        paths.extend((index, cause_id, d) for (index, cause_id), diffs in groups.items()
                     for d in diffs)
    for (index, cause_id), diffs in groups.items():
        extra, details = _detail(cause_id, diffs, tuple(notes.get(index, ())))
        # "300 entries are .pyc files" must not count the directory that holds them
        dirs = 0 if cause_id in _DIRECTORY_CAUSES else sum(map(_mtime_only_dir, diffs))
        headline = None
        if 0 < dirs < len(diffs):
            details["directories"] = dirs
            headline = len(diffs) - dirs
            extra += (f"; and {dirs:,} director{'y' if dirs == 1 else 'ies'} whose mtime "
                      "changed with them")
        causes.append(_make(cause_id, index, location(index), len(diffs), _examples(diffs),
                            extra, details, headline=headline, instruction=instruction_of(index)))

    for volatile, cause_id in ((False, "REPRO-CONFIG"), (True, "REPRO-CONFIG-METADATA")):
        keys = [c for c in image_diff.config if c.volatile == volatile]
        if keys:
            causes.append(_make(
                cause_id, None, None, len(keys), tuple(c.key for c in keys[:3]), "",
                {"keys": {c.key: [c.a, c.b] for c in keys}},
                noun=f"{len(keys)} config key{'s' if len(keys) != 1 else ''}"))

    causes.sort(key=lambda c: (c.layer is None, c.layer if c.layer is not None else 0,
                               ORDER[c.id], -c.count))
    return causes


def carried_cause(group: Carried) -> Cause:
    """A group of the layer scan (``carried``) as a Cause, to become a finding on its layer's line.
    The message names paths and sizes only, never content."""

    shown = ", ".join(f"{visible(path)} ({human_size(size)})" for path, size in group.examples)
    more = f" and {group.count - len(group.examples):,} more" if group.count > len(group.examples) else ""
    files = "1 file" if group.count == 1 else f"{group.count:,} files"
    if group.id == "CACHE003":
        severity, fix = Severity.ERROR, FIXES["CACHE003"]
        what = group.label if group.count == 1 else f"{files} ({group.label})"
        message = f"{what} in this layer, readable by anyone who pulls the image: {shown}{more}"
    elif group.id == "CACHE002":
        severity, fix = Severity.INFO, FIXES["CACHE002"]
        message = f"{files} of {group.label}, {human_size(group.size)} in this layer: {shown}{more}"
    else:
        severity, fix = Severity.WARNING, CATALOGUE[group.id].fix
        message = f"{group.label} left in this layer: {files}, {human_size(group.size)}; e.g. {shown}{more}"
    if group.removed:
        message += (f"; a later layer deletes or overwrites {'it' if group.count == 1 else group.removed}, "
                    "but the bytes stay in this layer")
    return Cause(id=group.id, title=group.label, message=message, fix=fix, severity=severity, metadata=False,
                 layer=group.layer, location=None, count=group.count,
                 examples=tuple(path for path, _ in group.examples),
                 details={"size": group.size, "removed_later": group.removed})


if __name__ == "__main__":   # kept for old callers: the generator lives in catalogue
    sys.stdout.write(render_markdown())
