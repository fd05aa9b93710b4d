"""The model: a Dockerfile's stages, scopes and instructions, as BuildKit sees them.

``build`` walks the syntax tree once to cut stages, follow ARG/ENV scopes,
WORKDIR and SHELL, and link stages to each other. Everything else (the typed
view of an instruction, its shell commands) is computed on first access, so a
rule pays only for what it reads.
"""
from __future__ import annotations

import bisect
import csv
import posixpath
from collections.abc import Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from dockerlint.findings import Finding, Fix
from dockerlint.model.expand import UNKNOWN, Expansion, expand
from dockerlint.model.imageref import ImageRef, parse_image
from dockerlint.model.scope import PROXY_ARGS, Scope, global_scope
from dockerlint.model.values import (
    ArgDecl,
    CommandSpec,
    CopySpec,
    HealthcheckSpec,
    KeyValue,
    Mount,
    Port,
    RunSpec,
    UserSpec,
    Value,
)
from dockerlint.syntax.nodes import Arg, Flag, Instruction, Source, Span, SyntaxTree

if TYPE_CHECKING:
    from dockerlint.context import BuildContext

DEFAULT_SHELL = ("/bin/sh", "-c")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})


def _bool_flag(flag: Flag | None, default: bool = False) -> bool:
    """A BuildKit boolean flag: bare ``--link`` is true, else strconv.ParseBool."""
    if flag is None:
        return default
    if flag.value is None:
        return True
    text = flag.value.strip().lower()
    return text in _TRUE if text in _TRUE | _FALSE else default


class Dockerfile:
    """A whole Dockerfile: global ARGs, stages, the target."""

    def __init__(self, tree: SyntaxTree, build_args: Mapping[str, str], target_name: str | None,
                 path: str | None, context_dir: str | None):
        self.tree = tree
        self.source: Source = tree.source
        self.path = path if path is not None else tree.source.path
        self.escape = tree.escape
        self.build_args: Mapping[str, str] = MappingProxyType(dict(build_args))
        self.target_name = target_name
        self.context_dir = context_dir
        self.instructions: tuple[Instr, ...] = ()
        self.global_args: tuple[Instr, ...] = ()
        self.stages: tuple[Stage, ...] = ()
        self.target: Stage | None = None
        self.global_scope: Scope = Scope()

    def __repr__(self) -> str:
        return f"<Dockerfile {self.path or '-'}: {len(self.stages)} stages>"

    @property
    def directives(self):
        return self.tree.directives

    def stage(self, name_or_index: str | int) -> Stage | None:
        """The stage called ``name_or_index`` (case-insensitive) or at that index."""
        if isinstance(name_or_index, int) or (isinstance(name_or_index, str) and name_or_index.isdigit()):
            index = int(name_or_index)
            return self.stages[index] if 0 <= index < len(self.stages) else None
        wanted = name_or_index.lower()
        for stage in self.stages:
            if stage.name == wanted:
                return stage
        return None

    @cached_property
    def context(self) -> BuildContext | None:
        if self.context_dir is None:
            return None
        try:
            from dockerlint.context import BuildContext
        except ImportError:
            return None
        return BuildContext(self.context_dir, self.path)

    @cached_property
    def shipped_stages(self) -> tuple[Stage, ...]:
        """The stages whose file system ends up in an image someone runs, in order.

        The target, every stage no other stage uses (a plausible ``--target``),
        and the stages they are built FROM. A builder that other stages only
        COPY from (or mount) does not ship: its leftovers stay behind.
        """
        used = {d.index for s in self.stages for d in s.dependencies}
        tips = [s for s in self.stages if s.index not in used]
        if self.target is not None:
            tips.append(self.target)
        indexes = {s.index for tip in tips for s in tip.chain}
        return tuple(s for s in self.stages if s.index in indexes)

    @property
    def installs(self) -> tuple:
        """Every package install of every RUN (ONBUILD RUN included), in order."""
        return tuple(p for instr in self.walk() for p in instr.installs)

    def walk(self) -> Iterator[Instr]:
        """Every instruction, with each ONBUILD's inner one right after it."""
        for instr in self.instructions:
            yield instr
            if instr.onbuild is not None:
                yield instr.onbuild


