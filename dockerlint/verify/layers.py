"""Walk tar streams (image layers, and the ``docker save`` archive around them).

Why our own 512-byte header reader instead of :mod:`tarfile`: we must read a
multi-gigabyte image exactly once, front to back, never touching the disk,
keeping only headers and content digests.  ``tarfile`` in stream mode copies
every block through small buffers and may try to follow links when asked to
extract; this reader hashes content straight out of its buffer and has no
code path that could write a file.  Paths are data here: they are
canonicalised for comparison and checked for traversal, never resolved.

Everything raises :class:`ImageFormatError` (a ``ValueError``) on input that
is not a readable tar, and nothing else.
"""
from __future__ import annotations

import hashlib
import io
import math
import posixpath
import re
import struct
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

BLOCK = 512
CHUNK = 1 << 20
HEAD_BYTES = 16                 # enough for a pyc header and a gzip header
TEXT_HEAD_BYTES = 48            # kept of small text files, to show what a content diff is
SMALL_TEXT_FILE = 4096
# Hostile headers (issue 8): a crafted layer must cost time and memory in proportion to
# its bytes, never more.  Beyond these limits a header is hashed (so equality stays exact)
# but not interpreted, and the layer is reported as REPRO-UNSAFE-LAYER.
MAX_META_BYTES = 1 << 20        # one PAX / GNU long-name payload that is interpreted
MAX_PAX_RECORDS = 128           # PAX records kept per member besides the fields we read
MAX_EXTENDED_RUN = 16           # extended headers in a row before one member (tar writes 1-3)
MAX_NAME_BYTES = 4096           # PATH_MAX: a longer name exists on no file system
MAX_PACKAGE_DB_BYTES = 64 << 20  # dpkg status / apk installed parsed for versions
MAX_NESTED_ARCHIVE_BYTES = 16 << 20  # tarballs made in a build, read in memory (bounded)
MAX_NESTED_EXPANDED_BYTES = 256 << 20  # and decompressed at most this far (gzip bombs)

PACKAGE_DBS = ("var/lib/dpkg/status", "lib/apk/db/installed")


class ImageFormatError(ValueError):
    """The input is not a readable tar / image archive (one line, user-facing)."""


# --------------------------------------------------------------------------- streams

