"""File sources: walk the paths given, group log rotation sets, plan one task per file or set.

Planning only lists, stats and reads the first bytes of each file (a file whose content is another
kind of source, an SQLite database, is planned by that source: ``dispatch.SOURCE_KINDS``); the
reading itself (formats, compression) is in ``readers``. Nothing is written
beside the scanned data, and nothing found is skipped silently: files left out by the user's globs,
``.pdscanignore`` or ``max_depth`` are choices, everything else that cannot be read is a SourceError.
"""
from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from fnmatch import fnmatch, fnmatchcase
from typing import Callable, ClassVar, Iterator, Sequence

from pdscan.models import Block, ContainerKind, Location, SourceError
from pdscan.sources import compression, readers
from pdscan.sources.base import ReadOptions, Task

IGNORE_FILE = ".pdscanignore"
_MAX_IGNORE_BYTES = 1 << 20
# app.log.1, app.log.2.gz, app.log-20261101.gz, app.log.2026-11-01: a member of the set "app.log".
_ROTATED = re.compile(r"(?P<base>.+?)(?:\.(?P<number>\d{1,4})|[-.](?P<date>\d{8}|\d{4}-\d\d-\d\d))?"
                      r"(?P<compressed>\.(?:gz|bz2|xz|zst))?")
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
# (path, options, source) -> its tasks: how a file recognised by its first bytes is planned.
ContentPlanner = Callable[[str, ReadOptions, str], Iterator[Task | SourceError]]


@dataclass(frozen=True)
class FileTask:
    """A file, or the files of a rotation set read as one logical source.

    ``container`` is the file, or the set's base name (``logs/app.log``) with its files in ``members``
    (newest first); blocks then name their file in ``Block.member`` so that line numbers stay true.
    """

    source: str
    container: str
    size: int
    members: tuple[str, ...] = ()
    kind: ClassVar[ContainerKind] = ContainerKind.FILE
    picklable: ClassVar[bool] = True

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        for path in self.members or (self.container,):
            yield from read_file(self.source, self.container, path, options)


@dataclass(frozen=True)
class StdinTask:
    """Standard input (``-``), read in the main process: a pipe cannot be handed to a worker process,
    hence ``picklable = False`` (the scanner runs such tasks locally). Blocks have no fallback time."""

    source: str = "-"
    container: str = "-"
    size: int = 0
    kind: ClassVar[ContainerKind] = ContainerKind.FILE
    picklable: ClassVar[bool] = False

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        reading = readers.Reading(self.source, self.container, options)
        yield from readers.read_stream(sys.stdin.buffer, reading)


def plan_paths(path: str, options: ReadOptions, by_content: Sequence[tuple[bytes, ContentPlanner]] = (),
               ) -> Iterator[Task | SourceError]:
    """Tasks for a file, a directory (walked recursively) or ``-`` (stdin), and errors for what cannot be read.

    A file named on the command line is always scanned; ``include``/``exclude``, ``max_depth`` and
    ``.pdscanignore`` files apply to what a directory walk finds. A file whose content starts with
    one of the ``by_content`` magic byte strings is planned by its planner instead of read as a file.
    """
    if path == "-":
        yield StdinTask()
        return
    try:
        info = os.stat(path)
    except OSError as exc:
        yield SourceError(path, path, _os_reason(exc, path))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _plan_directory(path, options, by_content)
    elif stat.S_ISREG(info.st_mode):
        special = _plan_by_content(path, path, options, by_content)
        yield from special if special is not None else (FileTask(path, path, info.st_size),)
    else:
        yield SourceError(path, path, _not_regular(info.st_mode))


def read_file(source: str, container: str, path: str, options: ReadOptions) -> Iterator[Block | SourceError]:
    """The blocks of one file (``path``), reported under ``container`` (itself, or its rotation set)."""
    member = None if path == container else path
    try:
        raw = compression.open_readonly(path)
    except OSError as exc:
        yield SourceError(source, container, _os_reason(exc, path), Location(path=path))
        return
    with raw:
        mtime = datetime.fromtimestamp(os.fstat(raw.fileno()).st_mtime, timezone.utc)
        name = os.path.basename(container)
        reading = readers.Reading(source, container, options, member=member, name=rotation_base(name, set()) or name,
                                  mtime=mtime, path=path)
        yield from readers.read_stream(raw, reading)


# ---------------------------------------------------------------- walking

