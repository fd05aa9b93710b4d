"""diff_images over whole archives: layouts, pairing, overlay merge, config, verdict."""
from __future__ import annotations

import gzip
import io
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import EPOCH, F, config, docker_save, layer, oci_layout, pyc

from dockerlint.verify.diff import (
    ImageFormatError,
    Verdict,
    decode_pyc_header,
    diff_images,
)

BASE = layer(F("./", type="dir"), F("./bin/", type="dir"), F("./bin/sh", b"#" * 300))


def run(a: bytes, b: bytes):
    return diff_images(io.BytesIO(a), io.BytesIO(b))


def app_layer(stamp: int, body: bytes = b"hello") -> bytes:
    return layer(F("app/", type="dir", mtime=stamp), F("app/a.txt", body, mtime=stamp))


def test_identical_archives_are_reproducible():
    image = docker_save([BASE, app_layer(EPOCH)])
    result = run(image, image)
    assert result.verdict is Verdict.REPRODUCIBLE
    assert [l.status for l in result.layers] == ["identical", "identical"]
    assert result.config == ()


@pytest.mark.parametrize("manifest_first", [False, True])
def test_manifest_position_does_not_matter(manifest_first):
    a = docker_save([BASE, app_layer(EPOCH)], manifest_first=manifest_first)
    b = docker_save([BASE, app_layer(EPOCH + 7)], manifest_first=not manifest_first)
    result = run(a, b)
    assert result.layers[0].status == "identical"
    layer1 = result.layers[1]
    assert layer1.status == "different"
    assert [(e.path, e.fields) for e in layer1.entries] == [
        ("app", ("mtime",)), ("app/a.txt", ("mtime",))]
    assert layer1.entries[0].details["mtime"] == (EPOCH, EPOCH + 7)


def test_each_field_is_reported_by_name():
    a = layer(F("f", b"one", mode=0o644, uid=1, gid=2, uname="u", gname="g",
                pax={"SCHILY.xattr.user.k": "1"}), F("l", type="symlink", linkname="x"))
    b = layer(F("f", b"two!", mode=0o600, uid=3, gid=4, uname="v", gname="h",
                pax={"SCHILY.xattr.user.k": "2"}), F("l", type="symlink", linkname="y"))
    result = run(docker_save([a]), docker_save([b]))
    entries = {e.path: e for e in result.layers[0].entries}
    assert entries["f"].fields == ("mode", "uid", "gid", "uname", "gname", "size", "content",
                                   "xattrs")
    assert entries["f"].details["content"][0] != entries["f"].details["content"][1]
    assert entries["l"].fields == ("linkname",)


def test_name_spelling_is_a_format_difference_not_a_path_difference():
    result = run(docker_save([layer(F("./a", b"x"))]), docker_save([layer(F("a", b"x"))]))
    (entry,) = result.layers[0].entries
    assert entry.path == "a" and entry.kind == "changed" and entry.fields == ("name",)


def test_added_and_removed_entries():
    a = layer(F("keep", b"1"), F("gone", b"2"))
    b = layer(F("keep", b"1"), F("new", b"3"))
    result = run(docker_save([a]), docker_save([b]))
    assert [(e.path, e.kind) for e in result.layers[0].entries] == [
        ("gone", "only_a"), ("new", "only_b")]


def test_hard_links_compare_their_target():
    a = layer(F("x", b"1"), F("y", b"1"), F("h", type="hardlink", linkname="x"))
    b = layer(F("x", b"1"), F("y", b"1"), F("h", type="hardlink", linkname="y"))
    (entry,) = run(docker_save([a]), docker_save([b])).layers[0].entries
    assert entry.path == "h" and entry.fields == ("linkname",)


def test_pyc_header_is_decoded_and_header_only_change_detected():
    a = layer(F("m.pyc", pyc(1_600_000_000)), F("n.pyc", pyc(5, body=b"one")))
    b = layer(F("m.pyc", pyc(1_600_000_100)), F("n.pyc", pyc(5, body=b"two")))
    entries = {e.path: e for e in run(docker_save([a]), docker_save([b])).layers[0].entries}
    m = entries["m.pyc"]
    assert m.fields == ("content",) and m.details["header_only"] is True
    assert m.details["pyc"][0]["source_mtime"] == 1_600_000_000
    assert m.details["pyc"][1]["source_mtime"] == 1_600_000_100
    assert entries["n.pyc"].details["header_only"] is False


def test_decode_hash_based_pyc():
    head = (3495).to_bytes(2, "little") + b"\r\n" + (3).to_bytes(4, "little") + bytes(range(8))
    assert decode_pyc_header(head) == {"magic": 3495, "flags": 3,
                                       "invalidation": "checked-hash",
                                       "source_hash": "0001020304050607"}
    assert decode_pyc_header(b"not a pyc header") is None


