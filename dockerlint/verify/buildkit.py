"""BuildKit through the docker CLI: ``buildx build``, or ``DOCKER_BUILDKIT=1`` with a pre-23 client.

The CLI reads the same DOCKER_HOST / docker context as the SDK, the context
archive arrives on stdin, and ``--progress=plain`` output gives the steps,
the failing vertex and its output.
"""
from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockerlint.verify.build import (
    TAIL_LINES,
    BuilderInfo,
    BuildRequest,
    BuildResult,
    Stopper,
    failure,
    strip_ansi,
)
from dockerlint.verify.errors import VerifyError

SIGINT_GRACE_SECONDS = 2.0

if TYPE_CHECKING:
    from dockerlint.verify.cleanup import ResourceTracker
    from dockerlint.verify.progress import Task


_BK_STEP = re.compile(r"^#(\d+) \[(?:([^\]]*?) )?(\d+)/(\d+)\] (.*)$")
_BK_DONE = re.compile(r"^#(\d+) (?:DONE|CACHED)\b")
_BK_ERROR = re.compile(r"^#(\d+) ERROR: (.*)$")
_BK_OUTPUT = re.compile(r"^#(\d+) \d+\.\d+ (.*)$")
_BK_VERTEX = re.compile(r"^#(\d+) (?!sha256:)(\S.*)$")  # first line of a vertex: its name


class BuildKitStream:
    """Reads ``--progress=plain`` output: steps per stage, the failing vertex and its output."""

    def __init__(self, task: Task | None = None):
        self.task = task
        self.steps: dict[str, str] = {}  # vertex number -> "[stage i/n] INSTR"
        self.names: dict[str, str] = {}  # other vertices: "[internal] load metadata for …"
        self.totals: dict[str, int] = {}  # stage name -> step count
        self.done: set[str] = set()
        self.output: dict[str, collections.deque[str]] = {}
        self.error = ""
        self.error_vertex = ""
        self.last_lines: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)

    def feed_line(self, line: str) -> None:
        line = strip_ansi(line.rstrip("\r\n"))
        if line.strip():
            self.last_lines.append(line)
        if match := _BK_STEP.match(line):
            vertex, stage, total = match[1], match[2] or "", int(match[4])
            self.steps[vertex] = f"[{stage + ' ' if stage else ''}{match[3]}/{total}] {match[5]}"
            self.totals[stage] = total
            self._report(self.steps[vertex])
        elif match := _BK_DONE.match(line):
            if match[1] in self.steps:
                self.done.add(match[1])
                self._report(None)
        elif match := _BK_ERROR.match(line):
            self.error_vertex, self.error = match[1], match[2]
        elif match := _BK_OUTPUT.match(line):
            self.output.setdefault(match[1], collections.deque(maxlen=TAIL_LINES)).append(match[2])
        elif match := _BK_VERTEX.match(line):
            self.names.setdefault(match[1], match[2])
        elif line.startswith("error:") or line.startswith("ERROR:"):
            self.error = self.error or line.split(":", 1)[1].strip()

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def _report(self, note: str | None) -> None:
        if self.task:
            self.task.update(completed=len(self.done), total=self.total or None, note=note)

    def failure(self, label: str, returncode: int) -> VerifyError:
        step = self.steps.get(self.error_vertex, "")
        name = self.names.get(self.error_vertex, "")
        where = f"at step {step}" if step else (f"at `{name}`" if name else "before the first step")
        tail = list(self.output.get(self.error_vertex, ())) if self.error_vertex else list(self.last_lines)
        message = self.error or (self.last_lines[-1] if self.last_lines else f"docker exited with {returncode}")
        return failure(label, where, message, tail)


@dataclass(frozen=True)
class CliRoute:
    executable: str
    client_version: str
    buildx_version: str = ""  # empty: DOCKER_BUILDKIT=1 with a pre-23 client


