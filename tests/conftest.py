"""Shared fixtures. Docker: a reachable daemon and a local base image.

Tests marked ``@pytest.mark.docker`` need a daemon. Without one they are
skipped, except when ``CI`` is set: then they fail, so a broken CI setup
never passes silently.

There is no registry here, so the base image is made locally: a tarball of
a static busybox with fixed mtimes, ``docker import``ed once per session under
a tag unique to this process (concurrent test runs on one daemon do not
share it) and removed at the end.
"""
from __future__ import annotations

import io
import os
import tarfile
import uuid

import pytest

BUSYBOX = "/bin/busybox"
BASE_TIMESTAMP = 1_700_000_000
APPLETS = (
    "awk cat chmod cp cut date dd echo env false find gzip head hostname ln ls mkdir mv od "
    "printf rm sed seq sh sleep sort tail tar touch tr true wc xargs"
).split()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the Docker tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def docker_client():
    from dockerlint.verify.daemon import connect
    from dockerlint.verify.errors import VerifyError

    try:
        client = connect(timeout=300)
    except VerifyError as exc:
        _unavailable(f"no Docker daemon: {exc}")
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _docker_marker(request):
    """Every ``docker``-marked test gets the daemon check, even without asking for a client."""
    if request.node.get_closest_marker("docker") is not None:
        request.getfixturevalue("docker_client")


def busybox_rootfs_tar(session: str = "") -> bytes:
    """A minimal root file system: busybox, its applets, the usual mount points, fixed mtimes.

    ``session`` is written to /etc/dockerlint-session so that each test session's
    base layer has its own diffID: images built on it can be told from images
    that concurrent runs on the same daemon build.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name: str, kind: bytes, mode: int, data: bytes = b"", link: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime, info.linkname = kind, mode, BASE_TIMESTAMP, link
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data else None)

        # Mount points exist already, so BuildKit creates no mount stubs in RUN layers.
        for directory in ("bin", "dev", "etc", "proc", "root", "sys", "tmp", "var"):
            add(directory, tarfile.DIRTYPE, 0o1777 if directory == "tmp" else 0o755)
        for name in ("etc/hosts", "etc/hostname", "etc/resolv.conf"):
            add(name, tarfile.REGTYPE, 0o644)
        if session:
            add("etc/dockerlint-session", tarfile.REGTYPE, 0o644, session.encode())
        with open(BUSYBOX, "rb") as handle:
            add("bin/busybox", tarfile.REGTYPE, 0o755, handle.read())
        for applet in APPLETS:
            add(f"bin/{applet}", tarfile.SYMTYPE, 0o777, link="busybox")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def base_image(docker_client):
    """Name of a local busybox image, imported for this session and removed after it."""
    if not os.access(BUSYBOX, os.R_OK):
        _unavailable(f"{BUSYBOX} is missing (install busybox-static)")
    name = f"dockerlint-test-base:{os.getpid()}"
    session = f"{os.getpid()}-{uuid.uuid4()}"
    docker_client.api.import_image_from_data(busybox_rootfs_tar(session), repository=name.split(":")[0],
                                             tag=name.split(":")[1])
    yield name
    from docker.errors import APIError

    try:
        docker_client.api.remove_image(name)
    except APIError as exc:  # a test leaked an image built on it: make that visible
        print(f"\nwarning: could not remove {name}: {exc}")


def images_on(client, base_image: str) -> tuple[frozenset[str], frozenset[str]]:
    """Images whose bottom layer is ``base_image``'s, and the containers using them.

    A run's leftovers show up here, while images that other test sessions
    build on the same daemon at the same time (their own base) do not.
    """
    from docker.errors import NotFound

    base_layer = client.api.inspect_image(base_image)["RootFS"]["Layers"][0]
    images = set()
    for image in client.api.images(all=True):
        try:
            layers = client.api.inspect_image(image["Id"])["RootFS"].get("Layers") or []
        except NotFound:  # removed meanwhile by someone else
            continue
        if layers[:1] == [base_layer]:
            images.add(image["Id"])
    containers = {c["Id"] for c in client.api.containers(all=True) if c.get("ImageID") in images}
    return frozenset(images), frozenset(containers)
