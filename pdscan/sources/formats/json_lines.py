"""JSON lines: each object becomes values of column blocks by key path (``$.user.phone``); the lines
that are not JSON (a mixed log) are scanned as free text and counted in one warning."""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from pdscan.models import Block, SourceError
from pdscan.sources.formats.blocks import Columns, TextBlocks, capped_path
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock
from pdscan.sources.values import json_leaves


def json_lines_blocks(lines: Iterable[str], reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """JSON objects become column blocks by key path; other lines (mixed logs) are scanned as free text."""
    columns = Columns(reading, clock)
    text = TextBlocks(reading, clock)
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
                columns.add(path if path in paths else capped_path(path, paths), number, value)
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
        yield reading.counted_error("{count} lines are not JSON objects (scanned as plain text)", not_json,
                                    first_not_json, "warning")
