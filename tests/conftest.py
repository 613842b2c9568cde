"""Shared fixtures: the shipped catalog, one engine per session, the test databases built from
tests/data/db/, and the texts that stay outside the repository (../shared, when it is there)."""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DB_DATA = ROOT / "tests/data/db"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # helper modules such as dbservers.py


def shared_dir() -> Path:
    return Path(os.environ.get("PDSCAN_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The big corpora beside the checkout (CI has them; a plain clone does not). Only loghub's logs are
    read from there by tests: their licence (research use only) does not let us copy an excerpt."""
    path = shared_dir()
    if not (path / "corpora").is_dir():
        pytest.skip(f"needs loghub's logs (research-only licence, not copied here) in {path}/corpora; "
                    "set PDSCAN_SHARED")
    return path


@pytest.fixture(scope="session")
def policies() -> Path:
    """The company's policy texts: $PDSCAN_POLICIES, else ../shared/policies. They are not ours to ship."""
    path = Path(os.environ.get("PDSCAN_POLICIES") or shared_dir() / "policies")
    if not any(path.glob("*.txt")):
        pytest.skip(f"needs the policy texts, not at {path} (set PDSCAN_POLICIES)")
    return path


def build_sqlite(name: str, directory: Path) -> Path:
    """``<name>.sqlite`` in ``directory``, built from the excerpt ``tests/data/db/<name>.sql``."""
    path = directory / f"{name}.sqlite"
    connection = sqlite3.connect(path)
    try:
        connection.executescript((DB_DATA / f"{name}.sql").read_text(encoding="utf-8"))
    finally:
        connection.close()
    return path


@pytest.fixture(scope="session")
def chinook_db(tmp_path_factory) -> Path:
    """The Chinook excerpt as an SQLite file (the same rows the test servers hold)."""
    return build_sqlite("chinook", tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def northwind_db(tmp_path_factory) -> Path:
    """The Northwind excerpt as an SQLite file (the same rows the test servers hold)."""
    return build_sqlite("northwind", tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def catalog():
    from pdscan.catalog import load_catalog

    return load_catalog(os.environ.get("PDSCAN_TEST_CATALOG"))


@pytest.fixture(scope="session")
def engine(catalog):
    from pdscan.detection.engine import Engine

    return Engine(catalog)
