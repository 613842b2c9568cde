"""What every source provides: a plan of independent tasks, each read into blocks in a worker."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterator, Protocol

from pdscan.models import Block, ContainerKind, SourceError


@dataclass(frozen=True)
class ReadOptions:
    """How sources read: the frozen part of the scan config that sources see."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_depth: int | None = None
    sample_rows: int = 10_000
    seed: int = 0
    block_lines: int = 4096
    max_line_bytes: int = 1 << 20
    age_columns: tuple[str, ...] = ()  # "table.column" whose values give a row's age (declarations)
    table_timeout_s: float = 60.0  # databases: longest wait for one statement or batch of rows (0: none)
    # Per compressed file: decompressed bytes, and the ratio to the compressed bytes read (0: no limit).
    max_decompressed_bytes: int = 16 << 30
    max_ratio: float = 100.0
    connect_timeout_s: float = 10.0  # databases: longest wait to connect, handshake and login included
    max_bytes_per_file: int | None = None  # quick looks: read no more of a file (decompressed bytes)
    sample_lines: int | None = None  # quick looks: read only a file's first lines


class Task(Protocol):
    """One independent unit of reading (a file or rotation set, a table), run in a worker process
    unless it cannot be handed to one (``picklable`` False: standard input)."""

    kind: ClassVar[ContainerKind]
    picklable: ClassVar[bool]
    source: str
    container: str
    size: int  # bytes (files) or rows (tables), for progress

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        ...
