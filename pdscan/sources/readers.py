"""Format readers: one byte stream in (a file, a rotation member, stdin), blocks and errors out.

The format is found from the content first: SQLite and Parquet by their magic bytes, binary data by NUL
bytes in the (decompressed) first 8 KB, JSON lines when most of the first lines are JSON objects, a JSON
document when the text parses as one, CSV/TSV by extension and sniffing. Everything else is plain text
(logs included), whose ``key=value`` pairs the aggregator attributes to their keys.

Blocks stay bounded: ``block_lines`` lines or records, and about ``BLOCK_BYTES`` of text, whichever comes
first; no line is read past ``max_line_bytes``. Problems (invalid UTF-8, long lines, a truncated stream,
malformed rows) are counted and reported once per file as ``SourceError``s, with paths, line numbers and
counts only: never a byte of the content.

Record times (``Block.oldest``/``newest``) come from a timestamp near the start of each log line, from
fields named like ``ts``/``time``/``timestamp``/``@timestamp`` in structured records, and otherwise from
the file's modification time (none for stdin). A timestamp without a zone is taken as UTC.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from json.decoder import JSONDecodeError, scanstring
from typing import BinaryIO, Iterable, Iterator

from pdscan.models import Block, Location, SourceError
from pdscan.sources import compression
from pdscan.sources.base import ReadOptions

SQLITE_MAGIC = b"SQLite format 3\x00"
PARQUET_MAGIC = b"PAR1"
SAMPLE_BYTES = 1 << 16  # what format detection looks at
BINARY_PROBE = 8192
BLOCK_BYTES = 4 << 20  # a block's text, whatever block_lines says: keeps memory flat on long lines
MAX_JSON_PATHS = 1000  # distinct key paths per file; the rest are reported under "$"
MAX_JSON_DEPTH = 256
MAX_ROW_ERRORS = 10  # malformed CSV rows reported one by one; the rest are counted
_CHUNK = 1 << 16
_TIMESTAMP_WINDOW = 160  # a log line's timestamp comes first or after a short prefix (client IP, level)
_LINE_BREAKS = str.maketrans({c: " " for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_LOG_SUFFIXES = frozenset({".log"})  # never sniffed as CSV: commas in log lines are no columns
_JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TIMESTAMP_FIELDS = frozenset({"ts", "time", "timestamp", "@timestamp", "@t", "datetime", "date", "event_time",
                              "eventtime", "logged_at", "created_at", "created", "received_at"})
_BINARY_MAGIC = (
    (b"PK\x03\x04", "zip archive, .xlsx or .docx"),
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\xff\xfe", "UTF-16 text; convert it to UTF-8 to scan it"),
    (b"\xfe\xff", "UTF-16 text; convert it to UTF-8 to scan it"),
)


@dataclass
class Reading:
    """One stream being read: where its blocks and errors are reported, and what went wrong on the way.

    ``member`` is the file of a rotation set being read (``container`` names the set); ``name`` the
    logical file name whose extension hints at the format; ``path`` a file Parquet may seek in.
    """

    source: str
    container: str
    options: ReadOptions
    member: str | None = None
    name: str = ""
    mtime: datetime | None = None
    path: str | None = None
    line_no: int = 0
    replaced_lines: int = 0
    first_replaced: int = 0
    replaced_chunks: int = 0
    long_lines: int = 0
    first_long: int = 0
    failure: BaseException | None = None
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def shown_path(self) -> str:
        return self.member or self.container

    def error(self, reason: str, line: int | None = None, severity: str = "error") -> SourceError:
        return SourceError(self.source, self.container, reason, Location(path=self.shown_path, line=line or None),
                           severity)


# ---------------------------------------------------------------- timestamps

_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
# Groups 0-6: ISO 8601 (2026-11-24T09:12:00Z, 2026-11-24 09:12:00,123); 7-13: Apache/nginx
# [24/Nov/2026:09:12:00 +0000]; 14-18: syslog (Nov 24 09:12:00, no year).
_TIMESTAMP = re.compile(
    r"(?<!\d)(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,]\d+)?(?: ?(Z|[+-]\d\d:?\d\d)\b)?"
    r"|\[(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]"
    r"|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)\b")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_INVALID = float("-inf")
_EARLIEST_EPOCH = 946_684_800  # 2000-01-01: smaller numbers in a time field are no epoch times


class Clock:
    """Turns timestamp matches into epoch seconds without strptime.

    The minute is computed once and cached: a log repeats it on thousands of lines, only seconds differ.
    Syslog times have no year: that of ``now`` (the file's modification time when it has one), or
    the year before when the date would come after ``now``.
    """

    def __init__(self, now: datetime):
        self._now = now
        self._minutes: dict[tuple, float] = {}

    def seconds(self, found: re.Match) -> float | None:
        g = found.groups()
        if g[0] is not None:
            key, second = (g[0], g[1], g[2], g[3], g[4], g[6]), g[5]
        elif g[7] is not None:
            key, second = (g[9], g[8], g[7], g[10], g[11], g[13]), g[12]
        else:
            key, second = (None, g[14], g[15], g[16], g[17], None), g[18]
        minute = self._minutes.get(key)
        if minute is None:
            if len(self._minutes) > 4096:
                self._minutes.clear()
            minute = self._minutes[key] = self._minute(*key)
        return None if minute == _INVALID else minute + int(second)

    def _minute(self, year, month, day, hour, minute, zone) -> float:
        try:
            month_number = int(month) if month.isdigit() else _MONTHS[month]
            moment = datetime(int(year) if year else self._now.year, month_number, int(day), int(hour), int(minute),
                              tzinfo=timezone.utc)
            if year is None and moment > self._now + timedelta(days=1):
                moment = moment.replace(year=moment.year - 1)
        except (KeyError, ValueError):
            return _INVALID
        return moment.timestamp() - _zone_offset(zone)

    def value_seconds(self, text: str) -> float | None:
        """The time in a time field's value: a timestamp, a date, or epoch seconds/milliseconds."""
        found = _TIMESTAMP.search(text, 0, 64)
        if found is not None:
            return self.seconds(found)
        date = _DATE.match(text)
        if date is not None:
            try:
                return datetime(*map(int, date.groups()), tzinfo=timezone.utc).timestamp()
            except ValueError:
                return None
        try:
            number = float(text)
        except ValueError:
            return None
        latest = self._now.timestamp() + 10 * 365 * 86400
        for scale in (1, 1e3, 1e6, 1e9):
            if _EARLIEST_EPOCH <= number / scale <= latest:
                return number / scale
        return None


def _zone_offset(zone: str | None) -> int:
    if not zone or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    offset = int(digits[:2]) * 3600 + int(digits[2:]) * 60
    return -offset if zone[0] == "-" else offset


class _Span:
    """The oldest and newest time seen in a block."""

    __slots__ = ("low", "high")

    def __init__(self):
        self.low: float | None = None
        self.high: float | None = None

    def add(self, seconds: float | None) -> None:
        if seconds is None:
            return
        if self.low is None or seconds < self.low:
            self.low = seconds
        if self.high is None or seconds > self.high:
            self.high = seconds

    def bounds(self, fallback: datetime | None) -> tuple[datetime | None, datetime | None]:
        if self.low is None or self.high is None:
            return fallback, fallback
        return datetime.fromtimestamp(self.low, timezone.utc), datetime.fromtimestamp(self.high, timezone.utc)


def one_line(text: str) -> str:
    """A value on one line: line breaks become spaces (every line break is also unprintable, and
    checking that first is much cheaper than translating every value)."""
    return text if text.isprintable() else text.translate(_LINE_BREAKS)


def is_time_field(name: str) -> bool:
    """``ts``, ``$.ts``, ``$.events[].@timestamp``, ``created_at``: a field whose values are record times."""
    last = name.rsplit(".", 1)[-1].replace("[]", "").strip().lower()
    return last in TIMESTAMP_FIELDS


# ---------------------------------------------------------------- blocks

class _Lines:
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
        return sum(map(bool, map(str.strip, self.texts)))

    def block(self, reading: Reading, field_name: str, keyed: bool, span: _Span, examined: int,
              rows: bool = False) -> Block:
        # Line numbers map exactly through first_line while lines are consecutive; otherwise (multi-line
        # records, repeated or skipped values) every line carries its own.
        if rows:
            row_keys = tuple(f"row={n}" for n in self.numbers)
        else:
            row_keys = () if self.consecutive else tuple(map(str, self.numbers))
        oldest, newest = span.bounds(reading.mtime)
        return Block(source=reading.source, container=reading.container, field=field_name, text="\n".join(self.texts),
                     examined=examined, first_line=self.numbers[0], row_keys=row_keys, keyed_fields=keyed,
                     oldest=oldest, newest=newest, member=reading.member)


class _Text:
    """Free text (plain files, logs, the non-JSON lines of a JSON-lines log) cut into blocks."""

    def __init__(self, reading: Reading, clock: Clock):
        self.reading = reading
        self.clock = clock
        self.limit = max(1, reading.options.block_lines)
        self.lines = _Lines()
        self.size = 0
        self.span = _Span()

    def add(self, number: int, line: str) -> Block | None:
        lines = self.lines
        lines.add(number, line)
        self.size += len(line) + 1
        found = _TIMESTAMP.search(line, 0, _TIMESTAMP_WINDOW)
        if found is not None:
            self.span.add(self.clock.seconds(found))
        if len(lines.texts) >= self.limit or self.size >= BLOCK_BYTES:
            return self.flush()
        return None

    def flush(self) -> Block | None:
        lines, span = self.lines, self.span
        self.lines, self.span, self.size = _Lines(), _Span(), 0
        examined = lines.examined()
        return lines.block(self.reading, "", True, span, examined) if examined else None


class _Columns:
    """Records cut into column blocks: per run of records, one block per field holding that field's values."""

    def __init__(self, reading: Reading, clock: Clock, rows: bool = False):
        self.reading = reading
        self.clock = clock
        self.rows = rows
        self.limit = max(1, reading.options.block_lines)
        self.columns: dict[str, _Lines] = {}
        self.size = 0
        self.full = False
        self.span = _Span()
        self._time_fields: dict[str, bool] = {}

    def add(self, field_name: str, number: int, value: str) -> None:
        column = self.columns.get(field_name)
        if column is None:
            timed = self._time_fields.get(field_name)
            if timed is None:
                timed = self._time_fields[field_name] = is_time_field(field_name)
            column = self.columns[field_name] = _Lines(timed)
        numbers = column.numbers
        if numbers and number != numbers[-1] + 1:
            column.consecutive = False
        numbers.append(number)
        column.texts.append(value)
        self.size += len(value) + 1
        if len(numbers) >= self.limit or self.size >= BLOCK_BYTES:
            self.full = True
        if column.timed and value:
            self.span.add(self.clock.value_seconds(value))

    def flush(self) -> Iterator[Block]:
        columns, span = self.columns, self.span
        self.columns, self.span, self.size, self.full = {}, _Span(), 0, False
        for name, column in columns.items():
            examined = column.examined()
            if examined:
                yield column.block(self.reading, name, False, span, examined, self.rows)


# ---------------------------------------------------------------- lines

def _cut_utf8(raw: bytes, limit: int) -> bytes:
    """``raw[:limit]``, moved back so as not to split a UTF-8 character."""
    end = limit
    while end > 0 and end > limit - 3 and (raw[end] & 0xC0) == 0x80:
        end -= 1
    return raw[:end]


def _skip_rest_of_line(readline) -> None:
    while True:
        chunk = readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _lines(stream: BinaryIO, reading: Reading) -> Iterator[str]:
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


def _decoded_chunks(stream: BinaryIO, reading: Reading) -> Iterator[str]:
    carry = b""
    first = True
    try:
        while True:
            data = stream.read(_CHUNK)
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


# ---------------------------------------------------------------- format detection

@dataclass(frozen=True)
class Format:
    kind: str  # text, json_lines, json, csv, parquet, sqlite, binary
    dialect: type[csv.Dialect] | csv.Dialect | None = None
    header: bool = False
    detail: str = ""


def logical_suffix(name: str) -> str:
    """``.csv`` for ``export.csv.gz``: the extension under a compression suffix, lower case."""
    root, suffix = os.path.splitext(os.path.basename(name).lower())
    if suffix in compression.SUFFIXES:
        root, suffix = os.path.splitext(root)
    return suffix


def detect_format(head: bytes, name: str, complete: bool) -> Format:
    """The format of a (decompressed) stream from its first bytes and, where content allows both, its name."""
    if head.startswith(SQLITE_MAGIC):
        return Format("sqlite")
    if head.startswith(PARQUET_MAGIC):
        return Format("parquet")
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return Format("binary", detail=what)
    if b"\x00" in head[:BINARY_PROBE]:
        return Format("binary", detail="NUL bytes in the first 8 KB")
    suffix = logical_suffix(name)
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    lines = _complete_lines(text, complete)
    if _is_json_lines(lines, suffix):
        return Format("json_lines")
    error_line = _json_error_line(text) if text.lstrip()[:1] in ("{", "[") or suffix == ".json" else 0
    if error_line is None:
        return Format("json")
    if suffix == ".json":
        return Format("text", detail=f"not valid JSON (line {error_line}): scanned as plain text")
    if suffix not in _LOG_SUFFIXES:
        sniffed = _sniff_csv(lines, suffix)
        if sniffed is not None:
            return Format("csv", dialect=sniffed[0], header=sniffed[1])
    return Format("text")


def _complete_lines(text: str, complete: bool) -> list[str]:
    """The non-blank lines of the sample, without a last one the sample cut short."""
    lines = text.split("\n")
    if not complete:
        lines.pop()
    return [line.rstrip("\r") for line in lines if line.strip()]


def _is_json_lines(lines: list[str], suffix: str) -> bool:
    """Most of the first lines are JSON objects (or arrays): one record per line."""
    sample = lines[:20]
    records = sum(_is_json_record(line) for line in sample)
    if suffix in _JSON_LINES_SUFFIXES:
        return records > 0
    # A lone line holding one array is a JSON document, read as such.
    lone_array = len(sample) == 1 and sample[0].lstrip().startswith("[")
    return records * 2 > len(sample) and not lone_array


def _is_json_record(line: str) -> bool:
    if line.lstrip()[:1] not in ("{", "["):
        return False
    try:
        return isinstance(json.loads(line), (dict, list))
    except (ValueError, RecursionError):
        return False


def _json_error_line(text: str) -> int | None:
    """None when the sample is JSON as far as it goes (a document cut by the sample's end counts),
    else the line where it stops being JSON."""
    document = _JsonDocument(iter([text]), max_token=len(text) + 1)
    try:
        for _ in document.values():
            pass
    except _Incomplete:
        return None
    except _Malformed as exc:
        return exc.line
    return None


_HEADER_NAME = re.compile(r"[^\W\d][^@\r\n]{0,63}")


def _sniff_csv(lines: list[str], suffix: str) -> tuple[type[csv.Dialect] | csv.Dialect, bool] | None:
    """The dialect and whether there is a header, or None when this is no table.

    A ``.csv``/``.tsv`` is a table whatever the sniffer says; any other file only with a consistent
    delimiter giving at least 3 columns on every sampled line and a header line.
    """
    sample = lines[:50]
    if not sample:
        return None
    declared = suffix in (".csv", ".tsv")
    dialect = _sniffed_dialect(sample, suffix)
    if dialect is None:
        return None
    rows = _parse_rows(sample, dialect)
    widths = {len(row) for row in rows if row}
    if not declared:
        if len(rows) < 3 or len(widths) != 1 or min(widths) < 3 or not _has_header(rows, sample):
            return None
        return dialect, True
    return dialect, _has_header(rows, sample)


def _sniffed_dialect(sample: list[str], suffix: str) -> type[csv.Dialect] | csv.Dialect | None:
    if suffix == ".tsv":
        return csv.excel_tab
    try:
        dialect = csv.Sniffer().sniff("\n".join(sample), delimiters=",;\t|")
    except csv.Error:
        return csv.excel if suffix == ".csv" else None
    if suffix == ".csv" and len({len(r) for r in _parse_rows(sample, dialect) if r}) > 1 \
            and len({len(r) for r in _parse_rows(sample, csv.excel) if r}) == 1:
        return csv.excel  # the sniffer guesses wrong on few lines; plain commas that fit win
    return dialect


def _parse_rows(lines: list[str], dialect) -> list[list[str]]:
    try:
        return list(csv.reader(lines, dialect))
    except csv.Error:
        return []


def _has_header(rows: list[list[str]], sample: list[str]) -> bool:
    """Whether the first row names the columns: every cell a name, and below some name most values are of
    another kind (a number, an address); when all cells are words, csv.Sniffer's type check decides."""
    if not rows:
        return False
    names = [cell.strip() for cell in rows[0]]
    filled = [name for name in names if name]
    if not filled or len(set(filled)) != len(filled) or not all(_HEADER_NAME.fullmatch(n) for n in filled):
        return False
    if len(rows) == 1:
        return True
    for i, name in enumerate(names):
        values = [row[i].strip() for row in rows[1:] if i < len(row) and row[i].strip()]
        if name and values and sum(not _HEADER_NAME.fullmatch(v) for v in values) * 2 > len(values):
            return True
    try:
        return csv.Sniffer().has_header("\n".join(sample))
    except csv.Error:
        return False


# ---------------------------------------------------------------- reading

def read_stream(raw: BinaryIO, reading: Reading) -> Iterator[Block | SourceError]:
    """Every block of a stream, then its errors. ``raw`` is read once, front to back (it may be a pipe)."""
    try:
        kind, stream = compression.decompressing(raw)
    except ImportError:
        yield reading.error("zstd-compressed: install zstandard to read it (pip install zstandard)")
        return
    head, stream, _ = compression.read_head(stream, SAMPLE_BYTES)
    found = detect_format(head, reading.name, complete=len(head) < SAMPLE_BYTES)
    # Syslog dates carry no year: they are dated from the file's modification time, as logrotate and
    # log viewers do (a 2017 auth.log is from 2017, not from this year).
    clock = Clock(min(reading.mtime, reading.now) if reading.mtime else reading.now)
    if found.kind == "binary":
        yield reading.error(f"binary data ({found.detail}): not scanned")
        return
    if found.kind == "sqlite":
        yield reading.error("SQLite database in a compressed stream or on stdin: not read; "
                            "pass the uncompressed file")
        return
    if found.kind == "parquet":
        if kind is not None or reading.path is None:
            yield reading.error("Parquet data in a compressed stream or on stdin: not read; pass the file")
        else:
            yield from _parquet_blocks(reading.path, reading, clock)
        return
    if found.kind == "json":
        yield from _json_document_blocks(stream, reading, clock)
    elif found.kind == "json_lines":
        yield from _json_lines_blocks(_lines(stream, reading), reading, clock)
    elif found.kind == "csv":
        yield from _csv_blocks(_lines(stream, reading), reading, clock, found.dialect, found.header)
    else:
        yield from _text_blocks(_lines(stream, reading), reading, clock)
        if found.detail:
            yield reading.error(found.detail)
    yield from _problems(reading, kind)


def _problems(reading: Reading, kind: str | None) -> Iterator[SourceError]:
    if reading.failure is not None:
        yield reading.error(compression.describe_failure(kind, reading.failure, reading.line_no))
    if reading.replaced_lines:
        yield reading.error(f"invalid UTF-8 in {reading.replaced_lines} lines (replaced)", reading.first_replaced,
                            severity="warning")
    if reading.replaced_chunks:
        yield reading.error("invalid UTF-8 in the document (replaced)", severity="warning")
    if reading.long_lines:
        yield reading.error(f"{reading.long_lines} lines longer than max_line_bytes "
                            f"({reading.options.max_line_bytes} bytes) truncated", reading.first_long)


def _text_blocks(lines: Iterable[str], reading: Reading, clock: Clock) -> Iterator[Block]:
    text = _Text(reading, clock)
    for line in lines:
        block = text.add(reading.line_no, line)
        if block is not None:
            yield block
    block = text.flush()
    if block is not None:
        yield block


def _json_lines_blocks(lines: Iterable[str], reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """JSON objects become column blocks by key path; other lines (mixed logs) are scanned as free text."""
    columns = _Columns(reading, clock)
    text = _Text(reading, clock)
    paths: set[str] = set()
    not_json = first_not_json = 0
    for line in lines:
        if not line or line.isspace():
            continue
        record = None
        if line.lstrip()[:1] in ("{", "["):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                pass
        if isinstance(record, (dict, list)):
            number = reading.line_no
            for path, value in json_leaves(record):
                columns.add(path if path in paths else _capped_path(path, paths), number, value)
            if columns.full:
                yield from columns.flush()
            continue
        not_json += 1
        first_not_json = first_not_json or reading.line_no
        block = text.add(reading.line_no, line)
        if block is not None:
            yield block
    yield from columns.flush()
    block = text.flush()
    if block is not None:
        yield block
    if not_json:
        yield reading.error(f"{not_json} lines are not JSON objects (scanned as plain text)", first_not_json,
                            severity="warning")


def _capped_path(path: str, seen: set[str]) -> str:
    if path in seen:
        return path
    if len(seen) >= MAX_JSON_PATHS:
        return "$"
    seen.add(path)
    return path


def json_leaves(node, path: str = "$") -> list[tuple[str, str]]:
    """(key path, text) of every string and number: ``$.user.phone``; array elements share ``[]``."""
    leaves: list[tuple[str, str]] = []
    _collect_leaves(node, path, 0, leaves)
    return leaves


def _collect_leaves(node, path: str, depth: int, leaves: list[tuple[str, str]]) -> None:
    # A list filled by plain recursion: nested generators cost a frame switch per level and value.
    if isinstance(node, str):
        leaves.append((path, one_line(node)))
    elif isinstance(node, dict):
        if depth >= MAX_JSON_DEPTH:
            leaves.append((path, one_line(json.dumps(node, ensure_ascii=False))))
            return
        for key, child in node.items():
            _collect_leaves(child, f"{path}.{one_line(str(key))}", depth + 1, leaves)
    elif isinstance(node, list):
        if depth >= MAX_JSON_DEPTH:
            leaves.append((path, one_line(json.dumps(node, ensure_ascii=False))))
            return
        element = path + "[]"
        if node and isinstance(node[0], list):
            _collect_rows(node, element, depth, leaves)
            return
        for child in node:
            _collect_leaves(child, element, depth + 1, leaves)
    elif node is not None and not isinstance(node, bool):
        leaves.append((path, str(node)))


def _collect_rows(rows: list, element: str, depth: int, leaves: list[tuple[str, str]]) -> None:
    """A table written as rows (see ``_Container``): columns by header name, else numbered from 1."""
    header = _row_header(rows[0]) if len(rows) > 1 else None
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            _collect_leaves(row, element, depth + 1, leaves)
            continue
        if number == 0 and header is not None:
            continue
        for index, child in enumerate(row):
            name = f".{header[index]}" if header is not None and index < len(header) else f"[{index + 1}]"
            _collect_leaves(child, element + name, depth + 2, leaves)


def _row_header(row: list) -> list[str] | None:
    if len(row) >= 2 and all(isinstance(n, str) and _HEADER_NAME.fullmatch(n) for n in row) and len(set(row)) == len(row):
        return [one_line(n).replace(".", "_") for n in row]
    return None


def _csv_blocks(lines: Iterable[str], reading: Reading, clock: Clock, dialect, header: bool
                ) -> Iterator[Block | SourceError]:
    """Column blocks named by the header, or ``column_1``, ``column_2``... (1-based) without one."""
    columns = _Columns(reading, clock)
    # csv joins the lines of a quoted multi-line value as given: keep the line ends so words stay apart.
    rows = csv.reader((line + "\n" for line in lines), dialect)
    names: list[str] = []
    width: int | None = None
    end = 0  # the file line where the previous record ended
    bad = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            bad += 1
            if bad <= MAX_ROW_ERRORS:
                yield reading.error(f"malformed CSV row: {exc}", end + 1)
            end = reading.line_no
            continue
        start, end = end + 1, reading.line_no
        if not row:
            continue
        if width is None:
            width = len(row)
            if header:
                names = [cell.strip().removeprefix("\ufeff") for cell in row]
                continue
        if len(row) != width:
            bad += 1
            if bad <= MAX_ROW_ERRORS:
                yield reading.error(f"malformed CSV row: {len(row)} fields, expected {width}", start)
        for i in range(max(width, len(row))):
            name = names[i] if i < len(names) and names[i] else f"column_{i + 1}"
            columns.add(name, start, one_line(row[i]) if i < len(row) else "")
        if columns.full:
            yield from columns.flush()
    yield from columns.flush()
    if bad > MAX_ROW_ERRORS:
        yield reading.error(f"{bad - MAX_ROW_ERRORS} more malformed CSV rows")


# ---------------------------------------------------------------- JSON documents

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
            table.header = _row_header(self.first_row)
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
                text = text.translate(_LINE_BREAKS)
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


def _json_document_blocks(stream: BinaryIO, reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """Column blocks by key path (``$.customers[].email``); every value keeps the line it is on."""
    columns = _Columns(reading, clock)
    paths: set[str] = set()
    document = _JsonDocument(_decoded_chunks(stream, reading), max(1, reading.options.max_line_bytes))
    problem: str | None = None
    try:
        for path, line, value in document.values():
            columns.add(_capped_path(path, paths), line, value)
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


# ---------------------------------------------------------------- Parquet

def _parquet_blocks(path: str, reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """Column blocks per ``block_lines`` rows; locations name the row (``row=12``), nested values by key path."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield reading.error('Parquet file not read: pyarrow is not installed: python3 -m pip install ".[parquet]" '
                            '(pdscan with its parquet extra), or pip install pyarrow')
        return
    columns = _Columns(reading, clock, rows=True)
    paths: set[str] = set()
    row = 0
    try:
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=max(1, reading.options.block_lines)):
            for name, array in zip(batch.schema.names, batch.columns):
                for offset, value in enumerate(array.to_pylist(), start=row + 1):
                    _add_parquet_value(columns, paths, name, offset, value)
            row += batch.num_rows
            yield from columns.flush()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds; its messages may quote data
        yield from columns.flush()
        yield reading.error(f"cannot read Parquet after {row} rows: {type(exc).__name__}")


def _add_parquet_value(columns: _Columns, paths: set[str], name: str, row: int, value) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, (dict, list)):
        for path, text in json_leaves(value):
            columns.add(_capped_path(f"{name}.{path}", paths), row, text)
        return
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return  # binary cells (images, hashes) hold no readable text
    elif isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    columns.add(name, row, one_line(str(value)))
