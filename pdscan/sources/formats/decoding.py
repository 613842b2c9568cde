"""Bytes to text: lines bounded by ``max_line_bytes``, or chunks cut on character boundaries.

Invalid UTF-8 is replaced and counted in the ``Reading`` (reported once per file); a stream that
fails (a truncated archive) ends the text, its failure kept in ``reading.failure``, so that what was
read is still scanned.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from pdscan.sources import compression
from pdscan.sources.formats.reading import Reading

CHUNK = 1 << 16


def _cut_utf8(raw: bytes, limit: int) -> bytes:
    """``raw[:limit]``, moved back so as not to split a UTF-8 character."""
    end = limit
    while end > 0 and end > limit - 3 and (raw[end] & 0xC0) == 0x80:
        end -= 1
    return raw[:end]


def _skip_rest_of_line(readline) -> None:
    while True:
        chunk = readline(CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def lines(stream: BinaryIO, reading: Reading) -> Iterator[str]:
    """Decoded lines without their line ends; ``reading.line_no`` is the number of the line just given.

    A line is never read past ``max_line_bytes``: the rest is skipped in chunks. A failing stream ends
    the lines (its failure is kept in ``reading.failure``) so that what was read is still scanned.
    """
    limit = max(1, reading.options.max_line_bytes)
    readline = stream.readline
    try:
        while True:
            raw = readline(limit + 1)
            if not raw:
                return
            reading.line_no += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raw = _cut_utf8(raw, limit)
                _skip_rest_of_line(readline)
                reading.long_lines += 1
                reading.first_long = reading.first_long or reading.line_no
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "replace")
                reading.replaced_lines += 1
                reading.first_replaced = reading.first_replaced or reading.line_no
            if reading.line_no == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text.rstrip("\r\n")
    except compression.STREAM_ERRORS as exc:
        reading.failure = exc


def _complete_utf8_end(data: bytes) -> int:
    """Where the last complete UTF-8 character of ``data`` ends (a character cut by a chunk boundary waits)."""
    i = len(data) - 1
    while i >= 0 and len(data) - i <= 3 and (data[i] & 0xC0) == 0x80:
        i -= 1
    return i if i >= 0 and data[i] >= 0xC0 else len(data)


def decoded_chunks(stream: BinaryIO, reading: Reading) -> Iterator[str]:
    carry = b""
    first = True
    try:
        while True:
            data = stream.read(CHUNK)
            if not data:
                break
            data = carry + data
            end = _complete_utf8_end(data)
            data, carry = data[:end], data[end:]
            text = _decode(data, reading)
            if first:
                text, first = text.removeprefix("\ufeff"), False
            yield text
    except compression.STREAM_ERRORS as exc:
        reading.failure = exc
    if carry:
        yield _decode(carry, reading)


def _decode(data: bytes, reading: Reading) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        reading.replaced_chunks += 1
        return data.decode("utf-8", "replace")
