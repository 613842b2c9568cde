"""CSV and TSV (dialect and header found by ``sniff``): one column block per column, named by the
header or ``column_1``, ``column_2``... Malformed rows are reported by line, the first few one by one."""
from __future__ import annotations

import csv
from typing import Iterable, Iterator

from pdscan.models import Block, SourceError
from pdscan.sources.formats.blocks import Columns
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock
from pdscan.sources.values import one_line

MAX_ROW_ERRORS = 10  # malformed CSV rows reported one by one; the rest are counted
MAX_ROW_LINES = 100  # a record over more lines than this is reported, even with the right width


def _span(start: int, end: int, row: list[str]) -> str:
    """How much a record that runs over several lines swallowed (an unterminated quote reads the rest
    of the file as one value): its lines and bytes, which were scanned as one field, not as rows."""
    if end <= start:
        return ""
    size = sum(len(cell.encode("utf-8", "replace")) for cell in row)
    return (f": lines {start}-{end} ({end - start + 1} lines, {size} bytes) read as one record, "
            "probably an unterminated quote; their values were scanned, not as columns")


def csv_blocks(lines: Iterable[str], reading: Reading, clock: Clock, dialect, header: bool
                ) -> Iterator[Block | SourceError]:
    """Column blocks named by the header, or ``column_1``, ``column_2``... (1-based) without one."""
    columns = Columns(reading, clock)
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
                lost = reading.line_no - end
                yield reading.error(f"malformed CSV row: {exc}" + (f" (lines {end + 1}-{reading.line_no}, "
                                    f"{lost} lines, not scanned)" if lost > 1 else ""), end + 1)
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
                yield reading.error(f"malformed CSV row: {len(row)} fields, expected {width}{_span(start, end, row)}",
                                    start)
        elif end - start >= MAX_ROW_LINES:
            bad += 1
            if bad <= MAX_ROW_ERRORS:
                yield reading.error(f"suspect CSV row{_span(start, end, row)}", start, severity="warning")
        for i in range(max(width, len(row))):
            name = names[i] if i < len(names) and names[i] else f"column_{i + 1}"
            columns.add(name, start, one_line(row[i]) if i < len(row) else "")
        if columns.full:
            yield from columns.flush()
    yield from columns.flush()
    if bad > MAX_ROW_ERRORS:
        yield reading.error(f"{bad - MAX_ROW_ERRORS} more malformed CSV rows")
