"""The state of scheduled runs (``--state FILE``): what was scanned, so that the next run reads only
what is new, and what was found, so that its report stays complete.

Per file: its identity (device, inode, size, modification time, the SHA-256 of its first block),
how far it was scanned (byte offset and lines), and its findings as a task reading it alone reports
them (masked examples, keyed value digests when a baseline key is in use, never a raw value), with the
sums the merge needs. Per table: its findings, given again unless ``--rescan-tables``.

The next run, per file:
- same identity: the stored findings, nothing read;
- same device, inode and first block, and larger (appended to): the new bytes only, from the stored
  offset and line (a file read line by line: text, logs, JSON lines; another format is read again);
- same device, inode and first block under another name (rotated: ``app.log`` is now ``app.log.1``):
  as above, under its new name;
- a compressed file whose first block and size (the gzip trailer's) are those of a file scanned to its
  end (``app.log.1`` compressed to ``app.log.2.gz``): the stored findings, nothing read;
- anything else (new, truncated, replaced): read in full.

Per remote object (``s3://``...): its identity from the listing (version id or ETag, size, modification
time), no credential; the same identity: the stored findings, nothing read; another (objects are
replaced, never appended to): read in full. An object whose read met an error is not recorded, so
that the next run reads it again.

The file is JSON (``FORMAT.md``-style description in the README), written atomically (a temporary file
renamed over it) with mode 0600. A file that is not a pdscan state, or is corrupt, is reported and
ignored: the run scans everything and writes a new one.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from pdscan.models import ContainerKind, Finding, Location, SourceError

FORMAT = "pdscan-state"
VERSION = 1
FIRST_BLOCK = 4096


@dataclass(frozen=True)
class Stored:
    """A file's or table's results as one task reading it alone made them (source and container are
    the current task's when given back)."""

    findings: tuple[Finding, ...]
    score_sums: tuple[float, ...]
    examined: tuple[tuple[str | None, int], ...]  # field (None: free-text lines) -> examined
    values: int
    lines: int


@dataclass(frozen=True)
class Identity:
    device: int
    inode: int
    size: int
    mtime_ns: int
    head_length: int
    head_sha256: str


@dataclass(frozen=True)
class ObjectIdentity:
    """A remote object as its store lists it: a new version, ETag, size or time is another object."""

    tag: str
    size: int
    mtime: float | None


@dataclass(frozen=True)
class FileEntry:
    path: str  # as the run that stored it showed it (its findings' locations name it)
    identity: Identity
    offset: int  # bytes scanned from the start; -1: a compressed twin of a file read to its end
    fmt: str | None  # a format read line by line (appended bytes can be read alone), else None
    stored: Stored  # without its findings, which are
    findings: tuple[dict, ...]  # as stored: ``given_back`` makes them the current task's


# ---------------------------------------------------------------- identity

def _head_hash(path: str, length: int, compressed: bool = False) -> str | None:
    from pdscan.sources import compression

    try:
        with compression.open_readonly(path) as raw:
            if compressed:
                _, stream = compression.decompressing(raw)
                head = stream.read(length)
            else:
                head = raw.read(length)
    except (OSError, EOFError, ImportError) + compression.STREAM_ERRORS:
        return None
    return hashlib.sha256(head).hexdigest() if len(head) == length else None


def identity_of(path: str, head_length: int | None = None) -> Identity | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    length = min(info.st_size, FIRST_BLOCK) if head_length is None else head_length
    if length > info.st_size:
        return None
    digest = _head_hash(path, length)
    if digest is None:
        return None
    return Identity(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, length, digest)


def _gzip_size(path: str) -> int | None:
    """The uncompressed size modulo 2**32 a gzip file's trailer gives (one member: logrotate's)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(2) != b"\x1f\x8b":
                return None
            handle.seek(-4, os.SEEK_END)
            return struct.unpack("<I", handle.read(4))[0]
    except OSError:
        return None


# ---------------------------------------------------------------- (de)serialising

def _finding_dict(finding: Finding, masked: Callable[[Finding], tuple[str, ...]]) -> dict:
    return {"field": finding.field, "category": finding.category, "count": finding.count,
            "examined": finding.examined, "confidence": finding.confidence, "evidence": finding.evidence,
            "examples": list(masked(finding)), "location": finding.location.as_dict(),
            "detectors": list(finding.detectors),
            "oldest": finding.oldest.isoformat() if finding.oldest else None,
            "newest": finding.newest.isoformat() if finding.newest else None,
            "value_digests": sorted(finding.value_digests)}


def _finding(data: dict, source: str, container: str) -> Finding:
    return Finding(source=source, container=container, field=str(data["field"]), category=str(data["category"]),
                   count=int(data["count"]), examined=int(data["examined"]), confidence=float(data["confidence"]),
                   evidence=str(data["evidence"]), examples=tuple(map(str, data["examples"])),
                   location=Location(**data["location"]), detectors=tuple(map(str, data["detectors"])),
                   oldest=datetime.fromisoformat(data["oldest"]) if data["oldest"] else None,
                   newest=datetime.fromisoformat(data["newest"]) if data["newest"] else None,
                   value_digests=frozenset(map(str, data["value_digests"])))


def _stored_dict(stored: Stored, masked: Callable[[Finding], tuple[str, ...]]) -> dict:
    return {"findings": [_finding_dict(f, masked) for f in stored.findings], "score_sums": list(stored.score_sums),
            "examined": [[field, count] for field, count in stored.examined], "values": stored.values,
            "lines": stored.lines}


def _stored(data: dict) -> tuple[list[dict], Stored]:
    """The findings as stored (source and container are filled in when used), and the rest."""
    examined = tuple((None if f is None else str(f), int(n)) for f, n in data["examined"])
    return data["findings"], Stored((), tuple(map(float, data["score_sums"])), examined, int(data["values"]),
                                    int(data["lines"]))


# ---------------------------------------------------------------- the state

class State:
    """The loaded state of the previous run, and what this run records for the next."""

    def __init__(self, path: str, files: dict[str, dict] | None = None, tables: dict[str, dict] | None = None,
                 objects: dict[str, dict] | None = None):
        self.path = path
        self._files = files or {}
        self._tables = tables or {}
        self._objects = objects or {}
        self._new_files: dict[str, dict] = {}
        self._new_tables: dict[str, dict] = {}
        self._new_objects: dict[str, dict] = {}

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str) -> tuple["State", SourceError | None]:
        """The state in ``path`` (empty when there is none yet), and the problem that made it unusable."""
        try:
            with open(path, "rb") as handle:
                data = json.loads(handle.read().decode("utf-8"))
        except FileNotFoundError:
            return cls(path), None
        except (OSError, ValueError) as exc:
            return cls(path), _problem(path, f"cannot read it ({type(exc).__name__})")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(path), _problem(path, "not a pdscan state file")
        if data.get("version") != VERSION:
            return cls(path), _problem(path, f"state version {data.get('version')!r}, this pdscan reads {VERSION}")
        files, tables = data.get("files"), data.get("tables")
        objects = data.get("objects", {})  # remote objects: absent from states written before them
        if not isinstance(files, dict) or not isinstance(tables, dict) or not isinstance(objects, dict):
            return cls(path), _problem(path, "corrupt (no files or tables)")
        try:
            for entry in files.values():
                Identity(**entry["identity"])
                _stored(entry)
            for entry in tables.values():
                _stored(entry)
            for entry in objects.values():
                ObjectIdentity(**entry["identity"])
                _stored(entry)
        except (KeyError, TypeError, ValueError) as exc:
            return cls(path), _problem(path, f"corrupt ({type(exc).__name__}: {exc})")
        return cls(path, files, tables, objects), None

    # -- files ---------------------------------------------------------------------------------
    def previous(self, path: str) -> tuple[FileEntry | None, Identity | None]:
        """What the last run knew of the file now at ``path`` (under this or an older name), and its
        identity now. None: read it in full."""
        entry = self._files.get(os.path.abspath(path))
        now = identity_of(path, entry["identity"]["head_length"] if entry else None)
        if entry is not None and now is not None and self._continues(entry, now):
            return self._entry(path, entry), now
        now = now if entry is None else identity_of(path)
        if now is None:
            return None, None
        for old_path, old in self._files.items():  # rotated: the same file under a new name
            same_inode = (old["identity"]["device"], old["identity"]["inode"]) == (now.device, now.inode)
            if old_path != os.path.abspath(path) and same_inode:
                moved = identity_of(path, old["identity"]["head_length"])
                if moved is not None and self._continues(old, moved):
                    return self._entry(old_path, old), moved
        twin = self._compressed_twin(path)
        if twin is not None:
            return twin, now
        return None, now

    @staticmethod
    def _continues(entry: dict, now: Identity) -> bool:
        """The same file, scanned up to ``offset`` and not truncated or rewritten since (as far as
        its first block and size say)."""
        old = entry["identity"]
        if (old["device"], old["inode"], old["head_sha256"]) != (now.device, now.inode, now.head_sha256):
            return False
        # Larger: appended to. The same size: unchanged only if not modified since (rewritten in place).
        return now.size > old["size"] or (now.size == old["size"] and now.mtime_ns == old["mtime_ns"])

    def _compressed_twin(self, path: str) -> FileEntry | None:
        size = _gzip_size(path)
        if size is None:
            return None
        for old_path, old in self._files.items():
            identity = old["identity"]
            if old["offset"] == identity["size"] and identity["size"] % (1 << 32) == size and \
                    _head_hash(path, identity["head_length"], compressed=True) == identity["head_sha256"]:
                return replace(self._entry(old_path, old), offset=-1)  # -1: complete, nothing to read
        return None

    @staticmethod
    def _entry(path: str, entry: dict) -> FileEntry:
        findings, stored = _stored(entry)
        return FileEntry(str(entry.get("shown", path)), Identity(**entry["identity"]), int(entry["offset"]),
                         entry.get("format"), stored, tuple(findings))

    def record_file(self, path: str, identity: Identity, offset: int, fmt: str | None, stored: Stored,
                    masked: Callable[[Finding], tuple[str, ...]]) -> None:
        identity = replace(identity, size=max(identity.size, offset))
        self._new_files[os.path.abspath(path)] = {"shown": path, "identity": identity.__dict__, "offset": offset,
                                                  "format": fmt, **_stored_dict(stored, masked)}

    # -- remote objects ------------------------------------------------------------------------
    def previous_object(self, url: str, now: ObjectIdentity) -> tuple[Stored, tuple[dict, ...]] | None:
        """The stored results of the object at ``url`` if it is the one the last run read, else None."""
        entry = self._objects.get(url)
        if entry is None or ObjectIdentity(**entry["identity"]) != now:
            return None
        findings, stored = _stored(entry)
        return stored, tuple(findings)

    def record_object(self, url: str, identity: ObjectIdentity, stored: Stored,
                      masked: Callable[[Finding], tuple[str, ...]]) -> None:
        self._new_objects[url] = {"identity": identity.__dict__, **_stored_dict(stored, masked)}

    # -- tables --------------------------------------------------------------------------------
    def table(self, source: str, container: str) -> dict | None:
        return self._tables.get(f"{source}\t{container}")

    def record_table(self, source: str, container: str, stored: Stored,
                     masked: Callable[[Finding], tuple[str, ...]]) -> None:
        self._new_tables[f"{source}\t{container}"] = _stored_dict(stored, masked)

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        """Atomically, mode 0600: a temporary file beside the state, renamed over it."""
        directory = os.path.dirname(os.path.abspath(self.path))
        data = {"format": FORMAT, "version": VERSION, "files": self._new_files, "tables": self._new_tables}
        if self._new_objects:  # only where remote paths were scanned: other states stay as they were
            data["objects"] = self._new_objects
        handle, temporary = tempfile.mkstemp(prefix=".pdscan-state-", dir=directory)
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, separators=(",", ":"))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


def given_back(stored_findings: tuple, source: str, container: str, old_path: str, new_path: str,
               ) -> tuple[Finding, ...]:
    """Stored findings (as loaded: dicts) as the current task's, under the file's current name."""
    findings = []
    for data in stored_findings:
        finding = _finding(data, source, container)
        if finding.location.path == old_path and old_path != new_path:
            finding = replace(finding, location=replace(finding.location, path=new_path))
        findings.append(finding)
    return tuple(findings)


def _problem(path: str, reason: str) -> SourceError:
    return SourceError(path, path, f"state file {reason}: ignored, everything scanned, a new state written",
                       severity="warning")


# ---------------------------------------------------------------- planning a run with the state

def planner(state: State, rescan_tables: bool, masked: Callable[[Finding], tuple[str, ...]]):
    """The scanner's ``planner``: per task, its parts from what the state knows."""
    from pdscan.scanner import Part, TaskResult
    from pdscan.sources.files import FileTask
    from pdscan.sources.ranges import RANGE_BYTES, RangeTask, line_cuts, piece_count, rangeable_format

    def as_result(stored: Stored, findings: tuple[Finding, ...], source: str, container: str) -> TaskResult:
        examined = tuple(((source, container, field), count) for field, count in stored.examined)
        return TaskResult(findings, (), 0, stored.values, stored.score_sums, stored.lines, examined)

    def as_stored(result: TaskResult) -> Stored:
        return Stored(result.findings, result.score_sums, tuple((key[2], n) for key, n in result.examined),
                      result.values, result.lines)

    def ranges(task, path: str, start: int, end: int, fmt: str, line_base: int, jobs: int) -> tuple:
        pieces = piece_count(end - start, jobs) if jobs > 1 and end - start >= 2 * RANGE_BYTES else 1
        cuts = line_cuts(path, start, end, pieces) if pieces > 1 else [start, end]
        return tuple(RangeTask(task.source, task.container, path, a, b, fmt, line_base if a == start else 0)
                     for a, b in zip(cuts, cuts[1:]))

    def file_part(task, path: str, jobs: int) -> Part:
        whole = FileTask(task.source, task.container, 0, () if path == task.container else (path,))
        entry, now = state.previous(path)
        if now is None:
            return Part(None, (whole,))  # gone or unreadable: its reader says why

        def record(result: TaskResult, offset: int = now.size, fmt: str | None = None) -> None:
            state.record_file(path, now, offset, fmt, as_stored(result), masked)

        if entry is not None:
            stored = as_result(entry.stored, given_back(entry.findings, task.source, task.container,
                                                        entry.path, path), task.source, task.container)
            if entry.offset < 0:  # a compressed twin: complete, and never appended to as text
                return Part(stored, (), lambda r: record(r, now.size, None))
            if now.size == entry.offset:  # nothing new
                return Part(stored, (), lambda r: record(r, now.size, entry.fmt))
            if entry.fmt:  # appended: the new lines only
                runs = ranges(task, path, entry.offset, now.size, entry.fmt, entry.stored.lines, jobs)
                return Part(stored, runs, lambda r: record(r, now.size, entry.fmt))
        fmt = rangeable_format(path)
        if fmt is None:
            return Part(None, (replace(whole, size=now.size),), lambda r: record(r, now.size, None))
        return Part(None, ranges(task, path, 0, now.size, fmt, 0, jobs), lambda r: record(r, now.size, fmt))

    def object_part(task, member, jobs: int) -> Part:
        from pdscan.sources.remote import RemoteTask, task_pieces

        now = ObjectIdentity(member.tag, member.size, member.mtime)

        def record(result: TaskResult) -> None:
            # Not read (denied, gone, broken off): nothing to remember, the next run tries again.
            if not any(error.incomplete for error in result.errors):
                state.record_object(member.url, now, as_stored(result), masked)

        known = state.previous_object(member.url, now)
        if known is not None:
            stored, findings = known
            found = given_back(findings, task.source, task.container, member.url, member.url)
            return Part(as_result(stored, found, task.source, task.container), (), record)
        whole = RemoteTask(task.source, task.container, member.size, (member,))
        runs = task_pieces(whole, jobs, RANGE_BYTES) or (whole,)
        return Part(None, tuple(runs), record)

    def plan(task, jobs: int) -> list[Part]:
        if type(task).__name__ == "RemoteTask":
            return [object_part(task, member, jobs) for member in task.members]
        if task.kind is ContainerKind.TABLE:
            def record_table(result: TaskResult) -> None:
                state.record_table(task.source, task.container, as_stored(result), masked)

            known = state.table(task.source, task.container)
            if known is not None and not rescan_tables:
                findings, stored = _stored(known)
                result = as_result(stored, given_back(tuple(findings), task.source, task.container, "", ""),
                                   task.source, task.container)
                return [Part(result, (), record_table)]
            return [Part(None, (task,), record_table)]
        if not isinstance(task, FileTask):
            return [Part(None, (task,))]  # standard input: nothing to remember
        return [file_part(task, path, jobs) for path in (task.members or (task.container,))]

    return plan
