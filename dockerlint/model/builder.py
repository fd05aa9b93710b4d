"""Building the model: one walk of the syntax tree cuts stages, follows ARG/ENV
scopes, WORKDIR and SHELL, and links stages to each other (``build``)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from dockerlint.model.dockerfile import DEFAULT_PATH, DEFAULT_SHELL, Dockerfile, Instr, Stage
from dockerlint.model.expand import expand
from dockerlint.model.imageref import parse_image
from dockerlint.model.scope import Scope, global_scope
from dockerlint.model.views import declare_args, make_value, sub_span
from dockerlint.syntax.nodes import Instruction, SyntaxTree


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
        preamble_env: list[tuple[str, str | None]] = []  # ENV before any FROM (a build error; hadolint reads on)
        for ins in syntax[:first_from]:
            instr = Instr(df, ins, None, len(instrs), scope.with_env(preamble_env) if preamble_env else scope,
                          None, DEFAULT_SHELL)
            instrs.append(instr)
            if ins.keyword == "ENV":
                preamble_env.extend((p.key, p.value.value) for p in instr.pairs or ())
            elif ins.keyword == "ARG":
                globals_.append(instr)
                decls, scope = declare_args(instr, scope, self.build_args, None)
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
                decls, scope = declare_args(instr, scope, self.build_args, df.global_scope)
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
            stage.platform = make_value(platform.value, expansion, platform.value_span or platform.span)
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
                                 lambda lo, hi: sub_span(from_.syntax, word, lo, hi))

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
    elif keyword == "RUN" and instr.syntax.flag("mount") is not None and instr.run is not None:
        for mount in instr.run.mounts:
            if mount.from_stage is not None:
                yield mount.from_stage
