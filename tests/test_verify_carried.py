"""What an image carries: secrets, model weights and caches found in its layers (no daemon)."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, config, docker_save, layer

from dockerlint.verify.carried import FIXES
from dockerlint.verify.command import run

FIX = FIXES["CACHE003"]
SECRET = b"AWS_SECRET_ACCESS_KEY=do-not-print-me-4711\n"
KEY = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-do-not-print-me-4711\n"
CERT = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
HISTORY = [
    {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created_by": "COPY . /app # buildkit"},
    {"created_by": "RUN /bin/sh -c pip install -r /app/requirements.txt # buildkit"},
    {"created_by": "RUN /bin/sh -c rm /app/.env # buildkit"},
]
DOCKERFILE = ("FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
              "RUN rm /app/.env\n")


def image(env: bytes = SECRET) -> bytes:
    blobs = [
        layer(F("bin/", type="dir"), F("bin/sh", b"#!"), F("etc/ssl/certs/ca.pem", b"x" * 50),
              F("root/.cache/pip/base", b"b" * 10)),            # the base image's cache: not ours to fix
        layer(F("app/", type="dir"), F("app/.env", env), F("app/deploy/id_rsa", KEY),
              F("app/tls/server.pem", CERT), F("app/models/w.pt", b"\0" * (2 << 20)),
              F("app/requirements.txt", b"numpy\n")),
        layer(F("root/.cache/pip/http/a", b"a" * 3000), F("root/.cache/pip/http/b", b"b" * 1000)),
        layer(F("app/", type="dir"), F("app/.wh..env", b"")),
    ]
    return docker_save(blobs, config(blobs, history=HISTORY))


def verify(tmp_path, env_b: bytes = SECRET) -> tuple[int, dict, str, str]:
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    a.write_bytes(image())
    b.write_bytes(image(env_b))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    out, tty, stderr = tmp_path / "r.json", io.StringIO(), io.StringIO()
    code = run(str(dockerfile), images=(str(a), str(b)), outputs=[("json", str(out)), ("tty", None)],
               stdout=tty, stderr=stderr)
    return code, json.loads(out.read_text()), tty.getvalue(), stderr.getvalue()


def test_secrets_weights_and_caches_are_findings_on_the_instruction_that_added_them(tmp_path):
    code, data, tty, stderr = verify(tmp_path)
    assert (code, stderr) == (1, "")                     # reproducible, but a secret fails the run
    assert data["extra"]["verify"]["verdict"] == "reproducible"
    found = [(f["rule"], f["line"], f["severity"]) for f in data["findings"]]
    assert found == [("CACHE002", 2, "info"), ("CACHE003", 2, "error"), ("CACHE003", 2, "error"),
                     ("REPRO-CACHE-PIP", 3, "warning")]
    by_rule = {f["rule"]: f for f in data["findings"]}
    secrets = sorted(f["message"] for f in data["findings"] if f["rule"] == "CACHE003")
    assert secrets == [
        "an SSH key in this layer, readable by anyone who pulls the image: app/deploy/id_rsa (82 B). Fix: "
        + FIX,
        "an environment file in this layer, readable by anyone who pulls the image: app/.env (43 B); "
        "a later layer deletes or overwrites it, but the bytes stay in this layer. Fix: " + FIX]
    assert "server.pem" not in json.dumps(data) and "ca.pem" not in json.dumps(data)
    assert by_rule["CACHE002"]["message"].startswith("1 file of model weights, 2.1 MB in this layer: app/models/w.pt")
    assert by_rule["REPRO-CACHE-PIP"]["message"].startswith(
        "pip / uv / poetry cache left in this layer: 2 files, 4.0 kB; e.g. root/.cache/pip/http/a (3.0 kB)")
    carried = data["extra"]["verify"]["carried"]
    assert [(g["id"], g["label"], g["line"], g["count"], g["size"], g["removed_later"]) for g in carried] == [
        ("CACHE002", "model weights", 2, 1, 2 << 20, 0), ("CACHE003", "an SSH key", 2, 1, len(KEY), 0),
        ("CACHE003", "an environment file", 2, 1, len(SECRET), 1),
        ("REPRO-CACHE-PIP", "pip / uv / poetry cache", 3, 2, 4000, 0)]
    assert "do-not-print-me" not in tty and "do-not-print-me" not in json.dumps(data)


def test_a_secret_that_differs_between_the_images_is_not_shown(tmp_path):
    code, data, tty, _ = verify(tmp_path, env_b=b"AWS_SECRET_ACCESS_KEY=another-do-not-print-me\n")
    assert code == 1
    assert "REPRO-CONTENT" in [f["rule"] for f in data["findings"]]
    assert "do-not-print-me" not in tty and "do-not-print-me" not in json.dumps(data)
