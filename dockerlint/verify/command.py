"""``--verify-build``: build twice, diff, explain, report. The CLI calls ``run``.

Order of work (an ``ExitStack`` guarantees step 5 whatever happens):

1. parse the Dockerfile (for attribution) and connect to Docker;
2. build A and B with caching disabled (``--vary``: B a bit later, from a
   context archive whose timestamps are shifted, with another hostname);
3. stream both images out of the daemon into the diff;
4. attribute layers to instructions, classify the differences into causes;
5. remove every container and image the run created (unless ``--keep-images``);
6. render the report in each requested format; return the exit code.
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from dockerlint.verify.errors import BuildTimeout, VerifyError

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.syntax.nodes import Source, SyntaxTree
    from dockerlint.verify.attribute import Attribution, InstructionRef
    from dockerlint.verify.context_archive import ContextArchive
    from dockerlint.verify.images import ImageSource

TAIL_LINES = 15  # lines of a failing step's output shown below the error
EXIT_OK, EXIT_NOT_REPRODUCIBLE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
VARY_MTIME_SHIFT = 86_400 + 3_600 + 7  # a day, an hour and a few seconds: no coincidences
# Layer tars store whole seconds: two builds within one second hide build-time
# timestamps, so B always starts at least a second after A ended (longer with --vary).
PAUSE_SECONDS = 1.05
VARY_PAUSE_SECONDS = 2.0
VARY_HOSTNAME = "dockerlint-vary"
DEFAULT_OUTPUTS: tuple[tuple[str, str | None], ...] = (("tty", None),)


@dataclass
class Outcome:
    """Everything a verify-build run found, before rendering."""

    path: str
    source: Source
    verdict: str
    findings: list[Finding]
    extra: dict
    image_ids: tuple[str, str]


@dataclass
class Options:
    dockerfile: str
    context: str
    build_args: dict[str, str] = field(default_factory=dict)
    target: str | None = None
    platform: str | None = None
    builder: str = "auto"
    source_date_epoch: int | None = None
    vary: bool = False
    keep_images: bool = False
    timeout: float | None = None
    quiet: bool = False
    images: tuple[str, ...] = ()      # --image A --image B: compare these, build nothing
    against: str | None = None        # --against IMAGE: build once, compare with IMAGE
    dump: str | None = None           # --dump DIR: both versions of each differing file
    dump_max_size: int | None = None


def run(
    dockerfile: str = "Dockerfile", *, context: str | None = None,
    build_args: Mapping[str, str] | None = None, target: str | None = None,
    platform: str | None = None, builder: str = "auto", source_date_epoch: int | None = None,
    vary: bool = False, keep_images: bool = False, timeout: float | None = None,
    strict: bool = False, outputs: Sequence[tuple[str, str | None]] = DEFAULT_OUTPUTS,
    color: bool | None = None, quiet: bool = False,
    stdout: TextIO | None = None, stderr: TextIO | None = None,
    images: Sequence[str] = (), against: str | None = None, list_paths: bool = False,
    max_wasted_bytes: int | None = None, min_efficiency: float | None = None,
    dump: str | None = None, dump_max_size: int | None = None,
) -> int:
    """Run the whole check; 0 reproducible (or metadata only), 1 not, 2 error, 130 Ctrl-C,
    143 SIGTERM, 129 SIGHUP."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    options = Options(
        dockerfile=dockerfile, context=context if context is not None else os.path.dirname(dockerfile) or ".",
        build_args=dict(build_args or {}), target=target, platform=platform, builder=builder,
        source_date_epoch=source_date_epoch, vary=vary, keep_images=keep_images,
        timeout=timeout, quiet=quiet, images=tuple(images), against=against,
        dump=dump, dump_max_size=dump_max_size,
    )
    attempt = _attempt(options, stderr, strict, (max_wasted_bytes, min_efficiency))
    if attempt.outcome is None:
        return attempt.code
    try:
        _render([attempt.outcome], outputs, color, stdout, quiet, list_paths)
    except (OSError, ValueError) as exc:
        print_error(VerifyError(str(exc)), stderr)
        return EXIT_ERROR
    for sentence in attempt.failed:
        print(f"dockerlint: {sentence}", file=stderr)
    return attempt.code