class Reader:
    """Buffered, forward-only reader over ``read(n)``; hashes without copying."""

    __slots__ = ("_buf", "_pos", "_raw", "consumed")

    def __init__(self, raw: Callable[[int], bytes]):
        self._raw = raw
        self._buf = b""
        self._pos = 0
        self.consumed = 0

    def _fill(self, want: int) -> bool:
        """Make at least ``want`` bytes available; False at end of input."""
        avail = len(self._buf) - self._pos
        if avail >= want:
            return True
        parts = [self._buf[self._pos:]] if avail else []
        while avail < want:
            chunk = self._raw(max(CHUNK, want - avail))
            if not chunk:
                break
            parts.append(chunk)
            avail += len(chunk)
        self._buf = b"".join(parts) if len(parts) != 1 else parts[0]
        self._pos = 0
        return avail >= want

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at end of input)."""
        self._fill(n)
        data = self._buf[self._pos:self._pos + n]
        self._pos += len(data)
        self.consumed += len(data)
        return data

    def read_exact(self, n: int, what: str) -> bytes:
        data = self.read(n)
        if len(data) != n:
            raise ImageFormatError(f"truncated tar: unexpected end of input in {what}")
        return data

    def feed(self, n: int, sinks: tuple, what: str) -> None:
        """Pass exactly ``n`` bytes to each ``sink.update`` (hashers), copy-free."""
        while n > 0:
            if self._pos >= len(self._buf) and not self._fill(1):
                raise ImageFormatError(f"truncated tar: unexpected end of input in {what}")
            take = min(n, len(self._buf) - self._pos)
            view = memoryview(self._buf)[self._pos:self._pos + take]
            for sink in sinks:
                sink.update(view)
            self._pos += take
            self.consumed += take
            n -= take

    def skip(self, n: int, what: str) -> None:
        if self._pos + n <= len(self._buf):       # fast path: padding inside the buffer
            self._pos += n
            self.consumed += n
        else:
            self.feed(n, (), what)

    def drain(self) -> None:
        """Consume the rest of the input (tar trailers, padding)."""
        while True:
            self.consumed += len(self._buf) - self._pos
            self._buf, self._pos = b"", 0
            chunk = self._raw(CHUNK)
            if not chunk:
                return
            self._buf = chunk

    def peek(self, n: int) -> bytes:
        self._fill(n)
        return self._buf[self._pos:self._pos + n]


class Limited:
    """``read(n)`` over the next ``size`` bytes of a :class:`Reader` (a tar member).

    ``bounded``: ``size`` is a ceiling, not an exact length: ending earlier is
    fine, going past it is an error.
    """

    __slots__ = ("_bounded", "_reader", "remaining")

    def __init__(self, reader: Reader, size: int, bounded: bool = False):
        self._reader = reader
        self.remaining = size
        self._bounded = bounded

    def read(self, n: int) -> bytes:
        if self._bounded and self.remaining <= 0 and self._reader.peek(1):
            raise ImageFormatError("nested archive too large")
        n = min(n, self.remaining)
        if n <= 0:
            return b""
        data = self._reader.read(n)
        if not data:
            if self._bounded:
                return b""
            raise ImageFormatError("truncated archive: unexpected end of input")
        self.remaining -= len(data)
        return data


class ChunkStream:
    """File-like over an iterable of byte chunks (the docker SDK's ``image.save()``)."""

    def __init__(self, chunks: Iterable[bytes]):
        self._it = iter(chunks)
        self._buf = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            chunk = next(self._it, None)
            if chunk is None:
                break
            self._buf += chunk
        if n < 0:
            n = len(self._buf)
        data, self._buf = self._buf[:n], self._buf[n:]
        return data


def _gunzip(read: Callable[[int], bytes]) -> Callable[[int], bytes]:
    """Streaming gzip decoder (multi-member aware) as a ``read(n)`` function."""
    state: dict[str, Any] = {"d": zlib.decompressobj(31), "tail": b"", "eof": False,
                             "fresh": True}

    def read_gz(n: int) -> bytes:
        while True:
            d = state["d"]
            if state["tail"]:
                data, state["tail"] = state["tail"], b""
            else:
                if state["eof"]:
                    return b""
                data = read(CHUNK)
                if not data:
                    state["eof"] = True
                    if not state["fresh"]:
                        raise ImageFormatError("truncated gzip layer")
                    return b""
            state["fresh"] = False
            try:
                out = d.decompress(data, n)
            except zlib.error as exc:
                raise ImageFormatError(f"corrupt gzip layer: {exc}") from None
            state["tail"] = d.unconsumed_tail
            if d.eof:                       # next gzip member, if any, starts fresh
                state["d"] = zlib.decompressobj(31)
                state["fresh"] = True
                state["tail"] = d.unused_data.lstrip(b"\0")
            if out:
                return out

    return read_gz


def _unzstd(read: Callable[[int], bytes]) -> Callable[[int], bytes]:
    try:
        import zstandard  # optional: only zstd-compressed OCI layers need it
    except ImportError:
        raise ImageFormatError(
            "zstd-compressed layer: install the 'zstandard' package to read it") from None

    class _Raw:
        def read(self, n: int) -> bytes:
            return read(n)

    stream = zstandard.ZstdDecompressor().stream_reader(_Raw(), read_across_frames=True)

    def read_zst(n: int) -> bytes:
        try:
            return stream.read(n)
        except zstandard.ZstdError as exc:
            raise ImageFormatError(f"corrupt zstd layer: {exc}") from None

    return read_zst


def sniff_compression(head: bytes) -> str:
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:4] == b"\x28\xb5\x2f\xfd":
        return "zstd"
    if head[:3] == b"BZh":
        return "bzip2"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    return ""