def test_gzip_compressed_layers_and_oci_layout():
    plain = app_layer(EPOCH)
    a = oci_layout([gzip.compress(BASE, mtime=0), gzip.compress(plain, mtime=0)])
    b = docker_save([BASE, plain])
    result = run(a, b)
    assert (result.layout_a, result.layout_b) == ("oci", "docker-save")
    assert result.verdict is Verdict.REPRODUCIBLE
    assert result.layers[1].compression_a == "gzip"


def test_oci_layout_with_manifest_json_and_flat_index():
    layers = [BASE, app_layer(EPOCH)]
    a = oci_layout(layers, nested_index=False, with_manifest_json=True)
    b = oci_layout(layers, nested_index=True)
    assert run(a, b).verdict is Verdict.REPRODUCIBLE


def test_same_diff_id_other_compression_is_metadata_only():
    plain = app_layer(EPOCH)
    a = oci_layout([BASE, gzip.compress(plain, mtime=0)])
    b = oci_layout([BASE, gzip.compress(plain, mtime=0, compresslevel=1)])
    result = run(a, b)
    assert result.layers[1].status == "identical"
    assert result.layers[1].blob_digest_a != result.layers[1].blob_digest_b
    assert result.verdict is Verdict.METADATA_ONLY


def test_shared_layer_symlinks_in_legacy_archive():
    image = docker_save([BASE, BASE, app_layer(EPOCH)])     # second BASE stored as a symlink
    result = run(image, docker_save([BASE, BASE, app_layer(EPOCH)], shared_symlinks=False))
    assert [l.status for l in result.layers] == ["identical"] * 3


def test_config_semantic_and_volatile_fields_are_split():
    layers = [BASE]
    ca = config(layers, created="2026-01-01T00:00:00Z", container="aaa",
                container_config={"Hostname": "aaa", "Image": "sha256:1", "Cmd": ["x"]})
    cb = config(layers, created="2026-01-02T00:00:00Z", container="bbb",
                container_config={"Hostname": "bbb", "Image": "sha256:2", "Cmd": ["x"]})
    cb["config"]["Env"] = ["PATH=/usr/bin:/bin", "BUILD_DATE=2026-01-02"]
    cb["config"]["Labels"] = {"org.opencontainers.image.revision": "abc"}
    result = run(docker_save(layers, ca), docker_save(layers, cb))
    assert {c.key for c in result.volatile_config} == {
        "created", "history[0].created", "container", "container_config.Hostname",
        "container_config.Image"}
    assert {c.key for c in result.semantic_config} == {
        "config.Env", "config.Labels.org.opencontainers.image.revision"}
    assert result.verdict is Verdict.NOT_REPRODUCIBLE


def test_volatile_config_only_is_metadata_verdict():
    layers = [BASE, app_layer(EPOCH)]
    a = docker_save(layers, config(layers, created="2026-01-01T00:00:00Z"))
    b = docker_save(layers, config(layers, created="2026-01-02T00:00:00Z"))
    assert run(a, b).verdict is Verdict.METADATA_ONLY


def test_layer_count_mismatch_uses_an_overlay_merge():
    extra = layer(F("app/tmp.txt", b"x"), F("app/.wh.a.txt"))         # adds, then deletes
    a = docker_save([BASE, app_layer(EPOCH)])
    b = docker_save([BASE, app_layer(EPOCH), extra])
    result = run(a, b)
    assert (result.layer_count_a, result.layer_count_b) == (2, 3)
    assert [l.status for l in result.layers] == ["identical", "identical", "only_b"]
    assert [(e.path, e.kind, e.layer) for e in result.merged] == [
        ("app/a.txt", "only_a", 1), ("app/tmp.txt", "only_b", 2)]
    assert result.verdict is Verdict.NOT_REPRODUCIBLE


def test_opaque_directory_hides_lower_layers_only():
    lower = layer(F("d/", type="dir"), F("d/old", b"1"), F("keep", b"k"))
    upper = layer(F("d/", type="dir"), F("d/.wh..wh..opq"), F("d/new", b"2"))
    a = docker_save([lower, upper])
    b = docker_save([layer(F("d/", type="dir"), F("d/new", b"2"), F("keep", b"k"))])
    result = run(a, b)
    assert result.merged == ()              # same file system, different layering
    assert result.verdict is Verdict.NOT_REPRODUCIBLE      # but not the same image


