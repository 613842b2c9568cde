"""Which source reads a command-line argument: a database URL, a remote path (``s3://``...), a path
(file, directory) or ``-``.

Every kind of source other than files is one entry of ``SOURCE_KINDS``: it claims the arguments it
reads (a URL scheme), the files it reads whatever their name (by their first bytes), or both. Every
other argument is a path, walked by ``files``; the readers there tell file formats apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from pdscan.models import SourceError
from pdscan.sources.base import ReadOptions, Task
from pdscan.sources.formats.sniff import SQLITE_MAGIC
from pdscan.sources.urls import is_database_url


@dataclass(frozen=True)
class SourceKind:
    """A kind of source: which arguments or files it reads, and how it plans them into tasks."""

    name: str
    # (argument or file path, options, source name) -> its tasks, and errors for what cannot be read
    plan: Callable[[str, ReadOptions, str], Iterator[Task | SourceError]]
    claims: Callable[[str], bool] | None = None  # a command-line argument this kind reads
    magic: bytes = b""  # the first bytes of a file this kind reads, whatever its name


def _plan_database(url: str, options: ReadOptions, source: str) -> Iterator[Task | SourceError]:
    from pdscan.sources import database  # imported by the scans that need it

    return database.plan_database(url, options)


def _plan_sqlite_file(path: str, options: ReadOptions, source: str) -> Iterator[Task | SourceError]:
    from pdscan.sources import database

    # The file is the source, whether named or found by a directory walk: two databases with a
    # ``users`` table are two findings, and a ``database:`` declaration matches the file's path.
    return database.plan_sqlite_file(path, options, source=path)


def _is_remote_url(argument: str) -> bool:
    if "://" not in argument:  # a plain path: the remote module (and fsspec) stay unimported
        return False
    from pdscan.sources import remote

    return remote.is_remote_url(argument)


def _plan_remote(url: str, options: ReadOptions, source: str) -> Iterator[Task | SourceError]:
    from pdscan.sources import remote

    if remote.scheme_of(url) == remote.LOCAL_SCHEME:  # file:///path: exactly what the path itself gives
        return plan_source(remote.local_path(url), options)
    return remote.plan_remote(url, options)


SOURCE_KINDS: tuple[SourceKind, ...] = (
    SourceKind("database URL", _plan_database, claims=is_database_url),
    SourceKind("remote path", _plan_remote, claims=_is_remote_url),
    SourceKind("SQLite file", _plan_sqlite_file, magic=SQLITE_MAGIC),
)


def plan_source(argument: str, options: ReadOptions) -> Iterator[Task | SourceError]:
    from pdscan.sources import files

    for kind in SOURCE_KINDS:
        if kind.claims is not None and kind.claims(argument):
            yield from kind.plan(argument, options, argument)
            return
    by_content = tuple((kind.magic, kind.plan) for kind in SOURCE_KINDS if kind.magic)
    yield from files.plan_paths(argument, options, by_content)
