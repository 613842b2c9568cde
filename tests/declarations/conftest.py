"""Fixtures for the declaration tests: a small catalog of their own and a finding factory."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "declarations"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def decl_data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def decl_catalog():
    from pdscan.catalog import load_catalog

    return load_catalog(DATA / "catalog.yaml")


@pytest.fixture(scope="session")
def declarations(decl_catalog):
    from pdscan.declarations.loader import load_declarations

    return load_declarations(DATA / "pdscan.yaml", decl_catalog)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def make_finding():
    """``make_finding(category, container=..., field=..., table=False, ...)`` -> Finding."""
    from pdscan.models import Finding, Location

    def make(category: str, container: str = "logs/nginx/access.log", field: str = "", source: str | None = None,
             table: bool = False, line: int = 1, oldest: datetime | None = None, digests=(), count: int = 1) -> Finding:
        if table:
            source = source if source is not None else "sqlite:///srv/app.db"
            location = Location(table=container, column=field or None, row_key="1")
        else:
            source = source if source is not None else container
            location = Location(path=container, line=line)
        return Finding(source=source, container=container, field=field, category=category, count=count,
                       examined=count, confidence=0.9, evidence="value", examples=("x***",), location=location,
                       detectors=(category,), oldest=oldest, newest=oldest, value_digests=frozenset(digests))

    return make
