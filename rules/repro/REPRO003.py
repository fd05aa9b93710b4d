"""REPRO003: a git repository cloned (or ADDed) at a branch that moves, not at a fixed commit or tag."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# Branch names that move by definition; any other ref (a tag, a commit, a release branch) is taken as chosen.
MOVING = frozenset({"main", "master", "develop", "development", "dev", "trunk", "head", "nightly",
                    "latest", "stable", "next", "edge", "unstable", "default", "gh-pages"})
# git's global options that take a value (`git -C dir clone ...`).
_GLOBAL_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"})
# `git clone` options that take a value as the next word.
_CLONE_VALUE = frozenset({"-b", "--branch", "-o", "--origin", "-u", "--upload-pack", "--reference",
                          "--reference-if-able", "--separate-git-dir", "--depth", "--shallow-since",
                          "--shallow-exclude", "-c", "--config", "-j", "--jobs", "--filter", "--template",
                          "--server-option", "--revision", "--bundle-uri", "--ref-format"})
# Later commands that move the work tree to a chosen ref.
_PINNING = frozenset({"checkout", "reset", "switch"})
_GIT_URL = re.compile(r"^(?:https?://|git://|ssh://|git@)")


@rule(id="REPRO003", name="git-source-unpinned", severity=Severity.WARNING, category="reproducibility",
      on=("RUN", "ADD"), causes=("REPRO-CONTENT", "REPRO-FILE-SET"), hadolint=())
def git_source_unpinned(df: Dockerfile) -> Iterator[Finding]:
    """Clone a git repository at a tag or a commit: `git clone --branch v1.2.3 ...` or `git checkout <sha>`.

    Why: `git clone URL` takes whatever the default branch holds on the day
    of the build (and `--branch main` the same). The Dockerfile does not
    change, so the cached layer keeps an old checkout for months while a
    fresh build on CI gets new code: two builds of one Dockerfile differ,
    and a build that worked breaks without a change on your side.

    Bad:
        RUN git clone --depth 1 https://github.com/facebookresearch/detectron2 /src/detectron2
    Good:
        RUN git clone --depth 1 --branch v0.6 https://github.com/facebookresearch/detectron2 /src/detectron2
        # or a commit:
        RUN git clone https://github.com/facebookresearch/detectron2 /src/detectron2 \\
            && git -C /src/detectron2 checkout 8c4a333ceb8df05348759443d0206302485890e0

    Note: reported for `git clone` without `--branch`/`-b`/`--revision`, or
    with a branch that moves by name (`main`, `master`, `develop`, `dev`,
    `trunk`, `nightly`, `stable`, `latest`, ...), when no `git checkout`,
    `git reset` or `git switch` follows later in the stage; and for `ADD
    <repo>.git` without a `#ref` (or with such a branch) and without
    `--checksum`. Any other ref is taken as a tag or commit you chose, and a
    ref from an unknown variable is not judged. `pip install git+URL`
    without `@ref` is DL3013's.
    References:
    - https://docs.docker.com/reference/dockerfile/#adding-private-git-repositories
    """
    for stage in df.stages:
        instrs = stage.instructions
        for i, instr in enumerate(instrs):
            if instr.keyword == "ADD":
                yield from _add(instr)
                continue
            if instr.keyword != "RUN":
                continue
            commands = list(instr.commands)
            for k, cmd in enumerate(commands):
                clone = _clone(cmd)
                if clone is None:
                    continue
                ref, url_word = clone
                if ref is not None and (ref.value is None or ref.value.casefold() not in MOVING):
                    continue
                later = [c for c in commands[k + 1:] if c.span is not None and cmd.span is not None
                         and c.span.start >= cmd.span.end]
                later += [c for r in instrs[i + 1:] if r.keyword == "RUN" for c in r.commands]
                if any(_pins(c) for c in later):
                    continue
                moving = next((c for c in later if _git(c)[0] in _PINNING), None)
                if moving is not None:
                    what = f"`{' '.join(w.value or w.raw for w in moving.argv)}` checks out a moving branch"
                elif ref is not None:
                    what = f"`--branch {ref.value}` follows a moving branch"
                else:
                    what = "`git clone` without `--branch` takes the default branch"
                yield instr.finding(f"{what} of {_shown(url_word)}: rebuilds get other code; clone a tag "
                                    f"(`--branch v1.2.3`) or check out a commit (`git checkout <sha>`)",
                                    span=(ref or cmd).span)
    for instr in df.walk():
        if instr.parent is not None and instr.keyword == "ADD":
            yield from _add(instr)


def _git(cmd) -> tuple[str | None, int]:
    """The git subcommand and its index in argv (global options skipped)."""
    if cmd.program != "git":
        return None, 0
    argv = cmd.argv
    k = 1
    while k < len(argv):
        raw = argv[k].value
        if raw is None:
            return None, 0
        if raw in _GLOBAL_VALUE:
            k += 2
        elif raw.startswith("-"):
            k += 1
        else:
            return raw, k
    return None, 0


def _clone(cmd):
    """(the --branch word or None, the repository word) of a `git clone`; None when it is pinned otherwise."""
    sub, k = _git(cmd)
    if sub != "clone":
        return None
    argv = cmd.argv
    ref = url = None
    j = k + 1
    while j < len(argv):
        word = argv[j]
        raw = word.value if word.value is not None else word.raw
        if raw in ("-b", "--branch") and j + 1 < len(argv):
            ref = argv[j + 1]
        elif raw.startswith("--branch="):
            return None if word.value is None else (_Ref(raw.split("=", 1)[1], word.span), url)
        elif raw == "--revision" or raw.startswith("--revision="):
            return None
        if raw in _CLONE_VALUE:
            j += 2
            continue
        if not raw.startswith("-") and url is None:
            url = word
        j += 1
    return ref, url


class _Ref:
    def __init__(self, value, span):
        self.value, self.span = value, span


def _pins(cmd) -> bool:
    """A later git command that moves the work tree to a ref other than a moving branch."""
    sub, k = _git(cmd)
    if sub not in _PINNING:
        return False
    refs = [w for w in cmd.argv[k + 1:] if not (w.value or "-").startswith("-")]
    return not refs or refs[0].value is None or refs[0].value.casefold() not in MOVING


def _shown(word) -> str:
    if word is None:
        return "the repository"
    return f"`{word.value}`" if word.value is not None else f"`{word.raw}`"


def _add(instr) -> Iterator[Finding]:
    spec = instr.copy
    if spec is None or not spec.is_add or spec.checksum is not None:
        return
    for source in spec.sources:
        url = source.value
        if url is None or not _GIT_URL.match(url):
            continue
        base, _, ref = url.partition("#")
        if not (base.split("?", 1)[0].endswith(".git") or url.startswith("git@")):
            continue
        ref = ref.split(":", 1)[0]
        if ref and ref.casefold() not in MOVING:
            continue
        what = f"the moving branch `{ref}`" if ref else "the default branch (no `#ref`)"
        yield instr.finding(f"`ADD {url}` takes {what}, which changes between builds; add a tag or commit "
                            f"(`{base}#v1.2.3`) or `--checksum=<commit>`", span=source.span)
