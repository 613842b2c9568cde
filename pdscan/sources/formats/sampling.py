"""Quick looks (``--max-bytes-per-file``, ``--sample-lines``): only the start of each file is read,
and the report says so, per file, exactly: a warning naming the limit that cut it."""
from __future__ import annotations

import io
from itertools import islice
from typing import BinaryIO, Iterator

from pdscan.models import SourceError
from pdscan.sources.formats.reading import Reading


class Sample:
    """The limits of one stream being read, and whether they cut it."""

    def __init__(self, max_bytes: int | None, max_lines: int | None):
        self.max_bytes, self.max_lines = max_bytes, max_lines
        self._window: _Limited | None = None
        self._lines_given = 0

    @classmethod
    def of(cls, reading: Reading) -> "Sample | None":
        options = reading.options
        if options.max_bytes_per_file is None and options.sample_lines is None:
            return None
        return cls(options.max_bytes_per_file, options.sample_lines)

    def limited(self, stream: BinaryIO) -> BinaryIO:
        if self.max_bytes is None:
            return stream
        self._window = _Limited(stream, self.max_bytes)
        return io.BufferedReader(self._window, buffer_size=1 << 16)

    def lines(self, lines: Iterator[str]) -> Iterator[str]:
        if self.max_lines is None:
            yield from lines
            return
        for line in islice(lines, self.max_lines):
            self._lines_given += 1
            yield line

    def notes(self, stream: BinaryIO, reading: Reading) -> Iterator[SourceError]:
        """What was left unread, once the reader is done: nothing is said of a file read to its end."""
        if self.max_lines is not None and self._lines_given >= self.max_lines and _more(stream):
            yield reading.error(f"sampled: the first {self.max_lines} lines only (--sample-lines)", severity="warning")
        elif self._window is not None and self._window.cut:
            yield reading.error(f"sampled: the first {self.max_bytes} bytes only (--max-bytes-per-file)",
                                severity="warning")


def _more(stream: BinaryIO) -> bool:
    try:
        return bool(stream.read(1))
    except (OSError, EOFError, ValueError):
        return False


class _Limited(io.RawIOBase):
    """The first ``limit`` bytes of a stream; ``cut`` once a byte past them was there."""

    def __init__(self, stream: BinaryIO, limit: int):
        self._stream, self._remaining, self.cut = stream, limit, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._remaining <= 0:
            self.cut = self.cut or _more(self._stream)
            return 0
        data = self._stream.read(min(len(buffer), self._remaining))
        buffer[:len(data)] = data
        self._remaining -= len(data)
        return len(data)