@dataclass
class Attempt:
    """One Dockerfile's run: its exit code, and the outcome (None after an error, whose one line
    is ``error``) with the thresholds it failed."""

    path: str
    code: int
    outcome: Outcome | None = None
    error: str = ""
    failed: list[str] = field(default_factory=list)

    @property
    def interrupted(self) -> bool:
        return self.code >= 128


def _attempt(options: Options, stderr: TextIO, strict: bool,
             thresholds: tuple[int | None, float | None]) -> Attempt:
    """Build (or compare), explain and check the thresholds; errors are printed and returned."""
    from dockerlint.verify.cleanup import Terminated, signal_name, stop_signals_interrupt
    from dockerlint.verify.textsafe import one_line

    def failure(exc: VerifyError) -> Attempt:
        print_error(exc, stderr)
        return Attempt(options.dockerfile, EXIT_ERROR, error=one_line(str(exc), 300))

    try:
        if options.dump is not None:   # before any build: a directory we may not write to fails fast
            from dockerlint.verify.dump import check_directory

            check_directory(options.dump)
        with stop_signals_interrupt():
            outcome = compare(options, stderr) if options.images else verify(options, stderr=stderr)
    except VerifyError as exc:
        return failure(exc)
    except Terminated as exc:
        print(f"dockerlint: terminated by {signal_name(exc.signum)}; the images and containers of "
              "this run were removed", file=stderr)
        return Attempt(options.dockerfile, 128 + exc.signum, error="terminated")
    except KeyboardInterrupt:
        print("dockerlint: interrupted; the images and containers of this run were removed", file=stderr)
        return Attempt(options.dockerfile, EXIT_INTERRUPTED, error="interrupted")
    except Exception as exc:
        if not _is_docker_error(exc):
            raise
        return failure(VerifyError(f"the Docker daemon failed: {_docker_message(exc)}"))
    if options.keep_images and not options.images:
        tags = outcome.extra["verify"].get("tags") or ["", ""]
        for label, image_id, tag in zip("AB", outcome.image_ids, tags):
            print(f"image {label}: {tag + ' ' if tag else ''}({image_id})", file=stderr)
    failed = _thresholds(outcome, *thresholds)
    info = outcome.extra["verify"]
    secrets = any(g["id"] == "CACHE003" for g in [*(info.get("carried") or ()), *(info.get("carried_b") or ())])
    code = max(exit_code(outcome.verdict, strict), EXIT_NOT_REPRODUCIBLE if failed or secrets else EXIT_OK)
    return Attempt(options.dockerfile, code, outcome, failed=failed)


def run_many(
    dockerfiles: Sequence[str], *, build_args: Mapping[str, str] | None = None, target: str | None = None,
    platform: str | None = None, builder: str = "auto", source_date_epoch: int | None = None,
    vary: bool = False, keep_images: bool = False, timeout: float | None = None,
    strict: bool = False, outputs: Sequence[tuple[str, str | None]] = DEFAULT_OUTPUTS,
    color: bool | None = None, quiet: bool = False,
    stdout: TextIO | None = None, stderr: TextIO | None = None, list_paths: bool = False,
    max_wasted_bytes: int | None = None, min_efficiency: float | None = None,
) -> int:
    """``dockerlint verify DIR``: each Dockerfile built twice in its own directory, one after the
    other; the per-file reports, then one table of verdicts. The exit code is the worst one; an
    interruption stops the run (the rest is listed as not run)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    attempts: list[Attempt] = []
    for n, path in enumerate(dockerfiles, 1):
        if not quiet:
            from dockerlint.verify.textsafe import one_line

            print(f"dockerlint: verify {n}/{len(dockerfiles)}: {one_line(path, 300)}", file=stderr)
        options = Options(
            dockerfile=path, context=os.path.dirname(path) or ".", build_args=dict(build_args or {}),
            target=target, platform=platform, builder=builder, source_date_epoch=source_date_epoch,
            vary=vary, keep_images=keep_images, timeout=timeout, quiet=quiet)
        attempt = _attempt(options, stderr, strict, (max_wasted_bytes, min_efficiency))
        attempts.append(attempt)
        if attempt.interrupted:
            break
    try:
        _render([a.outcome for a in attempts if a.outcome is not None], outputs, color, stdout, quiet,
                list_paths, runs=[verdict_row(a) for a in attempts]
                + [{"path": p, "verdict": "not run", "exit_code": None, "findings": None, "error": "",
                    "thresholds_failed": []} for p in dockerfiles[len(attempts):]])
    except (OSError, ValueError) as exc:
        print_error(VerifyError(str(exc)), stderr)
        return EXIT_ERROR
    for attempt in attempts:
        for sentence in attempt.failed:
            print(f"dockerlint: {attempt.path}: {sentence}", file=stderr)
    interrupted = [a.code for a in attempts if a.interrupted]
    return interrupted[0] if interrupted else max((a.code for a in attempts), default=EXIT_OK)


def verdict_row(attempt: Attempt) -> dict:
    """One line of the verdict table (and of ``extra.verify.runs``): the file's verdict or error."""
    outcome = attempt.outcome
    return {"path": attempt.path,
            "verdict": outcome.verdict if outcome is not None else "error",
            "exit_code": attempt.code,
            "findings": len(outcome.findings) if outcome is not None else None,
            "error": attempt.error, "thresholds_failed": attempt.failed,
            **({"verify": outcome.extra["verify"]} if outcome is not None else {})}


