"""Build an image with caching disabled and report what the build created.

Two ways to build, chosen by ``select_builder``:

* ``ClassicBuilder``: the Docker Engine API's ``/build`` through the docker
  SDK (the classic builder), so it follows DOCKER_HOST and docker contexts.
  Every intermediate container and image the daemon reports is handed to the
  ``ResourceTracker`` as it appears.
* ``BuildKitCliBuilder``: BuildKit is not reachable through the SDK, so this
  runs the docker CLI: ``docker buildx build`` where buildx is installed
  (SOURCE_DATE_EPOCH and ``rewrite-timestamp=true`` passed through), else a
  pre-23 CLI with ``DOCKER_BUILDKIT=1`` (the engine's embedded BuildKit).

A build runs in a worker thread so that ``--timeout`` and Ctrl-C can stop it
(killing the step's container, or interrupting the CLI) while the main
thread keeps control and cleans up.
"""
from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from dockerlint.verify.errors import BuildFailed, BuildTimeout, VerifyError, mentions_full_disk

if TYPE_CHECKING:
    import docker

    from dockerlint.verify.cleanup import ResourceTracker
    from dockerlint.verify.context_archive import ContextArchive
    from dockerlint.verify.progress import Task

BUILDERS = ("auto", "classic", "buildkit")
TAIL_LINES = 15
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STOP_GRACE_SECONDS = 15.0


@dataclass
class BuildRequest:
    """One of the two builds. ``label`` is "A" or "B"."""

    label: str
    archive: "ContextArchive"
    build_args: dict[str, str] = field(default_factory=dict)
    target: str | None = None
    platform: str | None = None
    source_date_epoch: int | None = None
    hostname: str | None = None  # --vary: the sandbox hostname, where the builder allows one
    deadline: float | None = None  # time.monotonic() value after which the build is stopped

    def all_build_args(self) -> dict[str, str]:
        args = dict(self.build_args)
        if self.source_date_epoch is not None:
            args["SOURCE_DATE_EPOCH"] = str(self.source_date_epoch)
        return args


@dataclass
class BuildResult:
    image_id: str
    steps: int
    seconds: float


@dataclass(frozen=True)
class BuilderInfo:
    """What the report says about how the images were built."""

    kind: str  # "classic" | "buildkit"
    via: str  # human description of the route
    engine_version: str = ""
    api_version: str = ""
    buildkit_version: str = ""
    rewrite_timestamp: bool = False  # --source-date-epoch also rewrites layer timestamps
    # --vary can give build B another hostname: classic build containers are named by a
    # fresh id anyway; buildx frontends honour BUILDKIT_SANDBOX_HOSTNAME; the BuildKit
    # embedded in Engine 20.10 ignores it (always "buildkitsandbox").
    hostname_varies: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind, "via": self.via, "engine_version": self.engine_version,
            "api_version": self.api_version, "buildkit_version": self.buildkit_version,
            "rewrite_timestamp": self.rewrite_timestamp, "hostname_varies": self.hostname_varies,
        }


class _Stopper:
    """Runs ``work`` in a thread; on deadline or Ctrl-C calls ``stop`` and waits a grace period."""

    def __init__(self, work: Callable[[], None], stop: Callable[[], None], label: str):
        self.work, self.stop, self.label = work, stop, label
        self.error: BaseException | None = None

    def run(self, deadline: float | None) -> None:
        def target() -> None:
            try:
                self.work()
            except BaseException as exc:  # handed to the main thread below
                self.error = exc

        thread = threading.Thread(target=target, name=f"build-{self.label}", daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    if self._halt(thread):
                        raise BuildTimeout(f"build {self.label} timed out (--timeout reached); stopped it")
                    raise BuildTimeout(
                        f"build {self.label} timed out (--timeout reached); the daemon did not stop it within "
                        f"{STOP_GRACE_SECONDS:.0f} s, so images it commits later may remain (docker images -a)")
                thread.join(0.2 if remaining is None else min(0.2, remaining))
        except KeyboardInterrupt:
            self._halt(thread)
            raise
        if self.error is not None:
            raise self.error

    def _halt(self, thread: threading.Thread) -> bool:
        """Stop the build; True when it ended within the grace period."""
        try:
            self.stop()
        except Exception:  # stopping is best effort; cleanup follows anyway
            pass
        thread.join(STOP_GRACE_SECONDS)
        return not thread.is_alive()


# --------------------------------------------------------------------------- classic


_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})\s*$")
_IMAGE = re.compile(r"^ ---> ([0-9a-f]{12,64})\s*$")


