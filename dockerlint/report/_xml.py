"""Escaping for the XML formats (checkstyle, junit)."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from dockerlint.textsafe import document_text

# Characters XML 1.0 cannot carry, even escaped (controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Element content: escaped; bytes that were not UTF-8 are U+FFFD, other characters XML cannot
    carry are dropped."""
    return escape(_NOT_XML.sub("", document_text(text)).replace("\r\n", "\n").replace("\r", "\n"))


def xml_attr(text: str) -> str:
    """A quoted attribute value; line breaks become character references, or an XML
    parser would normalise them to spaces."""
    text = _NOT_XML.sub("", document_text(text)).replace("\r\n", "\n").replace("\r", "\n")
    return quoteattr(text, {"\n": "&#10;", "\t": "&#9;"})
