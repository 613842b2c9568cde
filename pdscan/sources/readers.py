"""Reading one byte stream (a file, a rotation member, stdin) into blocks and errors.

``read_stream`` decompresses the stream, asks ``formats.sniff`` for its format and hands it to that
format's reader in ``formats/``. Blocks stay bounded (``formats.blocks``); no line is read past
``max_line_bytes``. Problems (invalid UTF-8, long lines, a truncated stream, malformed rows) are
counted and reported once per file as ``SourceError``s, with paths, line numbers and counts only:
never a byte of the content.

Record times (``Block.oldest``/``newest``) come from a timestamp near the start of each log line, from
fields named like ``ts``/``time``/``timestamp``/``@timestamp`` in structured records, and otherwise from
the file's modification time (none for stdin): see ``timestamps``.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from pdscan.models import Block, SourceError
from pdscan.sources import compression
from pdscan.sources.formats.decoding import lines
from pdscan.sources.formats.delimited import csv_blocks
from pdscan.sources.formats.json_document import json_document_blocks
from pdscan.sources.formats.json_lines import json_lines_blocks
from pdscan.sources.formats.parquet import parquet_blocks
from pdscan.sources.formats.reading import Reading, problems
from pdscan.sources.formats.sampling import Sample
from pdscan.sources.formats.sniff import SAMPLE_BYTES, detect_format
from pdscan.sources.formats.text import text_blocks
from pdscan.sources.timestamps import Clock

__all__ = ["Reading", "read_stream"]


def _remote(path: str) -> bool:
    if "://" not in path:
        return False
    from pdscan.sources.remote import is_remote_url

    return is_remote_url(path)


def read_stream(raw: BinaryIO, reading: Reading) -> Iterator[Block | SourceError]:
    """Every block of a stream, then its errors. ``raw`` is read once, front to back (it may be a pipe)."""
    try:
        kind, stream = compression.decompressing(raw, reading.options.max_decompressed_bytes,
                                                 reading.options.max_ratio)
    except ImportError:
        yield reading.error("zstd-compressed: install zstandard to read it (pip install zstandard)")
        return
    head, stream, _ = compression.read_head(stream, SAMPLE_BYTES)
    sample = Sample.of(reading)
    if sample is not None:  # a quick look: the start of the stream only
        stream = sample.limited(stream)
    found = detect_format(head, reading.name, complete=len(head) < SAMPLE_BYTES)
    # Syslog dates carry no year: they are dated from the file's modification time, as logrotate and
    # log viewers do (a 2017 auth.log is from 2017, not from this year).
    clock = Clock(min(reading.mtime, reading.now) if reading.mtime else reading.now)
    if found.kind == "binary":
        yield reading.error(f"binary data ({found.detail}): not scanned")
        return
    if found.kind == "sqlite":
        if reading.path is not None and _remote(reading.path):  # SQLite opens local files only
            yield reading.error("SQLite database on remote storage: not read; copy it and pass the local file")
        else:
            yield reading.error("SQLite database in a compressed stream or on stdin: not read; "
                                "pass the uncompressed file")
        return
    if found.kind == "parquet":
        if kind is not None or reading.path is None:
            yield reading.error("Parquet data in a compressed stream or on stdin: not read; pass the file")
        else:
            yield from parquet_blocks(reading.path, reading, clock)
        return
    read_lines = lines(stream, reading) if sample is None else sample.lines(lines(stream, reading))
    if found.kind == "json":
        yield from json_document_blocks(stream, reading, clock)
    elif found.kind == "json_lines":
        yield from json_lines_blocks(read_lines, reading, clock)
    elif found.kind == "csv":
        yield from csv_blocks(read_lines, reading, clock, found.dialect, found.header)
    else:
        yield from text_blocks(read_lines, reading, clock)
        if found.detail:  # read whole, as text rather than as what its name says: a warning
            yield reading.error(found.detail, severity="warning")
    yield from problems(reading, kind)
    if sample is not None:
        yield from sample.notes(stream, reading)
