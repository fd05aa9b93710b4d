"""`--image DIR`: an OCI image layout directory (or an unpacked `docker save`) as one side."""
from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import EPOCH, F, config, docker_save, layer, oci_layout

from dockerlint.verify.command import run
from dockerlint.verify.images import layout_tar

BASE = layer(F("bin/", type="dir"), F("bin/sh", b"#!"))


def image(stamp: int, layout=docker_save) -> bytes:
    layers = [BASE, layer(F("app/stamp.txt", b"built %d\n" % stamp))]
    return layout(layers, config(layers))


def unpacked(tmp_path: Path, name: str, data: bytes) -> Path:
    directory = tmp_path / name
    directory.mkdir()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(directory, filter="data")
    return directory


def compare(tmp_path, *images, **options) -> tuple[int, dict, str]:
    out, stderr = tmp_path / "r.json", io.StringIO()
    code = run("", images=[str(i) for i in images], outputs=[("json", str(out))], stdout=io.StringIO(),
               stderr=stderr, **options)
    return code, json.loads(out.read_text()) if out.exists() else {}, stderr.getvalue()


def test_an_oci_layout_directory_reads_like_its_archive(tmp_path):
    archive = tmp_path / "a.tar"
    archive.write_bytes(image(EPOCH + 1))
    layout = unpacked(tmp_path, "oci", image(EPOCH + 2, oci_layout))
    assert (layout / "index.json").is_file() and (layout / "blobs" / "sha256").is_dir()
    code, report, stderr = compare(tmp_path, archive, layout)
    assert (code, stderr) == (1, "")
    info = report["extra"]["verify"]
    assert info["compared"] == [{"ref": str(archive), "source": "archive"},
                                {"ref": str(layout), "source": "layout"}]
    assert [(p["path"], p["cause"]) for p in info["paths"]] == [("app/stamp.txt", "REPRO-CONTENT")]
    (tmp_path / "b.tar").write_bytes(image(EPOCH + 2, oci_layout))
    _, from_archive, _ = compare(tmp_path, archive, tmp_path / "b.tar")
    assert from_archive["findings"] == report["findings"]


def test_an_unpacked_docker_save_with_a_linked_layer_and_a_dump(tmp_path):
    """The legacy layout as `tar -x` leaves it; a layer stored once and linked is read through the
    link (inside the directory), and --dump reads the directory a second time."""
    a = unpacked(tmp_path, "a", image(EPOCH + 1))
    b = unpacked(tmp_path, "b", image(EPOCH + 2))
    first = json.loads((b / "manifest.json").read_text())[0]["Layers"][0]    # <64 hex>/layer.tar
    shared = b / ("f" * 64)                       # as docker save links a layer two images share
    shared.mkdir()
    shutil.move(b / first, shared / "layer.tar")
    os.symlink(f"../{'f' * 64}/layer.tar", b / first)
    (b / "notes").mkdir()                         # not part of a layout: never read
    (b / "notes" / "big.bin").write_bytes(b"\0" * 1000)
    with tarfile.open(fileobj=io.BytesIO(b"".join(layout_tar(str(b))))) as streamed:
        names = streamed.getnames()
    assert f"{first}" in names and f"{'f' * 64}/layer.tar" in names and "manifest.json" in names
    assert not any(name.startswith("notes") for name in names)
    code, report, stderr = compare(tmp_path, a, b, dump=str(tmp_path / "d"))
    assert (code, stderr) == (1, "")
    assert [r["status"] for r in report["extra"]["verify"]["layers"]] == ["identical", "different"]
    assert (tmp_path / "d/a/app/stamp.txt").read_text() == "built 1700000001\n"
    assert (tmp_path / "d/b/app/stamp.txt").read_text() == "built 1700000002\n"


@pytest.mark.parametrize("content", ["nothing", "unrelated"])
def test_a_directory_that_is_not_an_image_is_refused_without_reading_it(tmp_path, content):
    other = tmp_path / "other"
    other.mkdir()
    if content == "unrelated":
        (other / "notes.txt").write_text("x")
    (tmp_path / "a.tar").write_bytes(image(EPOCH + 1))
    code, report, stderr = compare(tmp_path, tmp_path / "a.tar", other)
    assert (code, report) == (2, {})
    assert stderr == (f"dockerlint: error: image B: {other} is a directory but not an image layout "
                      "(no index.json or manifest.json in it)\n")
