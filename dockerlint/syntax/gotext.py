"""Go's string semantics, where BuildKit's parser depends on them.

Text is held as ``str`` decoded with ``surrogateescape``: a byte that is not
valid UTF-8 becomes one lone surrogate ``U+DC80..U+DCFF``. Go keeps such bytes
in its strings and shows them as ``U+FFFD`` wherever it decodes runes, so
these helpers do the same.
"""
from __future__ import annotations

# unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space property.
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
GO_SPACE_SET = frozenset(GO_SPACE)
# unicode.IsSpace(rune(b)) for one byte b, as BuildKit's byte loops test it.
GO_SPACE_BYTES = frozenset("\t\n\v\f\r \x85\xa0")
# The regexp class [\t\v\f\r ] BuildKit splits words and the keyword on.
SPLIT_SPACE = "\t\v\f\r "


def is_escaped_byte(ch: str) -> bool:
    """A lone surrogate standing for an undecodable byte."""
    return "\ud800" <= ch <= "\udfff"


def runes(text: str) -> str:
    """``text`` as Go sees it rune by rune: undecodable bytes become U+FFFD."""
    if text.isascii():
        return text
    return "".join("\ufffd" if is_escaped_byte(c) else c for c in text)


def go_lower(text: str) -> str:
    """strings.ToLower: simple per-rune lower-casing, U+FFFD for bad bytes."""
    if text.isascii():
        return text.lower()
    out = []
    for c in text:
        if is_escaped_byte(c):
            out.append("\ufffd")
        elif c == "\u0130":  # Go's simple mapping; Python's full one gives two runes
            out.append("i")
        else:
            low = c.lower()
            out.append(low if len(low) == 1 else c)
    return "".join(out)


def utf8_len(ch: str) -> int:
    """Bytes the character occupies in the original file."""
    o = ord(ch)
    if o < 0x80 or 0xDC80 <= o <= 0xDCFF:
        return 1
    if o < 0x800:
        return 2
    if o < 0x10000:
        return 3
    return 4


def to_bytes(text: str) -> bytes:
    """The bytes ``text`` was decoded from (other surrogates as Go would hold them)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a ``str`` input holding other lone surrogates
        return b"".join(c.encode("utf-8", "surrogatepass") if not 0xDC80 <= ord(c) <= 0xDCFF
                        else bytes([ord(c) - 0xDC00]) for c in text)


_SIMPLE_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
    '"': '\\"', "\\": "\\\\",
}


def go_quote(text: str) -> str:
    """strconv.Quote: a double-quoted Go literal, bad bytes as ``\\xNN``."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    out = ['"']
    append = out.append
    for c in text:
        esc = _SIMPLE_ESCAPES.get(c)
        if esc is not None:
            append(esc)
            continue
        o = ord(c)
        if 0xD800 <= o <= 0xDFFF:
            for b in to_bytes(c):
                append(f"\\x{b:02x}")
        elif c.isprintable():
            append(c)
        elif o < 0x20 or o == 0x7F:
            append(f"\\x{o:02x}")
        elif o < 0x10000:
            append(f"\\u{o:04x}")
        else:
            append(f"\\U{o:08x}")
    append('"')
    return "".join(out)
