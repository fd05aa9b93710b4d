"""The layer tar walker: every header field, PAX/GNU encodings, compression, bad input."""
from __future__ import annotations

import gzip
import hashlib
import io
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import EPOCH, F, layer, pyc

from dockerlint.verify.layers import (
    ChunkStream,
    ImageFormatError,
    canonical_path,
    path_problems,
    read_layer_stream,
)


def summarise(data: bytes):
    return read_layer_stream(io.BytesIO(data))


def test_every_header_field_is_read():
    data = layer(
        F("./usr/bin/tool", b"#!/bin/sh\necho hi\n", mode=0o4755, uid=1000, gid=1001,
          uname="me", gname="staff", mtime=EPOCH + 42,
          pax={"SCHILY.xattr.user.note": "x", "comment": "hello"}),
        F("usr/bin/link", type="symlink", linkname="tool"),
        F("./usr/bin/hard", type="hardlink", linkname="./usr/bin/tool"),
        F("dev/null", type="char"),
        F("run/fifo", type="fifo"),
        F("etc/", type="dir", mode=0o700),
    )
    entries = {e.path: e for e in summarise(data).entries}
    tool = entries["usr/bin/tool"]
    assert (tool.type, tool.mode, tool.uid, tool.gid, tool.uname, tool.gname) == (
        "file", 0o4755, 1000, 1001, "me", "staff")
    assert tool.name == "./usr/bin/tool"
    assert tool.size == 18 and tool.mtime == EPOCH + 42
    assert tool.digest == hashlib.sha256(b"#!/bin/sh\necho hi\n").hexdigest()
    assert tool.xattrs == (("SCHILY.xattr.user.note", "x"),)
    assert tool.pax == (("comment", "hello"),)
    assert entries["usr/bin/link"].linkname == "tool"
    assert entries["usr/bin/hard"].type == "hardlink"
    assert entries["usr/bin/hard"].linkname == "usr/bin/tool"      # canonical target
    assert entries["dev/null"].type == "char"
    assert entries["run/fifo"].type == "fifo"
    assert entries["etc"].type == "dir" and entries["etc"].mode == 0o700
    assert [e.index for e in summarise(data).entries] == list(range(6))


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_long_names_in_every_tar_format(fmt):
    long_dir = "/".join(["d" * 40] * 3)             # 122 chars: needs prefix / GNU L / PAX
    data = layer(F(f"{long_dir}/file.txt", b"data"), fmt=fmt)
    (entry,) = summarise(data).entries
    assert entry.path == f"{long_dir}/file.txt"


def test_gnu_long_link_and_base256_numbers():
    target = "t" * 150
    data = layer(F("l", type="symlink", linkname=target, uid=0o10000000),
                 fmt=tarfile.GNU_FORMAT)        # uid over 7 octal digits: base-256
    (entry,) = summarise(data).entries
    assert entry.linkname == target and entry.uid == 0o10000000


def test_pax_fractional_mtime_and_atime():
    data = layer(F("f", b"x", mtime=EPOCH + 0.5, pax={"atime": "123.25"}))
    (entry,) = summarise(data).entries
    assert entry.mtime == EPOCH + 0.5 and entry.atime == 123.25


def test_gzip_layer_is_decompressed_while_streaming():
    plain = layer(F("a", b"1" * 100_000), F("b", b"2"))
    summary = summarise(gzip.compress(plain))
    assert summary.compression == "gzip"
    assert [e.path for e in summary.entries] == ["a", "b"]
    assert summary.fingerprint == summarise(plain).fingerprint
    assert summary.uncompressed_size == len(plain)


def test_zstd_layer_without_zstandard_is_a_clear_error():
    try:
        import zstandard  # noqa: F401
    except ImportError:
        with pytest.raises(ImageFormatError, match="zstandard"):
            summarise(b"\x28\xb5\x2f\xfd" + bytes(600))
    else:  # pragma: no cover - depends on the environment
        pytest.skip("zstandard installed")