def decompressed(reader: Reader) -> tuple[Reader, str]:
    """A reader over the uncompressed bytes (gzip, zstd, or none) and the codec name."""
    codec = sniff_compression(reader.peek(6))
    if codec == "gzip":
        return Reader(_gunzip(reader.read)), codec
    if codec == "zstd":
        return Reader(_unzstd(reader.read)), codec
    if codec:
        raise ImageFormatError(f"unsupported layer compression: {codec}")
    return reader, ""


def looks_like_tar(block: bytes) -> bool:
    """A valid tar header, or the all-zero end block of an empty tar."""
    if len(block) < BLOCK:
        return False
    if block[:BLOCK] == bytes(BLOCK):
        return True
    try:
        return _checksum_ok(block[:BLOCK])
    except ImageFormatError:
        return False


# --------------------------------------------------------------------------- headers

TYPES = {
    b"0": "file", b"\0": "file", b"7": "file", b"S": "file",
    b"1": "hardlink", b"2": "symlink", b"3": "char", b"4": "block",
    b"5": "dir", b"6": "fifo",
}
_META_TYPES = {b"x", b"g", b"X", b"L", b"K"}
_DATA_TYPES = {b"0", b"\0", b"7", b"S"}
# PAX keys we turn into fields; every other record is kept and compared as "pax"
_PAX_FIELDS = {"path", "linkpath", "size", "uid", "gid", "uname", "gname",
               "mtime", "atime", "ctime"}
_XATTR_PREFIXES = ("SCHILY.xattr.", "LIBARCHIVE.xattr.")


def _number(field_: bytes, what: str) -> int:
    if not field_[0] & 0x80:                     # octal text, the common case
        try:
            return int(field_.split(b"\0", 1)[0] or b"0", 8)
        except ValueError:
            pass
    if field_[0] & 0x80:                         # GNU base-256
        value = int.from_bytes(field_, "big", signed=False)
        value &= (1 << (8 * len(field_) - 1)) - 1
        if field_[0] & 0x40:                        # negative
            value -= 1 << (8 * len(field_) - 1)
        return value
    text = field_.split(b"\0", 1)[0].strip(b" \0")
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise ImageFormatError(f"invalid tar header: bad {what} field {text[:20]!r}") from None


def _checksum_ok(block: bytes) -> bool:
    stored = _number(block[148:156], "checksum")
    unsigned = sum(block) - sum(block[148:156]) + 8 * 32
    if stored == unsigned:
        return True
    signed = sum(struct.unpack("512b", block)) - sum(struct.unpack("8b", block[148:156])) + 256
    return stored == signed


def _text(raw: bytes) -> str:
    return raw.partition(b"\0")[0].decode("utf-8", "surrogateescape")


def _parse_pax(data: bytes, limits: HeaderLimits | None = None, name: str = "",
               kept: int = 0) -> dict[str, str]:
    """The records of a PAX payload.  Every record we turn into a field is kept; others
    only while fewer than :data:`MAX_PAX_RECORDS` (``kept`` already held) are kept."""
    records: dict[str, str] = {}
    others = kept
    dropped = 0
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        try:
            length = int(data[pos:space])
        except ValueError:
            raise ImageFormatError("invalid PAX header record") from None
        if length <= 0 or pos + length > len(data):
            raise ImageFormatError("invalid PAX header record length")
        record = data[space + 1:pos + length - 1]
        key, sep, value = record.partition(b"=")
        pos += length
        if not sep:
            continue
        text = key.decode("utf-8", "surrogateescape")
        if text not in _PAX_FIELDS:
            if others >= MAX_PAX_RECORDS and text not in records:
                dropped += 1
                continue
            others += 1
        records[text] = value.decode("utf-8", "surrogateescape")
    if dropped and limits is not None:
        limits.note("pax-records", name, f"more than {MAX_PAX_RECORDS} PAX records "
                    f"({dropped:,} not read)")
    return records


