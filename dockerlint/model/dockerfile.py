"""The model's objects: a Dockerfile's stages and instructions, as BuildKit sees them.

These are the classes rules read (``Dockerfile``, ``Stage``, ``Instr``).
``dockerlint.model.builder`` makes them in one walk of the syntax tree;
every view of an instruction (its typed spec, its shell commands, its
package installs) is computed on first access, so a rule pays only for
what it reads. How the views are computed is in ``dockerlint.model.views``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from dockerlint.findings import Finding, Fix
from dockerlint.model.expand import UNKNOWN, Expansion, expand
from dockerlint.model.imageref import ImageRef
from dockerlint.model.scope import Scope
from dockerlint.model.start import StartCommand, start_commands
from dockerlint.model.values import (
    ArgDecl,
    CommandSpec,
    CopySpec,
    HealthcheckSpec,
    KeyValue,
    Port,
    RunSpec,
    UserSpec,
    Value,
)
from dockerlint.model.views import (
    command_spec,
    copy_spec,
    declare_args,
    env_pairs,
    make_value,
    parse_mount,
    resolve_workdir,
    run_commands,
    slice_value,
    sub_span,
    top_level,
)
from dockerlint.syntax.nodes import Arg, Flag, Instruction, Source, Span, SyntaxTree

if TYPE_CHECKING:
    from dockerlint.context import BuildContext
    from dockerlint.ml.images import BaseFacts

DEFAULT_SHELL: tuple[str, ...] = ("/bin/sh", "-c")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


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


    @cached_property
    def start_commands(self) -> tuple[StartCommand, ...]:
        """The command lines the container of this stage starts with (``model.start``)."""
        return start_commands(self)

    @cached_property
    def base_facts(self) -> BaseFacts | None:
        """What the image at the bottom of the FROM chain carries (libc, distro, Python, CUDA,
        packages; ``dockerlint.ml.images``), None for a private, unknown or unresolved image."""
        from dockerlint.ml.images import base_facts
        return base_facts(self.root_image)

    @cached_property
    def python(self) -> str | None:
        """The ``X.Y`` of the Python that runs: the base image's, or the distro's ``python3``
        (or ``python3.X``) an apt step of the chain installs; None when not known."""
        facts = self.base_facts
        if facts is None:
            return None
        if facts.python is not None or facts.has_python is not False:
            return facts.python
        from dockerlint.ml.images import SYSTEM_PYTHON
        found = None
        for stage in reversed(self.chain):
            for cmd in stage.installs:
                if cmd.ecosystem != "deb":
                    continue
                for package in cmd.packages:
                    name = package.name or ""
                    versioned = re.fullmatch(r"python(3\.\d+)(-dev|-venv|-full)?", name)
                    if versioned:
                        found = versioned[1]
                    elif name in ("python3", "python3-pip", "python3-dev", "python3-venv", "python-is-python3"):
                        found = found or SYSTEM_PYTHON.get((facts.distro or "", facts.release or ""))
        return found


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
        return make_value(text, expand(text, self.scope.expansion_env, self.dockerfile.escape), self.span)

    def _expand_arg(self, arg: Arg, split: bool = False) -> tuple[Value, Expansion]:
        expansion = expand(arg.value, self.scope.expansion_env, self.dockerfile.escape, split=split)
        return make_value(arg.value, expansion, arg.span), expansion

    def arg_span(self, arg: Arg, lo: int, hi: int) -> Span | None:
        """Source span of ``arg.value[lo:hi]``, or None when it cannot be exact."""
        return sub_span(self.syntax, arg, lo, hi)

    def finding(self, message: str, span: Span | None = None, fix: Fix | None = None) -> Finding:
        return Finding(message=message, span=span if span is not None else self.span, fix=fix)

    # -- typed views -----------------------------------------------------------
    @cached_property
    def arg_decls(self) -> tuple[ArgDecl, ...] | None:
        if self.keyword != "ARG":
            return None
        return declare_args(self, self.scope)[0]

    @cached_property
    def pairs(self) -> tuple[KeyValue, ...] | None:
        if self.keyword not in ("ENV", "LABEL"):
            return None
        return env_pairs(self)

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
        return resolve_workdir(self.cwd, self.workdir.value)

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
        if at >= 0 and top_level(arg.value, at, self.dockerfile.escape):
            # ``app:$GID``: each side is a word of its own
            parts = (arg.value[:at], 0, at), (arg.value[at + 1:], at + 1, len(arg.value))
            user, group = (make_value(raw, expand(raw, self.scope.expansion_env, self.dockerfile.escape),
                                  self.arg_span(arg, lo, hi) or arg.span) for raw, lo, hi in parts)
        else:  # the colon came from a variable's value
            user = slice_value(arg, expansion, 0, colon)
            group = slice_value(arg, expansion, colon + 1, len(expansion.text))
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
        return copy_spec(self)

    @cached_property
    def run(self) -> RunSpec | None:
        if self.keyword != "RUN":
            return None
        syntax = self.syntax
        mounts = tuple(parse_mount(self, f) for f in syntax.flags if f.name == "mount")
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
        return command_spec(self, self.syntax.args, self.syntax.rest, 0)

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
            command = command_spec(self, args, rest[offset:], offset)
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
        return run_commands(self)

    @cached_property
    def scripts(self) -> tuple:
        """The shell scripts a RUN runs (``dockerlint.model.shell.scripts.Script``: text, interpreter,
        span mapping): its shell-form body with its here-documents, each here-document BuildKit or
        a shell runs as a script, or the script of exec-form ``["sh", "-c", "..."]``."""
        if self.keyword != "RUN":
            return ()
        from dockerlint.model.shell.scripts import run_scripts
        return run_scripts(self.syntax, self.shell, self.commands if self.syntax.heredocs else ())
