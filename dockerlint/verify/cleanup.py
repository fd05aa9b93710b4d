"""Remove exactly what one verify-build run created, and nothing else.

The run records every container and image id a build reports while it
happens; ``ResourceTracker.cleanup`` removes them, newest first. Images that
existed before the run (the base image, a user's tags) are never removed,
even when a build names them. Because a build interrupted between committing
a step and reporting it could leave an unreported image behind, a sweep also
removes images whose parent is one of ours: nobody else builds on top of an
untagged intermediate image of this run.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import docker


RETRY_SECONDS = 15.0


class ResourceTracker:
    def __init__(self, client: docker.DockerClient):
        self.api = client.api
        self.preexisting: frozenset[str] = frozenset(
            _full_id(i) for i in self.api.images(all=True, quiet=True)
        )
        self.images: list[str] = []  # in creation order, as reported (short or full ids)
        self.containers: list[str] = []
        self.kept: set[str] = set()

    def is_preexisting(self, image_id: str) -> bool:
        return any(_same(image_id, full) for full in self.preexisting)

    def add_image(self, image_id: str) -> None:
        if image_id and not self.is_preexisting(image_id) and not any(_same(image_id, i) for i in self.images):
            self.images.append(image_id)

    def add_container(self, container_id: str) -> None:
        if container_id and container_id not in self.containers:
            self.containers.append(container_id)

    def keep(self, image_id: str) -> None:
        """Leave this image (and, implicitly, its parents) in place."""
        self.kept.add(_full_id(image_id))

    def cleanup(self, warn: TextIO = sys.stderr) -> list[str]:
        """Remove tracked resources; return what could not be removed (also warned).

        A Ctrl-C (or SIGTERM, SIGHUP) while this runs would leave images behind,
        so it is held back until the cleanup is over (and then re-raised).
        """
        with _signals_deferred(warn) as received:
            leftovers = self._remove_all(warn)
        if received:
            raise interruption(received[0])
        return leftovers

    def _remove_all(self, warn: TextIO) -> list[str]:
        from docker.errors import NotFound

        errors = _removal_errors()
        leftovers: list[str] = []
        for cid in reversed(self.containers):
            try:
                self.api.remove_container(cid, force=True, v=True)
            except NotFound:
                pass
            except errors as exc:
                if "already in progress" not in str(exc):
                    leftovers.append(f"container {cid[:12]}: {_explain(exc)}")
        pending: list[str] = []
        if self.images:
            listing = self._listing()
            self._sweep_children(listing)
            protected = self._kept_with_ancestors(listing)
            pending = [i for i in reversed(self.images) if not any(_same(i, p) for p in protected)]
        # Children must go before parents, and a container the daemon is still
        # removing holds its image for a moment: retry until nothing moves.
        failures: dict[str, str] = {}
        give_up = time.monotonic() + RETRY_SECONDS
        while pending:
            retry: list[str] = []
            for image_id in pending:
                try:
                    self.api.remove_image(image_id, force=False, noprune=False)
                except NotFound:
                    pass
                except errors as exc:
                    retry.append(image_id)
                    failures[image_id] = _explain(exc)
            if len(retry) == len(pending):
                if time.monotonic() > give_up:
                    leftovers += [f"image {_short(i)}: {failures[i]}" for i in retry]
                    break
                time.sleep(0.25)
            pending = retry
        from dockerlint.verify.textsafe import one_line

        for item in leftovers:
            print(f"dockerlint: warning: could not remove {one_line(item)}", file=warn)
        return leftovers

    def _listing(self) -> list[dict]:
        try:
            return self.api.images(all=True)
        except _removal_errors():
            return []

    def _kept_with_ancestors(self, listing: list[dict]) -> set[str]:
        """Kept images and their parent chains (classic builds keep parents alive)."""
        parents = {i.get("Id", ""): i.get("ParentId", "") for i in listing}
        protected: set[str] = set()
        for kept in self.kept:
            current = next((full for full in parents if _same(full, kept)), kept)
            while current and current not in protected:
                protected.add(current)
                current = parents.get(current, "")
        return protected

    def _sweep_children(self, listing: list[dict]) -> None:
        """Add unreported images built on top of ours (see module docstring)."""
        changed = True
        while changed:
            changed = False
            for image in listing:
                full, parent = image.get("Id", ""), image.get("ParentId", "")
                if (parent and any(_same(parent, o) for o in self.images)
                        and not any(_same(full, o) for o in self.images)
                        and not self.is_preexisting(full)):
                    self.images.append(full)
                    changed = True


# The signals that end a run: Ctrl-C, `kill`/`docker stop`/CI cancellation, a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that the same unwinding removes our images."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def interruption(signum: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """While a run works, SIGTERM and SIGHUP interrupt it as Ctrl-C does (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame) -> None:
        raise Terminated(signum)

    previous = {s: signal.signal(s, interrupt) for s in STOP_SIGNALS if s != signal.SIGINT}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_deferred(warn: TextIO) -> Iterator[list[int]]:
    """Record stop signals instead of acting on them (main thread only); yields the list of
    signal numbers received, in order."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def record(signum, frame) -> None:
        if not received:
            print("dockerlint: removing the images of this run, please wait", file=warn)
        received.append(signum)

    previous = {s: signal.signal(s, record) for s in STOP_SIGNALS}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _explain(exc: BaseException) -> str:
    return str(getattr(exc, "explanation", None) or exc)


def _removal_errors() -> tuple[type[BaseException], ...]:
    """Whatever the SDK raises when a call fails: API errors and lost connections."""
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    return (DockerException, RequestException, OSError)


def _bare(image_id: str) -> str:
    return image_id.removeprefix("sha256:")


def _same(a: str, b: str) -> bool:
    """Short and full ids of one image compare equal."""
    a, b = _bare(a), _bare(b)
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _full_id(image_id: str) -> str:
    return image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"


def _short(image_id: str) -> str:
    return _bare(image_id)[:12]