class HeaderLimits:
    """Counts what went past the limits in one tar: the first case of each problem is kept
    as a :class:`PathIssue`, the rest only counted (the issue list is bounded too)."""

    __slots__ = ("_first", "_counts", "layer")

    def __init__(self, layer: int | None = None):
        self.layer = layer
        self._first: dict[str, tuple[str, str]] = {}
        self._counts: dict[str, int] = {}

    def note(self, problem: str, name: str, detail: str) -> None:
        self._first.setdefault(problem, (_bounded_name(name), detail))
        self._counts[problem] = self._counts.get(problem, 0) + 1

    def issues(self) -> list[PathIssue]:
        found = []
        for problem, (name, detail) in self._first.items():
            n = self._counts[problem]
            found.append(PathIssue(self.layer, name, problem,
                                   detail + (f"; {n:,} times in this layer" if n > 1 else "")))
        return found


HEADER_PROBLEMS = frozenset({"pax-records", "extended-header-run", "oversized-header",
                             "long-name"})


def _bounded_name(name: str) -> str:
    return name if len(name) <= MAX_NAME_BYTES else name[:MAX_NAME_BYTES] + "…"


# --------------------------------------------------------------------------- entries

@dataclass(slots=True)
class Entry:
    """One tar member: its header fields and a digest of its content, nothing more.

    Treat as immutable (not frozen only because frozen dataclasses are slow to
    build, and an image has millions of entries).
    """

    path: str               # canonical: no leading "/" or "./", no trailing "/"
    name: str               # the name exactly as stored
    type: str               # file, dir, symlink, hardlink, char, block, fifo, other
    mode: int
    uid: int
    gid: int
    uname: str
    gname: str
    size: int
    mtime: float
    linkname: str = ""
    device: tuple[int, int] = (0, 0)
    xattrs: tuple[tuple[str, str], ...] = ()
    pax: tuple[tuple[str, str], ...] = ()
    atime: float | None = None
    ctime: float | None = None
    digest: str = ""        # sha256 hex of the content (regular files only)
    head: bytes = b""       # first bytes: pyc / gzip header (16), small text file (48)
    norm_digest: str = ""   # digest with the format's timestamp field zeroed (pyc, gzip)
    members_digest: str = ""  # nested tar(.gz): its members minus timestamps and order
    kind: str = ""          # sniffed content format: pyc, gzip, zip, tar, zstd, bzip2, xz
    index: int = 0          # position within its layer

    @property
    def is_whiteout(self) -> bool:
        return posixpath.basename(self.path).startswith(".wh.")

    @property
    def is_opaque(self) -> bool:
        return posixpath.basename(self.path) == ".wh..wh..opq"


@dataclass(frozen=True, slots=True)
class PathIssue:
    """A path that would escape or confuse an extractor: reported, never followed."""

    layer: int | None
    path: str
    problem: str    # parent-traversal, absolute-path, link-escape, through-symlink, empty-name
    detail: str = ""


@dataclass(slots=True)
class LayerSummary:
    """What we keep of one layer: headers + digests, and package-db versions."""

    entries: list[Entry] = field(default_factory=list)
    issues: list[PathIssue] = field(default_factory=list)
    packages: dict[str, dict[str, str]] = field(default_factory=dict)  # db path -> {pkg: ver}
    fingerprint: str = ""   # sha256 over headers + content digests (equality token)
    compression: str = ""
    uncompressed_size: int = 0


def canonical_path(name: str) -> str:
    """``./usr//bin/`` -> ``usr/bin``; ``..`` is kept (and reported elsewhere)."""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return "/".join(parts) if parts else "."


