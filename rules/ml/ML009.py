"""ML009: a file the program needs (a requirements file, a model) never reaches the image."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# RUN programs that cannot make a requirements or model file appear (anything else might: a
# download, a training run, a git clone, `echo > requirements.txt`): with another one, silent.
_INERT = frozenset({"pip", "pip3", "uv", "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "zypper", "rm", "mkdir",
                    "chmod", "chown", "useradd", "adduser", "groupadd", "addgroup", "ln", "true", "set", "cd",
                    "export", "conda", "mamba", "micromamba", "npm", "update-ca-certificates", "ldconfig",
                    "locale-gen"})
_DOWNLOADS = ("http://", "https://", "s3://", "gs://", "download", "hf_hub", "urlretrieve", "boto3", "exists(",
              "mlflow", "wandb", "storage.", "blob")
_NOT_FOUND_PIP = "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{}'"


@rule(id="ML009", name="file-never-copied", severity=Severity.ERROR, category="ml", on=("FROM",))
def file_never_copied(df: Dockerfile) -> Iterator[Finding]:
    """Copy every file your program reads into the image: the requirements file before `pip install -r`, the model.

    Why: a file on your laptop is not in the image unless a `COPY` (or `ADD`)
    puts it there, and `.dockerignore` can silently keep it out of `COPY . .`.
    `RUN pip install -r requirements.txt` before the `COPY` that brings the
    file stops the build with `ERROR: Could not open requirements file`. A
    model that is never copied (or that `.dockerignore` excludes, often via
    `**/*.pkl` or `models/`) lets the image build and then kills the container at
    start with `FileNotFoundError: [Errno 2] No such file or directory:
    'models/model.pkl'`. dockerlint checks the requirements files each install
    reads (`pip install -r`/`-c`, `conda env create -f environment.yml`,
    `conda install --file`, mamba and micromamba alike) and the model paths
    written literally in CMD/ENTRYPOINT, in `ENV MODEL_PATH=...`, or in the
    code the start command runs (`joblib.load("models/model.pkl")`,
    `torch.load("weights/best.pt")`, `onnxruntime.InferenceSession("m.onnx")`,
    LightGBM's `Booster(model_file="model.txt")`, `load_model("model.json")`,
    and the local directory of `from_pretrained("models/bert")`, which
    Hugging Face otherwise looks up on the Hub: `OSError: models/bert is not a
    local folder and is not a valid model identifier`) against what the COPY
    instructions send from the build context.

    Bad:
        FROM python:3.12-slim
        WORKDIR /app
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
    Good:
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .

    Fix: add the `COPY` the message names before the step that needs the
    file, or take the file's pattern out of `.dockerignore`. If you mount the
    model at run time (`docker run -v $PWD/models:/app/models`), declare it
    with `VOLUME /app/models` and the rule stays silent.

    Note: a model is reported only when the build context holds the file (or
    `.dockerignore` excludes it): a path that is nowhere in the context may
    be mounted or downloaded when the container starts. A `from_pretrained`
    name counts only when the context has a directory of that name (else it
    is a Hub id). A relative path in ENV is read from the start command's
    WORKDIR. Silent whenever it
    cannot know: no build context, a base image it does not know (yours may
    carry the file), a `VOLUME`, a `COPY --from` or `ADD` of an archive or URL,
    a RUN that may create files (a download, `git clone`, a training script), a
    WORKDIR it cannot resolve, paths computed at run time
    (`Path(__file__).parent / "model.pkl"`, f-strings, variables, `os.environ`),
    and code that downloads or checks for the file itself.
    """
    ctx = df.context
    if ctx is None:
        return
    try:
        ctx.files  # noqa: B018 - walks the context once; an unreadable one is not known
    except OSError:
        return
    if ctx.truncated:
        return
    yield from _requirements_not_copied(df, ctx)
    yield from _models_not_copied(df, ctx)


def _opaque(instrs, upto=None) -> bool:
    """Some instruction may bring files the context engine does not see: then nothing is known."""
    for instr in instrs:
        if instr is upto:
            return False
        if instr.keyword in ("COPY", "ADD") and instr.copy is not None:
            spec = instr.copy
            if spec.from_ is not None or instr.keyword == "ADD":
                return True
        if instr.keyword == "VOLUME" or instr.keyword == "ONBUILD":
            return True
        if instr.keyword == "RUN":
            if instr.run is not None and any(m.type == "bind" and m.from_ for m in instr.run.mounts):
                return True
            for cmd in instr.commands:
                program = (cmd.program or "").rsplit("/", 1)[-1]
                values = [w.value for w in cmd.argv]
                if program.startswith("python") and values[1:3] == ["-m", "pip"]:
                    continue
                if program not in _INERT or cmd.wrapper is not None and cmd.wrapper not in ("sudo", "env"):
                    return True
    return False


def _before(stage, instr=None) -> list:
    """The instructions of ``stage``'s FROM chain up to (not including) ``instr``."""
    out = [i for s in reversed(stage.chain[1:]) for i in s.instructions]
    own = stage.instructions if instr is None else [i for i in stage.instructions if i.index < instr.index]
    return out + list(own)


