"""REPRO007: pip installs packages whose hashes nothing checks (strict profile)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="REPRO007", name="install-without-hashes", severity=Severity.INFO, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",), default_enabled=False, hadolint=())
def install_without_hashes(df: Dockerfile) -> Iterator[Finding]:
    """Install Python packages from hashed requirements: `pip install --require-hashes -r requirements.txt`.

    Why: a version pin says which release, not which bytes. A wheel the index
    serves differently (a re-upload, a new build tag, a mirror, a compromised
    account) installs without a word. With hashes pip refuses anything but
    the files you locked, and two builds install the same bytes.

    Bad:
        RUN pip install --no-cache-dir flask==3.0.3
    Good:
        # requirements.txt from `pip-compile --generate-hashes` (or `uv pip compile --generate-hashes`):
        #   flask==3.0.3 --hash=sha256:34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3
        RUN pip install --no-cache-dir --require-hashes -r requirements.txt

    Note: opt-in (in `profile:strict`). Reported for `pip install` and `uv pip
    install` (also `pip install` of packages named on the line, which cannot
    carry hashes) in the image that is built, unless `--require-hashes` or
    `PIP_REQUIRE_HASHES` is set or every requirements file the command reads
    has hashes (pip then checks them all). Local wheels and directories
    alone (`pip install --no-deps /wheels/*.whl`), URLs with a `#sha256=`
    fragment and names from variables are not reported; lock-file
    installs (`uv sync`, `poetry install`, `pipenv sync`, `pdm sync`) check
    the lock's hashes themselves.
    References:
    - https://pip.pypa.io/en/stable/topics/secure-installs/
    """
    ctx = df.context
    for pc in (pc for instr in df.walk() for pc in instr.package_commands):
        if pc.manager not in ("pip", "uv") or pc.action != "install" or not pc.stage_ships:
            continue
        if pc.manager == "uv" and not pc.subcommand.startswith("pip"):
            continue
        if pc.args.has("require-hashes") or pc.command.env("PIP_REQUIRE_HASHES") is not None:
            continue
        if any(p.pin == "unknown" for p in pc.packages):
            continue  # a name or path from a variable, `find -exec pip install {}`: not judged
        remote = [p for p in pc.packages if p.pin != "local" and not p.is_option_value
                  and "#sha256=" not in (p.text or "")]  # a URL's #sha256= fragment is checked
        if not remote and not pc.requirement_files:
            continue
        if pc.requirement_files:
            manifests = [r.manifest for r in (ctx.installed(pc) if ctx is not None else ())
                         if r.role in ("requirements", "constraints")]
            if any(m is not None and m.require_hashes for m in manifests):
                continue  # one hashed line turns on pip's hash-checking mode for the whole command
            if not remote and (not manifests or any(m is None for m in manifests)):
                continue  # a file we cannot read: not judged
        yield pc.instr.finding(f"`{pc.tool} {pc.subcommand}` installs packages whose hashes nothing checks: "
                               "lock them with hashes (`pip-compile --generate-hashes`) and install with "
                               "`--require-hashes`", span=pc.verb.span if pc.verb is not None else pc.span)