def path_problems(name: str, entry_type: str = "", linkname: str = "") -> list[tuple[str, str]]:
    """Why a member name / link target is unsafe to extract, as (problem, detail)."""
    found: list[tuple[str, str]] = []
    if not name.strip("/") and name not in ("./", ".", "/"):
        found.append(("empty-name", "member has an empty name"))
    if name.startswith("/"):
        found.append(("absolute-path", "member name is absolute"))
    if ".." in name.split("/"):
        found.append(("parent-traversal", "member name contains '..'"))
    if "\0" in name:
        found.append(("empty-name", "member name contains NUL"))
    if entry_type == "hardlink" and linkname:
        if linkname.startswith("/") or ".." in linkname.split("/"):
            found.append(("link-escape", f"hard link target {linkname!r} leaves the layer root"))
    elif entry_type == "symlink" and linkname and not linkname.startswith("/"):
        depth = len(canonical_path(name).split("/")) - 1
        for part in linkname.split("/"):
            if part == "..":
                depth -= 1
                if depth < 0:
                    found.append(("link-escape",
                                  f"symlink target {linkname!r} climbs above the root"))
                    break
            elif part not in ("", "."):
                depth += 1
    return found


def _sniff_kind(path: str, head: bytes, block: bytes) -> str:
    if path.endswith(".pyc") and len(head) >= 16:
        return "pyc"
    codec = sniff_compression(head)
    if codec:
        return codec
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if len(block) >= 262 and block[257:262] == b"ustar":
        return "tar"
    return ""


def _normalized_head(kind: str, head: bytes) -> bytes | None:
    """The header with its timestamp zeroed, for formats that embed one in a fixed place."""
    if kind == "pyc" and struct.unpack_from("<I", head, 4)[0] == 0:   # timestamp-based pyc
        return head[:8] + b"\0\0\0\0" + head[12:]
    if kind == "gzip" and len(head) >= 8:
        return head[:4] + b"\0\0\0\0" + head[8:]
    return None


def _package_versions(db: str, data: bytes) -> dict[str, str]:
    """``{package: version}`` from a dpkg status or apk installed database."""
    text = data.decode("utf-8", "replace")
    versions: dict[str, str] = {}
    if db.endswith("dpkg/status"):
        for stanza in re.split(r"\n\s*\n", text):
            name = re.search(r"^Package:\s*(\S+)", stanza, re.MULTILINE)
            version = re.search(r"^Version:\s*(\S+)", stanza, re.MULTILINE)
            arch = re.search(r"^Architecture:\s*(\S+)", stanza, re.MULTILINE)
            if name and version:
                key = name.group(1) + (f":{arch.group(1)}" if arch else "")
                versions[key] = version.group(1)
    else:
        for stanza in re.split(r"\n\s*\n", text):
            name = re.search(r"^P:(\S+)", stanza, re.MULTILINE)
            version = re.search(r"^V:(\S+)", stanza, re.MULTILINE)
            if name and version:
                versions[name.group(1)] = version.group(1)
    return versions