class Stage:
    """One ``FROM`` and the instructions up to the next one."""

    def __init__(self, df: Dockerfile, index: int, from_: Instr):
        self.dockerfile = df
        self.index = index
        self.from_ = from_
        self.name: str | None = None
        self.name_as_written: str | None = None
        self.name_span: Span | None = None
        self.base_name: Value | None = None  # the image word, expanded
        self.base: ImageRef | None = None
        self.base_stage: Stage | None = None
        self.is_scratch = False
        self.platform: Value | None = None
        self.instructions: tuple[Instr, ...] = ()
        self.is_target = False
        self.needed = False
        self.dependencies: tuple[Stage, ...] = ()
        self.final_scope: Scope = Scope()
        self.final_cwd: str | None = None
        self.final_shell: tuple[str, ...] = DEFAULT_SHELL

    def __repr__(self) -> str:
        return f"<Stage {self.index} {self.name or ''} from {self.base_name.raw if self.base_name else '?'}>"

    @property
    def root(self) -> Stage:
        """The first stage of the FROM chain (the one built on an image or scratch)."""
        stage = self
        while stage.base_stage is not None:
            stage = stage.base_stage
        return stage

    @property
    def root_image(self) -> ImageRef | None:
        """The image at the bottom of this stage's FROM chain (None for scratch)."""
        return self.root.base

    @property
    def display_name(self) -> str:
        return self.name if self.name is not None else f"stage-{self.index}"

    @cached_property
    def chain(self) -> tuple[Stage, ...]:
        """This stage and the earlier stages it is built FROM, nearest first."""
        chain: list[Stage] = []
        stage: Stage | None = self
        while stage is not None and stage not in chain:
            chain.append(stage)
            stage = stage.base_stage
        return tuple(chain)

    @property
    def ships(self) -> bool:
        """True when this stage's file system ends up in an image (see ``Dockerfile.shipped_stages``)."""
        return self in self.dockerfile.shipped_stages

    @property
    def installs(self) -> tuple:
        """The package installs of this stage's RUNs (its ONBUILD RUNs included), in order."""
        return tuple(p for instr in self.instructions for i in (instr, instr.onbuild) if i is not None
                     for p in i.installs)


