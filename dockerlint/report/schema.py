"""The JSON report's schema, written as pydantic models.

The models are the documentation and the source of ``json_schema.json``
(shipped beside this module); ``dockerlint.report.json`` writes the same shape
with the plain ``json`` module so that linting never imports pydantic.
Regenerate the shipped file after changing a model::

    python -m dockerlint.report.schema > dockerlint/report/json_schema.json

A test fails while the shipped file is stale. Bump ``SCHEMA_VERSION`` on any
change a consumer could notice (a renamed or removed field, a new meaning;
it lives in ``dockerlint.report.json``, which writes it);
adding an optional field is compatible and keeps the version.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dockerlint.report.json import SCHEMA_VERSION

SCHEMA_FILE = Path(__file__).with_name("json_schema.json")

SeverityName = Literal["error", "warning", "info", "style"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tool(_Model):
    name: Literal["dockerlint"]
    version: str = Field(description="Version of dockerlint that wrote the report.")


class Edit(_Model):
    """Replace the text from ``start`` to ``end`` with ``replacement``."""

    start: int = Field(ge=0, description="Offset (in characters, 0-based) where the replaced text starts.")
    end: int = Field(ge=0, description="Offset just after the replaced text (exclusive).")
    line: int | None = Field(
        None, ge=1, description="1-based line of ``start``; null when the source text was not available.")
    column: int | None = Field(None, ge=1, description="1-based column of ``start``.")
    end_line: int | None = Field(None, ge=1, description="1-based line of ``end``.")
    end_column: int | None = Field(None, ge=1, description="1-based column of ``end`` (exclusive).")
    replacement: str


class Fix(_Model):
    description: str = Field(description="What the fix does, for humans.")
    safe: bool = Field(description="True when ``dockerlint --fix`` applies it; unsafe fixes are only shown.")
    edits: list[Edit]
    file: str | None = Field(
        None, description="The file the edits apply to when it is not the finding's: a file to create "
                          "(`.dockerignore`), its edits made against the empty text.")


class Finding(_Model):
    rule: str = Field(description="Rule id, e.g. DL3007.", examples=["DL3007"])
    name: str = Field(description="Rule name, e.g. no-latest-tag.")
    severity: SeverityName
    category: str = Field(description="Rule category, e.g. reproducibility.")
    message: str
    file: str = Field(description="Path of the Dockerfile as it was given to dockerlint.")
    line: int = Field(ge=0, description="1-based line where the finding starts (0: the whole file).")
    column: int = Field(ge=0, description="1-based column where the finding starts.")
    end_line: int = Field(ge=0, description="1-based line where the finding ends.")
    end_column: int = Field(ge=0, description="1-based column just after the finding (exclusive).")
    fix: Fix | None = Field(description="A proposed fix, or null.")
    help_uri: str = Field(description="Documentation of the rule.")
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Rule-specific details (e.g. verify-build layer data).")


class Summary(_Model):
    error: int = Field(ge=0)
    warning: int = Field(ge=0)
    info: int = Field(ge=0)
    style: int = Field(ge=0)
    files_checked: int = Field(ge=0)
    files_with_findings: int = Field(ge=0)


class Report(_Model):
    """The result of one dockerlint run."""

    version: Literal[SCHEMA_VERSION] = Field(description="Version of this schema.")  # type: ignore[valid-type]
    tool: Tool
    files: list[str] = Field(description="Every file that was checked, with findings or not.")
    findings: list[Finding] = Field(description="Sorted by file, line, column, rule id.")
    summary: Summary
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Run-level details (e.g. the verify-build verdict).")


def json_schema() -> dict:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/dockerlint/dockerlint/blob/main/dockerlint/report/json_schema.json"
    return schema


def dumps_schema() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(dumps_schema())
