"""One name for a source or file however its path was typed.

``pdscan scan sample_data/``, ``./sample_data``, ``sample_data`` and ``/home/me/shop/sample_data``
name the same directory; run from ``sample_data/logs``, ``app.log`` names what ``sample_data/logs/app.log``
names from the top. Baselines, declaration globs and drafts compare paths in one form: relative to
an anchor directory (the declaration file's, else the working directory), ``/``-separated, with
``.``, ``..``, doubled and trailing slashes resolved away. A path outside the anchor keeps its
absolute form (a relative one would start with ``..`` and depend on where the anchor is checked out).
Database URLs, remote URLs (``s3://bucket/logs/app.log``) and ``-`` (standard input) are names already
and stay as they are.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pdscan.sources.urls import is_database_url


def _is_remote(path: str) -> bool:
    if "://" not in path:
        return False
    from pdscan.sources.remote import is_remote_url

    return is_remote_url(path)


def anchor(declarations_path: str | Path | None) -> Path:
    """The directory paths are named from: the declaration file's, else the working directory."""
    if declarations_path is not None:
        return Path(os.path.abspath(declarations_path)).parent
    return Path(os.getcwd())


def local_path(path: str, root: str | Path, cwd: str | None = None) -> str:
    """``path`` (relative to ``cwd``, the working directory by default) as seen from ``root``."""
    return _local_path(path, str(root), cwd or os.getcwd())


@lru_cache(maxsize=8192)
def _local_path(path: str, root: str, cwd: str) -> str:
    if _is_remote(path):  # s3://bucket/key: a name already, not relative to any directory
        return path
    absolute = os.path.normpath(os.path.join(cwd, path))
    base = os.path.normpath(os.path.join(cwd, root))
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix):].replace(os.sep, "/")
    return absolute.replace(os.sep, "/")


def source_key(source: str, root: str | Path, cwd: str | None = None) -> str:
    """A scanned argument in the form baselines store: a path as ``local_path``, anything else as is."""
    if source == "-" or is_database_url(source) or _is_remote(source):
        return source
    return local_path(source, root, cwd)