class BuildKitCliBuilder:
    def __init__(self, route: CliRoute, info: BuilderInfo):
        self.route = route
        self.info = info

    def command(self, request: BuildRequest, iidfile: str) -> list[str]:
        argv = [self.route.executable]
        argv += ["buildx", "build"] if self.route.buildx_version else ["build"]
        argv += ["--no-cache", "--progress=plain", "--iidfile", iidfile, "-f", request.archive.dockerfile]
        for key, value in sorted(request.all_build_args().items()):
            argv += ["--build-arg", f"{key}={value}"]
        if request.hostname and self.route.buildx_version:
            argv += ["--build-arg", f"BUILDKIT_SANDBOX_HOSTNAME={request.hostname}"]
        if request.target:
            argv += ["--target", request.target]
        if request.platform:
            argv += ["--platform", request.platform]
        if self.route.buildx_version:
            if version_tuple(self.route.buildx_version) >= (0, 10):
                argv.append("--provenance=false")  # attestations would make the index differ
            rewrite = self.info.rewrite_timestamp and request.source_date_epoch is not None
            argv += ["--output", "type=docker" + (",rewrite-timestamp=true" if rewrite else "")]
        argv.append("-")  # the context archive arrives on stdin
        return argv

    def environment(self, request: BuildRequest) -> dict[str, str]:
        env = dict(os.environ)
        if not self.route.buildx_version:
            env["DOCKER_BUILDKIT"] = "1"
        if request.source_date_epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(request.source_date_epoch)
        return env

    def build(self, request: BuildRequest, tracker: ResourceTracker, task: Task) -> BuildResult:
        stream = BuildKitStream(task)
        request.archive.file.seek(0)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="dockerlint-iid-") as tmp:
            iidfile = os.path.join(tmp, "iid")
            try:
                process = subprocess.Popen(
                    self.command(request, iidfile), stdin=request.archive.file, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, env=self.environment(request), start_new_session=True,
                    text=True, errors="replace",
                )
            except OSError as exc:
                raise VerifyError(f"cannot run {self.route.executable}: {exc}") from None

            def work() -> None:
                assert process.stdout is not None
                for line in process.stdout:
                    stream.feed_line(line)
                process.wait()

            def stop() -> None:
                # SIGINT lets the CLI cancel the build, as Ctrl-C in a terminal does. The
                # 20.10 CLI ignores it while its context comes from stdin; killed, it drops
                # the session and the daemon cancels the build all the same.
                _signal_group(process, signal.SIGINT)
                try:
                    process.wait(SIGINT_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)

            try:
                Stopper(work, stop, request.label).run(request.deadline)
            finally:
                image_id = _read(iidfile)
                if image_id:
                    tracker.add_image(image_id)
        if process.returncode != 0 or not image_id:
            raise stream.failure(request.label, process.returncode or 0)
        task.update(completed=stream.total, total=stream.total or 1)
        return BuildResult(image_id, stream.total, time.monotonic() - started)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _run_quietly(argv: list[str], env: dict[str, str] | None = None) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def docker_clis() -> list[str]:
    """Docker CLI executables to try: the one on PATH first, then the distribution's."""
    found: list[str] = []
    for candidate in (shutil.which("docker"), "/usr/bin/docker", "/usr/local/bin/docker"):
        if candidate and os.access(candidate, os.X_OK):
            real = os.path.realpath(candidate)
            if real not in {os.path.realpath(f) for f in found}:
                found.append(candidate)
    return found


def find_buildkit_route(executables: Iterable[str] | None = None) -> CliRoute | None:
    """buildx on any CLI, else a CLI older than 23 (``DOCKER_BUILDKIT=1`` still drives the engine)."""
    executables = list(docker_clis() if executables is None else executables)
    versions = {exe: _run_quietly([exe, "version", "--format", "{{.Client.Version}}"]) for exe in executables}
    for exe in executables:
        buildx = _run_quietly([exe, "buildx", "version"])
        if buildx and versions.get(exe) is not None:
            return CliRoute(exe, versions[exe] or "", buildx.split()[1] if len(buildx.split()) > 1 else buildx)
    for exe in executables:
        version = versions.get(exe)
        if version and _major(version) < 23:
            return CliRoute(exe, version)
    return None


def _major(version: str) -> int:
    return version_tuple(version)[0]


def version_tuple(version: str) -> tuple[int, ...]:
    """``v0.13.2`` / ``20.10.24+dfsg1`` -> (0, 13, 2) / (20, 10, 24); (0,) when unreadable."""
    match = re.match(r"v?(\d+(?:\.\d+)*)", version.strip())
    return tuple(int(part) for part in match[1].split(".")) if match else (0,)


def buildx_buildkit_version(executable: str) -> str:
    text = _run_quietly([executable, "buildx", "inspect"]) or ""
    match = re.search(r"^\s*BuildKit(?: version)?:\s*(\S+)", text, re.MULTILINE | re.IGNORECASE)
    return match[1] if match else ""
