"""The typed views of instructions: plain, immutable records that rules read.

Every word BuildKit expands is a ``Value``: the text as written, its value after
ARG/ENV expansion (None when unknown), where it is, and which variables it
needed. The records carry no behaviour beyond small conveniences.

The small value records are NamedTuples, not dataclasses: a frozen dataclass
costs about half a millisecond to define, paid by every ``dockerlint`` start.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from dockerlint.model.expand import UNKNOWN
from dockerlint.syntax.nodes import Heredoc, Span

if TYPE_CHECKING:
    from dockerlint.context import BuildContext
    from dockerlint.model.dockerfile import Stage
    from dockerlint.model.imageref import ImageRef


class Value(NamedTuple):
    """A word after ARG/ENV expansion.

    ``value`` is None when any part depends on a variable whose value is not
    known (``unresolved`` names them) or the word is malformed (``error``).
    ``text`` is the expansion with ``UNKNOWN`` marking unknown stretches.
    ``names`` lists every variable referenced; ``undefined`` those that are not
    declared at that point.
    """

    raw: str
    value: str | None
    span: Span
    unresolved: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    undefined: tuple[str, ...] = ()
    error: str | None = None
    text: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def partial(self) -> str:
        """The expansion with ``…`` where parts are unknown, for messages."""
        return (self.text or self.raw).replace(UNKNOWN, "…")

    def __str__(self) -> str:
        return self.value if self.value is not None else self.raw


class KeyValue(NamedTuple):
    """One ``key=value`` of ENV or LABEL (``key`` expanded when it can be)."""

    key: str
    value: Value
    key_span: Span
    span: Span
    legacy: bool = False  # ``ENV key value`` without ``=``


class ArgDecl(NamedTuple):
    """One name of an ARG instruction.

    ``default`` is the written default, expanded; ``value`` is what the build
    uses (a ``--build-arg``, the default, or the inherited global value);
    None when unknown.
    """

    name: str
    default: Value | None
    span: Span
    name_span: Span
    value: str | None = None
    from_build_arg: bool = False


class Port(NamedTuple):
    port: str
    protocol: str
    span: Span
    known: bool = True  # False when the port came from an unknown variable


class UserSpec(NamedTuple):
    user: Value
    group: Value | None
    span: Span


@dataclass(frozen=True, slots=True)
class Mount:
    """One ``RUN --mount=...`` (values expanded as BuildKit does)."""

    type: str
    target: str | None
    source: str | None
    from_: str | None
    id: str | None
    sharing: str | None
    readonly: bool
    options: dict = field(hash=False, compare=False)
    span: Span | None = None
    from_stage: Stage | None = field(default=None, compare=False, repr=False)
    error: str | None = None
    from_image: ImageRef | None = None  # ``from=`` naming an image, not a stage


@dataclass(frozen=True, slots=True, eq=False)
class RunSpec:
    mounts: tuple[Mount, ...]
    network: str | None
    security: str | None
    exec_form: bool
    argv: tuple[str, ...]
    script: str
    heredocs: tuple[Heredoc, ...]
    _instr: object = field(repr=False, default=None)

    @property
    def commands(self):
        return self._instr.commands if self._instr is not None else ()

    def mount(self, type: str) -> tuple[Mount, ...]:
        return tuple(m for m in self.mounts if m.type == type)


@dataclass(frozen=True, slots=True, eq=False)
class CopySpec:
    """COPY or ADD. ``from_`` is the ``--from`` text; it names a stage
    (``from_stage``), or else an image (``from_image``) or a named context."""

    is_add: bool
    sources: tuple[Value, ...]
    dest: Value | None
    from_: str | None
    from_stage: Stage | None
    chown: Value | None
    chmod: Value | None
    link: bool
    exclude: tuple[str, ...]
    checksum: Value | None
    parents: bool
    heredocs: tuple[Heredoc, ...]
    from_image: ImageRef | None = None
    keep_git_dir: bool = False
    unpack: bool | None = None
    _context: Callable[[], BuildContext | None] | None = field(default=None, repr=False)

    def context_files(self) -> tuple[str, ...] | None:
        """The build-context files this COPY/ADD sends, context-relative and sorted.

        After the ignore file; a directory source sends what is under it, a
        glob what it matches (``*`` within one path segment, as BuildKit).
        ``()`` for ``--from`` copies and heredocs. None when it cannot be
        known: no context directory, a source that is not resolvable, a
        ``--exclude``, an unreadable or oversized context.
        """
        if self.from_ is not None:
            return ()
        context = self._context() if self._context is not None else None
        if context is None or self.exclude:
            return None
        from dockerlint.context import ContextError, DockerignoreError
        from dockerlint.context.copies import match_source

        chosen: set[str] = set()
        try:
            if context.files is not None and context.truncated:  # (the first use walks the context)
                return None
            for source in self.sources:  # (heredoc bodies are not among the sources)
                if source.value is None:
                    return None
                if self.is_add and ("://" in source.value or source.value.startswith("git@")):
                    continue  # ADD of a URL or a git repository: nothing from the context
                chosen.update(match_source(context, source.value).files)
        except (ContextError, DockerignoreError, OSError):
            return None
        return tuple(sorted(chosen))


@dataclass(frozen=True, slots=True, eq=False)
class CommandSpec:
    """CMD, ENTRYPOINT or the command of HEALTHCHECK CMD."""

    exec_form: bool
    argv: tuple[str, ...]
    script: str | None
    span: Span
    _commands: object = field(repr=False, default=None)

    @property
    def commands(self):
        """Simple commands of a shell-form script (empty for the exec form: with an
        ENTRYPOINT, perhaps the base image's, its argv is only arguments)."""
        return self._commands() if callable(self._commands) else ()

    @property
    def program(self) -> str | None:
        """argv[0] of the exec form, the first command's name of the shell form."""
        if self.exec_form:
            return self.argv[0] if self.argv else None
        commands = self.commands
        return commands[0].name if commands else None


@dataclass(frozen=True, slots=True, eq=False)
class HealthcheckSpec:
    kind: str  # "CMD" | "NONE" ("" when malformed)
    options: dict
    command: CommandSpec | None
