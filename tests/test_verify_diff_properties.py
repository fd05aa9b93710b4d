"""Property tests: self-diff is empty, order-only permutations, one field -> that field."""
from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, docker_save, layer, oci_layout

from dockerlint.verify.diff import ImageFormatError, Verdict, diff_images

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])

names = st.text(alphabet="abcdefxyz0123_-", min_size=1, max_size=10)
paths = st.lists(names, min_size=1, max_size=3).map("/".join)


@st.composite
def entries(draw, min_size=1, max_size=12):
    chosen = draw(st.lists(paths, min_size=min_size, max_size=max_size, unique=True))
    # a path that is a prefix directory of another must not also be a file
    chosen = [p for p in chosen if not any(q.startswith(p + "/") for q in chosen)]
    result = []
    for path in chosen:
        kind = draw(st.sampled_from(["file", "file", "dir", "symlink"]))
        result.append(F(
            path, data=draw(st.binary(max_size=64)) if kind == "file" else b"", type=kind,
            mode=draw(st.integers(0, 0o7777)), uid=draw(st.integers(0, 70000)),
            gid=draw(st.integers(0, 70000)), uname=draw(names), gname=draw(names),
            mtime=draw(st.integers(0, 2**33)),
            linkname=draw(paths) if kind == "symlink" else "",
            pax={"SCHILY.xattr.user.a": draw(names)} if draw(st.booleans()) else {},
        ))
    return result


def run(a: bytes, b: bytes):
    return diff_images(io.BytesIO(a), io.BytesIO(b))


@SETTINGS
@given(st.lists(entries(), min_size=1, max_size=3))
def test_self_diff_is_empty(layers):
    tars = [layer(*specs) for specs in layers]
    result = run(docker_save(tars), oci_layout(tars))
    assert result.verdict is Verdict.REPRODUCIBLE
    assert all(l.status == "identical" and not l.entries for l in result.layers)
    assert result.merged == () and result.config == ()


@SETTINGS
@given(entries(min_size=2), st.randoms(use_true_random=False))
def test_permuting_entries_is_order_only(specs, rnd):
    assume(len(specs) >= 2)        # the prefix filter of ``entries`` may leave one
    shuffled = list(specs)
    while [s.path for s in shuffled] == [s.path for s in specs]:
        rnd.shuffle(shuffled)
    (l0,) = run(docker_save([layer(*specs)]), docker_save([layer(*shuffled)])).layers
    assert l0.status == "reordered"
    assert l0.entries == ()


MUTATIONS = {
    "mode": lambda f: {"mode": f.mode ^ 0o1},
    "uid": lambda f: {"uid": f.uid + 1},
    "gid": lambda f: {"gid": f.gid + 1},
    "uname": lambda f: {"uname": f.uname + "x"},
    "gname": lambda f: {"gname": f.gname + "x"},
    "mtime": lambda f: {"mtime": f.mtime + 1},
    "xattrs": lambda f: {"pax": {"SCHILY.xattr.user.a": "changed!" + f.pax.get(
        "SCHILY.xattr.user.a", "")}},
}


@SETTINGS
@given(entries(), st.data())
def test_changing_one_field_reports_exactly_that_field(specs, data):
    target = data.draw(st.integers(0, len(specs) - 1))
    spec = specs[target]
    options = list(MUTATIONS)
    if spec.type == "file":
        options.append("content")
    if spec.type == "symlink":
        options.append("linkname")
    field = data.draw(st.sampled_from(options))
    if field == "content":
        body = spec.data or b"\0"
        changes = {"data": bytes([body[0] ^ 1]) + body[1:]}
        expected = ("content",) if spec.data else ("size", "content")
    elif field == "linkname":
        changes, expected = {"linkname": spec.linkname + "x"}, ("linkname",)
    else:
        changes, expected = MUTATIONS[field](spec), (field,)
    mutated = list(specs)
    mutated[target] = dataclasses.replace(spec, **changes)
    (l0,) = run(docker_save([layer(*specs)]), docker_save([layer(*mutated)])).layers
    assert [(e.path, e.kind, e.fields) for e in l0.entries] == [(spec.path, "changed", expected)]


VALID = docker_save([layer(F("a", b"hello"), F("d/", type="dir"),
                           F("l", type="symlink", linkname="a"),
                           F("p", b"x", pax={"SCHILY.xattr.user.k": "v", "mtime": "1.5"}))])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_damaged_archives_raise_only_image_format_error(data):
    """Flip, cut or splice bytes anywhere: the result is a diff or ImageFormatError."""
    blob = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "cut", "splice"]))
        at = data.draw(st.integers(0, len(blob) - 1))
        if action == "flip":
            blob[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del blob[at:]
            if not blob:
                break
        else:
            blob[at:at] = data.draw(st.binary(min_size=1, max_size=600))
    try:
        run(bytes(blob), VALID)
    except ImageFormatError:
        pass


LAYER = layer(F("a", b"hello"), F("l", type="symlink", linkname="a"),
              F("p", b"x" * 700, pax={"SCHILY.xattr.user.k": "v", "mtime": "1.5"}))
HEADERS = [i for i in range(0, len(LAYER) - 512, 512) if LAYER[i + 257:i + 262] == b"ustar"]
FIELD_RANGES = [(0, 100), (100, 108), (108, 116), (116, 124), (124, 136), (136, 148),
                (156, 157), (157, 257), (265, 297), (329, 345), (345, 500)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(HEADERS), st.sampled_from(FIELD_RANGES), st.data())
def test_forged_headers_with_valid_checksums_raise_only_image_format_error(at, span, data):
    """Garbage in any header field, checksum recomputed so the header looks valid."""
    from dockerlint.verify.layers import read_layer_stream

    blob = bytearray(LAYER)
    start, end = span
    value = data.draw(st.binary(min_size=1, max_size=end - start))
    offset = data.draw(st.integers(0, end - start - len(value)))
    blob[at + start + offset:at + start + offset + len(value)] = value
    header = blob[at:at + 512]
    header[148:156] = b" " * 8
    blob[at + 148:at + 156] = b"%06o\0 " % sum(header)
    try:
        read_layer_stream(io.BytesIO(bytes(blob)))
    except ImageFormatError:
        pass
