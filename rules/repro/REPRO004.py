"""REPRO004: a RUN downloads from a URL whose content moves, and nothing checks what arrived."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

_DOWNLOADERS = frozenset({"curl", "wget"})
# Programs that check what was downloaded (a digest or a signature).
_CHECKERS = frozenset({"sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "md5sum", "b2sum",
                       "shasum", "cksum", "gpg", "gpgv", "gpg2", "cosign", "minisign", "signify", "openssl", "rpm",
                       "slsa-verifier"})
# Interpreters a download piped into is SEC006's (`curl | sh`).
_INTERPRETERS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node"})
# Path words that name a moving target rather than a release.
_MOVING = frozenset({"latest", "nightly", "master", "main", "develop", "dev", "trunk", "head", "snapshot",
                     "current", "edge", "unstable", "stable"})
_WORD = re.compile(r"[A-Za-z]+")
_URL = re.compile(r"^(?:https?|ftp)://([^/?#]*)([^?#]*)", re.IGNORECASE)
_KEYS = (".asc", ".gpg", ".pub", ".key", ".pem", ".crt", ".sig", ".sha256", ".sha512", ".sha256sum")
_REPO_FILES = (".list", ".repo", ".sources")  # package sources: the packages' drift is DL3008's
_VERSION = re.compile(r"\d+\.\d+|(?<![a-z])v\d+|\d{6,}", re.IGNORECASE)


@rule(id="REPRO004", name="download-unverified", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-CONTENT",), hadolint=())
def download_unverified(df: Dockerfile) -> Iterator[Finding]:
    """Download a release by its version and check its checksum: `echo "<sha256>  f" | sha256sum -c -`.

    Why: `curl -o get-pip.py https://bootstrap.pypa.io/get-pip.py` or a
    `.../releases/latest/download/...` URL returns whatever was published
    last. The RUN line does not change, so the layer cache keeps an old file
    for months while a fresh build gets a new one: two builds differ, and a
    replaced or truncated file goes into the image unnoticed.

    Bad:
        RUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/latest/download/yq_linux_amd64
    Good:
        RUN curl -fsSLo /usr/local/bin/yq \\
                https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_amd64 \\
            && echo "a2c097180dd884a8d50c956ee16a9cec070f30a7947cf4ebf87d5f36213e9ed7  /usr/local/bin/yq" \\
                | sha256sum -c -

    Note: reported for `curl`/`wget` URLs that name a moving target: a
    path word `latest`, `nightly`, `master`, `main`, `develop`, `snapshot`,
    `current`, `stable`, ... with no version after it (`/releases/latest/`,
    `/raw/master/`, `archive/main.tar.gz`; not Ubuntu's
    `pool/main/o/openssl/libssl1.1_1.1.1f...deb`), or a path without a
    single digit (`https://bootstrap.pypa.io/get-pip.py`,
    `https://get.docker.com`; not when the URL takes a variable, which
    usually holds the version),
    when no checksum or signature check (`sha256sum`, `shasum`, `gpg
    --verify`, `cosign`, ...) runs in the same RUN. A URL with a version in
    it is taken as one release and not reported; keys and checksum files
    (`.asc`, `.gpg`, `gpgkey`, `.sha256`, ...) are checks themselves and
    package source lists (`.list`, `.repo`) drift as DL3008 says; a script piped
    into a shell is SEC006's; `ADD <url>` is SEC007's; a URL from an unknown
    variable is not judged.
    """
    for instr in runs(df):
        commands = list(instr.commands)
        if any(c.program in _CHECKERS and (c.program != "openssl" or _has_word(c, "dgst")) and
               (c.program != "rpm" or _has_word(c, "-K", "--checksig")) for c in commands):
            continue
        seen: set[str] = set()
        for k, cmd in enumerate(commands):
            if cmd.program not in _DOWNLOADERS or _piped_to_interpreter(commands, k):
                continue
            for word in cmd.argv[1:]:
                url = word.value
                why = _moving(word) if url else None
                if why is None or url in seen:
                    continue
                seen.add(url)
                yield instr.finding(f"`{cmd.program}` downloads `{url}`, {why}, and nothing checks its checksum: "
                                    "rebuilds get another file; download a versioned release and verify it "
                                    "(`sha256sum -c`)", span=word.span or cmd.span)


def _moving(word) -> str | None:
    """Why the URL moves, or None for a versioned (or unreadable) URL."""
    url = word.value
    m = _URL.match(url)
    if m is None:
        return None
    host, path = m.group(1), m.group(2)
    segments = [x for x in path.split("/") if x]
    last = segments[-1].casefold() if segments else ""
    if last.endswith(_KEYS) or last.endswith(_REPO_FILES) or "key" in last or last == "gpg":
        return None
    for i, segment in enumerate(segments):
        named = sorted({w.casefold() for w in _WORD.findall(segment)} & _MOVING)
        if named and not any(_VERSION.search(x) for x in segments[i:]):
            return f"a moving target (`{named[0]}`)"
    if "$" in word.raw:  # the version is in a variable (a placeholder default such as `notset`)
        return None
    if not any(ch.isdigit() for ch in path) and not any(ch.isdigit() for ch in host.split(".")[0]):
        return "which names no version"
    return None


def _has_word(cmd, *values: str) -> bool:
    return any(w.value in values for w in cmd.argv[1:])


def _piped_to_interpreter(commands, k: int) -> bool:
    """The download is piped into a shell or interpreter (also through sudo/env): SEC006 reports it."""
    cmd = commands[k]
    if cmd.next_op not in ("|", "|&"):
        return False
    nxt = next((c for c in commands[k + 1:] if c.start >= cmd.end and c.wrapper is None), None)
    if nxt is None:
        return False
    inside = [c for c in commands if c.wrapper is not None and c.span is not None and nxt.span is not None
              and nxt.span.start <= c.span.start and c.span.end <= nxt.span.end]
    return any(c.program in _INTERPRETERS for c in (nxt, *inside))