def _incomplete(ctx, instrs) -> bool:
    for instr in instrs:
        if instr.keyword == "COPY" and instr.copy is not None and instr.copy.from_ is None:
            sent = ctx.sent(instr)
            if sent is None or not sent.complete or sent.dest is None or sent.missing:
                return True  # a source that matches nothing: that COPY fails first, and may be the one meant
    return False


def _reads_files(cmd) -> bool:
    """A pip/uv install with -r/-c, or a conda/mamba/micromamba install, create or env create/update with a file."""
    if not (cmd.requirement_files or cmd.constraint_files):
        return False
    if cmd.manager in ("pip", "uv"):
        return cmd.action == "install"
    return cmd.manager == "conda" and cmd.action in ("install", "create", "sync", "upgrade")


def _requirements_not_copied(df, ctx) -> Iterator[Finding]:
    for cmd in (c for instr in df.walk() for c in instr.package_commands):
        stage = cmd.instr.stage
        if not _reads_files(cmd):
            continue
        if stage is None or stage.base_facts is None or not getattr(stage, "needed", True):
            continue
        before = _before(stage, cmd.instr.parent or cmd.instr)
        if _opaque(before) or _incomplete(ctx, before) or _opaque([cmd.instr]):
            continue
        for read in ctx.installed(cmd):
            word = read.written
            if word is None or read.copied_by is not None or not word.value or word.value.startswith("-"):
                continue  # an option where the file name should be (`--file=`) is not a file
            if read.role not in ("requirements", "constraints", "environment") or \
                    read.image_path.startswith("/\u2026"):
                continue
            copies = [i for i in before if i.keyword == "COPY" and i.copy is not None]
            ignored = _ignored_by_copy(ctx, copies, read.image_path) or _ignored_candidate(ctx, word.value.lstrip("/"))
            yield cmd.instr.finding(_requirements_message(ctx, cmd, _flag(cmd, read), word.value, read.image_path,
                                                          ignored), span=word.span)


def _flag(cmd, read) -> str:
    """The option naming the file as written (``-r``, ``--file``, ``-f``), from the word before it."""
    argv = cmd.command.argv
    for before, word in zip(argv, argv[1:]):
        if word.start == read.written.start and (before.value or "").startswith("-"):
            return before.value
    if cmd.manager == "conda":
        return "-f" if " " in cmd.subcommand else "--file"
    return "-c" if read.role == "constraints" else "-r"


