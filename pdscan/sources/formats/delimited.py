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
