"""`pdscan.dataframe.scan_dataframe`: a pandas or Dask DataFrame gives the findings (and verdicts) that
a scan of the same rows in a database table gives; sample_data/app.db is the ground truth."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pdscan.dataframe import scan_dataframe
from pdscan.run import Setup, judge, load_declarations, scan
from pdscan.scanner import ScanConfig

pd = pytest.importorskip("pandas", reason="scan_dataframe is for pandas/Dask frames: pip install pandas")

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)


def _comparable(finding):
    """A finding without where it was read (a file path and row key differ; what was found may not)."""
    return (finding.field, finding.category, finding.count, finding.examined, finding.confidence, finding.evidence,
            finding.examples, finding.detectors, finding.oldest, finding.newest)


@pytest.fixture(scope="module")
def table_scan(catalog):
    declarations = load_declarations(SAMPLE / "pdscan.yaml", catalog)
    result = scan(ScanConfig(sources=(str(SAMPLE / "app.db"),)), catalog, Setup(declarations), quiet=True)
    verdicts, _ = judge(result, Setup(declarations), catalog, NOW)
    return result, verdicts


def _frame(table: str):
    """The table's rows as SQLite stores them, in key order (pdscan reads a table whole in key order)."""
    with sqlite3.connect(SAMPLE / "app.db") as connection:
        return pd.read_sql_query(f'SELECT * FROM "{table}" ORDER BY rowid', connection)


@pytest.mark.parametrize("table", ["users", "devices", "orders"])
def test_a_frame_gives_the_findings_and_verdicts_of_its_table(table, table_scan, catalog):
    result, verdicts = table_scan
    expected = sorted(_comparable(f) for f in result.findings if f.container == table)
    expected_verdicts = sorted((v.finding.field, v.finding.category, v.verdict, v.reason) for v in verdicts
                               if v.finding.container == table)
    found = scan_dataframe(_frame(table), catalog, SAMPLE / "pdscan.yaml", source=table, now=NOW)
    assert expected and sorted(_comparable(f) for f in found.findings) == expected
    assert sorted((v.finding.field, v.finding.category, v.verdict, v.reason) for v in found.verdicts) == expected_verdicts
    assert not found.errors
    assert all(f.location.row_key.startswith("row=") for f in found.findings)  # a row by its number


def test_missing_values_are_null_and_examples_masked(catalog):
    frame = pd.DataFrame({"email": ["ann.lee@example.org", None, float("nan"), "bo.chan@example.net"],
                          "visits": [1, 2, None, 4]})
    found = scan_dataframe(frame, catalog)
    (email,) = [f for f in found.findings if f.category == "email"]
    assert (email.field, email.count, email.examined) == ("email", 2, 2)
    assert "ann.lee@example.org" not in email.examples and found.verdicts == ()


def test_a_dask_frame_is_read_partition_by_partition_with_the_same_findings(catalog):
    dd = pytest.importorskip("dask.dataframe", reason="needs dask[dataframe]")
    frame = _frame("users")
    whole = scan_dataframe(frame, catalog, source="users")
    parts = scan_dataframe(dd.from_pandas(frame, npartitions=3), catalog, source="users")
    assert whole.findings and parts.findings == whole.findings
