"""What both builders share: the build request, its result, the worker thread that stops it.

Two builders (``builders.select_builder`` chooses one) import this module:

* ``classic.ClassicBuilder``: the Docker Engine API's ``/build`` through the
  docker SDK, so it follows DOCKER_HOST and docker contexts. Every
  intermediate container and image the daemon reports goes to the
  ``ResourceTracker`` as it appears.
* ``buildkit.BuildKitCliBuilder``: BuildKit is not reachable through the
  SDK, so this runs the docker CLI: ``docker buildx build`` where buildx is
  installed (SOURCE_DATE_EPOCH and ``rewrite-timestamp=true`` passed through),
  else a pre-23 CLI with ``DOCKER_BUILDKIT=1`` (the engine's embedded BuildKit).

A build runs in a worker thread (``Stopper``) so that ``--timeout`` and
Ctrl-C can stop it (killing the step's container, or interrupting the CLI)
while the main thread keeps control and cleans up.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockerlint.verify.errors import BuildFailed, BuildTimeout, VerifyError, mentions_full_disk

if TYPE_CHECKING:

    from dockerlint.verify.context_archive import ContextArchive

TAIL_LINES = 15
STOP_GRACE_SECONDS = 15.0
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STOP_GRACE_SECONDS = 15.0


@dataclass
class BuildRequest:
    """One of the two builds. ``label`` is "A" or "B"."""

    label: str
    archive: ContextArchive
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


class Stopper:
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


def failure(label: str, where: str, message: str, tail: list[str]) -> VerifyError:
    message = " ".join(message.split()) or "unknown error"
    details = "\n".join(tail)
    if mentions_full_disk(message) or mentions_full_disk(details):
        return VerifyError(f"build {label} ran out of disk space on the Docker host {where}: {message}",
                           details=details)
    return BuildFailed(f"build {label} failed {where}: {message}", details=details)


def api_error_text(exc: BaseException) -> str:
    explanation = getattr(exc, "explanation", None)
    return str(explanation or exc)