def test_chunk_stream_reads_sdk_style_chunks():
    data = layer(F("a", b"hello"), F("b", b"world"))
    chunks = [data[i:i + 7] for i in range(0, len(data), 7)]
    summary = read_layer_stream(ChunkStream(chunks))
    assert [e.path for e in summary.entries] == ["a", "b"]


def test_pyc_and_gzip_heads_are_kept_and_normalised():
    data = layer(F("m.pyc", pyc(111)), F("n.pyc", pyc(222)),
                 F("x.gz", gzip.compress(b"abc", mtime=1)), F("y.gz", gzip.compress(b"abc", mtime=2)))
    e = {x.path: x for x in summarise(data).entries}
    assert e["m.pyc"].kind == "pyc" and e["x.gz"].kind == "gzip"
    assert e["m.pyc"].digest != e["n.pyc"].digest
    assert e["m.pyc"].norm_digest == e["n.pyc"].norm_digest != ""
    assert e["x.gz"].norm_digest == e["y.gz"].norm_digest != ""
    assert e["m.pyc"].digest == hashlib.sha256(pyc(111)).hexdigest()   # true digest kept


def test_package_database_versions_are_extracted():
    status = (b"Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
              b"Version: 2.36-9\n\nPackage: tzdata\nArchitecture: all\nVersion: 2024a-0\n")
    summary = summarise(layer(F("var/lib/dpkg/status", status)))
    assert summary.packages == {"var/lib/dpkg/status": {"libc6:amd64": "2.36-9",
                                                         "tzdata:all": "2024a-0"}}


def test_canonical_paths():
    assert canonical_path("./usr//bin/") == "usr/bin"
    assert canonical_path("/etc/passwd") == "etc/passwd"
    assert canonical_path("./") == "."
    assert canonical_path("a/./b") == "a/b"
    assert canonical_path("a/../b") == "a/../b"     # kept as data, reported separately


@pytest.mark.parametrize("name,etype,link,problem", [
    ("../etc/passwd", "file", "", "parent-traversal"),
    ("a/../../x", "file", "", "parent-traversal"),
    ("/etc/shadow", "file", "", "absolute-path"),
    ("a/b", "symlink", "../../../etc", "link-escape"),
    ("a", "hardlink", "/etc/passwd", "link-escape"),
    ("a", "hardlink", "../x", "link-escape"),
])
def test_malicious_paths_are_reported(name, etype, link, problem):
    assert problem in [p for p, _ in path_problems(name, etype, link)]


@pytest.mark.parametrize("name,etype,link", [
    ("usr/bin/python", "symlink", "python3"),
    ("usr/lib/x/y", "symlink", "../../bin/z"),
    ("bin/sh", "symlink", "/bin/busybox"),          # absolute targets resolve in the image
    ("./", "dir", ""),
])
def test_normal_paths_are_not_reported(name, etype, link):
    assert path_problems(name, etype, link) == []


def test_malicious_layer_is_read_without_touching_the_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = layer(F("../../evil", b"x"), F("link", type="symlink", linkname="../../../../tmp"),
                 F("link/inside", b"y"))
    summary = summarise(data)
    assert [(i.path, i.problem) for i in summary.issues] == [
        ("../../evil", "parent-traversal"), ("link", "link-escape"),
        ("link/inside", "through-symlink")]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("data,message", [
    (b"not a tar at all" * 40, "checksum"),
    (layer(F("a", b"x" * 2000))[:1200], "truncated"),
    (layer(F("a", b"x"))[:300], "truncated"),
])
def test_bad_input_raises_image_format_error(data, message):
    with pytest.raises(ImageFormatError, match=message):
        summarise(data)


def test_corrupt_gzip_raises_image_format_error():
    with pytest.raises(ImageFormatError, match="gzip"):
        summarise(b"\x1f\x8b\x08\x00" + bytes(100))


def test_empty_tar_is_an_empty_layer():
    assert summarise(bytes(1024)).entries == []


@pytest.mark.parametrize("record", [{"size": "-5"}, {"mtime": "nan"}, {"uid": "inf"},
                                    {"atime": "x"}, {"gid": "-1"}])