class ClassicStream:
    """Reads the classic builder's JSON messages: steps, ids, output, errors.

    Separate from the HTTP call so it can be tested on recorded messages.
    """

    def __init__(self, tracker: "ResourceTracker | None", task: "Task | None" = None):
        self.tracker = tracker
        self.task = task
        self.step = 0
        self.total = 0
        self.step_text = ""
        self.image_id = ""
        self.error = ""
        self.running: str = ""  # container of the step in progress
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self._pending = ""

    def feed(self, message: dict) -> None:
        if "stream" in message:
            self._pending += str(message["stream"])
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                self._line(line.rstrip("\r"))
        if "aux" in message and isinstance(message["aux"], dict) and message["aux"].get("ID"):
            self.image_id = str(message["aux"]["ID"])
            if self.tracker:
                self.tracker.add_image(self.image_id)
        if "error" in message:
            detail = message.get("errorDetail") or {}
            self.error = str(detail.get("message") or message["error"]).strip()

    def finish(self) -> None:
        if self._pending:
            self._line(self._pending)
            self._pending = ""

    def _line(self, line: str) -> None:
        line = _ANSI.sub("", line)
        if match := _STEP.match(line):
            self.step, self.total, self.step_text = int(match[1]), int(match[2]), match[3]
            self.running = ""
            self.tail.clear()
            if self.task:
                self.task.update(completed=self.step - 1, total=self.total, note=self.step_text)
            return
        if match := _RUNNING.match(line):
            self.running = match[1]
            if self.tracker:
                self.tracker.add_container(match[1])
            return
        if match := _IMAGE.match(line):
            if self.tracker:
                self.tracker.add_image(match[1])
            if self.task:
                self.task.update(completed=self.step)
            return
        if line.startswith("Removing intermediate container") or line.startswith("Successfully built"):
            return
        if line.strip():
            self.tail.append(line)

    def failure(self, label: str) -> VerifyError:
        where = f"at step {self.step}/{self.total} `{self.step_text}`" if self.step else "before the first step"
        return _failure(label, where, self.error, list(self.tail))


class ClassicBuilder:
    def __init__(self, client: "docker.DockerClient", info: BuilderInfo):
        self.client = client
        self.info = info

    def build(self, request: BuildRequest, tracker: "ResourceTracker", task: "Task") -> BuildResult:
        from docker.errors import APIError, DockerException

        api = self.client.api
        stream = ClassicStream(tracker, task)
        request.archive.file.seek(0)
        started = time.monotonic()

        def work() -> None:
            try:
                messages = api.build(
                    fileobj=request.archive.file, custom_context=True,
                    dockerfile=request.archive.dockerfile, nocache=True, rm=True, forcerm=True,
                    pull=False, decode=True, buildargs=request.all_build_args() or None,
                    target=request.target, platform=request.platform,
                )
                for message in messages:
                    stream.feed(message)
                stream.finish()
            except (APIError, DockerException, OSError) as exc:
                stream.error = stream.error or _api_error_text(exc)

        def stop() -> None:
            if stream.running:
                try:
                    api.kill(stream.running)
                except (APIError, DockerException, OSError):
                    pass

        _Stopper(work, stop, request.label).run(request.deadline)
        if stream.error or not stream.image_id:
            raise stream.failure(request.label)
        task.update(completed=stream.total, total=stream.total or 1)
        return BuildResult(stream.image_id, stream.total, time.monotonic() - started)


# --------------------------------------------------------------------------- BuildKit via the CLI


_BK_STEP = re.compile(r"^#(\d+) \[(?:([^\]]*?) )?(\d+)/(\d+)\] (.*)$")
_BK_DONE = re.compile(r"^#(\d+) (?:DONE|CACHED)\b")
_BK_ERROR = re.compile(r"^#(\d+) ERROR: (.*)$")
_BK_OUTPUT = re.compile(r"^#(\d+) \d+\.\d+ (.*)$")


