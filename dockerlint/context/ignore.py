""".dockerignore matching with Docker's exact semantics.

A port of what BuildKit uses (moby/patternmatcher and its ``ignorefile``
reader), because the differences from .gitignore are what bite users:

- a pattern is anchored at the context root (``foo`` does not match
  ``a/foo``; write ``**/foo``), and a leading ``/`` is dropped;
- a pattern that matches a directory excludes everything under it;
- patterns apply in order and the last match wins; ``!pattern`` re-includes;
- ``*`` and ``?`` never cross ``/``; ``**`` matches any number of directories;
- each pattern is cleaned like Go's ``filepath.Clean`` (``./a/../b`` -> ``b``);
- lines starting with ``#`` are comments (only at column 1), blank lines and
  surrounding white space are ignored, a UTF-8 BOM on the first line is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DockerignoreError", "IgnorePattern", "IgnoreMatcher", "clean_path", "read_patterns"]

_EXACT, _PREFIX, _SUFFIX, _REGEXP = "exact", "prefix", "suffix", "regexp"
_ESCAPE = set(".+()|{}$")


class DockerignoreError(ValueError):
    """A pattern Docker would refuse (``!`` alone, an unclosed ``[``)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


def clean_path(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent slash-separated path."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def read_patterns(text: str) -> list[tuple[int, str]]:
    """The patterns of a .dockerignore file as ``(line number, pattern)``.

    Mirrors ``ignorefile.ReadAll``: comments only when ``#`` is the first
    character, white space trimmed, each pattern cleaned and made relative.
    """
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = clean_path(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        out.append((number, "!" + pattern if invert else pattern))
    return out


@dataclass(frozen=True)
class IgnorePattern:
    """One compiled pattern; ``exclusion`` is True for ``!pattern``."""

    text: str  # the cleaned pattern, without ``!``
    exclusion: bool
    line: int | None = None
    _kind: str = field(default=_EXACT, repr=False, compare=False)
    _regexp: re.Pattern | None = field(default=None, repr=False, compare=False)

    @classmethod
    def compile(cls, raw: str, line: int | None = None) -> IgnorePattern:
        pattern = raw.strip()
        pattern = clean_path(pattern)
        exclusion = pattern.startswith("!")
        if exclusion:
            if len(pattern) == 1:
                raise DockerignoreError('illegal exclusion pattern: "!"', line)
            pattern = pattern[1:]
        _check_syntax(pattern, line)
        kind, regexp = _translate(pattern)
        return cls(pattern, exclusion, line, kind, regexp)

    def matches(self, path: str) -> bool:
        """Does this pattern match ``path`` itself (not its parents)?"""
        if self._kind == _EXACT:
            return path == self.text
        if self._kind == _PREFIX:
            return path.startswith(self.text[:-2])
        if self._kind == _SUFFIX:
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self._regexp is not None
        return self._regexp.match(path) is not None

    def could_match_under(self, directory: str) -> bool:
        """Could this pattern match some path strictly inside ``directory``?

        Used to decide whether an excluded directory must still be walked
        because an exception (``!pattern``) may re-include something in it.
        Errs on the side of True.
        """
        if self.text.startswith("**") or self._kind == _PREFIX and "/" not in self.text[:-2]:
            return True
        pattern_dirs = self.text.split("/")
        path_dirs = directory.split("/")
        if len(pattern_dirs) <= len(path_dirs):
            return any(part.startswith("**") for part in pattern_dirs)
        for pat, name in zip(pattern_dirs, path_dirs):
            if pat.startswith("**"):
                return True
            if not IgnorePattern.compile(pat).matches(name):
                return False
        return True


def _check_syntax(pattern: str, line: int | None) -> None:
    """Reject what Go's ``filepath.Match`` calls a bad pattern (an unclosed,
    empty or malformed ``[...]`` class, a trailing ``\\``), as Docker does."""
    bad = DockerignoreError(f"syntax error in pattern {pattern!r}", line)
    n = len(pattern)

    def char_at(i: int) -> int:
        """Index after one class character (``\\x`` counts as one)."""
        if i >= n or pattern[i] in "-]":
            raise bad
        if pattern[i] == "\\":
            i += 1
            if i >= n:
                raise bad
        if i + 1 >= n:
            raise bad
        return i + 1

    i = 0
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise bad
            i += 2
        elif ch == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            ranges = 0
            while True:
                if i < n and pattern[i] == "]" and ranges:
                    i += 1
                    break
                i = char_at(i)
                if pattern[i] == "-":
                    i = char_at(i + 1)
                ranges += 1
        else:
            i += 1


def _translate(pattern: str) -> tuple[str, re.Pattern | None]:
    """patternmatcher's ``compile``: pick the cheapest exact kind, else a regexp."""
    out = ["^"]
    kind = _EXACT
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                start = i
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                if i >= n:
                    if kind == _EXACT:
                        kind = _PREFIX
                    else:
                        out.append(".*")
                        kind = _REGEXP
                else:
                    out.append("(.*/)?")
                    kind = _REGEXP
                if start == 0:
                    kind = _SUFFIX
                continue
            out.append("[^/]*")
            kind = _REGEXP
        elif ch == "?":
            out.append("[^/]")
            kind = _REGEXP
        elif ch in _ESCAPE:
            out.append("\\" + ch)
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                out.append(re.escape(pattern[i]))
            else:
                out.append("\\\\")
        elif ch in "[]":
            out.append(ch)
            kind = _REGEXP
        else:
            out.append(ch)
        i += 1
    if kind != _REGEXP:
        return kind, None
    try:
        return kind, re.compile("".join(out) + "$")
    except re.error as exc:  # a class Go accepts but Python does not
        raise DockerignoreError(f"syntax error in pattern {pattern!r}: {exc}") from None


class IgnoreMatcher:
    """An ordered list of patterns: the last one that matches decides."""

    def __init__(self, patterns: list[IgnorePattern]):
        self.patterns = tuple(patterns)
        self.has_exclusions = any(p.exclusion for p in patterns)

    @classmethod
    def from_text(cls, text: str) -> IgnoreMatcher:
        return cls([IgnorePattern.compile(p, line) for line, p in read_patterns(text)])

    def ignored(self, path: str) -> bool:
        """Is ``path`` (relative, slash-separated) left out of the build context?

        ``MatchesOrParentMatches``: a pattern matches a path when it matches
        the path or one of its parent directories.
        """
        path = clean_path(path)
        if path == ".":
            return False
        parents: list[str] = []
        if "/" in path:
            parts = path.split("/")[:-1]
            parents = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = pattern.matches(path) or any(pattern.matches(p) for p in parents)
            if hit:
                matched = not pattern.exclusion
        return matched

    def file_ignored(self, path: str, parent_walked_clean: bool) -> bool:
        """``ignored`` for a clean ``path`` met by a walker.

        When its directory is not ignored and no ``!`` pattern exists, no pattern
        matched a parent, so only the path itself needs testing: the walker's fast path.
        """
        if not self.patterns:
            return False
        if parent_walked_clean and not self.has_exclusions:
            return any(p.matches(path) for p in self.patterns)
        return self.ignored(path)

    def must_walk(self, directory: str) -> bool:
        """Should a walker enter ``directory`` (relative) at all?"""
        if not self.ignored(directory):
            return True
        return any(p.exclusion and p.could_match_under(directory) for p in self.patterns)