class Instr:
    """One instruction with its meaning: scope, typed view, shell commands."""

    def __init__(self, df: Dockerfile, syntax: Instruction, stage: Stage | None, index: int,
                 scope: Scope, cwd: str | None, shell: tuple[str, ...], parent: Instr | None = None):
        self.dockerfile = df
        self.syntax = syntax
        self.keyword = syntax.keyword
        self.span = syntax.span
        self.stage = stage
        self.index = index
        self.scope = scope
        self.cwd = cwd  # working directory in effect (None when unknown)
        self.shell = shell
        self.parent = parent  # the ONBUILD this one is inside

    def __repr__(self) -> str:
        return f"<Instr {self.index} {self.keyword} line {self.line}>"

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def keyword_span(self) -> Span:
        """Where the instruction's keyword is written (``ADD`` of ``ADD a b``; the inner one in ONBUILD)."""
        return self.syntax.keyword_span

    @property
    def flags(self) -> tuple[Flag, ...]:
        """The instruction's ``--name=value`` flags, as written (unexpanded)."""
        return self.syntax.flags

    def flag(self, name: str) -> Flag | None:
        return self.syntax.flag(name)

    @property
    def env(self) -> Mapping[str, str | None]:
        """ENV visible here (inherited from parent stages; None: unknown value)."""
        return self.scope.env

    @property
    def args(self) -> Mapping[str, str | None]:
        """ARGs visible here (None: declared, value unknown)."""
        return self.scope.args

    @property
    def vars(self) -> Mapping[str, str | None]:
        """What BuildKit expands words against here: ENV and ARG values."""
        return self.scope.vars

    @cached_property
    def posix_shell(self) -> bool:
        from dockerlint.model.shell import is_posix_shell
        return is_posix_shell(self.shell)

    # -- expansion -----------------------------------------------------------
    def expand(self, text: str) -> Value:
        """Expand ``text`` in this instruction's scope (span: the instruction)."""
        return _value(text, expand(text, self.scope.expansion_env, self.dockerfile.escape), self.span)

    def _expand_arg(self, arg: Arg, split: bool = False) -> tuple[Value, Expansion]:
        expansion = expand(arg.value, self.scope.expansion_env, self.dockerfile.escape, split=split)
        return _value(arg.value, expansion, arg.span), expansion

    def arg_span(self, arg: Arg, lo: int, hi: int) -> Span | None:
        """Source span of ``arg.value[lo:hi]``, or None when it cannot be exact."""
        return _sub_span(self.syntax, arg, lo, hi)

    def finding(self, message: str, span: Span | None = None, fix: Fix | None = None) -> Finding:
        return Finding(message=message, span=span if span is not None else self.span, fix=fix)

    # -- typed views -----------------------------------------------------------
    @cached_property
    def arg_decls(self) -> tuple[ArgDecl, ...] | None:
        if self.keyword != "ARG":
            return None
        return _declare_args(self, self.scope)[0]

    @cached_property
    def pairs(self) -> tuple[KeyValue, ...] | None:
        if self.keyword not in ("ENV", "LABEL"):
            return None
        return _pairs(self)

    @cached_property
    def workdir(self) -> Value | None:
        if self.keyword != "WORKDIR" or not self.syntax.args:
            return None
        return self._expand_arg(self.syntax.args[0])[0]

    @cached_property
    def workdir_path(self) -> str | None:
        """The absolute directory this WORKDIR sets (None when unknown)."""
        if self.workdir is None:
            return None
        return _resolve_workdir(self.cwd, self.workdir.value)

    @cached_property
    def user(self) -> UserSpec | None:
        if self.keyword != "USER" or not self.syntax.args:
            return None
        arg = self.syntax.args[0]
        value, expansion = self._expand_arg(arg)
        colon = expansion.text.find(":")
        if colon == -1:
            return UserSpec(value, None, arg.span)
        at = expansion.origins[colon]
        if at >= 0 and _top_level(arg.value, at, self.dockerfile.escape):
            # ``app:$GID``: each side is a word of its own
            parts = (arg.value[:at], 0, at), (arg.value[at + 1:], at + 1, len(arg.value))
            user, group = (_value(raw, expand(raw, self.scope.expansion_env, self.dockerfile.escape),
                                  self.arg_span(arg, lo, hi) or arg.span) for raw, lo, hi in parts)
        else:  # the colon came from a variable's value
            user = _slice_value(arg, expansion, 0, colon)
            group = _slice_value(arg, expansion, colon + 1, len(expansion.text))
        return UserSpec(user, group, arg.span)

    @cached_property
    def expose(self) -> tuple[Port, ...] | None:
        if self.keyword != "EXPOSE":
            return None
        ports = []
        for arg in self.syntax.args:
            _, expansion = self._expand_arg(arg, split=True)
            for word in expansion.words or ():
                port, _, proto = word.partition("/")
                ports.append(Port(port, (proto or "tcp").lower(), arg.span, UNKNOWN not in word))
        return tuple(ports)

    @cached_property
    def copy(self) -> CopySpec | None:
        if self.keyword not in ("COPY", "ADD"):
            return None
        return _copy_spec(self)

    @cached_property
    def run(self) -> RunSpec | None:
        if self.keyword != "RUN":
            return None
        syntax = self.syntax
        mounts = tuple(_parse_mount(self, f) for f in syntax.flags if f.name == "mount")
        network = syntax.flag("network")
        security = syntax.flag("security")
        return RunSpec(
            mounts=mounts,
            network=network.value if network else None,
            security=security.value if security else None,
            exec_form=syntax.json_form,
            argv=tuple(a.value for a in syntax.args) if syntax.json_form else (),
            script="" if syntax.json_form else syntax.rest,
            heredocs=syntax.heredocs,
            _instr=self,
        )

    @cached_property
    def cmd(self) -> CommandSpec | None:
        if self.keyword not in ("CMD", "ENTRYPOINT"):
            return None
        return _command_spec(self, self.syntax.args, self.syntax.rest, 0)

    @cached_property
    def healthcheck(self) -> HealthcheckSpec | None:
        if self.keyword != "HEALTHCHECK":
            return None
        syntax = self.syntax
        options = {f.name: f.value for f in syntax.flags}
        rest = syntax.rest
        stripped = rest.lstrip()
        word = stripped.split(None, 1)[0] if stripped else ""
        kind = word.upper() if word.upper() in ("CMD", "NONE") else ""
        command = None
        if kind == "CMD":
            offset = len(rest) - len(stripped) + len(word)
            args = syntax.args
            if args and args[0].value.upper() == "CMD":
                args = args[1:]
            command = _command_spec(self, args, rest[offset:], offset)
        return HealthcheckSpec(kind, options, command)

    @cached_property
    def volumes(self) -> tuple[Value, ...] | None:
        """The paths of a VOLUME (JSON or shell form), expanded."""
        if self.keyword != "VOLUME":
            return None
        return tuple(self._expand_arg(a)[0] for a in self.syntax.args)

    @cached_property
    def shell_argv(self) -> tuple[str, ...] | None:
        """The argv a SHELL instruction sets."""
        if self.keyword != "SHELL":
            return None
        return tuple(a.value for a in self.syntax.args)

    @cached_property
    def onbuild(self) -> Instr | None:
        inner = self.syntax.inner
        if self.keyword != "ONBUILD" or inner is None:
            return None
        return Instr(self.dockerfile, inner, self.stage, self.index, self.scope, self.cwd, self.shell, parent=self)

    @cached_property
    def package_commands(self) -> tuple:
        """The package-manager commands of a RUN (``PackageCommand``s, in order; see
        ``dockerlint.model.packages``); empty for any other instruction."""
        if self.keyword != "RUN":
            return ()
        from dockerlint.model.packages import package_commands
        return package_commands(self)

    @property
    def installs(self) -> tuple:
        """The ``package_commands`` whose action is ``install``."""
        return tuple(p for p in self.package_commands if p.action == "install")

    @cached_property
    def commands(self) -> tuple:
        """Simple commands of a RUN: its shell-form body and here-document
        scripts, or its exec-form argv (and the script of ``["sh", "-c", ...]``)."""
        if self.keyword != "RUN":
            return ()
        return _run_commands(self)


