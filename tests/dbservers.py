"""URLs of the real PostgreSQL and MariaDB test servers started by `bash scripts/dbservers.sh`.

Use from a test module:  from dbservers import pg_urls, mysql_urls  # noqa: F401  (pytest fixtures)
Each fixture gives {'chinook': url, 'northwind': url}, read from PDSCAN_TEST_{PG,MYSQL}_URL_* or else
from $PDSCAN_DB_DIR/urls.env (default /tmp/pdscan-dbs). Missing servers fail the test, or skip it
when PDSCAN_SKIP_DB_TESTS=1.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

DATABASES = ("chinook", "northwind")


def _urls(kind: str) -> dict[str, str]:
    keys = {db: f"PDSCAN_TEST_{kind}_URL_{db.upper()}" for db in DATABASES}
    found = {db: os.environ[key] for db, key in keys.items() if os.environ.get(key)}
    env_file = Path(os.environ.get("PDSCAN_DB_DIR", "/tmp/pdscan-dbs")) / "urls.env"
    if len(found) < len(keys) and env_file.is_file():
        pairs = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
        found = {db: found.get(db) or pairs.get(key, "").strip() for db, key in keys.items()}
    if all(found.get(db) for db in DATABASES):
        return found
    message = (f"no {kind} test database URLs ({', '.join(keys.values())} unset and no complete "
               f"{env_file}): run `bash scripts/dbservers.sh` first, or set PDSCAN_SKIP_DB_TESTS=1")
    if os.environ.get("PDSCAN_SKIP_DB_TESTS") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def pg_urls() -> dict[str, str]:
    return _urls("PG")


@pytest.fixture(scope="session")
def mysql_urls() -> dict[str, str]:
    return _urls("MYSQL")
