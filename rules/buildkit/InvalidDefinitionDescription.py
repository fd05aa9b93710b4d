"""InvalidDefinitionDescription: a comment above a stage or ARG that is not its description."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="InvalidDefinitionDescription", name="invalid-definition-description", severity=Severity.INFO,
      category="style", on=("FROM", "ARG"), default_enabled=False, buildkit="InvalidDefinitionDescription",
      hadolint=())
def invalid_definition_description(df: Dockerfile) -> Iterator[Finding]:
    """Start the comment right above a stage or an ARG with its name: `# version the Go release`.

    Why: `docker buildx build --call=outline` and `--call=targets` show the
    comment directly above a FROM or ARG as its description, but only when
    it starts with the stage or argument name; otherwise it is dropped.

    Bad:
        # the release to build
        ARG VERSION=1.2
    Good:
        # VERSION the release to build
        ARG VERSION=1.2

    Note: experimental in BuildKit, opt-in here: select it, or enable it
    per file with `# check=experimental=InvalidDefinitionDescription`. As
    BuildKit: only the comment lines directly above (no blank line between)
    count, and of them the last one; its first word must be the stage name
    or one of the names the ARG declares. Unnamed stages are not checked.
    References:
    - https://docs.docker.com/reference/build-checks/invalid-definition-description/
    """
    for instr in df.instructions:
        if instr.keyword == "FROM":
            stage = instr.stage
            if stage is None or stage.name_as_written is None:
                continue
            keys = [stage.name_as_written]
        elif instr.keyword == "ARG":
            keys = [arg.value.partition("=")[0] for arg in instr.syntax.args]
        else:
            continue
        comments = instr.syntax.comments
        if not comments or not keys or comments[-1].span.line != instr.span.line - 1:
            continue  # no comment, or one detached by a blank line: not a description
        first_word = comments[-1].text.split(" ", 1)[0]
        if first_word in keys:
            continue
        example = keys[0] if len(keys) == 1 else "<arg_key>"
        yield instr.finding(f"Comment for {instr.keyword} should follow the format: `# {example} <description>`")
