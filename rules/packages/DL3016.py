"""DL3016: npm packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3016", name="npm-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def npm_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in npm: `npm install <package>@<version>`.

    Why: `npm install -g typescript` installs the newest release of the day;
    a rebuild next month gets another compiler with other errors. Without
    packages, `npm install` and `npm ci` install what package.json and the
    lock file say, which is the better way.

    Bad:
        RUN npm install -g typescript
    Good:
        RUN npm install -g typescript@5.6.3
        # or install what package-lock.json pins:
        RUN npm ci
    References:
    - https://docs.npmjs.com/cli/commands/npm-install
    Note: exact versions and ranges (`pkg@^5`, `@scope/pkg@">=0.1 <0.2"`),
    tarballs, folders and git URLs with a `#ref` count as pinned, as in
    hadolint. A dist-tag is not a version: `npm install -g npm@latest` is
    reported (hadolint accepts any `@`). `npm i` and `npm add` are installs
    too (hadolint reads `npm install` only). Versions held in ARG/ENV count
    when they resolve (#928); unresolvable arguments are never judged.
    """
    return unpinned_findings(df, ("npm",), "npm", lambda name: f"use `{name}@<version>`")
