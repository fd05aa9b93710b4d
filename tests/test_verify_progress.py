"""Progress in CI logs: plain lines, nothing for a quick run, at most one every few seconds."""
from __future__ import annotations

import io
import subprocess
import sys

from dockerlint.verify.progress import PLAIN_EVERY, Progress, wanted


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_double_build_prints_throttled_plain_lines():
    clock, log = Clock(), io.StringIO()
    with Progress("plain", log, clock) as bars:
        build_a = bars.task("build A")
        build_a.update(completed=0, total=7, note="RUN pip install \x1b[2J-r requirements.txt")
        clock.now += 3
        build_a.update(completed=1)                    # a quick start: still silent
        assert log.getvalue() == ""
        clock.now += PLAIN_EVERY
        build_a.update(completed=3)
        for _ in range(50):                            # a chatty step: throttled
            clock.now += 0.1
            build_a.update(completed=3)
        clock.now += 20
        build_b = bars.task("build B")
        clock.now += PLAIN_EVERY
        build_b.update(completed=2, total=7, note="RUN python -m compileall /app")
        diff = bars.task("diff", total=640e6, unit="bytes")
        clock.now += PLAIN_EVERY
        diff.update(completed=120e6)
    assert log.getvalue().splitlines() == [
        "dockerlint: build A: 3/7 steps RUN pip install \\x1b[2J-r requirements.txt (13 s)",
        "dockerlint: build B: 2/7 steps RUN python -m compileall /app (10 s; build A took 38 s)",
        "dockerlint: diff: 120.0 MB / 640.0 MB read (10 s)",
    ]


def test_the_mode_follows_the_stream():
    assert wanted(True, sys.stderr) is None                 # --quiet
    assert wanted(False, io.StringIO()) is None             # an embedding caller's buffer
    with open("/dev/null", "w") as log:                     # a log file or pipe
        assert wanted(False, log) == "plain"


def test_a_quick_run_in_ci_prints_no_progress(tmp_path):
    """The CLI with stderr to a pipe and CI=true: only the report."""
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[1] / "fixtures"
                           / "verify_diff"))
    from imagesynth import F, docker_save, layer

    archive = tmp_path / "a.tar"
    archive.write_bytes(docker_save([layer(F("x", b"1"))]))
    result = subprocess.run([sys.executable, "-m", "dockerlint", "verify", "--image", str(archive),
                             "--image", str(archive)], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "CI": "true"})
    assert result.returncode == 0
    assert result.stderr == ""
