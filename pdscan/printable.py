"""Text safe to print: the one escaping rule of every report format, ``detect`` and ``init``.

Scanned data chooses its own file names, JSON keys, column names and values, so it can hold an
escape sequence (``ESC [2J`` clears a terminal), a bidirectional override that makes text read
backwards, or bytes that are not UTF-8. Nothing of that is printed as it is:

- a byte of a file name that is not UTF-8 (Python keeps it as a lone surrogate U+DC80-U+DCFF,
  ``os.fsdecode``) is shown ``\\xNN``: the byte ``0xff`` is ``\\xff``;
- any other lone surrogate (``\\ud800`` in a JSON string) is shown ``\\uNNNN``;
- control characters (U+0000-U+001F, DEL, U+0080-U+009F: tab and newline too) are shown ``\\xNN``;
- the bidirectional controls (U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators
  (U+2028, U+2029) are shown ``\\uNNNN``.

Every other character is printed as it is (a backslash too, so ``\\x1b`` in a report is either an
escaped ESC or those four characters in the name: the report is for reading, the file is found by
its location). Each format escapes further as its syntax needs (JSON, CSV quoting, Markdown).
"""
from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(found: re.Match) -> str:
    code = ord(found.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that must not reach a terminal or a file as it is escaped."""
    if text.isascii() and text.isprintable():
        return text
    return _UNPRINTABLE.sub(_escape, text)


def has_unprintable(text: str) -> bool:
    return not (text.isascii() and text.isprintable()) and _UNPRINTABLE.search(text) is not None


def replace_unprintable(text: str, by: str) -> str:
    """``text`` with each such character replaced by ``by`` (a glob's ``?`` in a drafted declaration)."""
    return _UNPRINTABLE.sub(by, text) if has_unprintable(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone surrogates (from a JSON ``\\ud800`` escape) as U+FFFD, one character for one, so that
    offsets into the text stay right and the text encodes as UTF-8."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)