def _thresholds(outcome: Outcome, max_wasted_bytes: int | None, min_efficiency: float | None) -> list[str]:
    """Check image A against the CI thresholds; the report carries them and what failed."""
    if max_wasted_bytes is None and min_efficiency is None:
        return []
    from dockerlint.verify.thresholds import check

    info = outcome.extra["verify"]
    failed = check((info.get("image") or {}).get("a") or {}, max_wasted_bytes, min_efficiency)
    info["thresholds"] = {"max_wasted_bytes": max_wasted_bytes, "min_efficiency": min_efficiency,
                          "failed": failed}
    return failed


def print_error(exc: VerifyError, stderr: TextIO) -> None:
    """One ``dockerlint: error:`` line, then the failing step's output tail (if any) behind a
    gutter: what a build prints can neither drive the terminal nor issue workflow commands."""
    from dockerlint.verify.textsafe import log_line, one_line

    print(f"dockerlint: error: {one_line(str(exc))}", file=stderr)
    for line in exc.details.splitlines()[-TAIL_LINES:]:
        print(log_line(line), file=stderr)


def _is_docker_error(exc: BaseException) -> bool:
    """An SDK error or a lost connection in the middle of a run (the daemon died, a proxy cut us off)."""
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    return isinstance(exc, (DockerException, RequestException))


def _docker_message(exc: BaseException) -> str:
    return str(getattr(exc, "explanation", None) or exc).strip() or type(exc).__name__


def exit_code(verdict: str, strict: bool) -> int:
    from dockerlint.verify.diff import Verdict

    if verdict == Verdict.NOT_REPRODUCIBLE:
        return EXIT_NOT_REPRODUCIBLE
    if verdict == Verdict.METADATA_ONLY and strict:
        return EXIT_NOT_REPRODUCIBLE
    return EXIT_OK


