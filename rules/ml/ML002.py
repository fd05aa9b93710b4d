"""ML002: a system package name that does not exist on the image's distro or release."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

# Debian/Ubuntu names -> the Alpine (aports) name. ml_deps.md §1 (apk names confirmed in real
# Dockerfiles: `apk add --no-cache libgomp`, `apk add --no-cache mesa-gl glib`).
DEBIAN_TO_ALPINE = {"libgomp1": "libgomp", "libgl1": "mesa-gl", "libglib2.0-0": "glib", "libglib2.0-0t64": "glib",
                    "libsndfile1": "libsndfile", "build-essential": "build-base",
                    "default-libmysqlclient-dev": "mariadb-dev", "libportaudio2": "portaudio",
                    "portaudio19-dev": "portaudio-dev", "libgeos-dev": "geos-dev", "libmagic1": "libmagic",
                    "libgdal-dev": "gdal-dev", "libgl1-mesa-glx": "mesa-gl"}
# Alpine names in apt-get install (not musl-dev: Debian has a musl-dev package too).
ALPINE_TO_DEBIAN = {"build-base": "build-essential", "mesa-gl": "libgl1",
                    "postgresql-dev": "libpq-dev", "mariadb-dev": "default-libmysqlclient-dev",
                    "portaudio-dev": "portaudio19-dev", "geos-dev": "libgeos-dev", "gdal-dev": "libgdal-dev",
                    "libgomp": "libgomp1"}
# Removed in Debian 13 (trixie) and Ubuntu 23.10+: ml_deps.md §1, CatchTheTornado/text-extract-api#126.
REMOVED_T64 = {"libgl1-mesa-glx": "libgl1"}


@rule(id="ML002", name="wrong-system-package-name", severity=Severity.ERROR, category="ml", on=("RUN",))
def wrong_system_package_name(df: Dockerfile) -> Iterator[Finding]:
    """Use the package name of the image's distro and release: `libgl1`, not `libgl1-mesa-glx`, on Debian 13.

    Why: `libgl1-mesa-glx` is gone from Debian 13 (trixie) and Ubuntu 23.10+,
    and `python:3.X-slim` moved to trixie in 2025: Dockerfiles that built for
    years now fail with `E: Package 'libgl1-mesa-glx' has no installation candidate`.
    Debian names in `apk add` (`libgomp1`, `build-essential`) always fail
    (`ERROR: unable to select packages: libgomp1 (no such package)`), as do
    Alpine names in `apt-get install` (`E: Unable to locate package build-base`).

    Bad:
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends libgl1-mesa-glx
    Good:
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends libgl1

    Fix: replaces the name with the right one (`libgl1`, `libgomp`, `build-base`).
    Fix safety: the replacement is the same library under the distro's name.

    Note: `libgl1-mesa-glx` is reported only when the release is known to be
    Debian 13+ or Ubuntu 23.10+ (a floating `python:3.X-slim` tag, `debian:trixie`,
    `ubuntu:24.04`); on bookworm it still exists.
    References:
    - https://packages.debian.org/trixie/libgl1
    """
    for run in runs(df):
        stage = run.stage
        facts = stage.base_facts if stage is not None else None
        for command in run.installs:
            table, template = _table(command, facts)
            if table is None:
                continue
            for package in command.packages:
                name = (package.name or "").lower()
                right = table.get(name)
                if right is None:
                    continue
                span = package.span or package.word.span
                fix = Fix(f"install {right}", (Edit(span.start, span.end, right),), safe=True) \
                    if package.text == package.word.raw == name else None
                yield run.finding(template.format(name=name, right=right, image=_image(stage)), span=span, fix=fix)


def _table(command, facts):
    if command.manager == "apk":
        return DEBIAN_TO_ALPINE, ("`{name}` is a Debian name; Alpine calls it `{right}`: the build fails with "
                                  "`ERROR: unable to select packages: {name} (no such package)`; install `{right}`")
    if command.ecosystem != "deb":
        return None, ""
    if facts is not None and facts.uses_t64_names:
        return {**ALPINE_TO_DEBIAN, **REMOVED_T64}, (
            "`{name}` does not exist on {image}: the build fails with `E: Package '{name}' has no installation "
            "candidate` (or `Unable to locate package`); install `{right}`")
    return ALPINE_TO_DEBIAN, ("`{name}` is an Alpine name; Debian and Ubuntu call it `{right}`: the build fails "
                              "with `E: Unable to locate package {name}`; install `{right}`")


def _image(stage) -> str:
    image = stage.root_image if stage is not None else None
    return image.text if image is not None else "this image"
