"""DL3042: pip's download cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import add_after, package_commands


@rule(id="DL3042", name="pip-no-cache-dir", severity=Severity.WARNING, category="performance", fixable=True,
      on=("RUN",), causes=("REPRO-CACHE-PIP",))
def pip_no_cache_dir(df: Dockerfile) -> Iterator[Finding]:
    """Avoid keeping pip's cache in the image: `pip install --no-cache-dir <package>`.

    Why: pip stores every downloaded wheel under `~/.cache/pip`, inside the
    layer. For ML images that is the size of torch and its CUDA wheels a
    second time (often gigabytes) that no one will ever read.

    Bad:
        RUN pip install torch==2.3.1
    Good:
        RUN pip install --no-cache-dir torch==2.3.1
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/root/.cache/pip pip install torch==2.3.1

    Fix: inserts `--no-cache-dir` after `install` (`--no-cache` for `uv pip`),
    in exec form (`RUN ["pip", "install", ...]`) as an element of its own.

    Note: not reported when `PIP_NO_CACHE_DIR` is set (by ENV, on the command
    or by `export`; pip treats any boolean value, even `0`, as "no cache"), or
    when a `--mount=type=cache` covers the cache directory (`~/.cache/pip`,
    `$PIP_CACHE_DIR` or `--cache-dir`). With a cache mount the cache is the
    point. `pipx` and `pipenv` are not pip. `uv pip install` is checked the
    same way with uv's `--no-cache`, `UV_NO_CACHE` and `~/.cache/uv`.
    Builder stages that other stages only COPY from are not checked: their
    cache never reaches an image (hadolint reports them).
    """
    for pc in package_commands(df, ("pip", "uv"), ("install",)):
        tool = _TOOL.get((pc.manager, pc.subcommand))
        if tool is None or pc.cache is None or not pc.cache.kept or not pc.stage_ships:
            continue
        flag = "--no-cache" if pc.manager == "uv" else "--no-cache-dir"
        yield pc.instr.finding(
            f"Avoid use of cache directory with {tool}: add `{flag}` (or mount a build cache on it)",
            span=pc.verb.span if pc.verb is not None else pc.span,
            fix=add_after(pc.verb, flag),
        )


_TOOL = {("pip", "install"): "pip", ("uv", "pip install"): "uv pip"}