def verify(options: Options, stderr: TextIO = sys.stderr) -> Outcome:
    """Build twice, diff and explain; cleanup always runs. Raises VerifyError."""
    from dockerlint.verify import progress
    from dockerlint.verify.build import BuildRequest, BuildResult
    from dockerlint.verify.builders import select_builder
    from dockerlint.verify.cleanup import ResourceTracker
    from dockerlint.verify.context_archive import make_archive
    from dockerlint.verify.daemon import connect
    from dockerlint.verify.images import ImageSource

    path, data = _read(options.dockerfile)
    tree = _parse(options.dockerfile, data)
    if not os.path.isdir(options.context):
        raise VerifyError(f"build context {options.context} is not a directory")
    deadline = None if options.timeout is None else time.monotonic() + options.timeout
    client = connect(timeout=int(max(600, (options.timeout or 0) + 60)))
    with contextlib.ExitStack() as stack:  # unwinds in reverse: archives, then cleanup, then client
        stack.callback(client.close)
        builder = select_builder(client, options.builder)
        tracker = ResourceTracker(client)
        stack.callback(tracker.cleanup, warn=stderr)
        dockerfile_file = stack.enter_context(_on_disk(options.dockerfile, path, data))
        archive_a = stack.enter_context(contextlib.closing(make_archive(options.context, dockerfile_file)))
        archive_b = archive_a
        if options.vary:
            archive_b = stack.enter_context(contextlib.closing(
                make_archive(options.context, dockerfile_file, mtime_shift=VARY_MTIME_SHIFT)))

        def request(label: str, archive: ContextArchive, hostname: str | None = None) -> BuildRequest:
            return BuildRequest(label, archive, build_args=options.build_args, target=options.target,
                                platform=options.platform, source_date_epoch=options.source_date_epoch,
                                hostname=hostname, deadline=deadline)

        with progress.Progress(progress.wanted(options.quiet, stderr), stderr) as bars:
            result_a = builder.build(request("A", archive_a), tracker, bars.task("build A"))
            if options.against is None:
                time.sleep(VARY_PAUSE_SECONDS if options.vary else PAUSE_SECONDS)
                request_b = request("B", archive_b, VARY_HOSTNAME if options.vary else None)
                result_b = builder.build(request_b, tracker, bars.task("build B"))
                source_b = ImageSource(result_b.image_id, "daemon")
            else:
                source_b = ImageSource.of(options.against)
                result_b = BuildResult(source_b.ref, 0, 0.0)
            diff_started = time.monotonic()
            sources = (ImageSource(result_a.image_id, "daemon"), source_b)
            image_diff = _diff(client, sources, bars, deadline, scan_b=options.against is not None)
            diff_seconds = time.monotonic() - diff_started
            dumped = _dump(options, client, sources, image_diff, bars, deadline)
        tags: list[str] = []
        if options.keep_images and options.against is None:
            tracker.keep(result_a.image_id)
            tracker.keep(result_b.image_id)
            tags = _tag_kept(client, result_a.image_id, result_b.image_id)
        elif options.keep_images:
            tracker.keep(result_a.image_id)
            tags = _tag_kept(client, result_a.image_id)
    varied = []
    if options.vary:
        varied = ["wall-clock time", "build-context mtimes"] + (["hostname"] if builder.info.hostname_varies else [])
    run_info = {
        "builder": builder.info.as_dict(),
        "source_date_epoch": options.source_date_epoch,
        "varied": varied,
        "build_seconds": [round(result_a.seconds, 3), round(result_b.seconds, 3)],
        "diff_seconds": round(diff_seconds, 3),
        "bytes_compared": image_diff.bytes_read,
        "images": [result_a.image_id, result_b.image_id] if options.keep_images else [],
        "tags": tags,
        **({"dump": dumped} if dumped is not None else {}),
    }
    if options.against is not None:
        run_info["against"] = source_b.as_dict()
        run_info["build_seconds"] = [round(result_a.seconds, 3)]
    return explain(path, tree, image_diff, options.target, run_info, (result_a.image_id, result_b.image_id))


def compare(options: Options, stderr: TextIO = sys.stderr) -> Outcome:
    """``--image A --image B``: diff two existing images, attribute to the Dockerfile when one
    is given, else to a Dockerfile rebuilt from image A's history. Raises VerifyError."""
    from dockerlint.verify import progress
    from dockerlint.verify.images import ImageSource, history_dockerfile

    if len(options.images) != 2:
        raise VerifyError(f"--image takes two images to compare (got {len(options.images)})")
    sources = (ImageSource.of(options.images[0]), ImageSource.of(options.images[1]))
    given = _read(options.dockerfile) if options.dockerfile else None
    deadline = None if options.timeout is None else time.monotonic() + options.timeout
    client = None
    if any(s.kind == "daemon" for s in sources):
        from dockerlint.verify.daemon import connect

        client = connect(timeout=int(max(600, (options.timeout or 0) + 60)))
    try:
        with progress.Progress(progress.wanted(options.quiet, stderr), stderr) as bars:
            started = time.monotonic()
            image_diff = _diff(client, sources, bars, deadline, scan_b=True)
            seconds = time.monotonic() - started
            dumped = _dump(options, client, sources, image_diff, bars, deadline)
    finally:
        if client is not None:
            client.close()
    if given is not None:
        path, data = given
    else:
        path, data = f"{sources[0].ref} (history)", history_dockerfile(_created_by(image_diff))
    tree = _parse(path, data)
    run_info = {"compared": [s.as_dict() for s in sources], "diff_seconds": round(seconds, 3),
                "bytes_compared": image_diff.bytes_read, "dockerfile": given is not None,
                **({"dump": dumped} if dumped is not None else {})}
    return explain(path, tree, image_diff, options.target, run_info,
                   (sources[0].ref, sources[1].ref))


KEPT_REPOSITORY = "dockerlint-verify"


