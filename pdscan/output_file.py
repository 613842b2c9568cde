"""Files pdscan writes (the report, a baseline, a draft declaration file): checked before the scan,
written whole or not at all.

A report is written to a temporary file beside its target and renamed over it, so that a failure
(a full disk, an interrupted scan, text that cannot be encoded) leaves the previous report as it
was, never a 0-byte or half file. A target that exists and is not a regular file (``/dev/stdout``,
``/dev/full``, a FIFO) is written in place: renaming over a device would replace it.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


class OutputError(ValueError):
    """A file that cannot be written: ``str()`` names it and says why."""


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def check_writable(path: str | Path, what: str) -> None:
    """``OutputError`` when ``path`` cannot be written, known before any work: a missing or read-only
    directory, a directory where the file should be. ``what`` names the file in the message."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{what} {path}: is a directory")
    if _is_special(path):
        if not os.access(path, os.W_OK):
            raise OutputError(f"{what} {path}: not writable")
        return
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"{what} {path}: no such directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {path}: the directory {directory} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{what} {path}: not writable")


def write_text(path: str | Path, text: str, what: str = "output") -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see the module's docstring); ``OutputError``
    when it cannot be written."""
    import tempfile  # here: `pdscan scan` to standard output needs none of it

    path = Path(path)
    data = text.encode("utf-8")
    try:
        if _is_special(path):
            with open(path, "wb") as handle:
                handle.write(data)
            return
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {what} {path}: {exc.strerror or exc}") from None
