"""How the views of an instruction are computed from its syntax: values and
their spans, ARG declarations, ENV/LABEL pairs, COPY and mount specs, the
commands of a RUN and the environment each starts in. ``Instr`` (in
``dockerlint.model.dockerfile``) calls these on first access."""
from __future__ import annotations

import bisect
import csv
import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dockerlint.model.expand import UNKNOWN, Expansion, expand
from dockerlint.model.imageref import ImageRef, parse_image
from dockerlint.model.scope import PROXY_ARGS, Scope, VarMap
from dockerlint.model.values import ArgDecl, CommandSpec, CopySpec, KeyValue, Mount, Value
from dockerlint.syntax.nodes import Arg, Flag, Instruction, Source, Span

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr, Stage


_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})


def bool_flag(flag: Flag | None, default: bool = False) -> bool:
    """A BuildKit boolean flag: bare ``--link`` is true, else strconv.ParseBool."""
    if flag is None:
        return default
    if flag.value is None:
        return True
    text = flag.value.strip().lower()
    return text in _TRUE if text in _TRUE | _FALSE else default


def make_value(raw: str, expansion: Expansion, span: Span) -> Value:
    return Value(raw, expansion.value, span, expansion.unresolved, expansion.names,
                 expansion.undefined, expansion.error, expansion.text)


def sub_span(syntax: Instruction, arg: Arg, lo: int, hi: int) -> Span | None:
    """Source span of ``arg.value[lo:hi]`` when the value is a verbatim slice of ``rest``."""
    offsets = syntax.rest_offsets
    source = syntax.source
    if source is None or not offsets or hi < lo:
        return None
    value = arg.value
    if source.text.startswith(value, arg.span.start) and arg.span.end - arg.span.start == len(value):
        return source.span(arg.span.start + lo, arg.span.start + hi)
    at = bisect.bisect_left(offsets, arg.span.start)
    if at >= len(offsets) or offsets[at] != arg.span.start:
        return None
    if syntax.rest[at:at + len(value)] != value:
        return None
    if hi == lo:
        return source.span(offsets[at + lo], offsets[at + lo]) if at + lo < len(offsets) else None
    return syntax.span_of(at + lo, at + hi)


def slice_value(arg: Arg, expansion: Expansion, lo: int, hi: int) -> Value:
    """A Value for ``expansion.text[lo:hi]``, a part of a word that came from a variable."""
    text = expansion.text[lo:hi]
    known = UNKNOWN not in text and expansion.error is None
    return Value(arg.value, text if known else None, arg.span,
                 () if known else expansion.unresolved, expansion.names, expansion.undefined,
                 expansion.error, text)


def top_level(word: str, index: int, escape: str) -> bool:
    """True when ``word[index]`` is outside quotes and ``${...}``."""
    depth = 0
    quote = None
    i = 0
    while i < index:
        ch = word[i]
        if ch == escape and quote != "'":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "$" and word.startswith("{", i + 1):
            depth += 1
            i += 1
        elif ch == "}" and depth:
            depth -= 1
        i += 1
    return depth == 0 and quote is None


def declare_args(instr: Instr, scope: Scope, build_args: Mapping[str, str] | None = None,
                  globals_: Scope | None = None) -> tuple[tuple[ArgDecl, ...], Scope]:
    """The declarations of one ARG instruction and the scope after it.

    Defaults are expanded one after the other (``ARG A=1 B=$A`` gives B=1),
    as BuildKit does. ``globals_`` (the global scope) is None for a global ARG.
    """
    if build_args is None:
        build_args = instr.dockerfile.build_args
    decls = []
    for arg in instr.syntax.args:
        name, eq, default_raw = arg.value.partition("=")
        name_span = sub_span(instr.syntax, arg, 0, len(name)) or arg.span
        default = None
        if eq:
            d_span = sub_span(instr.syntax, arg, len(name) + 1, len(arg.value)) or arg.span
            default = make_value(default_raw, expand(default_raw, scope.expansion_env, instr.dockerfile.escape), d_span)
        from_build_arg = name in build_args
        if from_build_arg:
            value: str | None = build_args[name]
        elif default is not None:
            value = default.value
        elif globals_ is not None and name in globals_.vars:
            value = globals_.vars[name]
        else:
            value = None
        decls.append(ArgDecl(name, default, arg.span, name_span, value, from_build_arg))
        scope = scope.with_arg(name, value)
    return tuple(decls), scope


def env_pairs(instr: Instr) -> tuple[KeyValue, ...]:
    """ENV/LABEL pairs from the parser's (key, value, separator) triples."""
    args = instr.syntax.args
    pairs = []
    for i in range(0, len(args) - 1, 3):
        key_arg, value_arg = args[i], args[i + 1]
        sep = args[i + 2].value if i + 2 < len(args) else "="
        key_expansion = expand(key_arg.value, instr.scope.expansion_env, instr.dockerfile.escape)
        key = key_expansion.value if key_expansion.value is not None else key_arg.value
        value, _ = instr._expand_arg(value_arg)
        span = _join(instr.syntax.source, key_arg.span, value_arg.span)
        pairs.append(KeyValue(key, value, key_arg.span, span, legacy=sep != "="))
    return tuple(pairs)