def _tag_kept(client, image_a: str, image_b: str | None = None) -> list[str]:
    """Name the kept images ``dockerlint-verify:<run>-a`` / ``-b`` (``<run>``: image A's short
    id), so they are not left as dangling ids; [] when the daemon refuses (ids still printed)."""
    from docker.errors import DockerException

    run_id = image_a.removeprefix("sha256:")[:12]
    tags = []
    for image_id, side in ((image_a, "a"), (image_b, "b")):
        if image_id is None:
            continue
        try:
            client.api.tag(image_id, KEPT_REPOSITORY, f"{run_id}-{side}")
        except DockerException:
            return []
        tags.append(f"{KEPT_REPOSITORY}:{run_id}-{side}")
    return tags


@contextlib.contextmanager
def _on_disk(dockerfile: str, path: str, data: bytes) -> Iterator[str]:
    """A path to the Dockerfile for the context archive: a temporary copy when it came from stdin."""
    if dockerfile != "-":
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="dockerlint-", suffix=".Dockerfile") as copy:
        copy.write(data)
        copy.flush()
        yield copy.name


def _read(dockerfile: str) -> tuple[str, bytes]:
    """(path shown in the report: as given, like the linter's; bytes). ``-`` reads standard input."""
    if dockerfile == "-":
        return "-", sys.stdin.buffer.read()
    try:
        with open(dockerfile, "rb") as handle:
            return dockerfile, handle.read()
    except OSError as exc:
        raise VerifyError(f"cannot read {dockerfile}: {exc.strerror or exc}") from None


def _parse(dockerfile: str, data: bytes) -> SyntaxTree:
    from dockerlint.syntax import parse
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    try:
        return parse(data, path=dockerfile)
    except DockerfileSyntaxError as exc:
        raise VerifyError(f"{dockerfile}:{exc}") from None


def _diff(client, sources: tuple[ImageSource, ImageSource], bars, deadline: float | None,
          scan_b: bool = False):
    """Read both images (daemon or archive) into one :class:`ImageDiff`; ``scan_b``: image B
    is an existing image (not a second build), so what it carries is looked for too."""
    from dockerlint.verify.diff import DiffTimeout, ImageFormatError, diff_images
    from dockerlint.verify.images import size_of, streams_for

    total = sum(size_of(s, client) for s in sources)
    task = bars.task("diff", total=total or None, unit="bytes")
    stream_a, stream_b = streams_for(sources, client)
    try:
        return diff_images(stream_a, stream_b, progress=lambda done: task.update(completed=done),
                           deadline=deadline, scan_b=scan_b)
    except DiffTimeout as exc:
        raise BuildTimeout(str(exc)) from None
    except ImageFormatError as exc:
        raise VerifyError(f"cannot read the exported images: {exc}") from None
    finally:
        stream_a.close()
        stream_b.close()


def _dump(options: Options, client, sources: tuple[ImageSource, ImageSource], image_diff,
          bars, deadline: float | None = None) -> dict | None:
    """``--dump DIR``: read both images again and write each differing file's two versions
    (``--timeout`` covers this read too)."""
    if options.dump is None:
        return None
    from dockerlint.verify import dump
    from dockerlint.verify.images import open_image, size_of

    differences = [d for layer in image_diff.layers for d in layer.entries] + list(image_diff.merged)
    differences.sort(key=lambda d: (d.layer if d.layer is not None else -1, d.path))
    task = bars.task("dump", total=sum(size_of(s, client) for s in sources) or None, unit="bytes")

    def progress(done: int) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise BuildTimeout("writing the --dump files timed out (--timeout reached)")
        task.update(completed=done)

    return dump.write(options.dump, differences,
                      lambda side: open_image(sources["ab".index(side)], client, side.upper()),
                      max_file=options.dump_max_size or dump.DEFAULT_MAX_FILE, progress=progress)


# --------------------------------------------------------------------------- explaining