class _Collect:
    """A sink that keeps bytes (bounded) for the package databases."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def update(self, data) -> None:
        self.parts.append(bytes(data))


@dataclass(slots=True)
class Member:
    """A raw header as read from the stream (before content handling)."""

    name: str
    type: str
    typeflag: bytes
    mode: int
    uid: int
    gid: int
    uname: str
    gname: str
    size: int
    mtime: float
    linkname: str
    device: tuple[int, int]
    pax: dict[str, str]
    block: bytes
    meta: bytes = b""           # digest of the extended headers before it (PAX, GNU long names)


# name mode uid gid size mtime chksum type linkname magic version uname gname major minor prefix
_HEADER = struct.Struct("100s8s8s8s12s12s8s1s100s6s2s32s32s8s8s155s")


def _pax_number(records: dict[str, str], key: str, default: float, what: str) -> float:
    if key not in records:
        return default
    try:
        value = float(records[key])
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (key != "mtime" and value < 0):
        raise ImageFormatError(f"invalid {what} tar: bad PAX {key} {records[key][:30]!r}")
    return int(value) if value.is_integer() else value


def iter_members(reader: Reader, what: str = "layer",
                 limits: HeaderLimits | None = None) -> Iterator[Member]:
    """Yield each member header; the caller must consume exactly ``data_size(member)``
    bytes of content (via ``reader``) before asking for the next one.

    Extended headers are bounded (see :data:`MAX_META_BYTES` and its neighbours):
    what goes past a limit is hashed into ``Member.meta`` but not interpreted, and
    noted in ``limits``.
    """
    limits = limits if limits is not None else HeaderLimits()
    global_pax: dict[str, str] = {}
    long_name = long_link = None
    pax: dict[str, str] = {}
    meta: hashlib._Hash | None = None    # digest of the extended headers before a member
    run = 0
    while True:
        block = reader.read(BLOCK)
        if not block:
            return                                   # tolerate a missing trailer
        if len(block) < BLOCK:
            raise ImageFormatError(f"truncated {what} tar: partial header block")
        if block == bytes(BLOCK):
            return                                   # end-of-archive marker
        if not _checksum_ok(block):
            raise ImageFormatError(f"invalid {what} tar: header checksum mismatch")
        flag = block[156:157]
        size = _number(block[124:136], "size")
        if size < 0:
            raise ImageFormatError(f"invalid {what} tar: negative size")
        if flag in _META_TYPES:
            meta = meta or hashlib.sha256()
            meta.update(flag)
            run += 1
            if size > MAX_META_BYTES or run > MAX_EXTENDED_RUN:
                if size > MAX_META_BYTES:
                    limits.note("oversized-header", long_name or "",
                                f"an extended header of {size:,} bytes")
                else:
                    limits.note("extended-header-run", long_name or "",
                                f"more than {MAX_EXTENDED_RUN} extended headers before one member")
                reader.feed(size, (meta,), what)        # hashed, not interpreted
                reader.skip(-size % BLOCK, what)
                continue
            data = reader.read_exact(size, what)
            reader.skip(-size % BLOCK, what)
            meta.update(data)
            if flag in (b"L", b"K"):
                text = _text(data)
                if len(text) > MAX_NAME_BYTES:
                    limits.note("long-name", text, f"a name of {len(text):,} bytes")
                    text = _bounded_name(text)
                if flag == b"L":
                    long_name = text
                else:
                    long_link = text
            elif flag == b"g":
                others = sum(1 for k in global_pax if k not in _PAX_FIELDS)
                global_pax.update(_parse_pax(data, limits, "global PAX header", others))
            else:
                others = sum(1 for k in pax if k not in _PAX_FIELDS)
                pax.update(_parse_pax(data, limits, long_name or "", others))
            continue
        if flag == b"S" and block[482:483] not in (b"\0", b""):   # GNU sparse extension blocks
            ext = reader.read_exact(BLOCK, what)
            while ext[504:505] not in (b"\0", b""):
                ext = reader.read_exact(BLOCK, what)
        (raw_name, raw_mode, raw_uid, raw_gid, _, raw_mtime, _, _, raw_link, magic, _,
         raw_uname, raw_gname, raw_major, raw_minor, raw_prefix) = _HEADER.unpack_from(block)
        name = _text(raw_name)
        if magic == b"ustar\x00" and flag != b"S":           # POSIX ustar name prefix
            prefix = _text(raw_prefix)
            if prefix:
                name = prefix + "/" + name
        if long_name is not None:
            name = long_name
        linkname = long_link if long_link is not None else _text(raw_link)
        uid, gid = _number(raw_uid, "uid"), _number(raw_gid, "gid")
        mtime: float = _number(raw_mtime, "mtime")
        uname, gname = _text(raw_uname), _text(raw_gname)
        records = {**global_pax, **pax} if (pax or global_pax) else {}
        if records:
            name = records.get("path", name)
            linkname = records.get("linkpath", linkname)
            for value in (name, linkname):
                if len(value) > MAX_NAME_BYTES:
                    limits.note("long-name", value, f"a name of {len(value):,} bytes")
            name, linkname = _bounded_name(name), _bounded_name(linkname)
            uname = records.get("uname", uname)
            gname = records.get("gname", gname)
            size = int(_pax_number(records, "size", size, what))
            uid = int(_pax_number(records, "uid", uid, what))
            gid = int(_pax_number(records, "gid", gid, what))
            mtime = _pax_number(records, "mtime", mtime, what)
        if flag == b"0" or flag == b"\0":
            etype = "dir" if name.endswith("/") else "file"
        else:
            etype = TYPES.get(flag, "other")
        member = Member(
            name=name, type=etype, typeflag=flag, mode=_number(raw_mode, "mode"),
            uid=uid, gid=gid, uname=uname, gname=gname, size=size, mtime=mtime,
            linkname=linkname,
            device=(_number(raw_major, "devmajor"), _number(raw_minor, "devminor"))
            if flag in (b"3", b"4") else (0, 0),
            pax=records, block=block, meta=meta.digest() if meta is not None else b"",
        )
        pax = {}
        meta = None
        run = 0
        long_name = long_link = None
        yield member


def data_size(member: Member) -> int:
    """Bytes of content that follow the header (regular files and unknown types)."""
    if member.typeflag in _DATA_TYPES or member.type == "other":
        return member.size
    return 0


def _pax_time(pax: dict[str, str], key: str) -> float | None:
    return _pax_number(pax, key, 0, "layer") if key in pax else None


def _through_symlink(path: str, symlinks: set[str]) -> str:
    """The first ancestor of ``path`` that is a symlink, or "" (tar-slip via a link)."""
    cut = path.find("/")
    while cut != -1:
        if path[:cut] in symlinks:
            return path[:cut]
        cut = path.find("/", cut + 1)
    return ""


@dataclass(frozen=True, slots=True)
class _Content:
    digest: str = ""
    norm_digest: str = ""
    kind: str = ""
    head: bytes = b""
    members_digest: str = ""
    packages: dict[str, str] | None = None


_NO_CONTENT = _Content()


def _read_content(reader: Reader, path: str, length: int, nested: bool) -> _Content:
    """Hash one file's content as it streams past; look inside the few formats we know."""
    peek = reader.peek(min(length, BLOCK))
    head = peek[:HEAD_BYTES]
    kind = _sniff_kind(path, head, peek)
    hasher = hashlib.sha256()
    sinks: list = [hasher]
    keep = None
    if ((path in PACKAGE_DBS and length <= MAX_PACKAGE_DB_BYTES)
            or (nested and kind in ("tar", "gzip") and length <= MAX_NESTED_ARCHIVE_BYTES)):
        keep = _Collect()
        sinks.append(keep)
    norm = _normalized_head(kind, head)
    norm_digest = ""
    if norm is not None:
        first = reader.read_exact(len(head), "layer")
        for sink in sinks:
            sink.update(first)
        rest = hashlib.sha256(norm)
        reader.feed(length - len(head), (*sinks, rest), "layer")
        norm_digest = rest.hexdigest()
    else:
        reader.feed(length, tuple(sinks), "layer")
    data = b"".join(keep.parts) if keep else b""
    return _Content(
        digest=hasher.hexdigest(), norm_digest=norm_digest, kind=kind,
        head=head if kind in ("pyc", "gzip") else _text_head(peek, length, kind),
        members_digest=_members_digest(data) if keep and kind in ("tar", "gzip") else "",
        packages=_package_versions(path, data) if keep and path in PACKAGE_DBS else None)