@dataclass(frozen=True)
class _IgnoreRule:
    """One ``.pdscanignore`` line, applying to the directory holding it (``base``) and below."""

    base: str
    pattern: str
    anchored: bool  # contains a "/": matched against the path under ``base``, else against the name
    directories_only: bool
    negated: bool

    def matches(self, rel: str, name: str) -> bool:
        if not self.anchored:
            return fnmatchcase(name, self.pattern)
        under = rel[len(self.base) + 1:] if self.base else rel
        return fnmatchcase(under, self.pattern) or (
            self.pattern.startswith("**/") and fnmatchcase(under, self.pattern[3:]))


@dataclass(frozen=True)
class _File:
    path: str
    name: str
    size: int


def parse_ignore_file(text: str, base: str) -> tuple[_IgnoreRule, ...]:
    """gitignore-like: one glob a line, ``#`` comments, ``!`` re-includes, a trailing ``/`` means a
    directory, a ``/`` elsewhere anchors the glob to the directory of the ignore file."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line
        directories_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        line = line.lstrip("/")
        if line:
            rules.append(_IgnoreRule(base, line, anchored, directories_only, negated))
    return tuple(rules)


def _ignored(rules: tuple[_IgnoreRule, ...], rel: str, name: str, is_dir: bool) -> bool:
    ignored = False
    for rule in rules:  # the last matching rule decides, as in gitignore
        if (is_dir or not rule.directories_only) and rule.matches(rel, name):
            ignored = not rule.negated
    return ignored


def _matches_any(patterns: tuple[str, ...], rel: str, name: str) -> bool:
    return any(fnmatch(rel, pattern) or fnmatch(name, pattern) for pattern in patterns)


def _read_ignore_file(source: str, directory: str, rel: str) -> tuple[tuple[_IgnoreRule, ...], SourceError | None]:
    path = os.path.join(directory, IGNORE_FILE)
    try:
        with compression.open_readonly(path) as handle:
            text = handle.read(_MAX_IGNORE_BYTES).decode("utf-8", "replace")
    except FileNotFoundError:
        return (), None
    except OSError as exc:
        return (), SourceError(source, path, f"cannot read {IGNORE_FILE}: {_os_reason(exc, path)}")
    return parse_ignore_file(text, rel), None


def _walk(root: str, options: ReadOptions) -> Iterator[tuple[str, list[_File]] | SourceError]:
    """(directory, its files to scan) for every directory under ``root``, depth first, in name order."""
    top = os.stat(root)
    visited = {(top.st_dev, top.st_ino)}
    pending: list[tuple[str, str, int, tuple[_IgnoreRule, ...]]] = [(root, "", 0, ())]
    while pending:
        directory, rel, depth, rules = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield SourceError(root, directory, f"cannot list directory: {_os_reason(exc, directory)}")
            continue
        # Read only once the directory could be listed: a directory that cannot be is reported once.
        if any(entry.name == IGNORE_FILE for entry in entries):
            own_rules, problem = _read_ignore_file(root, directory, rel)
            if problem is not None:
                yield problem
            rules += own_rules
        files: list[_File] = []
        below: list[tuple[str, str, int, tuple[_IgnoreRule, ...]]] = []
        for entry in entries:
            if entry.name == IGNORE_FILE:
                continue
            entry_rel = f"{rel}/{entry.name}" if rel else entry.name
            try:
                info = entry.stat()  # follows symbolic links
            except OSError as exc:
                if not _left_out(options, rules, entry_rel, entry.name, False):
                    yield SourceError(root, entry.path, _os_reason(exc, entry.path))
                continue
            is_dir = stat.S_ISDIR(info.st_mode)
            if _left_out(options, rules, entry_rel, entry.name, is_dir):
                continue
            if is_dir:
                identity = (info.st_dev, info.st_ino)
                # A directory reached again through a symbolic link is already scanned (or being scanned).
                if (options.max_depth is None or depth < options.max_depth) and identity not in visited:
                    visited.add(identity)
                    below.append((entry.path, entry_rel, depth + 1, rules))
            elif stat.S_ISREG(info.st_mode):
                files.append(_File(entry.path, entry.name, info.st_size))
            else:
                yield SourceError(root, entry.path, _not_regular(info.st_mode))
        yield directory, files
        pending.extend(reversed(below))


def _left_out(options: ReadOptions, rules: tuple[_IgnoreRule, ...], rel: str, name: str, is_dir: bool) -> bool:
    """Left out by the user's choice: ``exclude`` and ``.pdscanignore`` prune directories too,
    ``include`` only selects files."""
    if _ignored(rules, rel, name, is_dir) or _matches_any(options.exclude, rel, name):
        return True
    return not is_dir and bool(options.include) and not _matches_any(options.include, rel, name)


# ---------------------------------------------------------------- planning

def _plan_directory(root: str, options: ReadOptions, by_content: Sequence[tuple[bytes, ContentPlanner]],
                    ) -> Iterator[Task | SourceError]:
    for item in _walk(root, options):
        if isinstance(item, SourceError):
            yield item
            continue
        directory, files = item
        readable: list[_File] = []
        databases: set[str] = set()  # files another source planned (SQLite databases)
        for file in files:
            owner = _database_of(file.name, databases)
            if owner is not None:
                yield SourceError(root, file.path, f"part of the SQLite database {os.path.join(directory, owner)}: "
                                  "read with it, not as a file", Location(path=file.path), severity="warning")
                continue
            special = _plan_by_content(root, file.path, options, by_content)
            if special is None:
                readable.append(file)
            else:
                databases.add(file.name)
                yield from special
        yield from _group_rotations(root, directory, readable)


def _database_of(name: str, databases: set[str]) -> str | None:
    """The database (a file planned by content, listed before: names sort so) that a live SQLite
    database's ``-wal``, ``-shm`` or ``-journal`` file belongs to; SQLite reads them with it."""
    for suffix in _SQLITE_COMPANIONS:
        if name.endswith(suffix) and name[:-len(suffix)] in databases:
            return name[:-len(suffix)]
    return None


