"""One stream being read: where its blocks and errors are reported, and what went wrong on the way."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator

from pdscan.models import Location, SourceError
from pdscan.sources import compression
from pdscan.sources.base import ReadOptions


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

    def error(self, reason: str, line: int | None = None, severity: str = "error",
              counted: tuple[str, int] | None = None) -> SourceError:
        return SourceError(self.source, self.container, reason, Location(path=self.shown_path, line=line or None),
                           severity, counted)

    def counted_error(self, template: str, count: int, line: int | None, severity: str) -> SourceError:
        return self.error(template.format(count=count), line, severity, (template, count))


def problems(reading: Reading, kind: str | None) -> Iterator[SourceError]:
    """What went wrong while reading, once per stream: paths, line numbers and counts, never content.

    ``kind`` is the compression (for the message of a stream that broke off)."""
    if reading.failure is not None:
        yield reading.error(compression.describe_failure(kind, reading.failure, reading.line_no))
    if reading.replaced_lines:
        yield reading.counted_error("invalid UTF-8 in {count} lines (replaced)", reading.replaced_lines,
                                    reading.first_replaced, "warning")
    if reading.replaced_chunks:
        yield reading.error("invalid UTF-8 in the document (replaced)", severity="warning")
    if reading.long_lines:
        yield reading.counted_error(f"{{count}} lines longer than max_line_bytes "
                                    f"({reading.options.max_line_bytes} bytes) truncated", reading.long_lines,
                                    reading.first_long, "error")
