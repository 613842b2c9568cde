"""JSON documents, streamed: a large document never sits in memory whole. Values become column blocks
by key path (``$.customers[].email``), each keeping the line it is on.

The text is parsed by ijson (yajl's C parser); this module turns its events into key paths and keeps
line numbers, which ijson does not give: the document is fed to the parser one line at a time, so
that every value a feed completes is on that feed's line (a JSON string cannot hold a raw line
break). Only standard JSON is read: ``NaN``, ``Infinity`` and raw control characters inside strings
(which Python's ``json`` writes or accepts) make a document malformed.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from pdscan.models import Block, SourceError
from pdscan.sources.formats.blocks import MAX_JSON_PATHS, Columns, capped_path
from pdscan.sources.formats.decoding import decoded_chunks
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock
from pdscan.sources.values import MAX_JSON_DEPTH, key_name, one_line, row_header


class _Malformed(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _Incomplete(_Malformed):
    """The text ended inside a value."""


class _TooLong(_Malformed):
    """One value is longer than max_line_bytes."""


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
    """A JSON text read incrementally. Memory is bounded by the longest single value (``max_token``
    bytes: the parser is fed no further once that many bytes gave no value). Several top-level values
    one after the other (concatenated JSON, JSON lines with very long lines) are read in turn.
    """

    def __init__(self, chunks: Iterator[str], max_token: int):
        self._chunks = chunks
        self.max_token = max_token
        self.line = 1

    def values(self) -> Iterator[tuple[str, int, str]]:
        """(key path, line, text) of every string and number."""
        import ijson  # 15 ms of imports (inspect, decimal) that a scan without JSON documents need not pay

        events = ijson.sendable_list()
        parser = ijson.basic_parse_coro(events, multiple_values=True)
        walk = _Walk()
        idle = 0  # bytes fed since the last event: the value being read is at least that long
        for chunk in self._chunks:
            # Decoded first (invalid UTF-8 is replaced and counted there), encoded again for the parser.
            data = chunk.encode("utf-8")
            start, size = 0, len(data)
            while start < size:
                newline = data.find(b"\n", start, start + self.max_token)
                end = newline + 1 if newline >= 0 else min(size, start + self.max_token)
                try:
                    parser.send(data[start:end])
                except ijson.JSONError:
                    yield from walk.values(events, self.line)  # what the line held before the error
                    raise _Malformed(self.line) from None
                if events:
                    idle = 0
                    yield from walk.values(events, self.line)
                    del events[:]
                else:
                    idle += end - start
                    if idle > self.max_token:
                        raise _TooLong(self.line)
                if newline >= 0:
                    self.line += 1
                start = end
        try:
            parser.close()
        except ijson.JSONError:
            yield from walk.values(events, self.line)
            raise _Incomplete(self.line) from None
        yield from walk.values(events, self.line)


class _Walk:
    """The open containers of a document, turning parser events into (key path, line, text)."""

    __slots__ = ("stack", "path")

    def __init__(self):
        self.stack: list[_Container] = []
        self.path = "$"

    def values(self, events: list, line: int) -> list[tuple[str, int, str]]:
        found = []
        stack = self.stack
        for event, value in events:
            top = stack[-1] if stack else None
            if event == "map_key":
                self.path = f"{top.path}.{key_name(value)}"
                continue
            if event == "end_map" or event == "end_array":
                stack.pop().close()
                if stack and stack[-1].table is not None:
                    stack[-1].saw(None)  # a nested container in a row: that row is no header
                continue
            # A value: an array's elements get their path here, an object's members from their key.
            if top is None:
                self.path = "$"
            elif not top.is_object:
                self.path = top.element_path()
            if event == "string":
                text = one_line(value)
                if top is not None and top.table is not None:
                    top.saw(text)
                found.append((self.path, line, text))
            elif event == "number":
                if top is not None and top.table is not None:
                    top.saw(None)
                found.append((self.path, line, str(value)))
            elif event == "start_map" or event == "start_array":
                if len(stack) >= MAX_JSON_DEPTH:
                    raise _Malformed(line)
                is_object = event == "start_map"
                # An array inside an array is a record written as a row: ``[["id", "email"], [1, "a@x"]]``.
                table = top if top is not None and not is_object and not top.is_object else None
                stack.append(_Container(is_object, self.path, table))
            elif top is not None and top.table is not None:  # true, false, null
                top.saw(None)
        return found


def json_document_blocks(stream: BinaryIO, reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """Column blocks by key path (``$.customers[].email``); every value keeps the line it is on."""
    columns = Columns(reading, clock, per_row=False)
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
    document = _JsonDocument(iter([text]), max_token=4 * len(text) + 1)
    try:
        for _ in document.values():
            pass
    except _Incomplete:
        return None
    except _Malformed as exc:
        return exc.line
    return None
