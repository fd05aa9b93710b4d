"""Connect to the Docker Engine the way the ``docker`` CLI would.

``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH``) wins; else
``DOCKER_CONTEXT``; else the current context of ``~/.docker/config.json``. So
``--verify-build`` runs against a remote engine exactly when ``docker build``
would.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockerlint.verify.errors import VerifyError

if TYPE_CHECKING:
    import docker


@dataclass(frozen=True)
class Endpoint:
    url: str
    source: str  # "DOCKER_HOST", "context <name>"
    tls: object = None


def endpoint() -> Endpoint:
    """Where the Docker CLI would talk to, without connecting."""
    host = os.environ.get("DOCKER_HOST")
    if host:
        return Endpoint(host, "DOCKER_HOST")
    from docker.context import ContextAPI
    from docker.errors import ContextNotFound, DockerException

    name = os.environ.get("DOCKER_CONTEXT")
    try:
        ctx = ContextAPI.get_context(name) if name else ContextAPI.get_current_context()
    except (ContextNotFound, DockerException, OSError, ValueError) as exc:
        raise VerifyError(f"cannot read docker context {name or 'current'}: {exc}") from None
    if ctx is None:
        raise VerifyError(f"docker context {name!r} does not exist")
    return Endpoint(ctx.Host or "unix:///var/run/docker.sock", f"context {ctx.Name}", ctx.TLSConfig)


PING_TIMEOUT = 30  # an unreachable remote engine should not hang the run for minutes


def connect(timeout: int = 600) -> docker.DockerClient:
    """A client that answered ``ping``; ``VerifyError`` with the reason otherwise.

    ``timeout`` is the read timeout of later calls (image export, removal);
    builds stream without one and are bounded by ``--timeout`` instead.
    """
    import docker
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    where = endpoint()
    ping_timeout = min(timeout, PING_TIMEOUT)
    try:
        if where.source == "DOCKER_HOST":
            client = docker.from_env(timeout=ping_timeout)
        else:
            client = docker.DockerClient(base_url=where.url, tls=where.tls, timeout=ping_timeout)
        client.ping()
    except (DockerException, RequestException, OSError) as exc:
        raise connection_error(exc, where.url) from None
    client.api.timeout = timeout
    return client


def connection_error(exc: BaseException, url: str) -> VerifyError:
    """Turn the nested requests/urllib3 exception chain into one sentence."""
    text = _chain_text(exc)
    lowered = text.lower()
    if "permission denied" in lowered or _chain_has(exc, PermissionError):
        return VerifyError(
            f"permission denied on the Docker socket ({url}): add your user to the "
            "'docker' group or run with sufficient rights"
        )
    if _chain_has(exc, FileNotFoundError) or "no such file" in lowered:
        return VerifyError(f"cannot connect to the Docker daemon at {url}: no such socket (is dockerd running?)")
    if "refused" in lowered:
        return VerifyError(f"cannot connect to the Docker daemon at {url}: connection refused (is dockerd running?)")
    first = text.splitlines()[0] if text else type(exc).__name__
    return VerifyError(f"cannot connect to the Docker daemon at {url}: {first}")


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        for arg in getattr(exc, "args", ()):
            if isinstance(arg, BaseException):
                yield from _chain(arg)
        exc = exc.__cause__ or exc.__context__


def _chain_has(exc: BaseException, kind: type) -> bool:
    return any(isinstance(e, kind) for e in _chain(exc))


def _chain_text(exc: BaseException) -> str:
    return " ".join(str(e) for e in _chain(exc))
