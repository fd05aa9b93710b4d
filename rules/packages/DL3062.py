"""DL3062: Go tools installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3062", name="go-install-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def go_install_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in go install: `go install <package>@<version>`.

    Why: `go install golang.org/x/tools/gopls@latest` (or without `@` where
    no go.mod decides) builds whatever the module's default branch holds
    today; a rebuild gets other code.

    Bad:
        RUN go install golang.org/x/tools/gopls@latest
    Good:
        RUN go install golang.org/x/tools/gopls@v0.16.2
    References:
    - https://go.dev/ref/mod#go-install
    Note: a version (`@v1.2.3`), a commit hash or a version range counts as
    pinned; `@latest`, `@master` and a missing `@` do not (as hadolint);
    local packages (`./cmd/x`, `./...`, `main.go`) are built from the context,
    and the patterns `tool`, `all`, `std`, `cmd` name the module's own
    packages and tools (go.mod pins them). `go get` and `go run <package>`
    (its first operand; the rest are the program's arguments) are checked
    the same way. Versions held in ARG/ENV count when they resolve
    (`@${GOPLS_VERSION}`, #928).
    """
    return unpinned_findings(df, ("go",), lambda pc: f"go {pc.subcommand}",
                             lambda name: f"use `{name.partition('@')[0]}@<version>`")
