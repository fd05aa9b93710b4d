"""`dockerlint verify --dump DIR`: both versions of each differing file, for diff -r / diffoscope."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from cli_run import run_cli
from imagesynth import EPOCH, F, config, docker_save, layer, oci_layout

from dockerlint.verify.command import run

BASE = layer(F("bin/", type="dir"), F("bin/sh", b"#!"))


def image(stamp: int, layout=docker_save) -> bytes:
    n = stamp - EPOCH
    layers = [BASE,
              layer(F("app/", type="dir"), F("app/stamp.txt", b"built %d\n" % stamp), F("app/same", b"x"),
                    F("../escape", b"%d" % stamp), F("app/big.bin", b"z" * (100 + n))),
              layer(F("app/stamp.txt", b"again %d\n" % stamp, mode=0o4755),
                    F("app/mtime-only", b"same", mtime=EPOCH + n),
                    *([F("app/only-in-a", b"gone")] if n == 1 else []))]
    return layout(layers, config(layers))


@pytest.fixture
def archives(tmp_path):
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    a.write_bytes(image(EPOCH + 1))
    b.write_bytes(image(EPOCH + 2, oci_layout))
    return str(a), str(b)


def dump(tmp_path, archives, directory, **options) -> tuple[int, dict, str, str]:
    out, tty, stderr = tmp_path / "r.json", tmp_path / "r.txt", io.StringIO()
    code = run("", images=archives, outputs=[("json", str(out)), ("tty", str(tty))], stdout=io.StringIO(),
               stderr=stderr, dump=str(directory), **options)
    report = json.loads(out.read_text()) if out.exists() else {}
    return code, report, tty.read_text() if tty.exists() else "", stderr.getvalue()


def files_under(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_both_versions_are_written_for_diff_and_the_rest_is_listed_with_a_reason(tmp_path, archives):
    out = tmp_path / "dump"
    code, report, tty, stderr = dump(tmp_path, archives, out, dump_max_size=100)
    assert (code, stderr) == (1, "")
    assert files_under(out).keys() - {"dump.json"} == {
        "a/app/stamp.txt", "b/app/stamp.txt",                 # layer 2's: the version the image ends with
        "a/app/stamp.txt~layer1", "b/app/stamp.txt~layer1",   # the earlier layer's, named after it
        "a/app/only-in-a"}
    assert (out / "a/app/stamp.txt").read_bytes() == b"again 1700000001\n"
    assert (out / "b/app/stamp.txt~layer1").read_bytes() == b"built 1700000002\n"
    assert (out / "a/app/stamp.txt").stat().st_mode & 0o7777 == 0o644     # never setuid from an image
    assert not (tmp_path / "escape").exists() and not (out / "escape").exists()
    diff = subprocess.run(["diff", "-r", str(out / "a"), str(out / "b")], capture_output=True, text=True)
    assert "< again 1700000001\n---\n> again 1700000002" in diff.stdout
    assert f"Only in {out / 'a' / 'app'}: only-in-a" in diff.stdout

    listed = {(f["side"], f["path"], f.get("file"), f.get("reason"))
              for f in json.loads((out / "dump.json").read_text())["files"]}
    for side in "ab":
        assert (side, "../escape", None, "the path leaves the image root (.., /)") in listed
        assert (side, "app/big.bin", None, "larger than the limit (100 bytes; --dump-max-size)") in listed
    assert not any(path in ("app/same", "app/mtime-only") for _, path, _, _ in listed)  # same content
    assert report["extra"]["verify"]["dump"] == {
        "directory": str(out), "manifest": str(out / "dump.json"), "written": 5, "bytes": 72,
        "skipped": 4, "max_file_bytes": 100,
        "skipped_because": {"the path leaves the image root (.., /)": 2,
                            "larger than the limit (100 bytes; --dump-max-size)": 2}}
    assert (f"dump: 5 files (72 B) in {out}/a and {out}/b (diff -r {out}/a {out}/b); 4 files not written, "
            f"listed in {out}/dump.json\n  2 the path leaves the image root (.., /)\n") in tty


def test_an_existing_empty_directory_is_used(tmp_path, archives):
    out = tmp_path / "empty"
    out.mkdir()
    code, report, _, stderr = dump(tmp_path, archives, out)
    assert (code, stderr) == (1, "")
    assert report["extra"]["verify"]["dump"]["written"] == 7      # big.bin too under the default limit


@pytest.mark.parametrize("kind", ["non-empty", "file", "symlink"])
def test_a_directory_with_the_users_files_is_refused_before_anything_is_read(tmp_path, archives, kind):
    target = tmp_path / "mine"
    if kind == "non-empty":
        target.mkdir()
        (target / "notes.txt").write_text("keep me")
    elif kind == "file":
        target.write_text("keep me")
    else:
        (tmp_path / "real").mkdir()
        target.symlink_to(tmp_path / "real")
    code, report, _, stderr = dump(tmp_path, archives, target)
    assert code == 2 and report == {}
    expected = ("the directory is not empty (the dump never writes among existing files; give a new or "
                "empty directory)" if kind == "non-empty" else "exists and is not a directory")
    assert stderr == f"dockerlint: error: --dump {target}: {expected}\n"
    if kind == "non-empty":
        assert files_under(target) == {"notes.txt": b"keep me"}
    elif kind == "symlink":
        assert list((tmp_path / "real").iterdir()) == []


def cli(*args) -> tuple[int, str]:
    code, out, err = run_cli(*args)
    return code, out + err


def test_cli_options(tmp_path, archives):
    images = ["verify", "--image", archives[0], "--image", archives[1]]
    code, output = cli(*images, "--dump-max-size", "1MB")
    assert code == 2 and "--dump-max-size needs --dump DIR" in output
    code, output = cli(*images, "--dump", tmp_path / "d", "--dump-max-size", "lots")
    assert code == 2 and "'lots' is not a size" in output
    assert not (tmp_path / "d").exists()
    code, output = cli(*images, "--dump", tmp_path / "d", "--dump-max-size", "10B", "-f", "json")
    assert code == 1, output
    assert sorted(files_under(tmp_path / "d")) == ["a/app/only-in-a", "dump.json"]


def test_a_file_where_another_version_needs_a_directory_is_a_conflict_not_a_crash(tmp_path):
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    layers_a = [BASE, layer(F("x", b"file in a"))]
    layers_b = [BASE, layer(F("x/", type="dir"), F("x/y", b"file in b"))]
    a.write_bytes(docker_save(layers_a, config(layers_a)))
    b.write_bytes(docker_save(layers_b, config(layers_b)))
    code, report, _, stderr = dump(tmp_path, (str(a), str(b)), tmp_path / "d")
    assert (code, stderr) == (1, "")
    assert files_under(tmp_path / "d/a") == {"x": b"file in a"}
    assert files_under(tmp_path / "d/b") == {"x/y": b"file in b"}


@pytest.mark.docker
def test_two_builds_are_dumped_before_their_images_are_removed(base_image, docker_client, tmp_path):
    from conftest import images_on

    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(
        "ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN date +%s > /stamp && echo fixed > /fixed\n")
    before = images_on(docker_client, base_image)
    out = tmp_path / "dump"
    code = run(str(context / "Dockerfile"), build_args={"BASE": base_image}, builder="classic",
               outputs=[("json", str(tmp_path / "r.json"))], stdout=io.StringIO(), stderr=io.StringIO(),
               dump=str(out))
    assert code == 1
    a, b = (out / "a/stamp").read_text(), (out / "b/stamp").read_text()
    assert a != b and a.strip().isdigit() and b.strip().isdigit()
    assert not (out / "a/fixed").exists()
    assert images_on(docker_client, base_image) == before


def test_hostile_names_are_skipped_with_a_reason_or_kept_inside_the_directory(tmp_path):
    """An absolute member name lands below DIR/a; a name no file system takes is a reason, not a crash."""
    long_name = "app/" + "x" * 300
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    for path, stamp in ((a, b"1"), (b, b"2")):
        layers = [BASE, layer(F("/etc/abs.conf", stamp), F(long_name, stamp))]
        path.write_bytes(docker_save(layers, config(layers)))
    code, report, _, stderr = dump(tmp_path, (str(a), str(b)), tmp_path / "d")
    assert (code, stderr) == (1, "")
    assert (tmp_path / "d/a/etc/abs.conf").read_bytes() == b"1" and not (tmp_path / "etc").exists()
    assert report["extra"]["verify"]["dump"]["skipped_because"] == {
        "could not be written: File name too long": 2}


def test_the_timeout_covers_the_dump(tmp_path, archives, monkeypatch):
    """--timeout reached while the images are read again: one error line, exit 2; what was written stays,
    without a manifest and without the scratch file."""
    import time

    from dockerlint.verify import command

    real = command._dump

    def late(*args):
        return real(*args[:-1], time.monotonic() - 1)     # the deadline has just passed

    monkeypatch.setattr(command, "_dump", late)
    code, report, _, stderr = dump(tmp_path, archives, tmp_path / "d", timeout=60)
    assert (code, report) == (2, {})
    assert stderr == "dockerlint: error: writing the --dump files timed out (--timeout reached)\n"
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["a"]
