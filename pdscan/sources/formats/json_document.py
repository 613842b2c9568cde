"""JSON documents, streamed: a large document never sits in memory whole. Values become column blocks
by key path (``$.customers[].email``), each keeping the line it is on."""
from __future__ import annotations

import re
from json.decoder import JSONDecodeError, scanstring
from typing import BinaryIO, Iterator

from pdscan.models import Block, SourceError
from pdscan.sources.formats.blocks import MAX_JSON_PATHS, Columns, capped_path
from pdscan.sources.formats.decoding import decoded_chunks
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock
from pdscan.sources.values import LINE_BREAKS, MAX_JSON_DEPTH, row_header


class _Malformed(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _Incomplete(_Malformed):
    """The text ended inside a value."""


class _TooLong(_Malformed):
    """One value is longer than max_line_bytes."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BLANKS = frozenset(" \t\n\r")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")
_NOT_VALUES = frozenset({"true", "false", "null"})
_LITERALS = ("true", "false", "null", "-Infinity", "NaN")
_SCALAR_ROOM = 400


class _Container:
    """An open JSON object or array while a document is streamed.

    The elements of an array share the path ``[]``; but the elements of a row (an array inside an
    array, as tables are often dumped) are its columns: ``$.data[][3]``, or ``$.data[].email`` when
    the table's first row was a header of names.
    """

    __slots__ = ("is_object", "path", "table", "index", "header", "first_row", "rows")

    def __init__(self, is_object: bool, path: str, table: "_Container | None"):
        self.is_object, self.path, self.table = is_object, path, table
        self.index = 0
        self.header: list[str] | None = None
        self.first_row: list[str | None] | None = None  # a row's values while it may be a header
        self.rows = 0
        if table is not None and table.rows == 0:
            self.first_row = []

    def element_path(self) -> str:
        index, self.index = self.index, self.index + 1
        table = self.table
        if table is None:
            return self.path + "[]"
        if table.header is not None and index < len(table.header):
            return f"{self.path}.{table.header[index]}"
        return f"{self.path}[{index + 1}]"

    def saw(self, text: str | None) -> None:
        """A value of this row: only a row of distinct names can be a header."""
        if self.first_row is not None:
            if text is None or len(self.first_row) >= MAX_JSON_PATHS:
                self.first_row = None
            else:
                self.first_row.append(text)

    def close(self) -> None:
        table = self.table
        if table is None:
            return
        if self.first_row:
            table.header = row_header(self.first_row)
        table.rows += 1


class _JsonDocument:
    """A JSON text read incrementally, so that a large document never sits in memory whole.

    The structure is walked here; strings and numbers are decoded by the json module's C scanner.
    Memory is bounded by the longest single value (``max_token``). Several top-level values one
    after the other (concatenated JSON, JSON lines with very long lines) are read in turn.
    """

    def __init__(self, chunks: Iterator[str], max_token: int):
        self._chunks = chunks
        self.max_token = max_token
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def values(self) -> Iterator[tuple[str, int, str]]:
        """(key path, line, text) of every string and number.

        A loop over an explicit stack of open containers: a recursive generator would pass every
        value up through one frame per nesting level.
        """
        stack: list[_Container] = []
        path = "$"
        while True:
            char = self._next_char()
            if char == "{" or char == "[":
                if len(stack) >= MAX_JSON_DEPTH:
                    raise _Malformed(self.line)
                self.pos += 1
                is_object = char == "{"
                # An array inside an array is a record written as a row: ``[["id", "email"], [1, "a@x"]]``.
                table = stack[-1] if stack and not is_object and not stack[-1].is_object else None
                stack.append(_Container(is_object, path, table))
                if self._next_char() != ("}" if is_object else "]"):
                    path = self._key(path) if is_object else stack[-1].element_path()
                    continue
                self.pos += 1
                stack.pop()
            elif char == '"':
                line = self.line
                text = self._string()
                if stack and stack[-1].table is not None:
                    stack[-1].saw(text)
                yield path, line, text
            elif char == "":
                if stack:
                    raise _Incomplete(self.line)
                return
            else:
                line = self.line
                text = self._scalar()
                if stack and stack[-1].table is not None:
                    stack[-1].saw(None)
                if text not in _NOT_VALUES:
                    yield path, line, text
            # After a value: close the containers it ends, or go on to the next member.
            while stack:
                container = stack[-1]
                char = self._next_char()
                if char == ",":
                    self.pos += 1
                    path = self._key(container.path) if container.is_object else container.element_path()
                    break
                if char != ("}" if container.is_object else "]"):
                    raise self._unexpected(char)
                self.pos += 1
                stack.pop()
                container.close()
                if stack and stack[-1].table is not None:
                    stack[-1].saw(None)  # a nested container in a row: that row is no header
            else:
                path = "$"

    def _key(self, container: str) -> str:
        """Reads ``"key":`` and returns the key path of the member's value."""
        char = self._next_char()
        if char != '"':
            raise self._unexpected(char)
        key = self._string()
        char = self._next_char()
        if char != ":":
            raise self._unexpected(char)
        self.pos += 1
        return f"{container}.{key}"

    def _more(self) -> bool:
        if self.eof:
            return False
        for chunk in self._chunks:
            if chunk:
                self.buf = self.buf[self.pos:] + chunk
                self.pos = 0
                return True
        self.eof = True
        return False

    def _next_char(self) -> str:
        """The next character that is not blank, not consumed; "" at the end."""
        if self.pos < len(self.buf):
            char = self.buf[self.pos]
            if char not in _BLANKS:
                return char
        while True:
            end = _WHITESPACE.match(self.buf, self.pos).end()
            if end > self.pos:
                self.line += self.buf.count("\n", self.pos, end)
                self.pos = end
            if end < len(self.buf):
                return self.buf[end]
            if not self._more():
                return ""

    def _unexpected(self, char: str) -> _Malformed:
        return _Incomplete(self.line) if char == "" else _Malformed(self.line)

    def _string(self) -> str:
        while True:
            try:
                text, end = scanstring(self.buf, self.pos + 1, False)
            except JSONDecodeError as exc:
                # Cut by the buffer's end (unterminated, or an escape split in two): read on.
                cut = exc.msg.startswith("Unterminated") or exc.pos >= len(self.buf) - 6
                if not cut:
                    raise _Malformed(self.line) from None
                if len(self.buf) - self.pos > self.max_token:
                    raise _TooLong(self.line) from None
                if self._more():
                    continue
                raise _Incomplete(self.line) from None
            if not text.isprintable():
                self.line += self.buf.count("\n", self.pos, end)
                text = text.translate(LINE_BREAKS)
            self.pos = end
            return text

    def _scalar(self) -> str:
        # A number cut by the chunk's end ("0." of "0.25") must be read whole before it is matched.
        if len(self.buf) - self.pos < _SCALAR_ROOM:
            self._more()
        found = _SCALAR.match(self.buf, self.pos)
        if found is None:
            rest = self.buf[self.pos:]
            cut = self.eof and any(word.startswith(rest) for word in _LITERALS)
            raise (_Incomplete if cut else _Malformed)(self.line)
        self.pos = found.end()
        return found.group()


def json_document_blocks(stream: BinaryIO, reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """Column blocks by key path (``$.customers[].email``); every value keeps the line it is on."""
    columns = Columns(reading, clock)
    paths: set[str] = set()
    document = _JsonDocument(decoded_chunks(stream, reading), max(1, reading.options.max_line_bytes))
    problem: str | None = None
    try:
        for path, line, value in document.values():
            columns.add(capped_path(path, paths), line, value)
            if columns.full:
                yield from columns.flush()
    except _TooLong as exc:
        problem = f"a JSON value at line {exc.line} is longer than max_line_bytes: rest of the document not scanned"
    except _Incomplete as exc:
        if reading.failure is None:  # a truncated stream is reported as such
            problem = f"JSON document ends at line {exc.line} before it is complete"
    except _Malformed as exc:
        problem = f"malformed JSON at line {exc.line}: rest of the document not scanned"
    yield from columns.flush()
    reading.line_no = document.line
    if problem is not None:
        yield reading.error(problem)


def error_line(text: str) -> int | None:
    """None when ``text`` is JSON as far as it goes (a document cut short counts), else the line where
    it stops being JSON: what format detection asks of a sample."""
    document = _JsonDocument(iter([text]), max_token=len(text) + 1)
    try:
        for _ in document.values():
            pass
    except _Incomplete:
        return None
    except _Malformed as exc:
        return exc.line
    return None