def _plan_by_content(source: str, path: str, options: ReadOptions,
                     by_content: Sequence[tuple[bytes, ContentPlanner]]) -> Iterator[Task | SourceError] | None:
    """The tasks (or error) of a file another source plans, known by its first bytes; None for a file
    the readers take. A file that cannot be opened is an error here already."""
    try:
        with compression.open_readonly(path) as handle:
            head = handle.read(max((len(magic) for magic, _ in by_content), default=0))
    except OSError as exc:
        return iter((SourceError(source, path, _os_reason(exc, path)),))
    for magic, planner in by_content:
        if head.startswith(magic):
            return planner(path, options, source)
    return None


def rotation_base(name: str, present: set[str]) -> str | None:
    """The set a file name belongs to (``app.log`` for ``app.log.2.gz``), or None for a file on its own.

    A numbered or dated name joins its base when that file is there or the base names a log; a
    compressed copy (``app.log.gz``) only when the base file is there.
    """
    found = _ROTATED.fullmatch(name)
    if found is None:
        return None
    base = found.group("base")
    rotated = found.group("number") or found.group("date")
    if base == name or not (rotated or found.group("compressed")):
        return None
    if base in present or (rotated and "log" in base.lower()):
        return base
    return None


def _member_order(name: str) -> tuple[int, int]:
    """Newest first: the base file, then .1, .2 ..., then dated files from the latest."""
    found = _ROTATED.fullmatch(name)
    if found is None or not (found.group("number") or found.group("date") or found.group("compressed")):
        return (0, 0)
    if found.group("number"):
        return (1, int(found.group("number")))
    if found.group("date"):
        return (2, -int(found.group("date").replace("-", "")))
    return (1, 0)


def _group_rotations(source: str, directory: str, files: list[_File]) -> Iterator[FileTask]:
    present = {file.name for file in files}
    sets: dict[str, list[_File]] = {}
    for file in files:
        base = rotation_base(file.name, present)
        sets.setdefault(base if base is not None else file.name, []).append(file)
    for key, members in sets.items():
        if len(members) == 1 and members[0].name == key:
            yield FileTask(source, members[0].path, members[0].size)
            continue
        members.sort(key=lambda file: _member_order(file.name))
        yield FileTask(source, os.path.join(directory, key), sum(file.size for file in members),
                       tuple(file.path for file in members))


# ---------------------------------------------------------------- reasons

def _os_reason(exc: OSError, path: str) -> str:
    """Why a path cannot be read, in words (the exception text would repeat the path)."""
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "broken symbolic link"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "not a regular file"
    return (exc.strerror or type(exc).__name__).lower()


def _not_regular(mode: int) -> str:
    kind = ("socket" if stat.S_ISSOCK(mode) else "named pipe" if stat.S_ISFIFO(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file ({kind}): not scanned"
