"""`dockerlint verify --image A --image B` and `--against IMAGE`: existing images compared."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import EPOCH, F, config, docker_save, layer, oci_layout

from dockerlint.verify.command import run
from dockerlint.verify.images import history_dockerfile

BASE = layer(F("bin/", type="dir"), F("bin/sh", b"#!"))
HISTORY = [
    {"created": "2026-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created": "2026-01-01T00:00:00Z", "created_by": "COPY app/ /app/ # buildkit"},
    {"created": "2026-01-01T00:00:00Z",
     "created_by": "RUN /bin/sh -c pip install -r requirements.txt # buildkit"},
]
DOCKERFILE = ("FROM python:3.11-slim\nWORKDIR /srv\nCOPY app/ /app/\n"
              "RUN pip install -r requirements.txt\n")


def image(stamp: int, layout=docker_save) -> bytes:
    layers = [BASE, layer(F("app/stamp.txt", b"built %d\n" % stamp)),
              layer(F("root/.cache/pip/http/x", b"%d" % stamp))]
    return layout(layers, config(layers, history=HISTORY))


@pytest.fixture
def archives(tmp_path):
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    a.write_bytes(image(EPOCH + 1))
    b.write_bytes(image(EPOCH + 2, oci_layout))          # a newer engine's layout
    return str(a), str(b)


def findings(report: dict) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in report["findings"]]


def compare(tmp_path, *images, dockerfile="") -> tuple[int, dict, str]:
    out, stderr = tmp_path / "r.json", io.StringIO()
    code = run(dockerfile, images=images, outputs=[("json", str(out))], stdout=io.StringIO(),
               stderr=stderr)
    return code, json.loads(out.read_text()) if out.exists() else {}, stderr.getvalue()


def test_two_archives_are_compared_on_a_dockerfile_rebuilt_from_history(tmp_path, archives):
    code, report, stderr = compare(tmp_path, *archives)
    assert (code, stderr) == (1, "")
    assert report["files"] == [f"{archives[0]} (history)"]
    assert findings(report) == [("REPRO-CONTENT", 3), ("REPRO-CACHE-PIP", 4)]
    info = report["extra"]["verify"]
    assert info["compared"] == [{"ref": archives[0], "source": "archive"},
                                {"ref": archives[1], "source": "archive"}]
    assert [(r["index"], r["line"], r["instruction"], r["status"]) for r in info["layers"]] == [
        (0, 2, "ADD file:abc in /", "identical"),
        (1, 3, "COPY app/ /app/", "different"),
        (2, 4, "RUN pip install -r requirements.txt", "different")]


def test_every_differing_path_is_listed_with_both_sides(tmp_path, archives):
    """JSON always lists every path (not three examples); --list prints them on the tty."""
    _, report, _ = compare(tmp_path, *archives)
    paths = report["extra"]["verify"]["paths"]
    assert [(p["path"], p["layer"], p["line"], p["cause"], p["change"], p["fields"])
            for p in paths] == [
        ("app/stamp.txt", 1, 3, "REPRO-CONTENT", "changed", ["content"]),
        ("root/.cache/pip/http/x", 2, 4, "REPRO-CACHE-PIP", "changed", ["content"])]
    a, b = paths[0]["a"], paths[0]["b"]
    assert (a["type"], a["mode"], a["size"]) == ("file", "0644", len(b"built 1700000001\n"))
    assert a["sha256"] != b["sha256"] and len(a["sha256"]) == 64
    stdout = io.StringIO()
    assert run("", images=archives, list_paths=True, quiet=True, stdout=stdout,
               stderr=io.StringIO()) == 1
    listed = stdout.getvalue().split("differing paths (2):\n", 1)[1].splitlines()
    assert listed[0] == "  app/stamp.txt  [layer 1, line 3] REPRO-CONTENT: changed (content)"
    assert listed[1].startswith("    A: file 0644 0:0 17 B mtime 2023-11-14T22:13:20Z sha256:")
    assert listed[3] == ("  root/.cache/pip/http/x  [layer 2, line 4] REPRO-CACHE-PIP: "
                         "changed (content)")


def test_with_a_dockerfile_the_differences_land_on_its_lines(tmp_path, archives):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    code, report, _ = compare(tmp_path, *archives, dockerfile=str(dockerfile))
    assert code == 1
    assert report["files"] == [str(dockerfile)]
    assert findings(report) == [("REPRO-CONTENT", 3), ("REPRO-CACHE-PIP", 4)]


def test_the_same_image_twice_is_reproducible(tmp_path, archives):
    code, report, _ = compare(tmp_path, archives[0], archives[0])
    assert code == 0
    assert report["extra"]["verify"]["verdict"] == "reproducible"


def test_the_cli_compares_archives_without_a_daemon(tmp_path, archives):
    """No Docker needed for archives: the tty report names both sides."""
    result = subprocess.run(
        [sys.executable, "-m", "dockerlint", "verify", "--image", archives[0], "--image",
         archives[1], "--no-color"], capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DOCKER_HOST": "unix:///nonexistent.sock"})
    assert result.returncode == 1, result.stderr
    assert f"compared image A {archives[0]} (archive) with image B {archives[1]} (archive), " \
           "no build" in result.stdout
    assert "  3:1  warning  REPRO-CONTENT" in result.stdout


@pytest.mark.parametrize("argv,message", [
    (["--image", "x.tar"], "--image takes two images: --image A --image B"),
    (["--image", "a", "--image", "b", "--against", "c"], "--against builds the Dockerfile"),
])
def test_wrong_image_options_are_usage_errors(argv, message):
    result = subprocess.run([sys.executable, "-m", "dockerlint", "verify", *argv],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert message in result.stderr


def test_an_unreadable_archive_is_one_error_line(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar" * 100)
    code, _, stderr = compare(tmp_path, str(junk), str(junk))
    assert code == 2
    assert stderr.startswith("dockerlint: error: cannot read the exported images: ")
    assert stderr.count("\n") == 1


def test_history_lines_become_one_instruction_each():
    text = history_dockerfile([
        "", "/bin/sh -c #(nop)  WORKDIR /srv", "|1 V=2 /bin/sh -c echo a \\\n  && cat <<EOF",
        "RUN /bin/sh -c make # buildkit"]).decode()
    assert text.splitlines() == ["FROM scratch", "# (a layer without history)", "WORKDIR /srv",
                                 "RUN echo a \\ && cat < <EOF", "RUN make"]




@pytest.mark.docker
def test_two_daemon_images_and_against(base_image, docker_client, tmp_path):
    """--image with daemon references, and --against: a build compared with a kept image."""
    fixture = Path(__file__).parent.parent / "fixtures" / "verify" / "date-content" / "Dockerfile"
    out = tmp_path / "kept.json"
    code = run(str(fixture), build_args={"BASE": base_image}, keep_images=True,
               outputs=[("json", str(out))], stdout=io.StringIO(), stderr=io.StringIO())
    tags = json.loads(out.read_text())["extra"]["verify"]["tags"]
    try:
        assert code == 1 and len(tags) == 2
        code, report, stderr = compare(tmp_path, *tags, dockerfile=str(fixture))
        assert code == 1, stderr
        assert ("REPRO-CONTENT", 5) in findings(report)
        assert report["extra"]["verify"]["compared"][0] == {"ref": tags[0], "source": "daemon"}
        out = tmp_path / "against.json"
        stderr_io = io.StringIO()
        code = run(str(fixture), build_args={"BASE": base_image}, against=tags[0],
                   outputs=[("json", str(out))], stdout=io.StringIO(), stderr=stderr_io)
        report = json.loads(out.read_text())
        assert code == 1, stderr_io.getvalue()
        assert ("REPRO-CONTENT", 5) in findings(report)
        info = report["extra"]["verify"]
        assert info["against"] == {"ref": tags[0], "source": "daemon"}
        assert len(info["build_seconds"]) == 1
    finally:
        for tag in tags:
            docker_client.api.remove_image(tag)
