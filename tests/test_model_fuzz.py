"""Whatever the parser accepts, the model builds and every view answers without raising."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.model import build
from dockerlint.syntax import DockerfileSyntaxError, parse

KEYWORDS = ["FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "WORKDIR", "USER", "EXPOSE", "CMD",
            "ENTRYPOINT", "HEALTHCHECK", "SHELL", "ONBUILD", "VOLUME", "STOPSIGNAL"]
TOKENS = ["a", "b=1", "$A", "${A}", "${A:-x}", "${A", "}", "'q'", '"d d"', "\\", "--from=0", "--from=a",
          "--mount=type=cache,target=/c", "--mount=from=a,target=/x", "--platform=$BUILDPLATFORM",
          "AS", "a", "scratch", "python:3", "<<EOF", "[\"x\", \"y\"]", "CMD", "NONE", "80/udp", "u:g",
          "=", "A=", "=x", "-", "&&", "|", ";", "$(x)", "`y`", "#", "--link", "--chown=$U", "/"]
VIEWS = ("arg_decls", "pairs", "workdir", "workdir_path", "user", "expose", "copy", "run", "cmd",
         "healthcheck", "shell_argv", "onbuild", "commands", "env", "args", "posix_shell")

lines = st.builds(lambda kw, toks: " ".join([kw, *toks]), st.sampled_from(KEYWORDS),
                  st.lists(st.sampled_from(TOKENS), max_size=5))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, min_size=1, max_size=8), st.dictionaries(st.sampled_from(["A", "U", "TARGETARCH"]),
                                                                 st.sampled_from(["", "v", "$A"]), max_size=2))
def test_any_parsable_file_builds(body, build_args):
    text = "\n".join(body) + "\nEOF\n"
    try:
        tree = parse(text)
    except DockerfileSyntaxError:
        return
    df = build(tree, build_args=build_args)
    for stage in df.stages:
        assert all(dep.index < stage.index for dep in stage.dependencies)
    for instr in df.walk():
        for view in VIEWS:
            getattr(instr, view)
        instr.expand("${A:-$B}x")
        if instr.cmd is not None:
            instr.cmd.commands
        if instr.healthcheck is not None and instr.healthcheck.command is not None:
            instr.healthcheck.command.commands
