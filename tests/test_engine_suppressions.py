"""Inline suppressions: next instruction, stage, global, hadolint spellings, BuildKit's check directive."""
from __future__ import annotations

import sys
from pathlib import Path

from dockerlint import lint_text
from dockerlint.findings import Finding, Severity
from dockerlint.rule import rule

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "src"))
from dockerlint_example_plugin.no_add import no_add  # noqa: E402


@rule(id="TST400", name="json-args", severity=Severity.WARNING, category="correctness",
      buildkit="JSONArgsRecommended")
def json_args(df):
    """Pretend BuildKit check: report every CMD."""
    for ins in df.tree.instructions:
        if ins.keyword == "CMD":
            yield Finding(message="use JSON form", span=ins.keyword_span)


RULES = [no_add, json_args]


def lines(text, **options):
    return [(f.rule_id, f.span.line) for f in lint_text(text, rules=RULES, **options)]


def test_ignore_covers_only_the_next_instruction_including_its_continuation_lines():
    text = ("FROM alpine:3.20\n"
            "# dockerlint ignore=EX002 vendored archive, unpacked on purpose\n"
            "ADD a \\\n"
            "    /a\n"
            "ADD b /b\n")
    assert lines(text) == [("EX002", 5)]


def test_hadolint_spelling_and_trailing_reason_comment_work():
    text = "FROM alpine:3.20\n# hadolint ignore=EX002,TST400  # why: legacy\nADD a /a\nCMD run\n"
    assert lines(text) == [("TST400", 4)]


def test_ignore_skips_comment_and_blank_lines_before_the_instruction():
    text = "FROM alpine:3.20\n# dockerlint ignore=EX002\n# another comment\n\nADD a /a\n"
    assert lines(text) == []


def test_rule_names_work_as_ids():
    assert lines("FROM alpine:3.20\n# dockerlint ignore=no-add\nADD a /a\n") == []


def test_stage_ignore_covers_the_next_stage_only():
    text = ("# dockerlint stage ignore=EX002\n"
            "FROM alpine:3.20 AS build\n"
            "ADD a /a\n"
            "FROM alpine:3.20\n"
            "ADD b /b\n")
    assert lines(text) == [("EX002", 5)]


def test_global_ignore_applies_anywhere_it_is_written():
    text = "FROM alpine:3.20\nADD a /a\nCMD x\n# hadolint global ignore=EX002\n"
    assert lines(text) == [("TST400", 3)]


def test_buildkit_check_skip_directive_matches_rule_names():
    text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD x\nADD a /a\n"
    assert lines(text) == [("EX002", 4)]


def test_the_readme_example_check_skip_skips_the_builtin_rule_declaring_that_buildkit_name():
    text = "FROM python:3.12.7-slim\nCMD python app.py\n"
    assert [f.rule_id for f in lint_text(text, select=["DL3025"])] == ["DL3025"]
    assert lint_text("# check=skip=JSONArgsRecommended\n" + text, select=["DL3025"]) == []
    assert lint_text("# check=skip=all\n" + text, select=["DL3025"]) == []


def test_buildkit_check_skip_all_skips_buildkit_checks_only():
    text = "# check=skip=all\nFROM alpine:3.20\nCMD x\nADD a /a\n"
    assert lines(text) == [("EX002", 4)]


def test_buildkit_error_true_makes_buildkit_checks_errors():
    text = "# check=error=true\nFROM alpine:3.20\nCMD x\nADD a /a\n"
    found = {f.rule_id: f.severity for f in lint_text(text, rules=RULES)}
    assert found == {"TST400": Severity.ERROR, "EX002": Severity.WARNING}


def test_check_directive_options_combine_with_semicolons():
    text = "# check=skip=no-add;error=true\nFROM alpine:3.20\nCMD x\nADD a /a\n"
    assert [(f.rule_id, f.severity) for f in lint_text(text, rules=RULES)] == [("TST400", Severity.ERROR)]


def test_disable_ignore_pragma_reports_everything():
    text = "# check=skip=all\nFROM alpine:3.20\n# dockerlint ignore=EX002\nADD a /a\nCMD x\n"
    assert lines(text, disable_ignore_pragma=True) == [("EX002", 4), ("TST400", 5)]


