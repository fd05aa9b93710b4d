"""ML009: a file the program needs (a requirements file, a model) never reaches the image."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# RUN programs that cannot make a requirements or model file appear (anything else might: a
# download, a training run, a git clone, `echo > requirements.txt`): with another one, silent.
_INERT = frozenset({"pip", "pip3", "uv", "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "zypper", "rm", "mkdir",
                    "chmod", "chown", "useradd", "adduser", "groupadd", "addgroup", "ln", "true", "set", "cd",
                    "export", "conda", "mamba", "npm", "update-ca-certificates", "ldconfig", "locale-gen"})
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
    reads and the model paths written literally in CMD/ENTRYPOINT or in the
    code the start command runs (`joblib.load("models/model.pkl")`,
    `torch.load("weights/best.pt")`, `onnxruntime.InferenceSession("m.onnx")`)
    against what the COPY instructions send from the build context.

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
    be mounted or downloaded when the container starts. Silent whenever it
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


def _requirements_not_copied(df, ctx) -> Iterator[Finding]:
    for cmd in df.installs:
        stage = cmd.instr.stage
        if cmd.manager not in ("pip", "uv") or not (cmd.requirement_files or cmd.constraint_files):
            continue
        if stage is None or stage.base_facts is None or not getattr(stage, "needed", True):
            continue
        before = _before(stage, cmd.instr.parent or cmd.instr)
        if _opaque(before) or _incomplete(ctx, before) or _opaque([cmd.instr]):
            continue
        for read in ctx.installed(cmd):
            word = read.written
            if word is None or read.copied_by is not None or word.value is None:
                continue
            if read.role not in ("requirements", "constraints") or read.image_path.startswith("/\u2026"):
                continue
            flag = "-c" if read.role == "constraints" else "-r"
            yield cmd.instr.finding(_requirements_message(ctx, cmd, flag, word.value, read.image_path),
                                    span=word.span)


def _requirements_message(ctx, cmd, flag: str, written: str, image_path: str) -> str:
    line = (cmd.instr.parent or cmd.instr).span.line
    ignored = _ignored_candidate(ctx, written.lstrip("/"))
    named = [f for f in ctx.files if f.rsplit("/", 1)[-1] == written.rsplit("/", 1)[-1]]
    if ignored:
        fix = f"`.dockerignore` leaves `{ignored}` out of the build context: take it out of the ignore file"
    elif named:
        fix = f"add `COPY {named[0]} {image_path}` before line {line}"
    else:
        fix = f"add the file to the build context and COPY it to {image_path} before line {line}"
    return (f"`{cmd.tool} {cmd.subcommand} {flag} {written}` reads {image_path}, but no COPY before this step puts "
            f"it in the image: the build stops with `{_NOT_FOUND_PIP.format(written)}`; {fix}")


def _ignored_candidate(ctx, rel: str) -> str | None:
    """``rel`` when it is a file of the context directory that the ignore file leaves out."""
    from dockerlint.context.ignore import clean_path

    rel = clean_path(rel)
    if not rel or rel.startswith(".."):
        return None
    try:
        return rel if (ctx.root / rel).is_file() and ctx.is_ignored(rel) else None
    except OSError:
        return None


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
        for _image, code in program_code(env):
            text = env.read_context(code.path) or ""
            if any(hint in text for hint in _DOWNLOADS):
                continue
            for loaded in loaded_paths(text):
                problem = _missing_model(ctx, copies, landed, cwd, loaded.path)
                if problem is None:
                    continue
                from dockerlint.syntax.nodes import Span

                span = Span(0, 0, loaded.line, loaded.column, loaded.line, loaded.column + len(loaded.path) + 2)
                yield Finding(message=_model_message(loaded.path, *problem, where="here"), span=span,
                              path=ctx.shown_path(code.path, df.path))


def _missing_model(ctx, copies, landed: set[str], cwd: str | None, written: str):
    """``(image path, context file, ignored)`` when ``written`` is not in the image but the context has it."""
    from dockerlint.context.ignore import clean_path

    if not written.startswith("/") and cwd is None:
        return None
    target = clean_path(written if written.startswith("/") else posixpath.join(cwd or "/", written))
    if target in landed or any(p.startswith(target + "/") for p in landed):
        return None
    for copy in copies:  # what a directory COPY would have sent there, had the ignore file let it
        sent = ctx.sent(copy)
        dest = (sent.dest or "").rstrip("/")
        if sent is None or not dest or not target.startswith(dest + "/"):
            continue
        inner = target[len(dest) + 1:]
        for source in sent.sources:
            if source.path is None or not (source.is_dir or source.path == "."):
                continue
            candidate = inner if source.path == "." else f"{source.path}/{inner}"
            if _ignored_candidate(ctx, candidate):
                return target, candidate, True
    rel = clean_path(written.lstrip("/")) if not written.startswith("/") else None
    if rel and rel in ctx.files:
        return target, rel, False
    if rel and _ignored_candidate(ctx, rel):
        return target, rel, True
    return None


def _model_message(written: str, target: str, rel: str, ignored: bool, *, where: str) -> str:
    if ignored:
        why = f"`.dockerignore` leaves `{rel}` out of the build context"
        fix = f"take `{rel}` out of .dockerignore (or, if you mount it at run time, declare the VOLUME)"
    else:
        why = f"no COPY brings `{rel}` from the build context"
        fix = f"add `COPY {rel} {target}`"
    subject = f"`{written}` is loaded {where}" if where == "here" else f"{where} loads `{written}`"
    return (f"{subject}, but the image has no {target} ({why}): the container fails at start with "
            f"`FileNotFoundError: [Errno 2] No such file or directory: '{written}'`; {fix}")
