"""`-f html`: the audit page, opened in a real headless Chromium as a user would open it.

Without chromium the browser tests are skipped locally and fail in CI (`CI` set), like the
docker tests; `.ci/run` installs Debian's `chromium`.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, config, docker_save, layer

from dockerlint.verify.command import run

HOSTILE = "app/<script>alert(1)</script>&\"x'.txt"
HISTORY = [
    {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created_by": "COPY . /app # buildkit"},
    {"created_by": "RUN /bin/sh -c date > /app/built.txt && rm /app/big.bin # buildkit"},
]
DOCKERFILE = ("FROM busybox\n# <b>not bold</b>\nCOPY . /app\n"
              "RUN date > /app/built.txt && rm /app/big.bin\n")


def page(tmp_path) -> Path:
    def image(stamp: bytes) -> bytes:
        blobs = [layer(F("bin/", type="dir"), F("bin/sh", b"#" * 3000)),
                 layer(F("app/", type="dir"), F(HOSTILE, stamp), F("app/big.bin", b"x" * 9000)),
                 layer(F("app/", type="dir"), F("app/built.txt", b"built " + stamp), F("app/.wh.big.bin", b""))]
        return docker_save(blobs, config(blobs, history=HISTORY))

    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    a.write_bytes(image(b"1"))
    b.write_bytes(image(b"2"))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    out = tmp_path / "audit.html"
    code = run(str(dockerfile), images=(str(a), str(b)), outputs=[("html", str(out))],
               stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 1
    return out


def test_the_page_is_self_contained_and_escapes_every_text(tmp_path):
    html = page(tmp_path).read_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", html)          # no network, no external assets
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>not bold</b>" not in html
    assert html.count("<script>") == 1                                 # the filter, nothing injected


@pytest.fixture(scope="module")
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI installs Debian's chromium; see .ci/run)")
        pytest.skip("chromium is not installed")
    return found


def browse(chromium: str, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="dockerlint-chromium-")
    try:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             *extra, url], capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_the_page_renders_in_a_headless_browser(tmp_path, chromium):
    out = page(tmp_path)
    dom = browse(chromium, out.as_uri(), "--dump-dom").stdout
    assert re.search(r'<span id="verdict"[^>]*>not reproducible</span>', dom)
    assert len(re.findall(r'<rect class="size-bar"', dom)) == 3
    assert re.findall(r'<rect class="cause-bar" data-cause="([^"]+)"', dom) == ["REPRO-CONTENT"] * 2
    items = re.findall(r'<li data-path="([^"]*)"', dom)
    assert items == ["app/&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x'.txt", "app/built.txt"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and dom.count("<script>") == 1
    assert re.search(r'<div class="finding" data-rule="REPRO-CONTENT">', dom)
    assert "9.0 kB" in dom and "app/big.bin" in dom                  # the wasted file, with its size
    shot = tmp_path / "audit.png"
    browse(chromium, out.as_uri(), f"--screenshot={shot}", "--window-size=1100,1300", "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("DOCKERLINT_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["DOCKERLINT_KEEP_SCREENSHOT"])
