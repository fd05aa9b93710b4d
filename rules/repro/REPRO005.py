"""REPRO005: conda's or npm's package cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# What removes each manager's cache in the same RUN (the model reads these and cache mounts).
_CLEAN = {
    "conda": "`conda clean -afy`",
    "npm": "`npm cache clean --force`",
    "pnpm": "`pnpm store prune`",
}

_CACHE_NAMES = frozenset({".npm", "_cacache", "pkgs", ".cache", "store", ".pnpm-store"})


@rule(id="REPRO005", name="package-cache-kept", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-CACHE-CONDA", "REPRO-CACHE-NPM"), hadolint=())
def package_cache_kept(df: Dockerfile) -> Iterator[Finding]:
    """Clean conda's and npm's package caches in the RUN that fills them, or use a cache mount.

    Why: `conda install` / `conda env create` keeps every package it
    downloaded, as a tarball and unpacked, in `<conda>/pkgs` (often GBs for
    PyTorch or CUDA toolkits); `npm ci` keeps its `~/.npm/_cacache`. They ship
    in the image for nothing, and their files differ on every build, so
    `dockerlint verify` reports them (`REPRO-CACHE-CONDA`, `REPRO-CACHE-NPM`).

    Bad:
        RUN conda env create -f environment.yml
    Good:
        RUN conda env create -f environment.yml && conda clean -afy
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/opt/conda/pkgs conda env create -f environment.yml

    Note: conda, mamba and micromamba (`install`, `create`, `env create`,
    `env update`), npm (`install`, `ci`) and pnpm (`install`); pip's cache is
    DL3042, yarn's DL3060, apt's lists DL3009. The clean must be in the same
    RUN (a later RUN cannot take the files out of the earlier layer); a
    cache or tmpfs mount on the cache directory counts, as does `rm -rf` of
    it. Only the image that is built is judged: a builder stage others only
    COPY from is not blamed. A cleanup script of your own that runs later
    in the RUN (`clean-layer.sh`), or an `rm` of a directory named as the
    cache that the model cannot place (`rm -rf .npm`), may remove it: not
    reported.
    References:
    - https://docs.conda.io/projects/conda/en/stable/commands/clean.html
    - https://docs.npmjs.com/cli/commands/npm-cache
    """
    for pc in (pc for instr in df.walk() for pc in instr.package_commands):
        if pc.manager not in _CLEAN or pc.action not in ("install", "ci", "create", "sync"):
            continue
        if pc.cache is None or not pc.cache.kept or not pc.stage_ships or _cleanup_script(pc):
            continue
        yield pc.instr.finding(f"`{pc.tool} {pc.subcommand}` leaves its package cache in the layer: add "
                               f"{_CLEAN[pc.manager]} at the end of this RUN (or mount a cache on it)",
                               span=pc.verb.span if pc.verb is not None else pc.span)


def _cleanup_script(pc) -> bool:
    """After the install, a script of the project's own cleans up (`clean-layer.sh`) or `rm` removes a
    directory named as a cache (`rm -rf .npm`, relative to a WORKDIR that may be $HOME): what goes is
    not known, so the rule stays silent."""
    end = pc.command.span.end if pc.command.span is not None else 0
    for c in pc.instr.commands:
        if c.span is None or c.span.start < end or c.program is None:
            continue
        if "clean" in c.program.casefold() and c.program not in ("conda", "npm", "pnpm"):
            return True
        if c.program == "rm" and any(_CACHE_NAMES & set(w.raw.rstrip("/*").split("/")[-1:]) for w in c.argv[1:]):
            return True
    return False
