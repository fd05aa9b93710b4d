"""The ``dockerlint`` command's entry point: run the command, turn every expected error into one line.

``dockerlint [OPTIONS] [PATHS]...`` is ``dockerlint check``; the other
commands are ``rules``, ``explain``, ``parse`` and ``verify`` (their options
are parsed by click in ``dockerlint.commands``). The most common call,
``dockerlint FILE…`` with no option (pre-commit hooks, editors), has nothing
to parse, so it calls the lint run (``dockerlint.run``) without importing
click: a tenth of a one-file run. ``commands`` is imported only when there
are options to parse; it imports ``run`` and ``console``, never this module.

Every expected failure (bad option, config, unreadable file, docker error)
ends as one ``dockerlint: error: …`` line on stderr and exit status 2, never a
traceback.
"""
from __future__ import annotations

import os
import sys

from dockerlint.config import ConfigError, Overrides
from dockerlint.console import EXIT_ERROR, EXIT_FINDINGS, Failure, error
from dockerlint.run import lint

COMMANDS = ("check", "rules", "explain", "parse", "verify")


def _escape_undecodable_output() -> None:
    """Bytes of a Dockerfile that are not UTF-8 reach us as lone surrogates; print them as
    ``\\udcXX`` escapes so that every output stays valid UTF-8 whatever the locale."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _only_paths(args: list[str]) -> bool:
    """Whether ``args`` is just paths to lint with default options (nothing for click to parse)."""
    return not any(a.startswith("-") for a in args) and not (args and args[0] in COMMANDS)


PRE_COMMIT = "--pre-commit"


def _pre_commit_args(args: list[str]) -> list[str]:
    """With ``--pre-commit`` (the hook's entry), an argument that names an existing file is a file
    even when it starts with ``-``.

    pre-commit runs ``entry + args + file names`` with no ``--`` between them, and an ``--`` at the
    end of the entry would make the user's own ``args:`` file names. A committed file named
    ``-oapp.Dockerfile`` must not become ``-o app.Dockerfile`` (overwriting it with the report),
    nor ``-cx`` a config: such arguments are moved after a ``--``. Nothing else changes, so the
    user's ``args:`` keep working (an option spelled like an existing file is linted as that
    file: the hook fails, it never obeys).
    """
    end = args.index("--") if "--" in args else len(args)
    if PRE_COMMIT not in args[:end]:
        return args
    options: list[str] = []
    files: list[str] = []
    for a in args[:end]:
        if a == PRE_COMMIT:
            continue
        (files if a.startswith("-") and os.path.lexists(a) else options).append(a)
    files += args[end + 1:]
    return [*options, "--", *files] if files else options


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the command, turn every expected error into one line + exit 2."""
    from dockerlint.discover import DiscoveryError
    from dockerlint.engine import TargetError
    from dockerlint.registry import PluginError, SelectorError

    args = _pre_commit_args(sys.argv[1:] if argv is None else list(argv))
    _escape_undecodable_output()
    try:
        if _only_paths(args):
            code = lint(args or ["."], Overrides())
        elif args[:1] == ["--"] and len(args) > 1:
            code = lint(args[1:], Overrides())  # file names only (pre-commit without args:)
        else:
            from dockerlint import commands

            code = commands.run(args)
    except (Failure, ConfigError, SelectorError, PluginError, DiscoveryError, TargetError) as exc:
        error(str(exc))
        code = EXIT_ERROR
    except KeyboardInterrupt:
        error("interrupted")
        code = 130
    except BrokenPipeError:
        # the reader went away (`dockerlint … | head`): stop quietly
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        code = EXIT_FINDINGS
    except OSError as exc:  # writing the output failed (`>/dev/full`): say so once, print nothing more
        error(f"{exc.filename}: {exc.strerror or exc}" if exc.filename
               else f"cannot write the output: {exc.strerror or exc}")
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("DOCKERLINT_DEBUG"):
            raise
        error(f"internal error: {type(exc).__name__}: {exc} (set DOCKERLINT_DEBUG=1 for a traceback, "
              f"and please report it)")
        code = EXIT_ERROR
    return code