def explain(path: str, tree: SyntaxTree, image_diff, target: str | None, run_info: dict,
            image_ids: tuple[str, str]) -> Outcome:
    """Causes as findings on the Dockerfile's lines, plus the verdict and the layer table."""
    from dockerlint.verify.attribute import attribute
    from dockerlint.verify.causes import classify

    created_by = _created_by(image_diff)
    attribution = attribute(tree, created_by, target)
    paths: list = []
    causes = classify(image_diff, attribution.layers, paths)
    carried = [g for g in image_diff.carried_a
                if g.id in ("CACHE002", "CACHE003") or g.layer >= attribution.base_layers]
    explained = {(c.id, c.layer) for c in causes}   # a cache that also differs is already one finding there
    findings = sorted([*(_finding(c, tree.source, path, _location(c, tree, target, attribution))
                         for c in causes),
                       *_carried_findings([g for g in carried if (g.id, g.layer) not in explained],
                                          tree, path, attribution),
                       *_carried_in_b(image_diff, carried, explained, tree, path, attribution)],
                      key=lambda f: f.sort_key)
    verdict = str(image_diff.verdict)
    extra = {
        "verify": {
            "verdict": verdict,
            **run_info,
            "layers": layer_table(image_diff, attribution, causes, paths),
            "image": image_totals(image_diff, attribution),
            "config": {
                "semantic": [c.key for c in image_diff.semantic_config],
                "volatile": [c.key for c in image_diff.volatile_config],
            },
            "paths": path_list(paths, attribution),
            "carried": [{**g.as_dict(), "line": _instruction(attribution, g.layer)[0]} for g in carried],
            **({"carried_b": [{**g.as_dict(), "layer_a": index, "line": _instruction(attribution, index)[0]}
                              for g, index in _carried_b(image_diff, attribution)]}
               if image_diff.carried_b else {}),
        }
    }
    return Outcome(path, tree.source, verdict, findings, extra, image_ids)


def _carried_findings(carried, tree: SyntaxTree, path: str, attribution: Attribution) -> list[Finding]:
    """Secrets, large files and caches found in image A, on the instruction whose layer holds them
    (a base layer's: the FROM)."""
    from dockerlint.verify.causes import carried_cause

    return [_finding(carried_cause(g), tree.source, path, attribution.layers.get(g.layer) or attribution.image)
            for g in carried]


def _carried_b(image_diff, attribution: Attribution) -> list[tuple]:
    """Image B's groups (an existing image's), each with image A's index of the layer it pairs
    with (None for a layer only in B); the base image's caches left out, as for image A."""
    paired = {l.index_b: l.index for l in image_diff.layers if l.index_b is not None}
    kept = []
    for group in image_diff.carried_b:
        index = paired.get(group.layer)
        position = index if index is not None else group.layer
        if group.id in ("CACHE002", "CACHE003") or position >= attribution.base_layers:
            kept.append((group, index))
    return kept


def _carried_in_b(image_diff, carried, explained, tree: SyntaxTree, path: str,
                  attribution: Attribution) -> list[Finding]:
    """What image B carries that image A does not (a secret only the published image has):
    findings saying "image B", on the instruction of the A layer B's layer pairs with (else the
    FROM). A group A has in the paired layer with the same files is already A's finding."""
    import dataclasses

    from dockerlint.verify.causes import carried_cause

    in_a = {(g.layer, g.id, g.label): (g.count, g.size, g.examples) for g in carried}
    found = []
    for group, index in _carried_b(image_diff, attribution):
        if (in_a.get((index, group.id, group.label)) == (group.count, group.size, group.examples)
                or (group.id, index) in explained):
            continue
        cause = carried_cause(group)
        cause = dataclasses.replace(cause, message="image B: " + cause.message, layer=index,
                                    details={**cause.details, "image": "b", "layer_b": group.layer})
        ref = attribution.layers.get(index) if index is not None else None
        found.append(_finding(cause, tree.source, path, ref or attribution.image))
    return found


def path_list(paths, attribution: Attribution) -> list[dict]:
    """Every differing path: layer, instruction line, cause, what changed, and both sides'
    metadata and content digest (None for the side that lacks it), sorted by layer and path."""
    def side(entry) -> dict | None:
        if entry is None:
            return None
        return {"type": entry.type, "mode": f"{entry.mode:04o}", "uid": entry.uid, "gid": entry.gid,
                "size": entry.size, "mtime": entry.mtime, "linkname": entry.linkname or None,
                "sha256": entry.digest or None}

    rows = []
    for index, cause_id, d in paths:
        ref = attribution.layers.get(index) if index is not None else None
        rows.append({"path": d.path, "layer": index, "line": ref.line if ref else None,
                     "cause": cause_id, "change": d.kind, "fields": list(d.fields),
                     "a": side(d.a), "b": side(d.b)})
    rows.sort(key=lambda r: (r["layer"] if r["layer"] is not None else -1, r["path"]))
    return rows


