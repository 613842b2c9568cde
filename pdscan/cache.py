"""Where pdscan keeps what it can rebuild (compiled hyperscan databases, the validated catalog).

Everything here is a pure speed-up: an entry is named by a hash of everything it was built from, so
a stale entry is never found, and a cache directory that cannot be read or written means only that
the work is done again. Writes go to a temporary file renamed into place, so that two processes
starting at once never read half an entry. Entries are named ``kind-hash.ext``; each write keeps only
the most recently used entries of its kind (a read marks an entry used), so that catalog edits and
upgrades do not pile up old entries: a compiled hyperscan database is over 20 MB.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any, Iterable


def cache_dir() -> Path:
    """``$PDSCAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/pdscan``, else ``~/.cache/pdscan``."""
    configured = os.environ.get("PDSCAN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pdscan"


# Entries kept per kind (the part of a name before its first "-"), the most recently used first.
_KEEP = {"hyperscan": 3}
_KEEP_OTHERS = 32


def read(name: str) -> bytes | None:
    """The bytes of entry ``name``, or None when there is none or it cannot be read."""
    try:
        path = cache_dir() / name
        data = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home directory
        return None
    try:
        os.utime(path)  # used now: the last to be pruned
    except OSError:
        pass
    return data


def write(name: str, data: bytes) -> bool:
    """Store entry ``name`` atomically; False (and nothing raised) when the directory is unwritable."""
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    except (OSError, RuntimeError):
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, directory / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    _prune(directory, name)
    return True


def _prune(directory: Path, written: str) -> None:
    """Delete the entries of ``written``'s kind beyond the most recently used ones. Another process
    may be using one: it only builds it again (and a file already open stays readable)."""
    kind, dash, _ = written.partition("-")
    if not dash:
        return
    keep = _KEEP.get(kind, _KEEP_OTHERS)
    entries = []
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                if entry.name.startswith(kind + "-") and entry.name != written:
                    try:
                        entries.append((entry.stat().st_mtime, entry.path))
                    except OSError:
                        continue  # gone meanwhile
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep - 1:]:  # the written entry is one of those kept
        try:
            os.unlink(path)
        except OSError:
            pass


def code_digest(*files: Path) -> str:
    """A hash of pdscan's version and of the source files a cached record's validity depends on."""
    from pdscan import __version__

    digest = hashlib.sha256(f"pdscan {__version__}\0".encode())
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            data = b"?"
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class _RecordUnpickler(pickle.Unpickler):
    """Refuses every global but the named record classes: an entry is data, it can never run code
    (the cache directory is writable by the user, and possibly by whatever they run)."""

    def __init__(self, data: bytes, records: dict[str, type]):
        super().__init__(io.BytesIO(data))
        self._records = records

    def find_class(self, module: str, name: str):
        record = self._records.get(f"{module}.{name}")
        if record is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not an allowed record")
        return record


def load_records(name: str, records: Iterable[type], expected: type) -> Any | None:
    """The frozen records stored as ``name``, or None when absent, damaged, or not an ``expected``."""
    data = read(name)
    if data is None:
        return None
    allowed = {f"{r.__module__}.{r.__qualname__}": r for r in records}
    try:
        value = _RecordUnpickler(data, allowed).load()
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is rebuilt, whatever is wrong with it
        return None
    return value if isinstance(value, expected) else None


def store_records(name: str, value: Any) -> bool:
    return write(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
