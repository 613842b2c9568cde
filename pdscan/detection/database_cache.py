"""An on-disk cache of compiled hyperscan databases.

Compiling every detector with start-of-match tracking takes seconds; a scheduled scan or a
worker process should not pay that on every start. The key is a hash of the expressions, their
flags and the hyperscan version, so any catalog change recompiles. A cache that cannot be read or
written is simply not used.
"""
from __future__ import annotations

import hashlib

import hyperscan

from pdscan import cache


def _name(expressions: list[bytes], flags: list[int]) -> str:
    digest = hashlib.sha256()
    digest.update(str(getattr(hyperscan, "__version__", "")).encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(len(expression).to_bytes(4, "big") + expression + flag.to_bytes(4, "big"))
    return f"hyperscan-{digest.hexdigest()[:32]}.db"


def load(expressions: list[bytes], flags: list[int]) -> hyperscan.Database | None:
    data = cache.read(_name(expressions, flags))
    if data is None:
        return None
    try:
        database = hyperscan.loadb(data, mode=hyperscan.HS_MODE_BLOCK)
        # A deserialised database comes without the scratch space that scanning needs.
        database.scratch = hyperscan.Scratch(database)
        return database
    except (hyperscan.error, TypeError, ValueError):
        return None


def store(expressions: list[bytes], flags: list[int], database: hyperscan.Database) -> None:
    try:
        data = hyperscan.dumpb(database)
    except hyperscan.error:
        return
    cache.write(_name(expressions, flags), data)