def test_bad_pax_numbers_are_format_errors(record):
    data = layer(F("f", b"x", pax=record))
    with pytest.raises(ImageFormatError, match="bad PAX"):
        summarise(data)


def test_entries_below_a_symlink_of_the_same_layer_are_reported():
    data = layer(F("etc", type="symlink", linkname="/host/etc"), F("etc/cron.d/job", b"x"),
                 F("etc2/", type="dir"), F("etc2/ok", b"y"))
    issues = summarise(data).issues
    assert [(i.path, i.problem) for i in issues] == [("etc/cron.d/job", "through-symlink")]


def _tarball(*specs: F, compress: str = "") -> bytes:
    return layer(*specs, fmt=tarfile.GNU_FORMAT, compress=compress)


@pytest.mark.parametrize("compress", ["", "gzip"])
def test_nested_tarball_members_ignore_timestamps_and_order(compress):
    one = _tarball(F("x", b"1", mtime=10), F("y", b"2", mtime=10), compress=compress)
    two = _tarball(F("y", b"2", mtime=99), F("x", b"1", mtime=99), compress=compress)
    other = _tarball(F("x", b"1"), F("y", b"3"), compress=compress)
    e = {x.path: x for x in summarise(layer(F("one", one), F("two", two),
                                            F("other", other))).entries}
    assert e["one"].digest != e["two"].digest
    assert e["one"].members_digest == e["two"].members_digest != ""
    assert e["other"].members_digest not in ("", e["one"].members_digest)


def test_plain_gzip_and_oversized_expansion_have_no_members_digest(monkeypatch):
    import dockerlint.verify.layers as layers_mod

    monkeypatch.setattr(layers_mod, "MAX_NESTED_EXPANDED_BYTES", 1 << 20)
    bomb = _tarball(F("zeros", bytes(2 << 20)), compress="gzip")
    e = {x.path: x for x in summarise(layer(F("plain.gz", gzip.compress(b"text")),
                                            F("bomb.tar.gz", bomb))).entries}
    assert e["plain.gz"].kind == "gzip" and e["plain.gz"].members_digest == ""
    assert e["bomb.tar.gz"].members_digest == ""


def test_zstd_layers_go_through_the_zstandard_stream_reader(monkeypatch):
    """The plumbing to the optional ``zstandard`` package, with a stand-in codec
    ("compressed" = zstd magic + plain bytes) since the package is not a dependency."""
    import types

    class StreamReader:
        def __init__(self, raw, read_across_frames):
            assert read_across_frames
            self.raw, self.started = raw, False

        def read(self, n):
            if not self.started:
                self.started = True
                assert self.raw.read(4) == b"\x28\xb5\x2f\xfd"
            return self.raw.read(n)

    fake = types.ModuleType("zstandard")
    fake.ZstdError = type("ZstdError", (Exception,), {})
    fake.ZstdDecompressor = lambda: types.SimpleNamespace(stream_reader=StreamReader)
    monkeypatch.setitem(sys.modules, "zstandard", fake)
    plain = layer(F("a", b"hello"), F("b", b"world"))
    summary = summarise(b"\x28\xb5\x2f\xfd" + plain)
    assert summary.compression == "zstd"
    assert [e.path for e in summary.entries] == ["a", "b"]


def test_small_text_files_keep_their_first_bytes_binary_and_large_ones_do_not():
    text = "Built on Thu Nov 26 16:03:22 UTC 2026 by the CI runner, commit ab12cd\n"
    e = {x.path: x for x in summarise(layer(
        F("stamp.txt", text.encode()), F("blob.bin", bytes(range(256))),
        F("big.txt", b"a" * 5000), F("utf8.txt", ("x" + "é" * 30).encode()))).entries}
    assert e["stamp.txt"].head == text.encode()[:48]
    assert e["blob.bin"].head == b"" and e["big.txt"].head == b""
    assert e["utf8.txt"].head.decode("utf-8") == "x" + "é" * 23    # cut between characters
