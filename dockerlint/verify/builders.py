"""The choice of builder for ``--builder auto|classic|buildkit``.

Apart from ``build.py`` (what both builders share) so that the builders can
import it at the top and this module can import both: no cycle to hide
behind deferred imports.
"""
from __future__ import annotations

from collections.abc import Callable

import docker
from docker.errors import DockerException

from dockerlint.verify.build import BuilderInfo
from dockerlint.verify.buildkit import (
    BuildKitCliBuilder,
    CliRoute,
    buildx_buildkit_version,
    find_buildkit_route,
    version_tuple,
)
from dockerlint.verify.classic import ClassicBuilder
from dockerlint.verify.daemon import connection_error
from dockerlint.verify.errors import VerifyError

BUILDERS = ("auto", "classic", "buildkit")


def select_builder(client: docker.DockerClient, choice: str,
                   route_finder: Callable[[], CliRoute | None] | None = None):
    """The builder for ``--builder auto|classic|buildkit``; VerifyError if BuildKit is unreachable."""
    if choice not in BUILDERS:
        raise VerifyError(f"unknown builder {choice!r} (allowed: {', '.join(BUILDERS)})")
    version = _engine_version(client)
    route = None if choice == "classic" else (route_finder or find_buildkit_route)()
    if choice == "buildkit" and route is None:
        raise VerifyError(
            "BuildKit is not reachable: install docker buildx (or use a docker CLI older than 23 with "
            "DOCKER_BUILDKIT=1), or use --builder classic"
        )
    if route is not None and (choice == "buildkit" or route.buildx_version):
        if route.buildx_version:
            via = f"docker buildx {route.buildx_version} ({route.executable}, client {route.client_version})"
            buildkit = buildx_buildkit_version(route.executable) or "unknown"
        else:
            via = f"{route.executable} {route.client_version} with DOCKER_BUILDKIT=1"
            buildkit = f"embedded in Docker Engine {version.get('Version', '?')}"
        info = BuilderInfo("buildkit", via, version.get("Version", ""), version.get("ApiVersion", ""),
                           buildkit,
                           # the image exporter's rewrite-timestamp option exists since BuildKit 0.13
                           rewrite_timestamp=bool(route.buildx_version) and version_tuple(buildkit) >= (0, 13),
                           hostname_varies=bool(route.buildx_version))
        return BuildKitCliBuilder(route, info)
    info = BuilderInfo("classic", f"Docker Engine API (docker SDK {docker.__version__})",
                       version.get("Version", ""), version.get("ApiVersion", ""), hostname_varies=True)
    return ClassicBuilder(client, info)


def _engine_version(client: docker.DockerClient) -> dict:
    try:
        return client.version()
    except (DockerException, OSError) as exc:
        raise connection_error(exc, client.api.base_url) from None
