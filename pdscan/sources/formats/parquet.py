"""Parquet, read by pyarrow when it is installed: column blocks per ``block_lines`` rows, each line
keyed by its row (``row=12``); nested values by key path."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

from pdscan.models import Block, SourceError
from pdscan.sources.formats.blocks import Columns, capped_path
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock
from pdscan.sources.values import json_leaves, one_line


def parquet_blocks(path: str, reading: Reading, clock: Clock) -> Iterator[Block | SourceError]:
    """Column blocks per ``block_lines`` rows; locations name the row (``row=12``), nested values by key path."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield reading.error('Parquet file not read: pyarrow is not installed: python3 -m pip install ".[parquet]" '
                            '(pdscan with its parquet extra), or pip install pyarrow')
        return
    columns = Columns(reading, clock, rows=True)
    paths: set[str] = set()
    row = 0
    try:
        parquet = pq.ParquetFile(_seekable(path))
        for batch in parquet.iter_batches(batch_size=max(1, reading.options.block_lines)):
            for name, array in zip(batch.schema.names, batch.columns):
                for offset, value in enumerate(array.to_pylist(), start=row + 1):
                    _add_parquet_value(columns, paths, name, offset, value)
            row += batch.num_rows
            yield from columns.flush()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds; its messages may quote data
        yield from columns.flush()
        yield reading.error(f"cannot read Parquet after {row} rows: {type(exc).__name__}")


def _seekable(path: str):
    """What pyarrow reads: a local path, or a remote object (``s3://``...) opened through fsspec, whose
    ranged reads let pyarrow seek to the footer and the row groups."""
    if "://" not in path:
        return path
    from pdscan.sources.remote import is_remote_url, open_object

    return open_object(path)[0] if is_remote_url(path) else path


def _add_parquet_value(columns: Columns, paths: set[str], name: str, row: int, value) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, (dict, list)):
        for path, text in json_leaves(value):
            columns.add(capped_path(f"{name}.{path}", paths), row, text)
        return
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return  # binary cells (images, hashes) hold no readable text
    elif isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    columns.add(name, row, one_line(str(value)))
