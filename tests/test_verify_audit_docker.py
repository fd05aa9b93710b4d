"""The audit of a real build (Docker daemon, static busybox): picture, wasted space, carried files."""
from __future__ import annotations

import io
import json

import pytest

from dockerlint.verify.command import run

DOCKERFILE = """ARG BASE=dockerlint-test-base
FROM ${BASE}
COPY . /app
RUN mkdir -p /root/.cache/pip/http && head -c 3000 /dev/zero > /root/.cache/pip/http/x && rm /app/big.bin
"""


@pytest.mark.docker
def test_a_built_image_shows_its_waste_and_what_it_carries(base_image, tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE)
    (context / ".env").write_text("API_TOKEN=never-print-this-4242\n")
    (context / "big.bin").write_bytes(b"\0" * 9000)
    out, tty = tmp_path / "r.json", io.StringIO()
    code = run(str(context / "Dockerfile"), build_args={"BASE": base_image}, builder="classic",
               outputs=[("json", str(out)), ("tty", None)], stdout=tty, stderr=io.StringIO(),
               max_wasted_bytes=8999)
    data = json.loads(out.read_text())
    info = data["extra"]["verify"]
    assert code == 1
    assert info["thresholds"]["failed"] == [
        "wasted space 9.0 kB (9,000 bytes) exceeds --max-wasted-bytes 9.0 kB (8,999 bytes)"]
    assert info["image"]["a"]["wasted_bytes"] == 9000
    assert {k: info["image"]["wasted"][0][k] for k in ("path", "size", "how", "added_line", "removed_line")} == {
        "path": "app/big.bin", "size": 9000, "how": "deleted", "added_line": 3, "removed_line": 4}
    copy_row = next(r for r in info["layers"] if r["line"] == 3)
    assert copy_row["size"] >= 9000 and copy_row["wasted_bytes"] == 9000
    rules = {(f["rule"], f["line"]) for f in data["findings"]}
    assert {("CACHE003", 3), ("REPRO-CACHE-PIP", 4)} <= rules
    assert "never-print-this" not in tty.getvalue() and "never-print-this" not in out.read_text()
