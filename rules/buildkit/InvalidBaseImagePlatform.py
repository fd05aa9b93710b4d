"""InvalidBaseImagePlatform: a single-platform base image that cannot match the build's platform."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._platform import Platform, parse_platform

# Docker Hub namespaces that hold images of one architecture only (docker-library's
# per-architecture repositories: https://github.com/docker-library/official-images#architectures-other-than-amd64).
_ARCH_NAMESPACES = {
    "amd64": Platform("linux", "amd64"), "arm32v5": Platform("linux", "arm", "v5"),
    "arm32v6": Platform("linux", "arm", "v6"), "arm32v7": Platform("linux", "arm", "v7"),
    "arm64v8": Platform("linux", "arm64"), "i386": Platform("linux", "386"),
    "mips64le": Platform("linux", "mips64le"), "ppc64le": Platform("linux", "ppc64le"),
    "riscv64": Platform("linux", "riscv64"), "s390x": Platform("linux", "s390x"),
    "winamd64": Platform("windows", "amd64"),
}


@rule(id="InvalidBaseImagePlatform", name="invalid-base-image-platform", severity=Severity.WARNING,
      category="correctness", on=("FROM",), buildkit="InvalidBaseImagePlatform", hadolint=())
def invalid_base_image_platform(df: Dockerfile) -> Iterator[Finding]:
    """Build on a base image made for the platform the stage is built for.

    Why: an `arm64v8/...` image in a stage built for linux/amd64 runs under
    emulation at best, and the image is labelled with a platform its
    binaries are not for.

    Bad:
        FROM --platform=linux/amd64 arm64v8/alpine:3.20
    Good:
        FROM --platform=linux/arm64 arm64v8/alpine:3.20

    Note: BuildKit reports this after pulling the image; a linter can know
    it only for Docker Hub's per-architecture namespaces (`arm64v8/`,
    `amd64/`, `s390x/`…), whose images have one platform, and only when the
    platform the stage is built for is known: a `--platform` value, or a
    TARGETPLATFORM given with `--build-arg`. The builder's own platform
    (the default) is unknown, so a stage without either is not judged.
    References:
    - https://docs.docker.com/reference/build-checks/
    """
    explicit_target = df.build_args.get("TARGETPLATFORM")
    for stage in df.stages:
        ref = stage.base
        if ref is None or not ref.resolved or ref.is_docker_hub is not True or ref.repository is None:
            continue
        namespace = ref.repository.split("/", 1)[0] if "/" in ref.repository else None
        actual = _ARCH_NAMESPACES.get(namespace or "")
        if actual is None:
            continue
        if stage.platform is not None:
            wanted = stage.platform.value
        else:
            wanted = explicit_target
        expected = parse_platform(wanted) if wanted else None
        if expected is None:
            continue
        if expected.os != actual.os or expected.architecture != actual.architecture:
            yield stage.from_.finding(
                f'Base image {ref.raw} was pulled with platform "{actual}", expected "{expected}" for current build')
