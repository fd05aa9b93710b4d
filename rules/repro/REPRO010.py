"""REPRO010: an install that may re-resolve instead of installing what the lock file pins."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# manager -> (options that make the install fail rather than move off the lock, environment variables, the way)
_STRICT = {
    "npm": ((), (), "`npm ci`"),
    "yarn": (("frozen-lockfile", "immutable"), ("YARN_ENABLE_IMMUTABLE_INSTALLS",), "`yarn install --frozen-lockfile`"
                                                                                    " (Yarn 2+: `--immutable`)"),
    "pnpm": (("frozen-lockfile",), (), "`pnpm install --frozen-lockfile`"),
    "uv": (("locked", "frozen"), ("UV_LOCKED", "UV_FROZEN"), "`uv sync --locked`"),
    "pipenv": (("deploy", "ignore-pipfile"), ("PIPENV_DEPLOY",), "`pipenv sync` (or `pipenv install --deploy`)"),
}
_LOCKS = {"poetry": "poetry.lock", "pdm": "pdm.lock"}


@rule(id="REPRO010", name="lock-not-enforced", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",), hadolint=())
def lock_not_enforced(df: Dockerfile) -> Iterator[Finding]:
    """Install exactly what the lock file pins: `npm ci`, `uv sync --locked`, `yarn install --frozen-lockfile`.

    Why: `npm install` and `uv sync` treat the lock file as a hint: when
    package.json or pyproject.toml no longer matches it they resolve again
    and install newer versions, silently, inside the image. The lock in your
    repository then says one thing and the image holds another. The strict
    forms fail the build instead, so you update the lock on purpose.

    Bad:
        COPY package.json package-lock.json ./
        RUN npm install
    Good:
        COPY package.json package-lock.json ./
        RUN npm ci

    Note: reported when the install reads a lock file the build copied
    (`package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`, `uv.lock`,
    `Pipfile.lock`) without the option or variable that enforces it (`npm
    install` with no package names; yarn `--frozen-lockfile`/`--immutable`,
    pnpm `--frozen-lockfile`, uv `--locked`/`--frozen`/`UV_LOCKED`, pipenv
    `--deploy`/`--ignore-pipfile`), and for `poetry install`/`pdm install` of
    a project whose lock file is not in the image at all (they resolve afresh).
    Needs the build context; `npm install <pkg>` is DL3016's.
    """
    ctx = df.context
    if ctx is None:
        return
    for pc in (pc for instr in df.walk() for pc in instr.package_commands):
        if pc.action not in ("install", "sync") or not pc.stage_ships:
            continue
        reads = ctx.installed(pc)
        roles = {r.role for r in reads}
        if pc.manager in _LOCKS:
            if pc.action == "install" and "project" in roles and "lock" not in roles and not pc.packages:
                lock = _LOCKS[pc.manager]
                how = f"copy {lock} with pyproject.toml" if ctx.exists(lock) else \
                    f"commit one (`{pc.manager} lock`) and copy it with pyproject.toml"
                yield pc.instr.finding(f"`{pc.tool} {pc.subcommand}` has no {lock} in the image: it resolves every "
                                       f"dependency afresh on each build; {how}",
                                       span=pc.verb.span if pc.verb is not None else pc.span)
            continue
        if pc.manager not in _STRICT or "lock" not in roles or pc.packages:
            continue
        if pc.manager == "uv" and pc.subcommand != "sync":
            continue
        options, variables, way = _STRICT[pc.manager]
        if any(pc.args.has(o) for o in options) or any(pc.command.env(v) is not None for v in variables):
            continue
        lock = next(r.path for r in reads if r.role == "lock")
        yield pc.instr.finding(f"`{pc.tool} {pc.subcommand}` may resolve again instead of installing what {lock} "
                               f"pins (it updates the lock when the manifest changed); use {way}",
                               span=pc.verb.span if pc.verb is not None else pc.span)