# -- building -------------------------------------------------------------------
def build(tree: SyntaxTree, *, build_args: Mapping[str, str] | None = None, target: str | None = None,
          path: str | None = None, context_dir: str | None = None) -> Dockerfile:
    """The model of a parsed Dockerfile. Never raises on any tree ``parse`` returns."""
    df = Dockerfile(tree, build_args or {}, target, path, context_dir)
    _Builder(df).run()
    return df


class _Builder:
    def __init__(self, df: Dockerfile):
        self.df = df
        self.build_args = df.build_args

    def run(self) -> None:
        df = self.df
        syntax = df.tree.instructions
        first_from = next((i for i, ins in enumerate(syntax) if ins.keyword == "FROM"), len(syntax))
        target_name = self._target_name(syntax)
        scope = global_scope(self.build_args, target_name)
        instrs: list[Instr] = []
        globals_: list[Instr] = []
        for ins in syntax[:first_from]:
            instr = Instr(df, ins, None, len(instrs), scope, None, DEFAULT_SHELL)
            instrs.append(instr)
            if ins.keyword == "ARG":
                globals_.append(instr)
                decls, scope = _declare_args(instr, scope, self.build_args, None)
                instr.__dict__["arg_decls"] = decls  # fills the cached_property
        df.global_scope = scope
        df.global_args = tuple(globals_)

        stages: list[Stage] = []
        current: list[Instr] = []
        stage: Stage | None = None
        cwd: str | None = None
        shell = DEFAULT_SHELL
        for ins in syntax[first_from:]:
            if ins.keyword == "FROM":
                if stage is not None:
                    self._close(stage, current, scope, cwd, shell)
                from_ = Instr(df, ins, None, len(instrs), df.global_scope, None, DEFAULT_SHELL)
                stage = Stage(df, len(stages), from_)
                from_.stage = stage
                self._resolve_from(stage, stages)
                stages.append(stage)
                instrs.append(from_)
                current = [from_]
                scope, cwd, shell = self._start_scope(stage)
                continue
            instr = Instr(df, ins, stage, len(instrs), scope, cwd, shell)
            instrs.append(instr)
            current.append(instr)
            keyword = ins.keyword
            if keyword == "ARG":
                decls, scope = _declare_args(instr, scope, self.build_args, df.global_scope)
                instr.__dict__["arg_decls"] = decls  # fills the cached_property
            elif keyword == "ENV":
                pairs = instr.pairs or ()
                scope = scope.with_env([(p.key, p.value.value) for p in pairs])
            elif keyword == "WORKDIR":
                cwd = instr.workdir_path
            elif keyword == "SHELL" and ins.json_form and ins.args:
                shell = instr.shell_argv or DEFAULT_SHELL
        if stage is not None:
            self._close(stage, current, scope, cwd, shell)
        df.instructions = tuple(instrs)
        df.stages = tuple(stages)
        self._link(stages)

    def _target_name(self, syntax: tuple[Instruction, ...]) -> str:
        if self.df.target_name:
            return self.df.target_name
        last = None
        for ins in syntax:
            if ins.keyword == "FROM":
                last = ins
        if last is not None and len(last.args) >= 3 and last.args[1].value.lower() == "as":
            return last.args[2].value.lower()
        return ""  # BuildKit: the unnamed last stage gives an empty TARGETSTAGE

    def _close(self, stage: Stage, current: list[Instr], scope: Scope, cwd: str | None,
               shell: tuple[str, ...]) -> None:
        stage.instructions = tuple(current)
        stage.final_scope = scope
        stage.final_cwd = cwd
        stage.final_shell = shell

    def _resolve_from(self, stage: Stage, earlier: list[Stage]) -> None:
        from_ = stage.from_
        args = from_.syntax.args
        if len(args) >= 3 and args[1].value.lower() == "as":
            stage.name_as_written = args[2].value
            stage.name = args[2].value.lower()
            stage.name_span = args[2].span
        platform = from_.syntax.flag("platform")
        if platform is not None and platform.value is not None:
            expansion = expand(platform.value, from_.scope.expansion_env, self.df.escape)
            stage.platform = _value(platform.value, expansion, platform.value_span or platform.span)
        if not args:
            return
        word = args[0]
        value, expansion = from_._expand_arg(word)
        stage.base_name = value
        if value.value is not None:
            lowered = value.value.lower()
            for other in reversed(earlier):
                if other.name is not None and other.name == lowered:
                    stage.base_stage = other
                    return
            if lowered == "scratch":
                stage.is_scratch = True
                return
        stage.base = parse_image(word.value, expansion, word.span,
                                 lambda lo, hi: _sub_span(from_.syntax, word, lo, hi))

    def _start_scope(self, stage: Stage) -> tuple[Scope, str | None, tuple[str, ...]]:
        parent = stage.base_stage
        if parent is not None:
            return parent.final_scope, parent.final_cwd, parent.final_shell
        if stage.is_scratch:  # BuildKit gives every Linux image a PATH
            path = MappingProxyType({"PATH": DEFAULT_PATH})
            return Scope(path, path), "/", DEFAULT_SHELL
        return Scope(open=True), None, DEFAULT_SHELL

    def _link(self, stages: list[Stage]) -> None:
        df = self.df
        for stage in stages:
            deps: dict[int, Stage] = {}
            if stage.base_stage is not None:
                deps[stage.base_stage.index] = stage.base_stage
            for instr in _with_inherited_onbuild(stage):
                for other in _referenced_stages(instr):
                    if other.index < stage.index:
                        deps.setdefault(other.index, other)
            stage.dependencies = tuple(deps[i] for i in sorted(deps))
        if not stages:
            return
        if df.target_name:
            df.target = df.stage(df.target_name) if not df.target_name.isdigit() else None
        else:
            df.target = stages[-1]
        if df.target is None:
            for stage in stages:  # unknown --target: the build fails; keep every stage in view
                stage.needed = True
            return
        df.target.is_target = True
        todo = [df.target]
        while todo:
            stage = todo.pop()
            if stage.needed:
                continue
            stage.needed = True
            todo.extend(stage.dependencies)


