"""The reproducibility causes: stable ids, titles, fixes, and the lint rules that prevent them.

Ids are ``REPRO-<FAMILY>[-<DETAIL>]`` and never change meaning once published:
``dockerlint verify`` reports them for differences between two builds
(:mod:`dockerlint.verify.causes` classifies), and static REPRO lint rules
reuse them, so a lint finding and a build diff speak the same language.

This module imports nothing but :mod:`dockerlint.findings`, so a lint rule can
import a cause id without pulling the diff code onto the lint path.
``CAUSES.md`` beside it is generated from it
(``python -m dockerlint.verify.catalogue > dockerlint/verify/CAUSES.md``).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from dockerlint.findings import Severity

__all__ = ["CATALOGUE", "ORDER", "CauseKind", "prevented_by", "render_markdown"]


@dataclass(frozen=True, slots=True)
class CauseKind:
    """One entry of the catalogue."""

    id: str
    title: str          # short noun phrase
    summary: str        # predicate after "<count> entries" (plural verb first)
    fix: str
    signature: str      # how it shows up in a diff (documentation)
    metadata: bool = False          # True: does not make the image "not reproducible"
    severity: Severity = Severity.WARNING
    one: str = ""       # singular form of ``summary`` when the verb alone does not do
    static: tuple[str, ...] = ()    # lint rules (hadolint ids) that catch the cause statically
    # fixes for the instructions ``fix`` (written for a RUN) does not fit:
    # ((keyword, fix), ...) with keywords COPY, ADD, "COPY --from", WORKDIR
    fixes: tuple[tuple[str, str], ...] = ()

    def fix_for(self, keyword: str) -> str:
        """The fix to show on an instruction (``RUN``, ``COPY``, ``COPY --from``, ``WORKDIR``…)."""
        return dict(self.fixes).get(keyword, self.fix)


_SDE = ("build with BuildKit >= 0.13 and SOURCE_DATE_EPOCH plus "
        "`--output type=docker,rewrite-timestamp=true`")

_FROM_CONTEXT = ("It comes from the build context: keep it out with `.dockerignore`, or COPY "
                 "only what the image needs.")
_FROM_STAGE = ("`COPY --from` brings it from another stage: fix the step there that writes it, "
               "or copy only what the image needs.")
_COPIED = (("COPY", _FROM_CONTEXT), ("ADD", _FROM_CONTEXT), ("COPY --from", _FROM_STAGE))
_NEW_DIRECTORY = ("; with the legacy builder, create the directory in an earlier RUN that sets "
                  "its mtime (`mkdir -p /app && touch -d @$SOURCE_DATE_EPOCH /app`).")

_KINDS = [
    CauseKind("REPRO-UNSAFE-PATH", "unsafe path in a layer",
              "escape the image root ('..', absolute names, escaping links)",
              "Do not use or publish this image: rebuild from a trusted base; dockerlint never "
              "follows these paths.",
              "member names with '..' or a leading '/', hard links or relative symlinks that "
              "climb above the root, entries written below a symlink of the same layer",
              severity=Severity.ERROR),
    CauseKind("REPRO-UNSAFE-LAYER", "hostile tar headers in a layer",
              "are hostile (too many or oversized extended headers, PAX records or names "
              "beyond PATH_MAX)",
              "Do not use or publish this image: rebuild from a trusted base. dockerlint read "
              "these headers only up to its limits (what lies beyond is compared by digest, "
              "not interpreted).",
              "more than 16 extended headers before one member, a PAX or GNU long-name header "
              "over 1 MiB, more than 128 PAX records for one member, a name over 4096 bytes",
              severity=Severity.ERROR,     # the message always speaks of "the layer's headers"
              one="are hostile (too many or oversized extended headers, PAX records or names "
                  "beyond PATH_MAX)"),
    CauseKind("REPRO-LAYER-COUNT", "layer count mismatch",
              "exist in one build only",
              "Make every step deterministic (no conditional RUN / COPY of optional files); "
              "compare the file systems reported below.",
              "the two images have a different number of layers"),
    CauseKind("REPRO-LAYER-ORDER", "layer order mismatch",
              "sit at another position",
              "Keep the instruction order stable (generated Dockerfiles must sort their steps).",
              "a layer with the same diffID sits at another position"),
    CauseKind("REPRO-WHITEOUT", "whiteout timestamps / opaque directories",
              "are whiteouts that differ (timestamps, or an opaque marker in one build only)",
              "Use BuildKit >= 0.12 (fixed whiteout timestamps), or squash with "
              "`FROM scratch` + `COPY --from=build / /`.",
              "`.wh.*` entries differ in mtime; `.wh..wh..opq` present in one build only",
              one="is a whiteout that differs (timestamp, or an opaque marker in one build only)"),
    CauseKind("REPRO-MOUNT-STUB", "mount stubs in a RUN layer",
              "are mount-point stubs (proc/ sys/ dev/ etc/) created by the builder",
              "Let the base image contain /proc /sys /dev /etc, or use a newer BuildKit "
              "(mount stubs are cleaned since moby/buildkit#3149).",
              "empty proc/ sys/ dev/ etc/ directories with build-time mtimes in a RUN layer",
              one="is a mount-point stub (proc/ sys/ dev/ etc/) created by the builder"),
    CauseKind("REPRO-MACHINE-ID", "machine id / random seed",
              "are machine-identity files with random content",
              "`rm -f /etc/machine-id /var/lib/dbus/machine-id /var/lib/systemd/random-seed` "
              "in the same RUN (or leave an empty /etc/machine-id).",
              "/etc/machine-id, /var/lib/dbus/machine-id, random-seed with random content",
              one="is a machine-identity file with random content",
              fixes=_COPIED),
    CauseKind("REPRO-LDCONFIG-CACHE", "ldconfig aux-cache",
              "belong to the ldconfig cache (inode numbers, mtimes)",
              "`rm -f /var/cache/ldconfig/aux-cache` at the end of the RUN that installs "
              "libraries.",
              "/var/cache/ldconfig/aux-cache binary diff",
              fixes=_COPIED),
    CauseKind("REPRO-CACHE-PIP", "pip / uv / poetry cache",
              "belong to a pip / uv / poetry cache",
              "`pip install --no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`), or "
              "`RUN --mount=type=cache,target=/root/.cache/pip` (uv: /root/.cache/uv).",
              "trees under ~/.cache/pip, ~/.cache/uv, ~/.cache/pypoetry",
              static=('DL3042',),
              fixes=_COPIED),
    CauseKind("REPRO-CACHE-NPM", "npm / yarn / node cache",
              "belong to an npm / yarn / node cache",
              "`npm ci && npm cache clean --force` and `rm -rf /root/.npm/_logs "
              "/tmp/node-compile-cache`, or a cache mount.",
              "~/.npm/_cacache, ~/.npm/_logs, yarn caches, /tmp/node-compile-cache",
              static=('DL3060',),
              fixes=_COPIED),
    CauseKind("REPRO-CACHE-CONDA", "conda package cache / history",
              "belong to the conda package cache or history",
              "`conda clean -afy` and `rm -f <prefix>/conda-meta/history` in the same RUN.",
              "<conda>/pkgs/ tarballs and extracted packages, conda-meta/history",
              fixes=_COPIED),
    CauseKind("REPRO-CACHE-ML", "ML model / JIT cache",
              "belong to an ML model or JIT cache",
              "Download weights to a fixed path with verified hashes or with a cache mount; do "
              "not warm up / JIT-compile during the build; clean caches in the same RUN.",
              "~/.cache/huggingface, ~/.cache/torch, ~/.triton, numba *.nbi/*.nbc",
              fixes=_COPIED),
    CauseKind("REPRO-CACHE-OTHER", "tool cache / state file",
              "belong to a tool cache or state file",
              "Remove the cache in the same RUN (`rm -rf /root/.cache /var/cache/fontconfig "
              "/root/.wget-hsts`), or use a cache mount; `wget --no-hsts`.",
              "other ~/.cache trees, fontconfig/matplotlib caches, .wget-hsts",
              fixes=_COPIED),
    CauseKind("REPRO-APT-CACHE", "apt lists and caches",
              "belong to apt's package lists and caches",
              "`apt-get clean && rm -rf /var/lib/apt/lists/*` in the same RUN as `apt-get "
              "install`, or cache mounts on /var/lib/apt and /var/cache/apt.",
              "/var/lib/apt/lists/*, /var/cache/apt/*.bin, /var/cache/debconf/*-old, "
              "/var/lib/dpkg/*-old",
              static=('DL3009',),
              fixes=_COPIED),
    CauseKind("REPRO-LOG", "log files",
              "are log files (timestamps in their text)",
              "`rm -rf /var/log/*` (or delete the *.log files the step wrote) at the end of "
              "the same RUN.",
              "/var/log/**, *.log",
              one="is a log file (timestamps in its text)",
              fixes=_COPIED),
    CauseKind("REPRO-TMP", "leftovers in /tmp and /run",
              "are leftovers in /tmp, /var/tmp or /run",
              "Remove what the step leaves in /tmp, /var/tmp and /run in the same RUN, or use "
              "`RUN --mount=type=tmpfs,target=/tmp`.",
              "entries under tmp/, var/tmp/, run/",
              one="is a leftover in /tmp, /var/tmp or /run",
              fixes=_COPIED),
    CauseKind("REPRO-PACKAGE-DRIFT", "package version drift",
              "differ because installed package versions differ",
              "Pin versions: snapshot apt sources (snapshot.debian.org, `apt-get install "
              "--snapshot`), pin the base image by digest, install Python packages from a "
              "lock file with hashes (pip --require-hashes, uv.lock, conda-lock).",
              "dpkg status / apk installed versions differ; *.dist-info directories or "
              "conda-meta records with another version",
              static=('DL3006', 'DL3007', 'DL3008', 'DL3013', 'DL3016', 'DL3018')),
    CauseKind("REPRO-PIP-METADATA", "pip installer metadata",
              "are pip metadata files (RECORD, direct_url.json, INSTALLER)",
              "Follows from .pyc differences (RECORD lists their hashes): fix those; uv: "
              "`UV_NO_INSTALLER_METADATA=1`.",
              "*.dist-info/RECORD, direct_url.json, INSTALLER",
              one="is a pip metadata file (RECORD, direct_url.json, INSTALLER)",
              fixes=_COPIED),
    CauseKind("REPRO-PYC-TIMESTAMP", ".pyc header timestamps",
              "are .pyc files that differ only in the source mtime in their header",
              "`ENV PYTHONDONTWRITEBYTECODE=1` while building, `pip install --no-compile`, or "
              "hash-based pycs: `python -m compileall --invalidation-mode checked-hash` "
              "(uv: `UV_COMPILE_BYTECODE=1`).",
              "16-byte pyc header: same magic/flags/size and body, different source mtime",
              one="is a .pyc file that differs only in the source mtime in its header",
              fixes=_COPIED),
    CauseKind("REPRO-PYC-CONTENT", ".pyc bytecode differs",
              "are .pyc files whose bytecode differs (embedded temp paths, parallel compile)",
              "Install from wheels, compile once after install in a single process "
              "(`python -m compileall -j1 --invalidation-mode checked-hash`), or skip pycs "
              "(`PYTHONDONTWRITEBYTECODE=1`).",
              "pyc body differs",
              one="is a .pyc file whose bytecode differs (embedded temp paths, parallel compile)",
              fixes=_COPIED),
    CauseKind("REPRO-SHADOW-DATE", "password-change date in /etc/shadow",
              "are shadow files (days since the last password change)",
              "Create users with SOURCE_DATE_EPOCH set (shadow-utils honours it) or rewrite "
              "the lastchg field.",
              "/etc/shadow, /etc/shadow- content",
              one="is a shadow file (days since the last password change)",
              fixes=_COPIED),
    CauseKind("REPRO-ARCHIVE", "archive created during the build",
              "are archives written during the build (header timestamps, member order)",
              "`gzip -n`, `tar --sort=name --mtime=@$SOURCE_DATE_EPOCH --owner=0 --group=0 "
              "--numeric-owner`, `zip -X`; or do not keep build-time archives in the image.",
              "gzip header mtime, nested tar / zip / zstd members",
              one="is an archive written during the build (header timestamps, member order)",
              fixes=_COPIED),
    CauseKind("REPRO-MTIME-BUILD", "build-time file timestamps",
              "differ only in their modification time, set at build time",
              _SDE + "; with the legacy builder `find <dirs> -newermt @$SOURCE_DATE_EPOCH | "
              "xargs touch -h -d @$SOURCE_DATE_EPOCH` at the end of the RUN.",
              "same content and metadata, different mtime (RUN output, directories touched "
              "by COPY)",
              fixes=(("COPY", "COPY creates its destination directories at build time: " + _SDE
                      + _NEW_DIRECTORY),
                     ("ADD", "ADD creates its destination directories at build time: " + _SDE
                      + _NEW_DIRECTORY),
                     ("COPY --from", "COPY creates its destination directories at build time: "
                      + _SDE + _NEW_DIRECTORY),
                     ("WORKDIR", "WORKDIR creates its directory at build time: " + _SDE
                      + _NEW_DIRECTORY))),
    CauseKind("REPRO-MTIME-CONTEXT", "build-context timestamps",
              "differ only in their modification time, taken from the build context",
              "Normalise the context before building (`git ls-files -z | xargs -0 touch -d "
              "@$SOURCE_DATE_EPOCH`) or " + _SDE + ".",
              "COPY/ADD files whose mtimes differ between the two contexts"),
    CauseKind("REPRO-FILE-METADATA", "file mode / ownership / xattrs",
              "differ in mode, ownership or extended attributes",
              "`COPY --chmod=… --chown=…`, a fixed umask in CI, and no host-dependent xattrs "
              "(security.*).",
              "mode, uid/gid, uname/gname, xattrs differ"),
    CauseKind("REPRO-TAR-FORMAT", "tar encoding",
              "are encoded differently in the tar (name spelling, PAX records)",
              "Use the same builder and version for both builds; compare with dockerlint "
              "(canonical paths) rather than by digest.",
              "same canonical path stored as './x' vs 'x', extra PAX records; a layer whose "
              "entries are all equal but whose bytes (diffID) differ",
              one="is encoded differently in the tar (name spelling, PAX records)"),
    CauseKind("REPRO-TAR-ORDER", "tar entry order",
              "are stored in another order",
              "Sort what you write (`sort`, `tar --sort=name`) and avoid readdir-order "
              "dependent tools; PYTHONHASHSEED=0 for generated lists.",
              "same entries, different position in the layer tar"),
    CauseKind("REPRO-CONTENT", "content from time or randomness",
              "differ in content and nothing else explains it (date, random data, ids, downloads)",
              "Do not write `date`/random/hostname output into the image; honour "
              "SOURCE_DATE_EPOCH; generate ids/keys at container start; pin downloads by hash.",
              "content digest (and size) differ, no known file type"),
    CauseKind("REPRO-FILE-SET", "files present in one build only",
              "exist in one build only",
              "Make the step deterministic (pinned inputs, no time/random-dependent branches); "
              "clean temporary outputs in the same RUN.",
              "path only in build A or only in build B"),
    CauseKind("REPRO-LAYER-COMPRESSION", "layer compression bytes",
              "differ only in their compressed bytes (same diffID)",
              "Nothing to fix in the Dockerfile: compare diffIDs; pin the builder / compressor "
              "version (BuildKit compatibility-version).",
              "same diffID, different blob digest", metadata=True, severity=Severity.INFO),
    CauseKind("REPRO-CONFIG", "image config differs",
              "differ",
              "Make ENV/LABEL/CMD/ARG values deterministic (no build-time dates or commit ids "
              "passed per build).",
              "semantic config keys (Env, Cmd, Entrypoint, Labels, User, WorkingDir, "
              "ExposedPorts, Volumes, history created_by) differ"),
    CauseKind("REPRO-CONFIG-METADATA", "build metadata",
              "differ (creation times, build container ids)",
              "BuildKit >= 0.11 with SOURCE_DATE_EPOCH fixes `created` and history times; "
              "container/hostname/parent ids exist only with the legacy builder (use "
              "BuildKit). Not fixable with the legacy builder (moby/moby#43124).",
              "created, history[].created, container, container_config.Hostname, "
              "config.Image, docker_version", metadata=True, severity=Severity.INFO),
]
CATALOGUE: dict[str, CauseKind] = {k.id: k for k in _KINDS}
ORDER: dict[str, int] = {k.id: i for i, k in enumerate(_KINDS)}   # classification / report order

def prevented_by(rule_id: str) -> tuple[str, ...]:
    """The cause ids a lint rule (hadolint id) prevents, in catalogue order."""
    return tuple(k.id for k in _KINDS if rule_id in k.static)


# --------------------------------------------------------------------------- docs

def render_markdown() -> str:
    """The documented cause list (CAUSES.md), generated from :data:`CATALOGUE`."""
    lines = [
        "# Reproducibility causes",
        "",
        ("Generated by `python -m dockerlint.verify.catalogue` from "
         "`dockerlint/verify/catalogue.py`; do not edit by hand."),
        "",
        ("Ids are `REPRO-<FAMILY>[-<DETAIL>]` and are stable: `dockerlint --verify-build` "
         "reports them for differences between two builds, and the static reproducibility "
         "rules use the same ids for the Dockerfile patterns that cause them. Causes marked "
         "*metadata* do not make an image \"not reproducible\" (verdict: reproducible except "
         "metadata). Each differing entry gets the first cause in this order that matches it; "
         "a directory whose only change is its mtime takes the cause of its differing "
         "children when they all share one (other than an mtime cause)."),
        "",
        ("The last column names the lint rules (hadolint ids) that catch the same cause in "
         "the Dockerfile before any build."),
        "",
        "| id | cause | how it shows in a diff | fix | metadata | static rules |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind in _KINDS:
        fix = kind.fix + "".join(f"<br>On `{keyword}`: {text}" for keyword, text in kind.fixes
                                 if keyword != "ADD")
        cells = [f"`{kind.id}`", kind.title, kind.signature, fix,
                 "yes" if kind.metadata else "", ", ".join(kind.static)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def cause_ids() -> list[str]:
    return [kind.id for kind in _KINDS]


def render_cause_page(cause_id: str, preventing: tuple[str, ...] = ()) -> str:
    """One cause's page (``docs/causes/<ID>.md``, where SARIF's helpUri points); ``preventing``:
    the ids of the rules that declare they prevent it (``causes=`` in their ``@rule``)."""
    kind = next(k for k in _KINDS if k.id == cause_id)
    lines = [f"# {kind.id}: {kind.title}", "",
             "Generated by `python -m dockerlint.dev generate` from `dockerlint/verify/catalogue.py`; "
             "do not edit by hand.", "",
             f"A difference `dockerlint verify` finds between two builds of one Dockerfile: {kind.title}."
             + (" It is *metadata*: the image is still reproducible except metadata." if kind.metadata else ""),
             "", "## How it shows in a diff", "", kind.signature, "", "## Fix", "", kind.fix, ""]
    lines += [f"On `{keyword}`: {text}\n" for keyword, text in kind.fixes]
    rules = sorted({*kind.static, *preventing})
    if rules:
        lines += ["## Rules that catch it before a build", "",
                  *(f"- [{rid}](../rules/{rid}.md)" for rid in rules), ""]
    lines += ["All causes: [CAUSES.md](../../dockerlint/verify/CAUSES.md).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