def _join(source: Source | None, a: Span, b: Span) -> Span:
    if source is None:
        return Span(a.start, b.end, a.line, a.column, b.end_line, b.end_column)
    return source.span(a.start, max(a.end, b.end))


def resolve_workdir(cwd: str | None, path: str | None) -> str | None:
    if path is None:
        return None
    if not path.startswith("/"):
        if cwd is None:
            return None
        path = posixpath.join(cwd, path)
    normal = posixpath.normpath(path)
    return "/" + normal.lstrip("/") if normal.startswith("//") else normal


def _find_stage(instr: Instr, name: str) -> Stage | None:
    """The stage ``--from``/``from=`` names: any stage by name, or by index.

    Views that call this are computed after ``build`` has published the stages.
    """
    return instr.dockerfile.stage(name)


def _image_named(instr: Instr, name: str, span: Span) -> ImageRef | None:
    """The image a ``--from``/``from=`` names when no stage has that name.

    BuildKit does not expand variables there, so a ``$`` names nothing usable.
    """
    if name.isdigit() or "$" in name:
        return None
    return parse_image(name, expand(name, None, instr.dockerfile.escape), span)


def copy_spec(instr: Instr) -> CopySpec:
    syntax = instr.syntax
    markers = {h.marker_span.start for h in syntax.heredocs}  # ``<<EOF`` is no path
    values = [instr._expand_arg(a)[0] for a in syntax.args if a.span.start not in markers]
    sources, dest = (tuple(values[:-1]), values[-1]) if values else ((), None)

    def expanded(name: str) -> Value | None:
        flag = syntax.flag(name)
        if flag is None or flag.value is None:
            return None
        return make_value(flag.value, expand(flag.value, instr.scope.expansion_env, instr.dockerfile.escape),
                      flag.value_span or flag.span)

    from_flag = syntax.flag("from")
    from_ = from_flag.value if from_flag is not None else None
    from_stage = None
    from_image = None
    if from_ and from_flag is not None:
        from_stage = _find_stage(instr, from_)
        if from_stage is None:
            from_image = _image_named(instr, from_, from_flag.value_span or from_flag.span)
    excludes = tuple(
        (expand(f.value, instr.scope.expansion_env, instr.dockerfile.escape).value or f.value)
        for f in syntax.flags if f.name == "exclude" and f.value is not None
    )
    unpack = syntax.flag("unpack")
    return CopySpec(
        is_add=instr.keyword == "ADD",
        sources=sources,
        dest=dest,
        from_=from_,
        from_stage=from_stage,
        chown=expanded("chown"),
        chmod=expanded("chmod"),
        link=bool_flag(syntax.flag("link")),
        exclude=excludes,
        checksum=expanded("checksum"),
        parents=bool_flag(syntax.flag("parents")),
        heredocs=syntax.heredocs,
        from_image=from_image,
        keep_git_dir=bool_flag(syntax.flag("keep-git-dir")),
        unpack=None if unpack is None else bool_flag(unpack),
        _context=lambda: instr.dockerfile.context,
    )


_MOUNT_KEYS = {"src": "source", "dst": "target", "destination": "target", "ro": "readonly", "rw": "readwrite"}


def parse_mount(instr: Instr, flag: Flag) -> Mount:
    """``--mount=type=cache,target=/root/.cache`` as BuildKit reads it (CSV, expanded)."""
    text = flag.value or ""
    options: dict[str, str | None] = {}
    error = None
    try:
        fields = next(csv.reader([text]), [])
    except csv.Error as exc:
        fields, error = [], f"failed to parse csv mounts: {exc}"
    readonly: bool | None = None
    for item in fields:
        key, eq, value = item.partition("=")
        key = _MOUNT_KEYS.get(key.strip().lower(), key.strip().lower())
        if not eq:
            if key in ("readonly", "readwrite"):
                readonly = key == "readonly"
            else:
                options[key] = None
            continue
        if key != "from":
            value = expand(value, instr.scope.expansion_env, instr.dockerfile.escape).value or value
        if key in ("readonly", "readwrite"):
            flag_value = value.strip().lower()
            truth = flag_value in _TRUE
            readonly = truth if key == "readonly" else not truth
            continue
        options[key] = value
    mount_type = (options.pop("type", None) or "bind").lower()
    if readonly is None:
        readonly = mount_type not in ("cache", "tmpfs")
    from_ = options.pop("from", None)
    from_stage = _find_stage(instr, from_) if from_ else None
    from_image = _image_named(instr, from_, flag.span) if from_ and from_stage is None else None
    return Mount(
        type=mount_type,
        target=options.pop("target", None),
        source=options.pop("source", None),
        from_=from_,
        id=options.pop("id", None),
        sharing=(options.pop("sharing", None) or None),
        readonly=readonly,
        options=options,
        span=flag.span,
        from_stage=from_stage,
        error=error,
        from_image=from_image,
    )