def _failure(cmd, flag: str, written: str, image_path: str) -> str:
    """What the build prints when the file is not there."""
    if cmd.manager in ("pip", "uv"):
        return f"the build stops with `{_NOT_FOUND_PIP.format(written)}`"
    if cmd.tool == "conda" and " " in cmd.subcommand:  # conda env create/update (ncsl/seek#1)
        return f"the build stops with `EnvironmentFileNotFound: '{image_path}' file not found`"
    if cmd.tool == "conda":  # conda install/create --file (Roth-Lab/pyclone-vi#24)
        return f"the build stops with `CondaFileIOError: '{written}'. [Errno 2] No such file or directory: " \
               f"'{written}'`"
    return f"the build stops: {cmd.tool} finds no file at {image_path}"


def _requirements_message(ctx, cmd, flag: str, written: str, image_path: str, ignored: str | None) -> str:
    line = (cmd.instr.parent or cmd.instr).span.line
    named = [f for f in ctx.files if f.rsplit("/", 1)[-1] == written.rsplit("/", 1)[-1]]
    if ignored:
        fix = f"`.dockerignore` leaves `{ignored}` out of the build context: take it out of the ignore file"
    elif named:
        fix = f"add `COPY {named[0]} {image_path}` before line {line}"
    else:
        fix = f"add the file to the build context and COPY it to {image_path} before line {line}"
    return (f"`{cmd.tool} {cmd.subcommand} {flag} {written}` reads {image_path}, but no COPY before this step puts "
            f"it in the image: {_failure(cmd, flag, written, image_path)}; {fix}")


def _ignored_candidate(ctx, rel: str, kind: str = "file") -> str | None:
    """``rel`` when it is a file (or, for kind "directory", a directory) of the context directory that the
    ignore file leaves out."""
    from dockerlint.context.ignore import clean_path

    rel = clean_path(rel)
    if not rel or rel.startswith(".."):
        return None
    try:
        path = ctx.root / rel
        present = path.is_dir() if kind == "directory" else path.is_file()
        return rel if present and ctx.is_ignored(rel) else None
    except OSError:
        return None


def _in_context(ctx, rel: str, kind: str) -> bool:
    """The context sends ``rel``: the file, or for kind "directory" files below it (and no file by that name)."""
    if kind != "directory":
        return rel in ctx.files
    prefix = rel.rstrip("/") + "/"
    return rel not in ctx.files and any(f.startswith(prefix) for f in ctx.files)


def _models_not_copied(df, ctx) -> Iterator[Finding]:
    from dockerlint.ml.artifacts import is_model_path, loaded_paths
    from dockerlint.rules.ml._code import program_code
    from dockerlint.rules.ml._env import ImageEnv, final_stages, start_commands

    for stage in final_stages(df):
        if stage.base_facts is None:
            continue
        chain = _before(stage)
        if _opaque(chain) or _incomplete(ctx, chain):
            continue
        landed = {p for i in chain if i.keyword == "COPY" and i.copy is not None for p in ctx.landings(i)}
        copies = [i for i in chain if i.keyword == "COPY" and i.copy is not None]
        env = ImageEnv(df, stage)
        starts = start_commands(stage)
        for start in starts:
            for arg in start.argv[1:]:
                value = arg.split("=", 1)[1] if arg.startswith("-") and "=" in arg else arg
                if is_model_path(value):
                    problem = _missing_model(ctx, copies, landed, start.instr.cwd, value)
                    if problem is not None:
                        yield start.instr.finding(_model_message(value, *problem, where="the start command"))
        cwd = starts[0].instr.cwd if starts else None
        yield from _env_paths(ctx, chain, copies, landed, cwd)
        for _image, code in program_code(env):
            text = env.read_context(code.path) or ""
            if any(hint in text for hint in _DOWNLOADS):
                continue
            for loaded in loaded_paths(text):
                problem = _missing_model(ctx, copies, landed, cwd, loaded.path, loaded.kind)
                if problem is None:
                    continue
                from dockerlint.model import Span

                span = Span(0, 0, loaded.line, loaded.column, loaded.line, loaded.column + len(loaded.path) + 2)
                yield Finding(message=_model_message(loaded.path, *problem, where="here", kind=loaded.kind),
                              span=span, path=ctx.shown_path(code.path, df.path))


