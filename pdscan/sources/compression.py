"""Compressed streams, recognised by their first bytes rather than by their names.

A ``.log`` that is really gzip, or a ``.gz`` that is really text, is read for what it is. Every
stream here is read-only and works on pipes too (stdin): bytes read to sniff a stream are given
back to its reader instead of seeking.
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import zlib
from typing import BinaryIO

MAGIC_BYTES = 10
_BUFFER = 1 << 16
_GZIP = b"\x1f\x8b"
_XZ = b"\xfd7zXZ\x00"
_ZSTD = b"\x28\xb5\x2f\xfd"
_BZIP2_BLOCK = (b"1AY&SY", b"\x17rE8P\x90")  # first block, or end of stream (empty input)

SUFFIXES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}


def compression_of(head: bytes) -> str | None:
    """``"gzip"``, ``"bzip2"``, ``"xz"``, ``"zstd"`` or None, from a stream's first ``MAGIC_BYTES`` bytes."""
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_XZ):
        return "xz"
    if head.startswith(_ZSTD):
        return "zstd"
    # "BZh9" alone is plausible text; the block magic after it is not.
    if head[:3] == b"BZh" and len(head) >= 10 and 0x31 <= head[3] <= 0x39 and head[4:10] in _BZIP2_BLOCK:
        return "bzip2"
    return None


def _zstd_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:
        return ()
    return (zstandard.ZstdError,)


class LimitExceeded(Exception):
    """A compressed stream gave more than a limit allows: the rest of it is not read."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


# What a failing decompressor or disk raises while we read: the caller reports it and keeps what it read.
STREAM_ERRORS: tuple[type[BaseException], ...] = ((EOFError, OSError, zlib.error, lzma.LZMAError, LimitExceeded)
                                                  + _zstd_errors())
# The ratio is judged once this much came out: a small file may expand any amount, it costs nothing.
RATIO_FLOOR = 64 << 20


class _Counted(io.RawIOBase):
    """The compressed stream, counting the bytes the decompressor took from it."""

    def __init__(self, raw: BinaryIO):
        self._read = _one_read(raw)
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._read(len(buffer))
        buffer[:len(data)] = data
        self.taken += len(data)
        return len(data)


class _Bounded(io.RawIOBase):
    """Decompressed bytes, stopped by ``LimitExceeded`` past ``max_bytes`` or, once ``RATIO_FLOOR``
    came out, past ``max_ratio`` times what was taken from the compressed stream (0: no limit).
    A decompression bomb then costs bounded time; what came out before the limit is still scanned."""

    def __init__(self, stream: BinaryIO, counted: _Counted, max_bytes: int, max_ratio: float):
        self._read = _one_read(stream)
        self._counted = counted
        self._max_bytes, self._max_ratio = max_bytes, max_ratio
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._read(len(buffer))
        self.given += len(data)
        if self._max_bytes and self.given > self._max_bytes:
            raise LimitExceeded(f"it decompresses to more than {self._max_bytes} bytes (the per-file limit)")
        if self._max_ratio and self.given > RATIO_FLOOR and self.given > self._max_ratio * max(1, self._counted.taken):
            raise LimitExceeded(f"it decompresses to more than {self._max_ratio:g} times its size (the per-file limit)")
        buffer[:len(data)] = data
        return len(data)


def open_readonly(path: str) -> BinaryIO:
    """An unbuffered read-only handle on a regular file.

    O_NOATIME keeps backup and retention tools that look at access times undisturbed; the kernel only
    grants it to the file's owner (or root), so it is dropped when refused. O_NONBLOCK keeps a FIFO that
    replaced a planned file from blocking the open; the handle is then refused as not a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    noatime = getattr(os, "O_NOATIME", 0)
    try:
        fd = os.open(path, flags | noatime)
    except PermissionError:
        if not noatime:
            raise
        fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"not a regular file: {path}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


class _GivenBack(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff them): returns them, then the rest.

    ``error`` is an exception met while reading those first bytes; it is raised once they are used up,
    so that the lines before it are still read and the failure is still reported.
    """

    def __init__(self, head: bytes, rest: BinaryIO, error: BaseException | None = None):
        self._head = memoryview(head)
        self._rest: BinaryIO | None = rest
        self._read = _one_read(rest)
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        if self._error is not None:
            error, self._error, self._rest = self._error, None, None
            raise error
        if self._rest is None:
            return 0
        data = self._read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _one_read(stream: BinaryIO):
    """``read1`` where there is one: a buffered ``read(n)`` that fails on its second raw read drops what
    the first one gave, and the lines before a truncated or corrupt end must still be scanned."""
    return getattr(stream, "read1", stream.read)


def read_head(stream: BinaryIO, size: int) -> tuple[bytes, BinaryIO, BaseException | None]:
    """The first ``size`` bytes of ``stream`` (fewer at its end), and a buffered stream that reads it all.

    A failure while reading the head is returned (and raised again by the new stream after the head).
    """
    chunks: list[bytes] = []
    got = 0
    error: BaseException | None = None
    read = _one_read(stream)
    try:
        while got < size:
            data = read(size - got)
            if not data:
                break
            chunks.append(data)
            got += len(data)
    except STREAM_ERRORS as exc:
        error = exc
    head = b"".join(chunks)
    return head, io.BufferedReader(_GivenBack(head, stream, error), buffer_size=_BUFFER), error


def decompressing(raw: BinaryIO, max_bytes: int = 0, max_ratio: float = 0) -> tuple[str | None, BinaryIO]:
    """The compression found in ``raw``'s first bytes, and a stream of its decompressed content,
    bounded by ``max_bytes`` and ``max_ratio`` (0: no limit; see ``_Bounded``).

    Raises ImportError for zstd when ``zstandard`` is not installed.
    """
    head, base, _ = read_head(raw, MAGIC_BYTES)
    kind = compression_of(head)
    if kind is None:
        return None, base
    counted = _Counted(base)
    compressed = io.BufferedReader(counted, buffer_size=_BUFFER)
    if kind == "gzip":
        stream = gzip.GzipFile(fileobj=compressed, mode="rb")
    elif kind == "bzip2":
        stream = bz2.BZ2File(compressed, "rb")
    elif kind == "xz":
        stream = lzma.LZMAFile(compressed, "rb")
    else:
        import zstandard

        stream = zstandard.ZstdDecompressor().stream_reader(compressed, read_across_frames=True)
    if not (max_bytes or max_ratio):
        return kind, stream
    return kind, io.BufferedReader(_Bounded(stream, counted, max_bytes, max_ratio), buffer_size=_BUFFER)


def describe_failure(kind: str | None, exc: BaseException, lines: int) -> str:
    """What went wrong while reading, without the exception's text: some (BadGzipFile) quote content bytes."""
    if isinstance(exc, LimitExceeded):
        return f"{kind} stream stopped after {lines} lines: {exc.what}; the rest is not scanned"
    if kind is None:
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        return f"read error after {lines} lines: {detail}"
    if isinstance(exc, EOFError):
        return f"truncated {kind} stream after {lines} lines"
    return f"corrupt {kind} stream after {lines} lines ({type(exc).__name__})"