def _created_by(image_diff) -> list[str]:
    """History ``created_by`` per layer index of image A."""
    table: dict[int, str] = {}
    for layer in image_diff.layers:
        if layer.index is not None:
            table[layer.index] = layer.created_by_a
    return [table.get(i, "") for i in range(image_diff.layer_count_a)]


def _instruction(attribution: Attribution, index: int | None) -> tuple[int | None, str]:
    """(Dockerfile line, instruction text) of image A's layer ``index``; base layers say so."""
    ref = attribution.layers.get(index) if index is not None else None
    if ref is not None:
        return ref.line, ref.text
    return None, ("base image" if index is not None and index < attribution.base_layers else "")


def image_totals(image_diff, attribution: Attribution) -> dict:
    """Image A's totals (size, entries, wasted space, efficiency) and its biggest wasted files,
    each with the instruction that added it and the one that overwrote or deleted it; B's totals."""
    out: dict = {}
    for label, pic in (("a", image_diff.picture_a), ("b", image_diff.picture_b)):
        if pic is not None:
            out[label] = pic.as_dict()
    pic = image_diff.picture_a
    offenders = []
    for item in (pic.offenders if pic is not None else []):
        added_line, added = _instruction(attribution, item.added)
        removed_line, removed = _instruction(attribution, item.removed)
        offenders.append({"path": item.path, "size": item.size, "how": item.how,
                          "added_layer": item.added, "added_line": added_line, "added_by": added,
                          "removed_layer": item.removed, "removed_line": removed_line,
                          "removed_by": removed})
    out["wasted"] = offenders
    return out


def layer_table(image_diff, attribution: Attribution, causes, paths=()) -> list[dict]:
    """One row per layer pair: where it comes from, its size and entries (image A's; B's for a
    layer only in B), whether it differs, differing entries per cause, and its wasted bytes."""
    by_layer: dict[int | None, list[str]] = {}
    for cause in causes:
        by_layer.setdefault(cause.layer, []).append(cause.id)
    per_cause: dict[int | None, dict[str, int]] = {}
    for index, cause_id, _ in paths:
        counts = per_cause.setdefault(index, {})
        counts[cause_id] = counts.get(cause_id, 0) + 1
    pic_a, pic_b = image_diff.picture_a, image_diff.picture_b
    rows = []
    for layer in sorted(image_diff.layers, key=lambda l: (l.index if l.index is not None else 1 << 30,
                                                           l.index_b or 0)):
        line, instruction = _instruction(attribution, layer.index)
        rows.append({
            "index": layer.index, "index_b": layer.index_b, "status": layer.status,
            "line": line, "instruction": instruction,
            "diff_id_a": layer.diff_id_a, "diff_id_b": layer.diff_id_b,
            "entries_differing": len(layer.entries),
            "causes": sorted(set(by_layer.get(layer.index, []))),
            **_layer_sizes(pic_a.layers[layer.index] if pic_a is not None and layer.index is not None
                           and layer.index < len(pic_a.layers) else
                           pic_b.layers[layer.index_b] if pic_b is not None and layer.index_b is not None
                           and layer.index_b < len(pic_b.layers) else None),
            "differing_by_cause": dict(sorted(per_cause.get(layer.index, {}).items()))
            if layer.index is not None else {},
        })
    return rows


def _layer_sizes(row) -> dict:
    if row is None:
        return {"size": None, "entries": None, "wasted_bytes": None, "removes_bytes": None}
    return {"size": row.size, "entries": row.entries, "wasted_bytes": row.wasted,
            "removes_bytes": row.removes}


def _location(cause, tree: SyntaxTree, target: str | None, attribution: Attribution):
    """Where a cause is reported: its layer's instruction, else the instruction that sets a
    differing config key (ENV, LABEL, CMD, …), else the target stage's FROM (image-wide)."""
    from dockerlint.verify.attribute import config_instruction

    if cause.location is not None:
        return cause.location
    if not cause.metadata:
        for key, values in (cause.details.get("keys") or {}).items():
            a, b = values if isinstance(values, (list, tuple)) and len(values) == 2 else (None, None)
            ref = config_instruction(tree, key, a, b, target)
            if ref is not None:
                return ref
    return attribution.image


