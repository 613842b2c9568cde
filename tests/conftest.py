"""Shared fixtures: the shipped catalog, one engine per session, the ../shared corpora."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # helper modules such as dbservers.py


def shared_dir() -> Path:
    return Path(os.environ.get("PDSCAN_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not (path / "corpora").is_dir():
        pytest.skip(f"the shared corpora are not at {path} (set PDSCAN_SHARED)")
    return path


@pytest.fixture(scope="session")
def catalog():
    from pdscan.catalog import load_catalog

    return load_catalog(os.environ.get("PDSCAN_TEST_CATALOG"))


@pytest.fixture(scope="session")
def engine(catalog):
    from pdscan.detection.engine import Engine

    return Engine(catalog)