def _env_paths(ctx, chain, copies, landed: set[str], cwd: str | None) -> Iterator[Finding]:
    """``ENV MODEL_PATH=models/model.pkl``: a model path the program is told to load (relative to where it runs)."""
    from dockerlint.ml.artifacts import is_model_path

    for instr in chain:
        if instr.keyword != "ENV":
            continue
        for pair in instr.pairs or ():
            value = pair.value.value
            if not value or not is_model_path(value):
                continue
            problem = _missing_model(ctx, copies, landed, cwd, value)
            if problem is not None:
                yield instr.finding(_model_message(value, *problem, where=f"`ENV {pair.key}`"),
                                    span=pair.value.span)


def _ignored_by_copy(ctx, copies, target: str, kind: str = "file") -> str | None:
    """The context path a directory COPY would have sent to ``target``, had the ignore file let it."""
    for copy in copies:
        sent = ctx.sent(copy)
        dest = (sent.dest or "").rstrip("/") if sent is not None else ""
        if sent is None or not dest or not target.startswith(dest + "/"):
            continue
        inner = target[len(dest) + 1:]
        for source in sent.sources:
            if source.path is None or not (source.is_dir or source.path == "."):
                continue
            candidate = inner if source.path == "." else f"{source.path}/{inner}"
            if _ignored_candidate(ctx, candidate, kind):
                return candidate
    return None


def _missing_model(ctx, copies, landed: set[str], cwd: str | None, written: str, kind: str = "model"):
    """``(image path, context path, ignored)`` when ``written`` is not in the image but the context has it."""
    from dockerlint.context.ignore import clean_path

    if not written.startswith("/") and cwd is None:
        return None
    target = clean_path(written if written.startswith("/") else posixpath.join(cwd or "/", written))
    if target in landed or any(p.startswith(target + "/") for p in landed):
        return None
    candidate = _ignored_by_copy(ctx, copies, target, kind)
    if candidate is not None:
        return target, candidate, True
    rel = clean_path(written.lstrip("/")) if not written.startswith("/") else None
    if rel and _in_context(ctx, rel, kind):
        return target, rel, False
    if rel and _ignored_candidate(ctx, rel, kind):
        return target, rel, True
    return None


# Hugging Face: a name of the Hub's form (``org/name``) is looked up on the Hub when no such folder
# exists (unitaryai/detoxify#99); a path that cannot be a repo id is refused (AILab-CVC/YOLO-World#358).
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")


def _model_message(written: str, target: str, rel: str, ignored: bool, *, where: str, kind: str = "model") -> str:
    what = "the directory " if kind == "directory" else ""
    if ignored:
        why = f"`.dockerignore` leaves `{rel}` out of the build context"
        fix = f"take `{rel}` out of .dockerignore (or, if you mount it at run time, declare the VOLUME)"
    else:
        why = f"no COPY brings {what}`{rel}` from the build context"
        fix = f"add `COPY {rel} {target}`"
    if kind == "directory":
        error = f"`OSError: {written} is not a local folder and is not a valid model identifier listed on " \
                f"'https://huggingface.co/models'`" if _HUB_ID.fullmatch(written) else \
                f"`OSError: Incorrect path_or_model_id: '{written}'. Please provide either the path to a local " \
                f"folder or the repo_id of a model on the Hub.`"
        failure = f"loading it fails at start with {error}"
    elif kind == "file":
        failure = "loading it fails at start (the file is not there)"
    else:
        failure = f"the container fails at start with `FileNotFoundError: [Errno 2] No such file or directory: " \
                  f"'{written}'`"
    if where == "here":
        subject = f"`{written}` is loaded here"
    elif where.startswith("`ENV"):
        subject = f"{where} names `{written}`"
        failure = failure.replace("the container fails at start", "the program that loads it fails")
    else:
        subject = f"{where} loads `{written}`"
    return f"{subject}, but the image has no {target} ({why}): {failure}; {fix}"