def _with_inherited_onbuild(stage: Stage) -> Iterator[Instr]:
    """The stage's instructions, plus ONBUILD triggers of the stage it builds on."""
    yield from stage.instructions
    if stage.base_stage is not None:
        for instr in stage.base_stage.instructions:
            if instr.onbuild is not None:
                yield instr.onbuild


def _referenced_stages(instr: Instr) -> Iterator[Stage]:
    keyword = instr.keyword
    if keyword in ("COPY", "ADD") and instr.syntax.flag("from") is not None:
        spec = instr.copy
        if spec is not None and spec.from_stage is not None:
            yield spec.from_stage
    elif keyword == "RUN" and instr.syntax.flag("mount") is not None:
        for mount in instr.run.mounts:
            if mount.from_stage is not None:
                yield mount.from_stage


# -- views ------------------------------------------------------------------------
def _value(raw: str, expansion: Expansion, span: Span) -> Value:
    return Value(raw, expansion.value, span, expansion.unresolved, expansion.names,
                 expansion.undefined, expansion.error, expansion.text)


def _sub_span(syntax: Instruction, arg: Arg, lo: int, hi: int) -> Span | None:
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


def _slice_value(arg: Arg, expansion: Expansion, lo: int, hi: int) -> Value:
    """A Value for ``expansion.text[lo:hi]``, a part of a word that came from a variable."""
    text = expansion.text[lo:hi]
    known = UNKNOWN not in text and expansion.error is None
    return Value(arg.value, text if known else None, arg.span,
                 () if known else expansion.unresolved, expansion.names, expansion.undefined,
                 expansion.error, text)


