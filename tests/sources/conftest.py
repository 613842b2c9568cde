"""Fixtures for source tests: the database servers' URLs (tests/dbservers.py, on sys.path via tests/conftest.py)."""
from dbservers import mysql_urls, pg_urls  # noqa: F401  (pytest fixtures)