def test_unused_suppressions_are_reported_only_when_selected():
    text = ("FROM alpine:3.20\n"
            "# dockerlint ignore=EX002,TST400\n"
            "ADD a /a\n"
            "# dockerlint ignore=SC2086\n"
            "RUN echo $x\n"
            "# dockerlint ignore=EX002\n")
    assert lines(text) == []
    found = lint_text(text, rules=RULES, extend_select=["DLINT002"])
    assert [(f.rule_id, f.span.line, f.message) for f in found] == [
        ("DLINT002", 2, "unused suppression of TST400: nothing to suppress on the next instruction"),
        ("DLINT002", 4, "unused suppression of SC2086: no such rule"),
        ("DLINT002", 6, "unused suppression of EX002: nothing to suppress on the next instruction"),
    ]
    assert found[0].span.column == 1 and found[0].span.end_column == len("# dockerlint ignore=EX002,TST400") + 1


def test_unknown_ids_in_hadolint_comments_are_not_reported():
    text = "FROM alpine:3.20\n# hadolint ignore=SC2086,EX002\nRUN echo $x\n"
    found = lint_text(text, rules=RULES, extend_select=["DLINT002"])
    assert [f.message for f in found] == ["unused suppression of EX002: nothing to suppress on the next instruction"]


def test_suppressions_of_rules_not_selected_in_this_run_are_not_called_unused():
    text = "FROM alpine:3.20\n# dockerlint ignore=EX002\nCOPY a /a\n# dockerlint ignore=NOPE1\nCOPY b /b\n"
    found = lint_text(text, rules=RULES, select=["DLINT002"])
    assert [(f.span.line, f.message) for f in found] == [(4, "unused suppression of NOPE1: no such rule")]


def test_suppression_text_inside_a_heredoc_or_continuation_is_not_a_pragma():
    text = ("FROM alpine:3.20\n"
            "RUN echo a && \\\n"
            "# dockerlint ignore=EX002\n"
            "    echo b\n"
            "ADD a /a\n")
    assert lines(text) == [("EX002", 5)]


def test_line_numbers_follow_newlines_only_even_with_form_feeds_in_the_file():
    text = "FROM alpine:3.20\nLABEL a=\"x\x0cy\"\n# dockerlint ignore=EX002\nADD a /a\nADD b /b\n"
    assert lines(text) == [("EX002", 5)]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

pragma = st.sampled_from([None, "# dockerlint ignore=EX002", "# hadolint ignore=EX002  # reason",
                          "# dockerlint ignore=TST400", "# just a comment"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(pragma, st.booleans(), st.booleans()), min_size=1, max_size=10))
def test_next_instruction_ignores_match_a_simple_model(parts):
    """Each ADD is reported unless an EX002 pragma precedes it with only comments/blank lines between."""
    lines_out, expected, line, pending = ["FROM alpine:3.20"], [], 1, False
    for comment, is_add, blank in parts:
        if comment:
            lines_out.append(comment)
            line += 1
            pending = pending or "EX002" in comment
        if blank:
            lines_out.append("")
            line += 1
        lines_out.append("ADD a /a" if is_add else "COPY a /a")
        line += 1
        if is_add and not pending:
            expected.append(("EX002", line))
        pending = False
    assert lines("\n".join(lines_out) + "\n") == expected


def test_dl1001_reports_every_inline_pragma_when_selected_and_is_off_by_default():
    text = ("# hadolint ignore=EX002\nFROM alpine:3.20\n# dockerlint stage ignore=TST400\nADD a /a\n"
            "# check=skip=all\n")
    assert not [f for f in lint_text(text) if f.rule_id == "DL1001"]
    found = [(f.span.line, f.message) for f in lint_text(text, select=["DL1001"])]
    assert found == [
        (1, "Inline ignore pragma `hadolint ignore=EX002`: keep exceptions in the config's ignore lists"),
        (3, "Inline ignore pragma `dockerlint stage ignore=TST400`: keep exceptions in the config's ignore lists"),
    ]
    assert [f.span.line for f in lint_text(text, select=["DL1001"], disable_ignore_pragma=True)] == [1, 3]
