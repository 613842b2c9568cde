"""Where pdscan keeps what it can rebuild (compiled hyperscan databases, the validated catalog).

Everything here is a pure speed-up: an entry is named by a hash of everything it was built from, so
a stale entry is never found, and a cache directory that cannot be read or written means only that
the work is done again. Writes go to a temporary file renamed into place, so that two processes
starting at once never read half an entry.
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


def read(name: str) -> bytes | None:
    """The bytes of entry ``name``, or None when there is none or it cannot be read."""
    try:
        return (cache_dir() / name).read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home directory
        return None


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
        return True
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False


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
