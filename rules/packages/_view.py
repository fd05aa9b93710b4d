"""What the package rules share: walking the install view, the image a RUN reaches, flag fixes.

Every rule of this family reads package-manager commands through the model's
install view (``Instr.package_commands``); this module only walks it, so the
pin rules, the ``-y`` rules and the cache rules stay one small loop each.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from dockerlint.findings import Finding, Fix
from dockerlint.model import Dockerfile
from dockerlint.model.packages import PackageCommand
from dockerlint.rules._common import summarize


def package_commands(df: Dockerfile, managers: Iterable[str],
                     actions: Iterable[str] | None = None) -> Iterator[PackageCommand]:
    """The package commands of every RUN (ONBUILD RUN included) run by ``managers``
    (canonical names: apt, apk, yum, dnf, ...), limited to ``actions`` when given."""
    managers = frozenset(managers)
    wanted = frozenset(actions) if actions is not None else None
    for instr in df.walk():
        for pc in instr.package_commands:
            if pc.manager in managers and (wanted is None or pc.action in wanted):
                yield pc


def reaches_image(instr) -> bool:
    """True when what a RUN leaves on disk is in the image that is built.

    That is the target stage (``--target``, else the last) and the stages it
    is built FROM; an ONBUILD RUN runs in every image built FROM this one.
    A builder whose files are only COPY'd from leaves its caches behind (as
    hadolint judges DL3009 and DL3060). An unknown ``--target``: every stage.
    """
    if instr.parent is not None or instr.stage is None:
        return True
    target = instr.dockerfile.target
    return target is None or instr.stage in target.chain


def unpinned_findings(df: Dockerfile, managers: Iterable[str], what: str | Callable[[PackageCommand], str | None],
                      hint: Callable[[str], str]) -> Iterator[Finding]:
    """One finding per install command naming packages without a version.

    ``what``: how the message names the command (``apk add``), or a function
    of the command giving it (None: not judged); ``hint``: how to pin the
    first name (``curl`` -> ``use `curl=<version>` ``). The span is the first
    unpinned package; packages held in unresolvable variables are not judged.
    """
    for pc in package_commands(df, managers, ("install", "add")):
        unpinned = pc.unpinned
        named = what(pc) if callable(what) else what
        if not unpinned or named is None:
            continue
        names = [p.text or "" for p in unpinned]
        first = unpinned[0]
        yield pc.instr.finding(f"Pin versions in {named}: {summarize(names)} ({hint(names[0])})",
                               span=first.span or first.word.span)


def add_after(word, option: str, description: str | None = None) -> Fix | None:
    """A safe fix writing ``option`` right after ``word`` (None when no exact edit exists)."""
    if word is None:
        return None
    edit = word.insert_after(option)
    if edit is None:
        return None
    return Fix(description or f"add {option}", (edit,), safe=True)


# The actions that ask "Do you want to continue? [Y/n]" / "Is this ok [y/N]" before changing the system.
ASKING = ("install", "remove", "purge", "autoremove", "upgrade", "dist-upgrade", "build-dep")


def asking_findings(df: Dockerfile, managers: Iterable[str]) -> Iterator[Finding]:
    """One finding (with a safe ``-y`` fix) per command that would wait for an answer."""
    for pc in package_commands(df, managers, ASKING):
        if pc.assume_yes:
            continue
        yield pc.instr.finding(f"Use the `-y` switch to avoid manual input: `{pc.tool} {pc.subcommand} -y ...`",
                               span=pc.verb.span if pc.verb is not None else pc.span,
                               fix=add_after(pc.verb, "-y"))


def kept_cache_findings(df: Dockerfile, managers: Iterable[str], actions: Iterable[str],
                        message: Callable[[PackageCommand], str]) -> Iterator[Finding]:
    """One finding per command whose download cache stays in an image that is built.

    The view decides what keeps a cache out of the layer: the manager's own
    switch or clean command later in the RUN, removing the directory, or a
    BuildKit cache/tmpfs mount on it (#497, #983, #723, #1139).
    """
    for pc in package_commands(df, managers, actions):
        if pc.cache is not None and pc.cache.kept and reaches_image(pc.instr):
            yield pc.instr.finding(message(pc), span=pc.verb.span if pc.verb is not None else pc.span)