def _text_head(peek: bytes, length: int, kind: str) -> bytes:
    """The start of a small text file (a date, an id: what a build wrote), else b""."""
    if kind or length > SMALL_TEXT_FILE:
        return b""
    head = peek[:TEXT_HEAD_BYTES]
    for cut in range(4):                      # the cut may split a UTF-8 character
        try:
            text = head[:len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c in "\t\n\r" for c in text):
            return head[:len(head) - cut]
        return b""
    return b""


def _members_digest(data: bytes) -> str:
    """Digest of a nested tar's members without their timestamps and order ("" if not a tar).

    Equal for two archives that differ only in when (and in which order) their
    members were written: the usual story of a tarball made during a build.
    """
    try:
        reader, _ = decompressed(Reader(io.BytesIO(data).read))
        reader = Reader(Limited(reader, MAX_NESTED_EXPANDED_BYTES, bounded=True).read)
        if not looks_like_tar(reader.peek(BLOCK)):
            return ""
        inner = read_layer(reader, nested=False)
    except ImageFormatError:
        return ""                  # not a tar, damaged, or too large once expanded
    digest = hashlib.sha256()
    for e in sorted(inner.entries, key=lambda e: e.path):
        digest.update(repr((e.path, e.type, e.mode, e.uid, e.gid, e.uname, e.gname, e.size,
                            e.linkname, e.device, e.xattrs, e.digest)).encode(
                                "utf-8", "surrogateescape"))
    return digest.hexdigest()


