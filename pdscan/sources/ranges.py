"""Byte ranges of large log files, read as independent tasks, and the pieces a file task splits into.

One file is one task, and one task gets one core: a 2 GB log would keep one core busy while the
other waits. A plain (uncompressed) text or JSON-lines file is cut into ranges at line boundaries,
so that no line is split or read by two ranges; a rotation set is cut into its members first
(a compressed member is one piece: a gzip stream cannot be entered in the middle). The scanner runs
the pieces as tasks and merges their results in piece order, as one task would have made them:
line numbers of a range count from its first line (``line_base`` adds the lines before it when known,
otherwise the scanner adds the lines the earlier ranges read, ``ReadEnd``).

The same range reader scans the appended part of a file a scheduled run has seen before (``state``).
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO, ClassVar, Iterator

from pdscan.models import Block, ContainerKind, SourceError
from pdscan.sources import compression
from pdscan.sources.base import ReadOptions
from pdscan.sources.files import FileTask, _os_reason, rotation_base
from pdscan.sources.formats.decoding import lines
from pdscan.sources.formats.json_lines import json_lines_blocks
from pdscan.sources.formats.reading import Reading, problems
from pdscan.sources.formats.sniff import SAMPLE_BYTES, detect_format
from pdscan.sources.formats.text import text_blocks
from pdscan.sources.timestamps import Clock

RANGE_BYTES = 64 << 20  # a range: large enough that its start-up and merge cost nothing, small enough to share out
RANGEABLE = ("text", "json_lines")  # formats read line by line with no state carried from the file's start
_SCAN_FOR_NEWLINE = 1 << 16


@dataclass(frozen=True)
class ReadEnd:
    """The last item a range yields: how many lines it read (the next range's lines count after them)."""

    lines: int


@dataclass(frozen=True)
class RangeTask:
    """Bytes ``start`` to ``end`` of one file, read as ``fmt``; both ends at line boundaries.

    ``container`` is the file or its rotation set (``path`` is then a member, named in blocks);
    ``line_base`` is the number of lines before ``start`` when known (a re-run knows it), else 0."""

    source: str
    container: str
    path: str
    start: int
    end: int
    fmt: str
    line_base: int = 0
    kind: ClassVar[ContainerKind] = ContainerKind.FILE
    picklable: ClassVar[bool] = True

    @property
    def size(self) -> int:
        return self.end - self.start

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError | ReadEnd]:
        member = None if self.path == self.container else self.path
        try:
            raw, mtime = _open(self.path)
        except OSError as exc:
            yield SourceError(self.source, self.container, _os_reason(exc, self.path))
            return
        with raw:
            name = os.path.basename(self.container)
            reading = Reading(self.source, self.container, options, member=member,
                              name=rotation_base(name, set()) or name, mtime=mtime, path=self.path,
                              line_no=self.line_base)
            clock = Clock(min(mtime, reading.now) if mtime else reading.now)
            raw.seek(self.start)
            stream = io.BufferedReader(_Window(raw, self.end - self.start), buffer_size=1 << 16)
            reader = json_lines_blocks if self.fmt == "json_lines" else text_blocks
            yield from reader(lines(stream, reading), reading, clock)
            yield from problems(reading, None)
            yield ReadEnd(reading.line_no - self.line_base)


def _open(path: str, probe: bool = False) -> tuple[BinaryIO, datetime | None]:
    """A read-only handle on a local file or a remote object (``s3://...``: ranged reads), and its
    modification time. ``probe``: only a few small reads follow (a head, the line breaks near cuts),
    so a remote object is fetched in small requests rather than in streaming-sized ones."""
    if "://" in path:  # else a local path for sure, and the remote module stays unimported
        from pdscan.sources import remote

        if remote.is_remote_url(path):
            return remote.open_object(path, _SCAN_FOR_NEWLINE if probe else remote.BLOCK_BYTES)
    raw = compression.open_readonly(path)
    return raw, datetime.fromtimestamp(os.fstat(raw.fileno()).st_mtime, timezone.utc)


class _Window(io.RawIOBase):
    """The next ``remaining`` bytes of a raw file, then end of file."""

    def __init__(self, raw: BinaryIO, remaining: int):
        self._raw, self._remaining = raw, remaining

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._remaining <= 0:
            return 0
        view = memoryview(buffer)[:self._remaining]
        got = self._raw.readinto(view) or 0
        self._remaining -= got
        return got


def rangeable_format(path: str) -> str | None:
    """The format of a plain file that can be read in ranges (``RANGEABLE``), else None (compressed,
    CSV with its header, a JSON document, Parquet, a format with a warning to give once)."""
    try:
        raw, _ = _open(path, probe=True)
        with raw:
            head = raw.read(SAMPLE_BYTES)
    except OSError:
        return None
    if compression.compression_of(head[:compression.MAGIC_BYTES]) is not None:
        return None
    found = detect_format(head, os.path.basename(path), complete=len(head) < SAMPLE_BYTES)
    return found.kind if found.kind in RANGEABLE and not found.detail else None


def line_cuts(path: str, start: int, end: int, pieces: int) -> list[int]:
    """``pieces + 1`` offsets from ``start`` to ``end``, each inner one just after a line break (fewer
    when a line is longer than a piece)."""
    cuts = [start]
    handle, _ = _open(path, probe=True)
    with handle:
        for index in range(1, pieces):
            nominal = start + (end - start) * index // pieces
            if nominal <= cuts[-1]:
                continue
            handle.seek(nominal - 1)  # a break right before the nominal cut is a line boundary
            position = nominal - 1
            while position < end:
                chunk = handle.read(_SCAN_FOR_NEWLINE)
                if not chunk:
                    position = end
                    break
                found = chunk.find(b"\n")
                if found >= 0:
                    position += found + 1
                    break
                position += len(chunk)
            if cuts[-1] < position < end:
                cuts.append(position)
    cuts.append(end)
    return cuts


def piece_count(size: int, jobs: int, range_bytes: int = RANGE_BYTES) -> int:
    """About ``range_bytes`` a piece, in a multiple of ``jobs`` pieces: 5 pieces on 2 workers would
    leave one of them a piece to read alone at the end."""
    pieces = max(1, -(-size // range_bytes))
    return -(-pieces // jobs) * jobs


def split_file(source: str, container: str, path: str, size: int, jobs: int,
               range_bytes: int = RANGE_BYTES) -> list[RangeTask] | None:
    """Ranges of a large plain file, or None when it is small or not read line by line."""
    if jobs <= 1 or size < 2 * range_bytes:
        return None
    fmt = rangeable_format(path)
    if fmt is None:
        return None
    cuts = line_cuts(path, 0, size, piece_count(size, jobs, range_bytes))
    return [RangeTask(source, container, path, a, b, fmt) for a, b in zip(cuts, cuts[1:])]


def task_pieces(task: FileTask, jobs: int, range_bytes: int = RANGE_BYTES) -> list[FileTask | RangeTask] | None:
    """The pieces of a file task for ``jobs`` processes, in reading order: a rotation set's members
    (large plain ones in ranges), or a large plain file's ranges. None: the task stays whole."""
    if jobs <= 1:
        return None
    if not task.members:
        return split_file(task.source, task.container, task.container, task.size, jobs, range_bytes)
    pieces: list[FileTask | RangeTask] = []
    for path in task.members:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # the member's reader reports it
        pieces.extend(split_file(task.source, task.container, path, size, jobs, range_bytes)
                      or (FileTask(task.source, task.container, size, (path,)),))
    return pieces
