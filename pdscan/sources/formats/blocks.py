"""Lines and records cut into bounded blocks: ``block_lines`` lines or records, and about
``BLOCK_BYTES`` of text, whichever comes first. Each line keeps the file line (or row) it comes from,
and each block the oldest and newest record time seen in it."""
from __future__ import annotations

from typing import Iterator

from pdscan.models import Block
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock, ColumnTimes, LineTimes, RowTimes, Span, is_time_field

BLOCK_BYTES = 4 << 20  # a block's text, whatever block_lines says: keeps memory flat on long lines
MAX_JSON_PATHS = 1000  # distinct key paths per file; the rest are reported under "$"


class Lines:
    """The lines of one block (a field's values, or free text), each with the file line it comes from."""

    __slots__ = ("texts", "numbers", "consecutive", "timed")

    def __init__(self, timed: bool = False):
        self.texts: list[str] = []
        self.numbers: list[int] = []
        self.consecutive = True
        self.timed = timed

    def add(self, number: int, text: str) -> None:
        numbers = self.numbers
        if numbers and number != numbers[-1] + 1:
            self.consecutive = False
        numbers.append(number)
        self.texts.append(text)

    def examined(self) -> int:
        """How many lines hold something (empty values keep their line, but were not values)."""
        texts = self.texts
        # A line of spaces only is what strip() empties (str.isspace uses the same definition):
        # counted without making a stripped copy of every line.
        return len(texts) - sum(map(str.isspace, texts)) - texts.count("")

    def block(self, reading: Reading, field_name: str, keyed: bool, span: Span, examined: int,
              rows: bool = False, times: LineTimes | ColumnTimes | None = None) -> Block:
        # Line numbers map exactly through first_line while lines are consecutive; otherwise (multi-line
        # records, repeated or skipped values) every line carries its own.
        if rows:
            row_keys = tuple(f"row={n}" for n in self.numbers)
        else:
            row_keys = () if self.consecutive else tuple(map(str, self.numbers))
        oldest, newest = span.bounds(reading.mtime)
        return Block(source=reading.source, container=reading.container, field=field_name, text="\n".join(self.texts),
                     examined=examined, first_line=self.numbers[0], row_keys=row_keys, keyed_fields=keyed,
                     oldest=oldest, newest=newest, member=reading.member, times=times)


class TextBlocks:
    """Free text (plain files, logs, the non-JSON lines of a JSON-lines log) cut into blocks."""

    def __init__(self, reading: Reading, clock: Clock):
        self.reading = reading
        self.clock = clock
        self.limit = max(1, reading.options.block_lines)
        self.lines = Lines()
        self.size = 0
        self.span = Span()

    def add(self, number: int, line: str) -> Block | None:
        # Lines.add inlined: this runs once per line of every log.
        lines = self.lines
        numbers, texts = lines.numbers, lines.texts
        if numbers and number != numbers[-1] + 1:
            lines.consecutive = False
        numbers.append(number)
        texts.append(line)
        self.size += len(line) + 1
        if len(texts) >= self.limit or self.size >= BLOCK_BYTES:
            return self.flush()
        return None

    def flush(self) -> Block | None:
        lines, span = self.lines, self.span
        self.lines, self.span, self.size = Lines(), Span(), 0
        examined = lines.examined()
        # Record times are read only for the lines that hold a match (LineTimes), by the aggregator.
        return lines.block(self.reading, "", True, span, examined, times=LineTimes(self.clock)) if examined else None


class Columns:
    """Records cut into column blocks: per run of records, one block per field holding that field's values."""

    def __init__(self, reading: Reading, clock: Clock, rows: bool = False, per_row: bool = True):
        self.reading = reading
        self.clock = clock
        self.rows = rows
        # Each record's time is its own (parsed only for records with a match); without ``per_row``
        # (a JSON document, whose fields sit on lines of their own) a block's records share their span.
        self.per_row = per_row
        self.row_times = RowTimes(clock)
        self.limit = max(1, reading.options.block_lines)
        self.columns: dict[str, Lines] = {}
        self.size = 0
        self.full = False
        self.span = Span()
        self._time_fields: dict[str, bool] = {}

    def add(self, field_name: str, number: int, value: str) -> None:
        column = self.columns.get(field_name)
        if column is None:
            timed = self._time_fields.get(field_name)
            if timed is None:
                timed = self._time_fields[field_name] = is_time_field(field_name)
            column = self.columns[field_name] = Lines(timed)
        numbers = column.numbers
        if numbers and number != numbers[-1] + 1:
            column.consecutive = False
        numbers.append(number)
        column.texts.append(value)
        self.size += len(value) + 1
        if len(numbers) >= self.limit or self.size >= BLOCK_BYTES:
            self.full = True
        if column.timed and value:
            if self.per_row:
                self.row_times.values.setdefault(number, []).append(value)
            else:
                self.span.add(self.clock.value_seconds(value))

    def flush(self) -> Iterator[Block]:
        columns, span, row_times = self.columns, self.span, self.row_times
        self.columns, self.span, self.size, self.full = {}, Span(), 0, False
        self.row_times = RowTimes(self.clock)
        for name, column in columns.items():
            examined = column.examined()
            if examined:
                times = ColumnTimes(row_times, column.numbers) if self.per_row and row_times.values else None
                yield column.block(self.reading, name, False, span, examined, self.rows, times=times)


def capped_path(path: str, seen: set[str]) -> str:
    """``path``, or ``$`` once a file has given ``MAX_JSON_PATHS`` distinct paths."""
    if path in seen:
        return path
    if len(seen) >= MAX_JSON_PATHS:
        return "$"
    seen.add(path)
    return path