def read_layer(reader: Reader, layer: int | None = None, nested: bool = True) -> LayerSummary:
    """Walk one (uncompressed) layer tar, hashing content, keeping headers only.

    With ``nested``, small tar / tar.gz files inside are read too (see
    :func:`_members_digest`).
    """
    summary = LayerSummary()
    fingerprint = hashlib.sha256()
    symlinks: set[str] = set()
    limits = HeaderLimits(layer)
    for index, m in enumerate(iter_members(reader, limits=limits)):
        path = canonical_path(m.name)
        for problem, detail in path_problems(m.name, m.type, m.linkname):
            summary.issues.append(PathIssue(layer, m.name, problem, detail))
        if symlinks:
            through = _through_symlink(path, symlinks)
            if through:
                summary.issues.append(PathIssue(
                    layer, m.name, "through-symlink",
                    f"written below {through!r}, a symlink earlier in this layer"))
        if m.type == "symlink":
            symlinks.add(path)
        length = data_size(m)
        content = _NO_CONTENT
        if m.type == "file":
            content = _read_content(reader, path, length, nested)
            if content.packages is not None:
                summary.packages[path] = content.packages
        else:
            reader.skip(length, "layer")
        reader.skip(-length % BLOCK, "layer")
        pax = m.pax
        xattrs: tuple[tuple[str, str], ...] = ()
        extra: tuple[tuple[str, str], ...] = ()
        atime = ctime = None
        if pax:
            xattrs = tuple(sorted((k, v) for k, v in pax.items()
                                  if k.startswith(_XATTR_PREFIXES)))
            extra = tuple(sorted((k, v) for k, v in pax.items()
                                 if k not in _PAX_FIELDS and not k.startswith(_XATTR_PREFIXES)))
            atime = _pax_time(pax, "atime")
            ctime = _pax_time(pax, "ctime")
        linkname = canonical_path(m.linkname) if m.type == "hardlink" else m.linkname
        entry = Entry(  # share equal strings: memory is per entry, and images have many
            path=path, name=path if m.name == path else m.name, type=m.type, mode=m.mode,
            uid=m.uid, gid=m.gid, uname=sys.intern(m.uname), gname=sys.intern(m.gname),
            size=m.size if m.type == "file" else 0, mtime=m.mtime, linkname=linkname,
            device=m.device, xattrs=xattrs, pax=extra, atime=atime, ctime=ctime,
            digest=content.digest, head=content.head, norm_digest=content.norm_digest,
            kind=content.kind, members_digest=content.members_digest, index=index,
        )
        summary.entries.append(entry)
        fingerprint.update(m.meta)
        fingerprint.update(m.block)
        fingerprint.update(content.digest.encode())
    summary.fingerprint = fingerprint.hexdigest()
    summary.issues.extend(limits.issues())
    return summary


def read_layer_stream(stream, layer: int | None = None) -> LayerSummary:
    """Convenience: summarise a layer from a binary file-like (compressed or not)."""
    reader, codec = decompressed(Reader(stream.read))
    summary = read_layer(reader, layer)
    reader.drain()
    summary.compression = codec
    summary.uncompressed_size = reader.consumed
    return summary
