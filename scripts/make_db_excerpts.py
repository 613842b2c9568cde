#!/usr/bin/env python3
"""Write the Chinook and Northwind excerpts in tests/data/db/ from the full SQLite files in ../shared.

    python scripts/make_db_excerpts.py [--shared ../shared]

The excerpts are what the database tests load into SQLite, PostgreSQL and MariaDB, so a plain clone
needs nothing beside it. Each is one SQL script in SQLite's dialect: the original CREATE statements
(tables, indexes, views) verbatim, then the kept rows, one row per line. What is kept (the same rows
on every run; origin and licences in tests/data/README.md):

- Chinook: every customer, employee, invoice, genre, media type and playlist; every third track
  (TrackId 1, 4, 7, ...: the key range stays spread from 1 to 3502); the albums and artists those
  tracks name; the invoice lines and playlist entries of those tracks.
- Northwind: every table whole except orders (every fourth OrderID) and their order details; the
  photo and picture blobs are NULL (the tests never read them, and they are most of the file).
"""
from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests/data/db"
CHUNK = 400  # rows per INSERT statement

# table -> WHERE clause choosing the kept rows (tables not named are kept whole)
CHINOOK_ROWS = {
    "Track": '"TrackId" % 3 = 1',
    "Album": '"AlbumId" IN (SELECT "AlbumId" FROM "Track" WHERE "TrackId" % 3 = 1)',
    "Artist": '"ArtistId" IN (SELECT "ArtistId" FROM "Album" WHERE "AlbumId" IN '
              '(SELECT "AlbumId" FROM "Track" WHERE "TrackId" % 3 = 1))',
    "InvoiceLine": '"TrackId" % 3 = 1',
    "PlaylistTrack": '"TrackId" % 3 = 1',
}
NORTHWIND_ROWS = {
    "Orders": '"OrderID" % 4 = 0',
    "Order Details": '"OrderID" % 4 = 0',
}
NORTHWIND_NULLS = {"Employees": {"Photo"}, "Categories": {"Picture"}}


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def excerpt(source: Path, target: Path, rows: dict[str, str], nulls: dict[str, set[str]], header: str) -> None:
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    schema = db.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid").fetchall()
    out = [f"-- {line}".rstrip() for line in header.strip().splitlines()]
    out += ["-- Written by scripts/make_db_excerpts.py from " + source.name + "; do not edit by hand.", ""]
    out += [sql.strip() + ";" for kind, _, sql in schema if kind != "view"]
    total = 0
    for kind, name, _ in schema:
        if kind != "table":
            continue
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({quote_name(name)})")]
        nulled = nulls.get(name, set())
        literals = " || ',' || ".join("'NULL'" if c in nulled else f"quote({quote_name(c)})" for c in columns)
        where = f" WHERE {rows[name]}" if name in rows else ""
        key = "rowid"
        lines = [r[0] for r in db.execute(f"SELECT {literals} FROM {quote_name(name)}{where} ORDER BY {key}")]
        total += len(lines)
        for start in range(0, len(lines), CHUNK):
            chunk = lines[start:start + CHUNK]
            out.append(f"INSERT INTO {quote_name(name)} VALUES")
            out.append(",\n".join(f"({line})" for line in chunk) + ";")
    out += [sql.strip() + ";" for kind, _, sql in schema if kind == "view"]
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {total} rows, {target.stat().st_size:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    corpora = args.shared / "corpora"
    OUT.mkdir(parents=True, exist_ok=True)
    excerpt(corpora / "db_chinook/Chinook_Sqlite.sqlite", OUT / "chinook.sql", CHINOOK_ROWS, {},
            "Excerpt of the Chinook sample database (https://github.com/lerocha/chinook-database),\n"
            "Copyright (c) 2008-2024 Luis Rocha, MIT licence: see tests/data/README.md.")
    excerpt(corpora / "db_northwind/northwind.sqlite", OUT / "northwind.sql", NORTHWIND_ROWS, NORTHWIND_NULLS,
            "Excerpt of the Northwind sample database, SQLite port https://github.com/jpwhite3/northwind-SQLite3\n"
            "(MIT licence, Copyright (c) 2016 JP White; data originally Microsoft, Ms-PL): see tests/data/README.md.")


if __name__ == "__main__":
    main()
