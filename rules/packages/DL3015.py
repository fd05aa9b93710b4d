"""DL3015: apt-get installs recommended packages too."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import add_after, package_commands


@rule(id="DL3015", name="apt-get-no-install-recommends", severity=Severity.INFO, category="performance",
      fixable=True, on=("RUN",), trivy=("DS029",))
def apt_get_no_install_recommends(df: Dockerfile) -> Iterator[Finding]:
    """Avoid additional packages: `apt-get install --no-install-recommends <package>`.

    Why: by default apt also installs every package the ones you asked for
    *recommend*: documentation, X11 libraries, compilers. The image grows by
    hundreds of megabytes nobody asked for, and its contents depend on what
    the archive recommends on the day of the build.

    Bad:
        RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    Fix: inserts `--no-install-recommends` after `install`.
    Fix safety: it only drops packages no one named; a program that needs a
    recommended package still builds, and the finding says which command to check.
    References:
    - https://docs.docker.com/build/building/best-practices/#apt-get
    Note: `-o APT::Install-Recommends=false` (or `=0`) counts. `apt install`
    is checked too (hadolint checks `apt-get` only); `aptitude` has other
    switches and is not judged.
    """
    for pc in package_commands(df, ("apt",), ("install",)):
        if pc.no_install_recommends or pc.tool == "aptitude" or pc.subcommand != "install":
            continue
        yield pc.instr.finding(
            f"Avoid additional packages by specifying `--no-install-recommends`: `{pc.tool} install "
            "--no-install-recommends ...`",
            span=pc.verb.span if pc.verb is not None else pc.span,
            fix=add_after(pc.verb, "--no-install-recommends"),
        )