def command_spec(instr: Instr, args: tuple[Arg, ...], script: str, offset: int) -> CommandSpec:
    syntax = instr.syntax
    if syntax.json_form:
        argv = tuple(a.value for a in args)
        if args:
            span = _join(syntax.source, args[0].span, args[-1].span)
        else:
            span = syntax.span
        return CommandSpec(True, argv, None, span)
    span = syntax.span_of(offset, len(syntax.rest)) if syntax.rest_offsets else syntax.span

    def commands():
        # at run time the container has the image's ENV, and no ARG
        return _parse_shell(instr, script, lambda lo, hi: syntax.span_of(offset + lo, offset + hi),
                            instr.shell, instr.scope.env.get)
    return CommandSpec(False, (), script, span, _Once(commands))


class _Once:
    """A callable computing its result on the first call only."""

    __slots__ = ("fn", "result")

    def __init__(self, fn):
        self.fn = fn
        self.result = None

    def __call__(self):
        if self.fn is not None:
            self.result = self.fn()
            self.fn = None
        return self.result


def _parse_shell(instr: Instr, script: str, span_of, shell: tuple[str, ...], resolve) -> tuple:
    from dockerlint.model.shell import MAX_SCRIPT_CHARS, parse_commands, shell_dialect

    dialect = shell_dialect(shell)
    if dialect is None or not script.strip() or len(script) > MAX_SCRIPT_CHARS:
        return ()  # commands unknown, as for a shell we cannot read
    memo: dict = {}  # keeps every original Word alive while its id is a key
    return tuple(c.with_spans(span_of, memo) for c in parse_commands(script, dialect=dialect, resolve=resolve))


def run_commands(instr: Instr) -> tuple:
    from dockerlint.model.shell import parse_exec
    from dockerlint.model.shell.scripts import heredoc_scripts, heredoc_span_of

    syntax = instr.syntax
    source = syntax.source
    environ = _run_environment(instr)
    resolve = environ.get
    if syntax.json_form:  # spans on the JSON string literals: offsets index the source
        if source is None:
            return ()
        literals = ((a.value, a.span.start, a.span.end) for a in syntax.args)
        parsed = parse_exec(source.text, literals, resolve=resolve).commands
        memo: dict = {}
        return _with_environ([c.with_spans(source.span, memo) for c in parsed], environ)
    commands = list(_parse_shell(instr, syntax.rest, syntax.span_of, instr.shell, resolve)) \
        if syntax.rest_offsets else []
    if source is not None:
        for doc, interpreter in heredoc_scripts(syntax, instr.shell, tuple(commands)):
            commands.extend(_parse_shell(instr, doc.content, heredoc_span_of(doc, source), interpreter, resolve))
    return _with_environ(commands, environ)


def _with_environ(commands, environ: Mapping[str, str | None]) -> tuple:
    """Give each command the environment it starts in: ``environ`` plus what earlier
    ``export NAME=value`` (or ``NAME=value`` of an exported name, or ``unset``) changed."""
    out = []
    current: Mapping[str, str | None] = environ
    for cmd in commands:
        out.append(cmd._replace(environ=current))
        changes = _environ_changes(cmd, current)
        if changes is not None:
            # shared, not copied: a dict per export made 12,000 exports in one RUN cost 2 GB
            updated = VarMap.of(current)
            for name, value, remove in changes:
                updated = updated.without(name) if remove else updated.put(name, value)
            current = updated
    return tuple(out)


def _environ_changes(cmd, current: Mapping[str, str | None]) -> list[tuple[str, str | None, bool]] | None:
    """(name, value, removed) changes ``cmd`` makes to the environment of later commands."""
    if cmd.wrapper is not None:
        return None
    if not cmd.argv:  # ``FOO=1`` alone changes FOO for later commands when FOO is exported
        changes = [_assigned(w) for w in cmd.assignments]
        return [(n, v, False) for n, v in changes if n is not None and n in current] or None
    program = cmd.name
    if program == "export":
        changes = [_assigned(w) for w in cmd.argv[1:] if not (w.value or "").startswith("-")]
        return [(n, v, False) for n, v in changes if n is not None and v is not _EXPORTED] or None
    if program == "unset":
        return [(w.value, None, True) for w in cmd.argv[1:] if w.value and not w.value.startswith("-")] or None
    return None


_EXPORTED = "\0exported"  # ``export NAME`` without a value: the shell value (if any) is kept


def _assigned(word) -> tuple[str | None, str | None]:
    """(name, value) of a ``NAME=value`` word; value None when not resolvable."""
    text = word.value if word.value is not None else word.raw
    name, eq, value = text.partition("=")
    if not name.isidentifier():
        return None, None
    if not eq:
        return name, _EXPORTED
    return name, value if word.value is not None else None


def _run_environment(instr: Instr) -> Mapping[str, str | None]:
    """What a RUN's shell sees: ENV and ARG values, plus proxy ``--build-arg``s,
    which BuildKit passes to RUN without any declaration."""
    proxies = {k: v for k, v in instr.dockerfile.build_args.items() if k in PROXY_ARGS and k not in instr.scope.vars}
    return {**instr.scope.vars, **proxies} if proxies else instr.scope.vars