class BuildKitStream:
    """Reads ``--progress=plain`` output: steps per stage, the failing vertex and its output."""

    def __init__(self, task: "Task | None" = None):
        self.task = task
        self.steps: dict[str, str] = {}  # vertex number -> "[stage i/n] INSTR"
        self.totals: dict[str, int] = {}  # stage name -> step count
        self.done: set[str] = set()
        self.output: dict[str, collections.deque[str]] = {}
        self.error = ""
        self.error_vertex = ""
        self.last_lines: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)

    def feed_line(self, line: str) -> None:
        line = _ANSI.sub("", line.rstrip("\r\n"))
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
        where = f"at step {step}" if step else "before the first step"
        tail = list(self.output.get(self.error_vertex, ())) if self.error_vertex else list(self.last_lines)
        message = self.error or (self.last_lines[-1] if self.last_lines else f"docker exited with {returncode}")
        return _failure(label, where, message, tail)


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
            rewrite = ",rewrite-timestamp=true" if request.source_date_epoch is not None else ""
            argv += ["--provenance=false", "--output", f"type=docker{rewrite}"]
        argv.append("-")  # the context archive arrives on stdin
        return argv

    def environment(self, request: BuildRequest) -> dict[str, str]:
        env = dict(os.environ)
        if not self.route.buildx_version:
            env["DOCKER_BUILDKIT"] = "1"
        if request.source_date_epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(request.source_date_epoch)
        return env

    def build(self, request: BuildRequest, tracker: "ResourceTracker", task: "Task") -> BuildResult:
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
                # SIGINT lets the CLI cancel the build on the daemon, as Ctrl-C in a terminal does.
                _signal_group(process, signal.SIGINT)
                try:
                    process.wait(STOP_GRACE_SECONDS / 2)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)

            try:
                _Stopper(work, stop, request.label).run(request.deadline)
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


# --------------------------------------------------------------------------- choosing


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
    match = re.match(r"(\d+)", version)
    return int(match[1]) if match else 0


def select_builder(client: "docker.DockerClient", choice: str,
                   route_finder: Callable[[], CliRoute | None] = find_buildkit_route):
    """The builder for ``--builder auto|classic|buildkit``; VerifyError if BuildKit is unreachable."""
    if choice not in BUILDERS:
        raise VerifyError(f"unknown builder {choice!r} (allowed: {', '.join(BUILDERS)})")
    version = _engine_version(client)
    route = None if choice == "classic" else route_finder()
    if choice == "buildkit" and route is None:
        raise VerifyError(
            "BuildKit is not reachable: install docker buildx (or use a docker CLI older than 23 with "
            "DOCKER_BUILDKIT=1), or use --builder classic"
        )
    if route is not None and (choice == "buildkit" or route.buildx_version):
        if route.buildx_version:
            via = f"docker buildx {route.buildx_version} ({route.executable}, client {route.client_version})"
            buildkit = _buildx_buildkit_version(route.executable) or "unknown"
        else:
            via = f"{route.executable} {route.client_version} with DOCKER_BUILDKIT=1"
            buildkit = f"embedded in Docker Engine {version.get('Version', '?')}"
        info = BuilderInfo("buildkit", via, version.get("Version", ""), version.get("ApiVersion", ""),
                           buildkit, rewrite_timestamp=bool(route.buildx_version),
                           hostname_varies=bool(route.buildx_version))
        return BuildKitCliBuilder(route, info)
    import docker

    info = BuilderInfo("classic", f"Docker Engine API (docker SDK {docker.__version__})",
                       version.get("Version", ""), version.get("ApiVersion", ""), hostname_varies=True)
    return ClassicBuilder(client, info)


def _engine_version(client: "docker.DockerClient") -> dict:
    from docker.errors import DockerException

    try:
        return client.version()
    except (DockerException, OSError) as exc:
        from dockerlint.verify.daemon import connection_error

        raise connection_error(exc, client.api.base_url) from None


def _buildx_buildkit_version(executable: str) -> str:
    text = _run_quietly([executable, "buildx", "inspect"]) or ""
    match = re.search(r"^\s*BuildKit(?: version)?:\s*(\S+)", text, re.MULTILINE | re.IGNORECASE)
    return match[1] if match else ""


# --------------------------------------------------------------------------- errors


def _failure(label: str, where: str, message: str, tail: list[str]) -> VerifyError:
    message = " ".join(message.split()) or "unknown error"
    details = "\n".join(tail)
    if mentions_full_disk(message) or mentions_full_disk(details):
        return VerifyError(f"build {label} ran out of disk space on the Docker host {where}: {message}",
                           details=details)
    return BuildFailed(f"build {label} failed {where}: {message}", details=details)


def _api_error_text(exc: BaseException) -> str:
    explanation = getattr(exc, "explanation", None)
    return str(explanation or exc)
