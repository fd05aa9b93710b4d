"""DL3028: gems installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3028", name="gem-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def gem_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in gem install: `gem install <gem>:<version>` (or `-v <version>`).

    Why: `gem install bundler` installs the newest bundler of the day, and a
    new major release can refuse the Gemfile.lock the image was tested with.

    Bad:
        RUN gem install bundler
    Good:
        RUN gem install bundler:2.5.22
        RUN gem install bundler -v '~> 2.5'
    References:
    - https://guides.rubygems.org/command-reference/#gem-install
    Note: `-v`/`--version` pins every gem of the command, as in hadolint;
    `.gem` files and paths are local. Versions held in ARG/ENV count when
    they resolve (#928); unresolvable arguments are never judged. The words
    after `--` are the extension's build flags, not gems. An option gem does
    not know is read as a flag without a value: in `gem install x:1
    --use-system-libraries true`, `true` is a gem name (hadolint skips it;
    gem rejects the option, the build flag belongs after `--`).
    """
    return unpinned_findings(df, ("gem",), "gem install", lambda name: f"use `{name}:<version>`")
