"""The classic builder through the Engine API (docker SDK), with every id it reports tracked."""
from __future__ import annotations

import collections
import re
import time
from typing import TYPE_CHECKING

from dockerlint.verify.build import (
    TAIL_LINES,
    BuilderInfo,
    BuildRequest,
    BuildResult,
    Stopper,
    api_error_text,
    failure,
    strip_ansi,
)
from dockerlint.verify.errors import VerifyError

if TYPE_CHECKING:
    import docker

    from dockerlint.verify.cleanup import ResourceTracker
    from dockerlint.verify.progress import Task


_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})\s*$")
_IMAGE = re.compile(r"^ ---> ([0-9a-f]{12,64})\s*$")


class ClassicStream:
    """Reads the classic builder's JSON messages: steps, ids, output, errors.

    Separate from the HTTP call so it can be tested on recorded messages.
    """

    def __init__(self, tracker: ResourceTracker | None, task: Task | None = None):
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
        line = strip_ansi(line)
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
        return failure(label, where, self.error, list(self.tail))


class ClassicBuilder:
    def __init__(self, client: docker.DockerClient, info: BuilderInfo):
        self.client = client
        self.info = info

    def build(self, request: BuildRequest, tracker: ResourceTracker, task: Task) -> BuildResult:
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
                stream.error = stream.error or api_error_text(exc)

        def stop() -> None:
            if stream.running:
                try:
                    api.kill(stream.running)
                except (APIError, DockerException, OSError):
                    pass

        Stopper(work, stop, request.label).run(request.deadline)
        if stream.error or not stream.image_id:
            raise stream.failure(request.label)
        task.update(completed=stream.total, total=stream.total or 1)
        return BuildResult(stream.image_id, stream.total, time.monotonic() - started)
