"""Column classification on real databases: precision and recall of the category tags.

Scans each database with pdscan (all rows) and compares the categories found per column with
the labels in tests/data/db_columns.yaml (ground truth in a data file; see its header).

Usage: python benchmarks/columns.py [URL_OR_PATH ...]
Without arguments: the full Chinook and Northwind SQLite files of ../shared/corpora (PDSCAN_SHARED)
when they are there, else (said so) the excerpts in tests/data/db/ built into SQLite; plus the
PostgreSQL and MariaDB copies of the excerpts when PDSCAN_TEST_PG_URL_* / PDSCAN_TEST_MYSQL_URL_* are
set (`set -a; . /tmp/pdscan-dbs/urls.env` after scripts/dbservers.sh).
"""
from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

from pdscan.catalog import load_catalog
from pdscan.detection.fields import normalise_field_name
from pdscan.scanner import ScanConfig, plan, scan
from pdscan.sources.base import ReadOptions

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests/data/db_columns.yaml"
SHARED = Path(os.environ.get("PDSCAN_SHARED", ROOT.parent / "shared"))


def load_labels() -> tuple[dict, set]:
    document = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return document["databases"], set(document.get("ignored", {}))


def table_key(container: str) -> str:
    return normalise_field_name(container.rsplit(".", 1)[-1].replace(" ", "_"))


def tags_by_column(source: str) -> tuple[dict[tuple[str, str], set[str]], set[str], int]:
    catalog = load_catalog()
    config = ScanConfig(sources=(source,), read=ReadOptions(sample_rows=0), jobs=1)
    tables = {table_key(task.container) for task in plan(config)[0]}
    result = scan(config, catalog)
    tags: dict[tuple[str, str], set[str]] = defaultdict(set)
    for finding in result.findings:
        tags[(table_key(finding.container), normalise_field_name(finding.field))].add(finding.category)
    return tags, tables, len(result.errors)


def score(database: str, source: str, labels: dict, ignored: set) -> tuple[int, int, int, list[str]]:
    tags, tables, errors = tags_by_column(source)
    truth = labels[database]
    tp = fp = fn = 0
    notes = []
    for (table, column), categories in sorted(tags.items()):
        if f"{database}.{table}.{column}" in ignored or table not in truth or column not in truth[table]:
            continue
        expected = set(truth[table][column])
        tp += len(categories & expected)
        extra = categories - expected
        fp += len(extra)
        if extra:
            notes.append(f"  false tag {table}.{column}: {sorted(extra)}")
    for table, columns in truth.items():
        if table not in tables:  # labels for tables a copy does not have (the PostgreSQL dump's region)
            continue
        for column, expected in columns.items():
            missing = set(expected) - tags.get((table, column), set())
            if missing:
                fn += len(missing)
                notes.append(f"  missed {table}.{column}: {sorted(missing)}")
    if errors:
        notes.append(f"  {errors} source errors")
    return tp, fp, fn, notes


def excerpt_sqlite(database: str, directory: Path) -> str:
    """The excerpt tests/data/db/<database>.sql as an SQLite file in ``directory``."""
    path = directory / f"{database}.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript((ROOT / f"tests/data/db/{database}.sql").read_text(encoding="utf-8"))
    connection.close()
    return str(path)


def default_sources(scratch: Path) -> list[tuple[str, str]]:
    full = {"chinook": SHARED / "corpora/db_chinook/Chinook_Sqlite.sqlite",
            "northwind": SHARED / "corpora/db_northwind/northwind.sqlite"}
    if all(path.is_file() for path in full.values()):
        sources = [(database, str(path)) for database, path in full.items()]
    else:
        print(f"no full corpora under {SHARED / 'corpora'} (set PDSCAN_SHARED): scoring the excerpts of "
              "tests/data/db/ instead")
        sources = [(database, excerpt_sqlite(database, scratch)) for database in full]
    for kind in ("PG", "MYSQL"):
        for database in ("chinook", "northwind"):
            url = os.environ.get(f"PDSCAN_TEST_{kind}_URL_{database.upper()}")
            if url:  # the servers hold the excerpts (scripts/dbservers.sh)
                sources.append((database, url))
    return sources


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pdscan-columns-") as scratch:
        return run(sys.argv[1:], Path(scratch))


def run(arguments: list[str], scratch: Path) -> int:
    labels, ignored = load_labels()
    sources = [(("northwind" if "northwind" in s.lower() else "chinook"), s) for s in arguments] or default_sources(scratch)
    total = [0, 0, 0]
    for database, source in sources:
        tp, fp, fn, notes = score(database, source, labels, ignored)
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        shown = source.split("@")[-1]
        print(f"{database:<10} {shown:<70} tags {tp + fp:>4}  precision {precision:.3f}  recall {recall:.3f}")
        for note in notes:
            print(note)
    tp, fp, fn = total
    print(f"all: precision {tp / (tp + fp) if tp + fp else 1:.3f}, recall {tp / (tp + fn) if tp + fn else 1:.3f} "
          f"({tp} right tags, {fp} false, {fn} missed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