def _finding(cause, source: Source, path: str, ref: InstructionRef | None) -> Finding:
    """A cause as a finding on the lines of ``ref`` (line 1 when nothing better is known)."""
    from dockerlint.findings import Finding

    span = _span(source, ref) if ref is not None else source.line_span(1)
    message = cause.message.rstrip()
    if cause.fix:  # the fix is text, not an edit: it travels in the message, seen by every format
        message = f"{message.rstrip('.')}. Fix: {cause.fix}"
    return Finding(
        message=message, span=span, rule_id=cause.id, rule_name=cause.title,
        severity=cause.severity, path=path, category="reproducibility",
        extra={"count": cause.count, "examples": list(cause.examples), "fix": cause.fix,
               "layer": cause.layer, "metadata": cause.metadata, "details": cause.details},
    )


def cause_rules() -> dict:
    """The cause catalogue as rules, so SARIF and json reporters can show each cause's docs."""
    from dockerlint.findings import Severity
    from dockerlint.rule import Rule, RuleDoc
    from dockerlint.verify.catalogue import CATALOGUE

    return {
        kind.id: Rule(id=kind.id, name=kind.title, severity=kind.severity, category="reproducibility",
                      check=lambda df: (), doc=RuleDoc(summary=kind.title, why=kind.signature, fix=kind.fix),
                      module="dockerlint.verify.catalogue")
        for kind in CATALOGUE.values()
    } | {
        rule_id: Rule(id=rule_id, name=name, severity=severity, category=category, check=lambda df: (),
                      doc=RuleDoc(summary=summary, why=summary, fix=_carried_fix(rule_id)),
                      module="dockerlint.verify.carried")
        for rule_id, name, severity, category, summary in (
            ("CACHE003", "secret-copied-into-image", Severity.ERROR, "security",
             "A secret or private key is in a layer of the image."),
            ("CACHE002", "context-clutter-sent", Severity.INFO, "performance",
             "Large data sets or model weights are in a layer of the image."))
    }


def _carried_fix(rule_id: str) -> str:
    from dockerlint.verify.carried import FIXES

    return FIXES[rule_id]


def _span(source: Source, ref: InstructionRef):
    start = source.line_span(ref.line).start + ref.column - 1
    end = source.line_span(ref.end_line).start + ref.end_column - 1
    return source.span(start, max(start, end))


# --------------------------------------------------------------------------- output


def _render(outcomes: Sequence[Outcome], outputs: Sequence[tuple[str, str | None]], color: bool | None,
            stdout: TextIO, quiet: bool = False, list_paths: bool = False, runs: list[dict] | None = None) -> None:
    """Each requested format. One outcome: its report. Several (``runs``: ``verify DIR``): the tty
    shows each file's report and summary, then the table of verdicts; the other formats one report
    of every file whose ``extra.verify.runs`` holds each file's verdict and data."""
    from dockerlint import __version__
    from dockerlint.report import Report, render
    from dockerlint.report.paths import repo_locations
    from dockerlint.verify.summary import render_summary, render_verdicts

    rules = cause_rules()
    root, repo_paths = repo_locations([o.path for o in outcomes] or ["."], os.getcwd(), os.environ)

    def report(chosen: Sequence[Outcome], use_color: bool, extra: dict) -> Report:
        return Report(findings=[f for o in chosen for f in o.findings], files=[o.path for o in chosen],
                      rules=rules, tool_version=__version__, sources={o.path: o.source.text for o in chosen},
                      color=use_color, extra=extra, repo_paths=repo_paths, repo_root=root)

    def write(fmt: str, stream: TextIO, use_color: bool, brief: bool) -> None:
        if fmt == "html":
            from dockerlint.verify.html import render_html

            outcome = outcomes[0]
            render_html(outcome.extra["verify"], outcome.findings, outcome.source.text, outcome.path, stream)
        elif fmt != "tty":
            extra = outcomes[0].extra if runs is None else {"verify": {"runs": runs}}
            render(fmt, report(outcomes, use_color, extra), stream)
        else:
            for outcome in outcomes:
                render(fmt, report([outcome], use_color, outcome.extra), stream)
                render_summary(outcome.extra["verify"], stream, use_color, brief, list_paths)
            if runs is not None:
                render_verdicts(runs, stream, use_color)

    for fmt, target in outputs:
        if target is None:
            write(fmt, stdout, bool(color) if color is not None else stdout.isatty(), quiet)
            continue
        with open(target, "w", encoding="utf-8") as handle:
            write(fmt, handle, False, False)