def _top_level(word: str, index: int, escape: str) -> bool:
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


def _declare_args(instr: Instr, scope: Scope, build_args: Mapping[str, str] | None = None,
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
        name_span = _sub_span(instr.syntax, arg, 0, len(name)) or arg.span
        default = None
        if eq:
            d_span = _sub_span(instr.syntax, arg, len(name) + 1, len(arg.value)) or arg.span
            default = _value(default_raw, expand(default_raw, scope.expansion_env, instr.dockerfile.escape), d_span)
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


def _pairs(instr: Instr) -> tuple[KeyValue, ...]:
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


def _resolve_workdir(cwd: str | None, path: str | None) -> str | None:
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


def _copy_spec(instr: Instr) -> CopySpec:
    syntax = instr.syntax
    markers = {h.marker_span.start for h in syntax.heredocs}  # ``<<EOF`` is no path
    values = [instr._expand_arg(a)[0] for a in syntax.args if a.span.start not in markers]
    sources, dest = (tuple(values[:-1]), values[-1]) if values else ((), None)

    def expanded(name: str) -> Value | None:
        flag = syntax.flag(name)
        if flag is None or flag.value is None:
            return None
        return _value(flag.value, expand(flag.value, instr.scope.expansion_env, instr.dockerfile.escape),
                      flag.value_span or flag.span)

    from_flag = syntax.flag("from")
    from_ = from_flag.value if from_flag is not None else None
    from_stage = None
    from_image = None
    if from_:
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
        link=_bool_flag(syntax.flag("link")),
        exclude=excludes,
        checksum=expanded("checksum"),
        parents=_bool_flag(syntax.flag("parents")),
        heredocs=syntax.heredocs,
        from_image=from_image,
        keep_git_dir=_bool_flag(syntax.flag("keep-git-dir")),
        unpack=None if unpack is None else _bool_flag(unpack),
        _context=lambda: instr.dockerfile.context,
    )


_MOUNT_KEYS = {"src": "source", "dst": "target", "destination": "target", "ro": "readonly", "rw": "readwrite"}


def _parse_mount(instr: Instr, flag: Flag) -> Mount:
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


def _command_spec(instr: Instr, args: tuple[Arg, ...], script: str, offset: int) -> CommandSpec:
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
    from dockerlint.model.shell import parse_commands, shell_dialect

    dialect = shell_dialect(shell)
    if dialect is None or not script.strip():
        return ()
    return tuple(c.with_spans(span_of) for c in parse_commands(script, dialect=dialect, resolve=resolve))


def _run_commands(instr: Instr) -> tuple:
    from dockerlint.model.scripts import heredoc_scripts, heredoc_span_of
    from dockerlint.model.shell import parse_exec

    syntax = instr.syntax
    source = syntax.source
    environ = _run_environment(instr)
    resolve = environ.get
    if syntax.json_form:  # spans on the JSON string literals: offsets index the source
        if source is None:
            return ()
        literals = ((a.value, a.span.start, a.span.end) for a in syntax.args)
        parsed = parse_exec(source.text, literals, resolve=resolve).commands
        return _with_environ([c.with_spans(source.span) for c in parsed], environ)
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
    current = environ
    for cmd in commands:
        out.append(cmd._replace(environ=current))
        changes = _environ_changes(cmd, current)
        if changes is not None:
            updated = dict(current)
            for name, value, remove in changes:
                if remove:
                    updated.pop(name, None)
                else:
                    updated[name] = value
            current = MappingProxyType(updated)
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
