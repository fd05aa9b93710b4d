"""Image B scanned too when it is an existing image (--image, --against), not a second build."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, config, docker_save, layer, oci_layout

from dockerlint.verify.command import run

BASE = layer(F("bin/", type="dir"), F("bin/sh", b"#!"))


def archive(path: Path, *files: F, layout=docker_save) -> str:
    layers = [BASE, layer(F("app/main.py", b"print(1)\n"), *files)]
    path.write_bytes(layout(layers, config(layers)))
    return str(path)


def compare(tmp_path, a: str, b: str) -> tuple[int, dict]:
    out = tmp_path / "r.json"
    code = run("", images=[a, b], outputs=[("json", str(out))], stdout=io.StringIO(), stderr=io.StringIO())
    return code, json.loads(out.read_text())


def test_a_secret_only_the_published_image_has_is_reported_as_image_bs(tmp_path):
    a = archive(tmp_path / "built.tar")
    b = archive(tmp_path / "published.tar", F("app/.env", b"TOKEN=never-shown-31337\n"), layout=oci_layout)
    code, report = compare(tmp_path, a, b)
    assert code == 1
    secrets = [f for f in report["findings"] if f["rule"] == "CACHE003"]
    assert len(secrets) == 1 and secrets[0]["line"] == 3
    assert secrets[0]["message"].startswith("image B: an environment file in this layer, readable by anyone who "
                                            "pulls the image: app/.env (24 B)")
    assert secrets[0]["extra"]["details"]["image"] == "b"
    info = report["extra"]["verify"]
    assert info["carried"] == []
    assert [(g["id"], g["layer"], g["layer_a"], g["line"]) for g in info["carried_b"]] == [("CACHE003", 1, 1, 3)]
    assert "never-shown" not in json.dumps(report)


def test_what_both_images_carry_is_one_finding_on_image_a(tmp_path):
    secret = F("root/.ssh/id_rsa", b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    a = archive(tmp_path / "a.tar", secret, F("app/stamp", b"1"))
    b = archive(tmp_path / "b.tar", secret, F("app/stamp", b"2"))
    code, report = compare(tmp_path, a, b)
    assert code == 1
    secrets = [f["message"] for f in report["findings"] if f["rule"] == "CACHE003"]
    assert len(secrets) == 1 and not secrets[0].startswith("image B")
    assert len(report["extra"]["verify"]["carried_b"]) == 1      # the data still shows B's side
