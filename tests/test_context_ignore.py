""".dockerignore matching: the cases moby/patternmatcher tests itself with,
plus the file-reading rules of ``ignorefile.ReadAll``."""
from __future__ import annotations

import pytest

from dockerlint.context.ignore import (
    DockerignoreError,
    IgnoreMatcher,
    IgnorePattern,
    clean_path,
    read_patterns,
)

# (pattern, path, matches the path itself, matches the path or a parent)
SINGLE = [
    ("**", "file", True, True),
    ("**", "dir/file", True, True),
    ("**/", "dir/file", True, True),
    ("**/**", "dir/file", True, True),
    ("dir/**", "dir/file", True, True),
    ("dir/**", "dir/dir2/file", True, True),
    ("**/dir", "dir", True, True),
    ("**/dir", "dir/file", False, True),
    ("**/dir2/*", "dir/dir2/file", True, True),
    ("**/dir2/**", "dir/dir2/dir3/file", True, True),
    ("**file", "file", True, True),
    ("**file", "dir/file", True, True),
    ("**/file", "dir/dir/file", True, True),
    ("**/file*", "dir/dir/file.txt", True, True),
    ("**/file*.txt", "dir/dir/file.txt", True, True),
    ("**/**/*.txt", "dir/dir/file.txt", True, True),
    ("**/**/*.txt2", "dir/dir/file.txt", False, False),
    ("**/*.txt", "file.txt", True, True),
    ("a**/*.txt", "a/dir/dir/file.txt", True, True),
    ("a/*.txt", "a/dir/file.txt", False, False),
    ("a/*.txt", "a/file.txt", True, True),
    ("a/*.txt**", "a/file.txt", True, True),
    ("a[b-d]e", "ae", False, False),
    ("a[b-d]e", "ace", True, True),
    ("a[^b-d]e", "aze", True, True),
    (".*", ".foo", True, True),
    (".*", "foo", False, False),
    ("abc.def", "abcdef", False, False),
    ("abc.def", "abc.def", True, True),
    ("abc?def", "abcZdef", True, True),
    ("abc?def", "abcdef", False, False),
    ("**/foo/bar", "foo/bar", True, True),
    ("**/foo/bar", "dir/dir2/foo/bar", True, True),
    ("abc/**", "abc", False, False),
    ("abc/**", "abc/def/ghi", True, True),
    ("**/.foo", ".foo", True, True),
    ("**/.foo", "bar.foo", False, False),
    ("a(b)c/def", "a(b)c/def", True, True),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True, True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True, True),
    ("a\\*b", "a*b", False, False),  # exact kind compares the raw text, as Go does
    ("a*/b", "a/c/b", False, False),
    ("a?b", "a/b", False, False),
    ("[\\]a]", "]", True, True),
    ("[x\\-]", "-", True, True),
    ("*", "dir/file", False, True),  # anchored at the root: matches "dir", so its contents
    ("foo", "a/foo", False, False),  # not .gitignore: no implicit "**/"
]


@pytest.mark.parametrize("pattern,path,itself,with_parents", SINGLE)
def test_single_pattern_matches_like_moby(pattern, path, itself, with_parents):
    assert IgnorePattern.compile(pattern).matches(path) is itself
    assert IgnoreMatcher([IgnorePattern.compile(pattern)]).ignored(path) is with_parents


@pytest.mark.parametrize("patterns,path,ignored", [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!dist/*.whl"], "dist/x-1.0-py3-none-any.whl", False),
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs/", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["*.go", "!fileutils.go"], "fileutils.go", False),
    (["!fileutils.go", "*.go"], "fileutils.go", True),  # last match wins
    (["*.go"], ".", False),
    ([], "any/path/there", False),
])
def test_last_matching_pattern_wins(patterns, path, ignored):
    matcher = IgnoreMatcher([IgnorePattern.compile(p) for p in patterns])
    assert matcher.ignored(path) is ignored


@pytest.mark.parametrize("pattern", ["[", "[^", "[^bc", "a[", "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]"])
def test_malformed_patterns_are_rejected(pattern):
    with pytest.raises(DockerignoreError, match="syntax error"):
        IgnorePattern.compile(pattern)


def test_lone_exclamation_mark_is_an_error_with_its_line():
    with pytest.raises(DockerignoreError, match="line 2"):
        IgnoreMatcher.from_text("a\n!\n")


@pytest.mark.parametrize("raw,cleaned", [
    ("", "."), ("a/./b", "a/b"), ("a/../b", "b"), ("../a", "../a"), ("/../a", "/a"),
    ("a//b/", "a/b"), ("/", "/"), ("./", "."),
])
def test_clean_path_is_gos_path_clean(raw, cleaned):
    assert clean_path(raw) == cleaned


def test_read_patterns_follows_ignorefile_readall():
    text = "\ufeff# comment\n  *.pyc  \n\n  # not a comment: leading space\n/abs/path\n! keep.pyc\n./x/../y\n"
    assert read_patterns(text) == [
        (2, "*.pyc"), (4, "# not a comment: leading space"), (5, "abs/path"), (6, "!keep.pyc"), (7, "y"),
    ]


def test_exception_reincludes_file_inside_ignored_directory():
    matcher = IgnoreMatcher.from_text("data\n!data/schema.json\n")
    assert matcher.ignored("data/train.csv")
    assert not matcher.ignored("data/schema.json")
    assert matcher.must_walk("data")
    assert not IgnoreMatcher.from_text("data\n").must_walk("data")
    assert not IgnoreMatcher.from_text("data\n!src/keep\n").must_walk("data")


# -- properties -----------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st

_component = st.text(alphabet="abcxyz019._-", min_size=1, max_size=6).filter(lambda c: c not in (".", ".."))
_paths = st.lists(_component, min_size=1, max_size=4).map("/".join)


@given(_paths)
def test_a_path_written_as_a_pattern_ignores_itself_and_everything_below(path):
    matcher = IgnoreMatcher.from_text(path + "\n")
    assert matcher.ignored(path)
    assert matcher.ignored(path + "/child/file")
    assert not matcher.ignored("other-root/" + path)


@given(_paths, st.integers(min_value=0, max_value=3))
def test_a_star_stands_for_exactly_one_component(path, index):
    parts = path.split("/")
    index %= len(parts)
    pattern = "/".join("*" if i == index else p for i, p in enumerate(parts))
    assert IgnorePattern.compile(pattern).matches(path)
    assert IgnorePattern.compile("**/" + parts[-1]).matches(path)
    if len(parts) > 1:
        assert not IgnorePattern.compile("*").matches(path)


@given(_paths)
def test_an_exception_after_everything_reincludes_exactly_that_path(path):
    matcher = IgnoreMatcher.from_text(f"**\n!{path}\n")
    assert not matcher.ignored(path)
    assert matcher.ignored(path + "-sibling")
