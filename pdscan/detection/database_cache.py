"""An on-disk cache of compiled hyperscan databases.

Compiling every detector with start-of-match tracking takes seconds; a scheduled scan or a
worker process should not pay that on every start. The key is a hash of the expressions, their
flags and the hyperscan version, so any catalog change recompiles. A cache that cannot be read or
written is simply not used.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import hyperscan

from pdscan.cache import cache_dir as _cache_dir


def _path(expressions: list[bytes], flags: list[int]) -> Path:
    digest = hashlib.sha256()
    digest.update(str(getattr(hyperscan, "__version__", "")).encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(len(expression).to_bytes(4, "big") + expression + flag.to_bytes(4, "big"))
    return _cache_dir() / f"hyperscan-{digest.hexdigest()[:32]}.db"


def load(expressions: list[bytes], flags: list[int]) -> hyperscan.Database | None:
    try:
        database = hyperscan.loadb(_path(expressions, flags).read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
        # A deserialised database comes without the scratch space that scanning needs.
        database.scratch = hyperscan.Scratch(database)
        return database
    except (OSError, hyperscan.error, TypeError, ValueError):
        return None


def store(expressions: list[bytes], flags: list[int], database: hyperscan.Database) -> None:
    path = _path(expressions, flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(hyperscan.dumpb(database))
        temporary.replace(path)
    except (OSError, hyperscan.error):
        pass
