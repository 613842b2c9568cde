"""Which format a stream holds, from its content first and its name where content allows both.

SQLite and Parquet by their magic bytes, binary data by other magic bytes or NUL bytes in the
(decompressed) first 8 KB, JSON lines when most of the first lines are JSON objects, a JSON document
when the sample parses as one, CSV/TSV by extension and sniffing; everything else is plain text.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass

from pdscan.sources import compression
from pdscan.sources.formats import json_document
from pdscan.sources.values import HEADER_NAME

SQLITE_MAGIC = b"SQLite format 3\x00"
PARQUET_MAGIC = b"PAR1"
SAMPLE_BYTES = 1 << 16  # what format detection looks at
BINARY_PROBE = 8192
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
    error_line = json_document.error_line(text) if text.lstrip()[:1] in ("{", "[") or suffix == ".json" else 0
    if error_line is None:
        return Format("json")
    if suffix == ".json":
        return Format("text", detail=f"not valid JSON (line {error_line}): scanned as plain text")
    if suffix in _JSON_LINES_SUFFIXES:
        return Format("text", detail="no JSON object in the first lines of a JSON-lines file: scanned as plain text")
    if suffix in (".csv", ".tsv") and not lines and text.strip():
        return _wide_table(text, suffix)
    if suffix not in _LOG_SUFFIXES:
        sniffed = _sniff_csv(lines, suffix)
        if sniffed is not None:
            return Format("csv", dialect=sniffed[0], header=sniffed[1])
    return Format("text")


def _wide_table(text: str, suffix: str) -> Format:
    """A ``.csv``/``.tsv`` whose first line is longer than the sample (thousands of columns): the
    delimiter is the most frequent candidate in it, and it is a header when its complete cells are
    distinct names. The sniffer needs whole lines, and free text would lose the columns."""
    if suffix == ".tsv":
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab
    else:
        delimiter = max(",;\t|", key=text.count)

        class _Wide(csv.excel):
            pass

        _Wide.delimiter = delimiter
        dialect = _Wide
    cells = [cell.strip().strip('"') for cell in text.split(dialect.delimiter)[:-1]]  # the last may be cut
    header = len(cells) >= 2 and len(set(cells)) == len(cells) and all(HEADER_NAME.fullmatch(c) for c in cells)
    return Format("csv", dialect=dialect, header=header)


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
    if not filled or len(set(filled)) != len(filled) or not all(HEADER_NAME.fullmatch(n) for n in filled):
        return False
    if len(rows) == 1:
        return True
    for i, name in enumerate(names):
        values = [row[i].strip() for row in rows[1:] if i < len(row) and row[i].strip()]
        if name and values and sum(not HEADER_NAME.fullmatch(v) for v in values) * 2 > len(values):
            return True
    try:
        return csv.Sniffer().has_header("\n".join(sample))
    except csv.Error:
        return False
