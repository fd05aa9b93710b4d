"""The picture of an image: per-layer sizes and entries, wasted space, efficiency (no daemon)."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, config, docker_save, layer

from dockerlint.verify.command import run
from dockerlint.verify.layers import read_layer_stream
from dockerlint.verify.picture import picture

BASE = layer(F("bin/", type="dir"), F("bin/sh", b"#" * 100))
HISTORY = [
    {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created_by": "COPY data/ /data/ # buildkit"},
    {"created_by": "RUN /bin/sh -c rm -rf /data/big.bin # buildkit"},
    {"created_by": "RUN /bin/sh -c echo v2 > /etc/app.conf # buildkit"},
]
DOCKERFILE = ("FROM busybox\nCOPY data/ /data/\nRUN rm -rf /data/big.bin\n"
              "RUN echo v2 > /etc/app.conf\n")


def layers(stamp: bytes = b"1") -> list[bytes]:
    return [
        BASE,
        layer(F("data/", type="dir"), F("data/big.bin", b"x" * 5000), F("data/keep.txt", b"k" * 10),
              F("etc/", type="dir"), F("etc/app.conf", b"v1" * 300)),
        layer(F("data/", type="dir"), F("data/.wh.big.bin", b"")),
        layer(F("etc/", type="dir"), F("etc/app.conf", b"v2" + stamp)),
    ]


def summaries(blobs: list[bytes]):
    return [read_layer_stream(io.BytesIO(blob)) for blob in blobs]


def test_deleted_and_overwritten_files_are_wasted_in_the_layer_that_added_them():
    pic = picture(summaries(layers()))
    assert [(l.size, l.wasted, l.removes) for l in pic.layers] == [
        (100, 0, 0), (5610, 5600, 0), (0, 0, 5000), (3, 0, 600)]
    assert [(w.path, w.size, w.added, w.removed, w.how) for w in pic.offenders] == [
        ("data/big.bin", 5000, 1, 2, "deleted"), ("etc/app.conf", 600, 1, 3, "overwritten")]
    assert pic.wasted == 5600 and pic.wasted_files == 2
    assert pic.efficiency == pytest.approx((5713 - 5600) / 5713)


def test_a_deleted_directory_wastes_everything_below_it_and_opaque_dirs_too():
    blobs = [layer(F("a/", type="dir"), F("a/b/", type="dir"), F("a/b/c", b"c" * 7), F("a/d", b"d" * 5),
                   F("o/", type="dir"), F("o/old", b"o" * 11)),
             layer(F(".wh.a", b""), F("o/", type="dir"), F("o/.wh..wh..opq", b""), F("o/new", b"n"))]
    pic = picture(summaries(blobs))
    assert sorted((w.path, w.size, w.how) for w in pic.offenders) == [
        ("a/b/c", 7, "deleted"), ("a/d", 5, "deleted"), ("o/old", 11, "deleted")]
    assert pic.layers[1].removes == 23


def test_a_directory_entry_repeated_in_a_later_layer_keeps_its_files():
    blobs = [layer(F("app/", type="dir"), F("app/x", b"x" * 9)), layer(F("app/", type="dir"))]
    pic = picture(summaries(blobs))
    assert pic.wasted == 0 and pic.efficiency == 1.0


def test_an_empty_image_is_fully_efficient():
    assert picture([]).efficiency == 1.0


def report(tmp_path, stamp_b: bytes = b"2", extra: tuple[str, ...] = ()) -> tuple[int, dict, str]:
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    for path, stamp in ((a, b"1"), (b, stamp_b)):
        blobs = layers(stamp)
        path.write_bytes(docker_save(blobs, config(blobs, history=HISTORY)))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    out, tty = tmp_path / "r.json", io.StringIO()
    code = run(str(dockerfile), images=(str(a), str(b)),
               outputs=[("json", str(out)), ("tty", None)], stdout=tty, stderr=io.StringIO())
    return code, json.loads(out.read_text()), tty.getvalue()


def test_the_report_carries_the_per_layer_picture_and_the_wasted_files(tmp_path):
    code, data, tty = report(tmp_path)
    assert code == 1
    info = data["extra"]["verify"]
    rows = [(r["index"], r["line"], r["size"], r["entries"], r["wasted_bytes"], r["differing_by_cause"])
            for r in info["layers"]]
    assert rows == [(0, None, 100, 2, 0, {}), (1, 2, 5610, 5, 5600, {}), (2, 3, 0, 2, 0, {}),
                    (3, 4, 3, 2, 0, {"REPRO-CONTENT": 1})]
    assert info["image"]["a"] == {"size": 5713, "entries": 11, "layers": 4, "wasted_bytes": 5600,
                                  "wasted_files": 2, "efficiency": round(113 / 5713, 6)}
    assert info["image"]["wasted"][0] == {
        "path": "data/big.bin", "size": 5000, "how": "deleted",
        "added_layer": 1, "added_line": 2, "added_by": "COPY data/ /data/",
        "removed_layer": 2, "removed_line": 3, "removed_by": "RUN rm -rf /data/big.bin"}
    table = tty[tty.index("layer  line"):]
    assert table.splitlines()[2].split() == ["1", "2", "COPY", "data/", "/data/", "5.6", "kB", "5",
                                             "5.6", "kB", "identical"]
    assert table.splitlines()[4].split()[-6:] == ["B", "2", "different", "1", "REPRO-CONTENT", "1"]
    assert "image A: 4 layers, 5.7 kB in 11 entries; wasted 5.6 kB in 2 files (efficiency 2.0%)" in tty
    assert ("    5.0 kB  data/big.bin  added by line 2 (COPY data/ /data/), deleted by line 3 "
            "(RUN rm -rf /data/big.bin)") in tty


def cli(*argv: str):
    import subprocess

    return subprocess.run([sys.executable, "-m", "dockerlint", "verify", *argv], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize(("limits", "code", "failed"), [
    ((5600, None), 1, []),               # the content difference alone
    ((5599, None), 1, ["wasted space 5.6 kB (5,600 bytes) exceeds --max-wasted-bytes 5.6 kB (5,599 bytes)"]),
    ((None, 0.5), 1, ["efficiency 1.98% is below --min-efficiency 50.00%"]),
])
def test_thresholds_fail_the_run_and_say_why(tmp_path, limits, code, failed):
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    for path in (a, b):                    # the same image twice: reproducible, only waste can fail it
        blobs = layers()
        path.write_bytes(docker_save(blobs, config(blobs, history=HISTORY)))
    out, stderr = tmp_path / "r.json", io.StringIO()
    result = run("", images=(str(a), str(b)), outputs=[("json", str(out))], stdout=io.StringIO(),
                 stderr=stderr, max_wasted_bytes=limits[0], min_efficiency=limits[1])
    assert result == (1 if failed else 0)
    assert stderr.getvalue() == "".join(f"dockerlint: {line}\n" for line in failed)
    assert json.loads(out.read_text())["extra"]["verify"]["thresholds"]["failed"] == failed


def test_thresholds_from_the_command_line(tmp_path):
    a = tmp_path / "a.tar"
    blobs = layers()
    a.write_bytes(docker_save(blobs, config(blobs, history=HISTORY)))
    ok = cli("--image", str(a), "--image", str(a), "--max-wasted-bytes", "10kB", "--min-efficiency", "1%", "-q")
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = cli("--image", str(a), "--image", str(a), "--max-wasted-bytes", "1KiB", "-q")
    assert bad.returncode == 1
    assert bad.stderr == ("dockerlint: wasted space 5.6 kB (5,600 bytes) exceeds --max-wasted-bytes "
                          "1.0 kB (1,024 bytes)\n")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--max-wasted-bytes", "lots", "'lots' is not a size"),
    ("--max-wasted-bytes", "10 parsecs", "'10 parsecs' is not a size"),
    ("--min-efficiency", "1.5", "'1.5' is not an efficiency between 0 and 1"),
    ("--min-efficiency", "nan", "'nan' is not an efficiency"),
    ("--min-efficiency", "-5%", "'-5%' is not an efficiency"),
])
def test_a_bad_threshold_is_one_line_and_exit_2(option, value, message):
    result = cli("--image", "a.tar", "--image", "b.tar", option, value)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith("dockerlint: error: Invalid value for '" + option)
