"""--verify-build end to end against the real Docker daemon.

Every fixture under fixtures/verify/ is built twice from the session's local
busybox base image. A ``# expect: <cause id>`` comment marks the instruction
below it: the run must report that cause on that line. After every run,
``docker images -a`` and ``docker ps -a`` must be as before (restricted to
images built on this session's base, so that concurrent test runs on one
daemon do not disturb the check).
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from dockerlint.verify.command import run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "verify"
CAUSE_FIXTURES = sorted(
    p.name for p in FIXTURES.iterdir()
    if (p / "Dockerfile").is_file() and "# expect:" in (p / "Dockerfile").read_text()
)
NEEDS_VARY = {"context-mtime"}  # only a changed context reveals context timestamps

pytestmark = pytest.mark.docker


def expectations(dockerfile: Path) -> set[tuple[str, int]]:
    """(cause id, line of the instruction after the comment) for each ``# expect:``."""
    lines = dockerfile.read_text().splitlines()
    expected = set()
    for number, line in enumerate(lines, start=1):
        if match := re.match(r"#\s*expect:\s*(\S+)", line.strip()):
            target = next(n for n in range(number + 1, len(lines) + 1)
                          if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#"))
            expected.add((match[1], target))
    return expected


@pytest.fixture
def daemon_state(docker_client, base_image):
    """``daemon_state()``: this session's images (``docker images -a``) and their containers."""
    from conftest import images_on

    return lambda: images_on(docker_client, base_image)


def verify(fixture: str, base_image: str, tmp_path: Path, **options) -> tuple[int, dict, str]:
    """Run --verify-build on a fixture with JSON output; return (exit code, report, stderr)."""
    out = tmp_path / "report.json"
    stderr = io.StringIO()
    code = run(str(FIXTURES / fixture / "Dockerfile"), build_args={"BASE": base_image},
               outputs=[("json", str(out))], stdout=io.StringIO(), stderr=stderr, **options)
    report = json.loads(out.read_text()) if out.exists() else {}
    return code, report, stderr.getvalue()


def reported(report: dict) -> set[tuple[str, int]]:
    return {(f["rule"], f["line"]) for f in report.get("findings", [])}


def needed_builder(dockerfile: Path) -> str:
    """``# needs: buildkit`` marks a cause only BuildKit produces."""
    match = re.search(r"^#\s*needs:\s*(\S+)", dockerfile.read_text(), re.MULTILINE)
    return match[1] if match else "auto"


@pytest.mark.parametrize("fixture", CAUSE_FIXTURES)
def test_cause_is_found_on_its_line(fixture, base_image, tmp_path, daemon_state):
    builder = needed_builder(FIXTURES / fixture / "Dockerfile")
    if builder == "buildkit":
        from dockerlint.verify.buildkit import find_buildkit_route

        if find_buildkit_route() is None:
            pytest.skip("no BuildKit route (no buildx, no pre-23 docker CLI)")
    before = daemon_state()
    code, report, stderr = verify(fixture, base_image, tmp_path, vary=fixture in NEEDS_VARY,
                                  builder=builder)
    assert code == 1, stderr
    assert report["extra"]["verify"]["verdict"] == "not reproducible"
    expected = expectations(FIXTURES / fixture / "Dockerfile")
    missing = expected - reported(report)
    assert not missing, f"not reported: {missing}; reported: {sorted(reported(report))}"
    for finding in report["findings"]:
        if (finding["rule"], finding["line"]) in expected:
            assert " Fix: " in finding["message"] and finding["extra"]["examples"]
    assert daemon_state() == before


def test_reproducible_build(base_image, tmp_path, daemon_state):
    before = daemon_state()
    code, report, stderr = verify("reproducible", base_image, tmp_path)
    assert code == 0, stderr
    info = report["extra"]["verify"]
    assert info["verdict"] == "reproducible except metadata"  # the classic builder stamps times
    rows = info["layers"]
    assert [r["status"] for r in rows] == ["identical"] * len(rows)
    assert [(r["line"], r["instruction"]) for r in rows[1:]] == [
        (4, "COPY hello.txt /hello.txt"),
        (5, "RUN echo deterministic > /det.txt && touch -d @1700000000 /det.txt"),
    ]
    assert {f["rule"] for f in report["findings"]} == {"REPRO-CONFIG-METADATA"}
    assert info["builder"]["kind"] in ("classic", "buildkit")
    assert info["builder"]["engine_version"]
    from dockerlint.report.schema import Report

    Report.model_validate(report)  # the json format's published schema holds for verify reports
    assert daemon_state() == before


def test_strict_fails_on_metadata(base_image, tmp_path):
    code, report, _ = verify("reproducible", base_image, tmp_path, strict=True)
    assert report["extra"]["verify"]["verdict"] == "reproducible except metadata"
    assert code == 1


def skip_without_buildkit(builder: str) -> None:
    from dockerlint.verify.buildkit import find_buildkit_route

    if builder == "buildkit" and find_buildkit_route() is None:
        pytest.skip("no BuildKit route (no buildx, no pre-23 docker CLI)")


@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_failing_build_reports_step_and_output_and_cleans_up(builder, base_image, tmp_path, daemon_state):
    skip_without_buildkit(builder)
    before = daemon_state()
    code, report, stderr = verify("failing-step", base_image, tmp_path, builder=builder)
    assert code == 2
    first, *tail = stderr.splitlines()
    step = "step 4/5 `RUN" if builder == "classic" else "step [3/4] RUN"
    assert first.startswith(f"dockerlint: error: build A failed at {step} echo \"about to fail\"")
    assert first.endswith("exit code: 3" if builder == "buildkit" else "returned a non-zero code: 3")
    assert any("some diagnostics on stderr" in line for line in tail)
    assert "\x1b" not in stderr
    assert report == {}
    assert daemon_state() == before


@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_timeout_stops_the_build_and_cleans_up(builder, base_image, tmp_path, daemon_state):
    skip_without_buildkit(builder)
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(
        "ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN echo started > /s.txt\nRUN sleep 60\n")
    before = daemon_state()
    stderr = io.StringIO()
    code = run(str(context / "Dockerfile"), build_args={"BASE": base_image}, timeout=4, builder=builder,
               outputs=[("json", str(tmp_path / "r.json"))], stdout=io.StringIO(), stderr=stderr)
    assert code == 2
    assert "timed out" in stderr.getvalue().splitlines()[0]
    assert daemon_state() == before


def test_keep_images_prints_and_keeps_both(base_image, docker_client, tmp_path, daemon_state):
    before = daemon_state()
    code, report, stderr = verify("date-content", base_image, tmp_path, keep_images=True)
    assert code == 1
    shown = re.findall(r"^image ([AB]): (dockerlint-verify:[0-9a-f]{12}-[ab]) \((sha256:[0-9a-f]{64})\)$",
                       stderr, re.MULTILINE)
    tags = [tag for _, tag, _ in shown]
    ids = [image_id for _, _, image_id in shown]
    try:
        assert [label for label, _, _ in shown] == ["A", "B"] and ids[0] != ids[1]
        run_id = ids[0].removeprefix("sha256:")[:12]
        assert tags == [f"dockerlint-verify:{run_id}-a", f"dockerlint-verify:{run_id}-b"]
        for tag, image_id in zip(tags, ids):     # named, not dangling
            assert docker_client.api.inspect_image(tag)["Id"] == image_id
        assert report["extra"]["verify"]["images"] == ids
        assert report["extra"]["verify"]["tags"] == tags
    finally:
        for tag in tags:
            docker_client.api.remove_image(tag)
    assert daemon_state() == before


def test_vary_reports_what_it_varied_and_leaves_the_context_alone(base_image, tmp_path):
    hello = FIXTURES / "context-mtime" / "hello.txt"
    stat_before = hello.stat()
    code, report, _ = verify("context-mtime", base_image, tmp_path, vary=True)
    assert code == 1
    assert report["extra"]["verify"]["varied"] == ["wall-clock time", "build-context mtimes", "hostname"]
    assert hello.stat().st_mtime_ns == stat_before.st_mtime_ns
    # without --vary the same context gives identical layers
    code, report, _ = verify("context-mtime", base_image, tmp_path)
    assert code == 0
    assert report["extra"]["verify"]["verdict"] == "reproducible except metadata"


def test_tty_output_has_verdict_and_layer_table(base_image, tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(str(FIXTURES / "date-content" / "Dockerfile"), build_args={"BASE": base_image},
               stdout=stdout, stderr=stderr)
    text = stdout.getvalue()
    assert code == 1, stderr.getvalue()
    assert "verdict: not reproducible" in text
    assert re.search(r"^1\s+5\s+RUN \{ date;.*different\s+1\s+REPRO-CONTENT", text, re.MULTILINE)
    assert "REPRO-CONTENT" in text and "build-stamp.txt" in text


def test_buildkit_builder_when_reachable(base_image, tmp_path, daemon_state):
    skip_without_buildkit("buildkit")
    before = daemon_state()
    code, report, stderr = verify("date-content", base_image, tmp_path, builder="buildkit")
    assert code == 1, stderr
    info = report["extra"]["verify"]
    assert info["builder"]["kind"] == "buildkit"
    assert ("REPRO-CONTENT", 5) in reported(report)
    code, report, stderr = verify("reproducible", base_image, tmp_path, builder="buildkit")
    assert code == 0, stderr
    assert daemon_state() == before


def _processes_running(argv: list[str]) -> bool:
    """A process with exactly this command line exists (build steps are host processes)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:-1] == [a.encode() for a in argv]:
                return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize("builder,signame", [
    ("classic", "SIGINT"), ("buildkit", "SIGINT"),
    ("classic", "SIGTERM"), ("classic", "SIGHUP"),      # kill, CI cancellation, closed terminal
])
def test_a_stop_signal_during_a_build_cleans_up(builder, signame, base_image, tmp_path, daemon_state):
    import os
    import signal
    import subprocess
    import sys
    import time

    skip_without_buildkit(builder)
    signum = getattr(signal, signame)
    seconds = str(600 + os.getpid() % 1000)  # a command line no other test run has
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(
        f"ARG BASE=dockerlint-test-base\nFROM ${{BASE}}\nRUN echo started > /s.txt\nRUN sleep {seconds}\n")
    before = daemon_state()
    script = ("import sys\nfrom dockerlint.verify.command import run\n"
              f"sys.exit(run({str(context / 'Dockerfile')!r}, build_args={{'BASE': {base_image!r}}}, "
              f"builder={builder!r}))\n")
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _processes_running(["sleep", seconds]):
            time.sleep(0.2)
        assert _processes_running(["sleep", seconds]), "the build never reached its sleeping step"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signum, stderr
    assert "warning" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("dockerlint: interrupted" if signum == signal.SIGINT
                           else f"dockerlint: terminated by {signame}"), stderr
    assert not _processes_running(["sleep", seconds])  # the step was stopped, not left running
    assert daemon_state() == before


def test_dockerfile_the_daemon_rejects_is_one_error_line(base_image, tmp_path, daemon_state):
    (tmp_path / "Dockerfile").write_text("ARG BASE=x\nFROM ${BASE}\nFOO bar\n")
    before = daemon_state()
    stderr = io.StringIO()
    code = run(str(tmp_path / "Dockerfile"), build_args={"BASE": base_image},
               stdout=io.StringIO(), stderr=stderr)
    assert code == 2
    assert stderr.getvalue().splitlines() == [
        "dockerlint: error: build A failed before the first step: "
        "dockerfile parse error line 3: unknown instruction: FOO"]
    assert daemon_state() == before


def test_dockerfile_from_stdin(base_image, monkeypatch, tmp_path):
    dockerfile = FIXTURES / "date-content" / "Dockerfile"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(dockerfile.read_bytes())))
    out = tmp_path / "r.json"
    code = run("-", context=str(dockerfile.parent), build_args={"BASE": base_image},
               outputs=[("json", str(out))], stdout=io.StringIO(), stderr=io.StringIO())
    report = json.loads(out.read_text())
    assert code == 1
    assert ("REPRO-CONTENT", 5) in reported(report)
    assert {f["file"] for f in report["findings"]} == {"-"}


@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_source_date_epoch_reaches_the_build(builder, base_image, docker_client, tmp_path):
    skip_without_buildkit(builder)
    code, report, stderr = verify("source-date-epoch", base_image, tmp_path, builder=builder,
                                  source_date_epoch=1_600_000_000, keep_images=True)
    assert code == 0, stderr
    info = report["extra"]["verify"]
    assert info["source_date_epoch"] == 1_600_000_000
    assert info["verdict"] in ("reproducible", "reproducible except metadata")
    try:
        history = docker_client.api.history(info["images"][0])
        assert any("SOURCE_DATE_EPOCH=1600000000" in h["CreatedBy"] for h in history)
    finally:
        for tag in info["tags"]:
            docker_client.api.remove_image(tag)
    code, _, stderr = verify("source-date-epoch", base_image, tmp_path, builder=builder)
    assert code == 2 and "touch" in stderr


def test_sarif_and_github_outputs(base_image, tmp_path):
    import jsonschema

    sarif, github = tmp_path / "r.sarif", tmp_path / "annotations.txt"
    code = run(str(FIXTURES / "pyc-header" / "Dockerfile"), build_args={"BASE": base_image},
               outputs=[("sarif", str(sarif)), ("github", str(github))],
               stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 1
    document = json.loads(sarif.read_text())
    schema = json.loads((FIXTURES.parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in document["runs"][0]["results"]}
    assert ("REPRO-PYC-TIMESTAMP", 6) in results
    rules = {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert "REPRO-PYC-TIMESTAMP" in rules
    assert document["runs"][0]["properties"]["dockerlint"]["verify"]["verdict"] == "not reproducible"
    annotations = github.read_text().splitlines()
    assert any(a.startswith("::warning file=") and ",line=6," in a and "REPRO-PYC-TIMESTAMP" in a
               for a in annotations)


def test_target_stage_is_built_and_attributed(base_image, tmp_path, daemon_state):
    before = daemon_state()
    code, report, stderr = verify("multi-stage", base_image, tmp_path, target="build")
    assert code == 1, stderr
    assert ("REPRO-CONTENT", 5) in reported(report)
    rows = report["extra"]["verify"]["layers"]
    assert [(r["line"], r["status"]) for r in rows] == [(None, "identical"), (5, "different")]
    assert daemon_state() == before