def test_whiteout_of_a_directory_removes_its_subtree():
    lower = layer(F("d/", type="dir"), F("d/x/", type="dir"), F("d/x/y", b"1"), F("e", b"e"))
    a = docker_save([lower, layer(F(".wh.d"))])
    b = docker_save([layer(F("e", b"e"))])
    assert run(a, b).merged == ()


def test_moved_layer_is_paired_by_diff_id():
    l1, l2 = layer(F("one", b"1")), layer(F("two", b"2"))
    result = run(docker_save([BASE, l1, l2]), docker_save([BASE, l2, l1]))
    statuses = sorted((l.index, l.index_b, l.status) for l in result.layers)
    assert statuses == [(0, 0, "identical"), (1, 2, "moved"), (2, 1, "moved")]


def test_reordered_entries_are_order_only():
    a = layer(F("x", b"1"), F("y", b"2"))
    b = layer(F("y", b"2"), F("x", b"1"))
    (l0,) = run(docker_save([a]), docker_save([b])).layers
    assert l0.status == "reordered" and l0.entries == ()


def test_unsafe_paths_are_collected_per_layer():
    evil = layer(F("../../etc/cron.d/x", b"* * * * * root sh"))
    result = run(docker_save([BASE, evil]), docker_save([BASE]))
    assert [(i.layer, i.path, i.problem) for i in result.issues_a] == [
        (1, "../../etc/cron.d/x", "parent-traversal")]


@pytest.mark.parametrize("data,message", [
    (b"", "no manifest.json"),
    (b"garbage" * 100, "checksum"),
])
def test_unreadable_archives(data, message):
    good = docker_save([BASE])
    with pytest.raises(ImageFormatError, match=message):
        run(data, good)


def test_archive_missing_a_layer():
    good = docker_save([BASE])
    buf = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(good)) as src, tarfile.open(fileobj=buf, mode="w") as dst:
        for member in src.getmembers():
            if not member.name.endswith("layer.tar"):
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    with pytest.raises(ImageFormatError, match="missing"):
        run(buf.getvalue(), good)


def test_progress_reports_bytes():
    image = docker_save([BASE, app_layer(EPOCH)])
    seen: list[int] = []
    diff_images(io.BytesIO(image), io.BytesIO(image), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] > len(image)      # both archives counted


def test_same_entries_in_another_tar_encoding_is_equivalent_not_identical():
    specs = (F("a", b"1"), F("b/", type="dir"))
    a = docker_save([layer(*specs, fmt=tarfile.USTAR_FORMAT)])
    b = docker_save([layer(*specs, fmt=tarfile.GNU_FORMAT)])
    (l0,) = run(a, b).layers
    assert l0.status == "equivalent" and l0.entries == ()
    assert l0.diff_id_a != l0.diff_id_b
    assert run(a, b).verdict is Verdict.NOT_REPRODUCIBLE


def test_gzipped_docker_save_archive_is_read():
    image = docker_save([BASE, app_layer(EPOCH)])
    assert run(gzip.compress(image), image).verdict is Verdict.REPRODUCIBLE


def test_corrupt_layer_error_names_the_member():
    good = docker_save([BASE])
    broken = docker_save([layer(F("a", b"x" * 5000))[:2048]])
    with pytest.raises(ImageFormatError, match=r"/layer.tar: truncated"):
        run(broken, good)


def test_sequential_and_parallel_reads_agree():
    a = docker_save([BASE, app_layer(EPOCH)])
    b = docker_save([BASE, app_layer(EPOCH + 3)])
    parallel = diff_images(io.BytesIO(a), io.BytesIO(b))
    sequential = diff_images(io.BytesIO(a), io.BytesIO(b), parallel=False)
    assert parallel.layers == sequential.layers and parallel.config == sequential.config


class Stop(Exception):
    pass


@pytest.mark.parametrize("parallel", [True, False])
def test_an_exception_from_progress_aborts_the_diff(parallel):
    big = docker_save([layer(F("big", b"x" * (12 << 20)))])

    def progress(done: int) -> None:
        if done > 5 << 20:
            raise Stop("timeout")

    with pytest.raises(Stop):
        diff_images(io.BytesIO(big), io.BytesIO(big), progress=progress, parallel=parallel)


def test_an_unreadable_second_archive_fails_while_the_first_is_read():
    big = docker_save([layer(F("big", b"x" * (12 << 20)))])
    with pytest.raises(ImageFormatError):
        diff_images(io.BytesIO(big), io.BytesIO(b"junk" * 200))


def test_json_metadata_is_bounded(monkeypatch):
    from dockerlint.verify import archive

    monkeypatch.setattr(archive, "MAX_JSON_TOTAL", 100)
    image = docker_save([BASE])
    with pytest.raises(ImageFormatError, match="too much JSON"):
        run(image, image)
