"""Which source reads a command-line argument: a database URL, an SQLite file, a path or ``-``."""
from __future__ import annotations

from typing import Iterator

from pdscan.models import SourceError
from pdscan.sources.base import ReadOptions, Task


def plan_source(argument: str, options: ReadOptions) -> Iterator[Task | SourceError]:
    from pdscan.sources import database, files

    if database.is_database_url(argument):
        yield from database.plan_database(argument, options)
        return
    for item in files.plan_paths(argument, options):
        if isinstance(item, files.SqliteFileTask):
            yield from database.plan_sqlite_file(item.container, options, source=item.source)
        else:
            yield item
