#!/usr/bin/env python3
"""Copy every table of an SQLite database into a MariaDB/MySQL or PostgreSQL database (used by
scripts/dbservers.sh to load the test servers from tests/data/db/).

    python scripts/load_test_db.py SOURCE.sql|SOURCE.sqlite URL [--force]

SOURCE is an SQLite file, or an SQL script in SQLite's dialect (the excerpts in tests/data/db/),
run into an in-memory database first. URL is a SQLAlchemy URL with its driver
(``mysql+pymysql://…/db``, ``postgresql+psycopg://…/db``).

Tables are reflected with SQLAlchemy and re-created with types chosen from the declared type *and*
the data (SQLite is dynamically typed): integers, DECIMAL (precision kept; NUMERIC without one
becomes DECIMAL(19,4)), DOUBLE, DATE/DATETIME (only when every value parses), VARCHAR/TEXT,
binary. Primary keys, NOT NULL and foreign keys are kept; views, indexes, defaults and CHECKs are
not. MariaDB/MySQL keep the SQLite names (``Order Details``.``OrderID``); PostgreSQL gets them in
snake_case (``order_details.order_id``), as the public PostgreSQL ports of Chinook and Northwind
name them, so the tests see both conventions. PostgreSQL tables are ANALYZEd, so that their row
estimates (which pdscan's sampling uses) are known at once.

Idempotent: when the target holds exactly these tables with the SQLite row counts, nothing is done;
otherwise (or with --force) every table of the target database (PostgreSQL: of schema public) is
dropped and the copy made again.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sqlite3
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.sql import sqltypes

INT32 = 2**31 - 1


def snake_case(name: str) -> str:
    """``CustomerID`` -> ``customer_id``, ``Order Details`` -> ``order_details``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name.strip())
    return re.sub(r"[^0-9A-Za-z]+", "_", name).lower()


def _parse_dt(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value))


def _text(longest: int):
    return sa.Text().with_variant(mysql.TEXT() if longest * 4 < 65535 else mysql.LONGTEXT(), "mysql", "mariadb")


def convert_column(col: dict, values: list, in_key: bool):
    """Return (SQLAlchemy type, converter or None) for one reflected column and its values."""
    t = col["type"]
    present = [v for v in values if v is not None]
    binary = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
    if isinstance(t, sqltypes.LargeBinary):
        return binary, None
    if isinstance(t, sqltypes.Integer) and all(isinstance(v, int) for v in present):
        big = any(abs(v) > INT32 for v in present)
        return (sa.BigInteger() if big else sa.Integer()), None
    numeric = all(isinstance(v, (int, float)) for v in present)
    if isinstance(t, sqltypes.Float) and numeric:  # Float is no Numeric subclass in SQLAlchemy 2.1
        return sa.Double(), None
    if isinstance(t, sqltypes.Numeric) and numeric:
        if t.precision:
            return sa.Numeric(t.precision, t.scale or 0), None
        return sa.Numeric(19, 4), None
    if isinstance(t, (sqltypes.Date, sqltypes.DateTime)):
        try:
            parsed = [_parse_dt(v) for v in present]
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            midnight = all(p.time() == dt.time() for p in parsed)
            if isinstance(t, sqltypes.Date) and not isinstance(t, sqltypes.DateTime) and midnight:
                return sa.Date(), lambda v: None if v is None else _parse_dt(v).date()
            fsp = 6 if any(p.microsecond for p in parsed) else None
            return (sa.DateTime().with_variant(mysql.DATETIME(fsp=fsp), "mysql", "mariadb"),
                    lambda v: None if v is None else _parse_dt(v))
    if any(isinstance(v, bytes) for v in present):
        return binary, None
    # Everything else is text.
    as_text = lambda v: None if v is None else str(v)  # noqa: E731
    longest = max((len(str(v)) for v in present), default=0)
    declared = getattr(t, "length", None)
    if declared and longest <= declared:
        return sa.String(declared), as_text
    if longest <= 255:
        return sa.String(255), as_text
    if in_key:
        return sa.String(max(longest, 768)), as_text
    return _text(longest), as_text


def open_source(path: Path) -> sa.Engine:
    if path.suffix == ".sql":
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        memory.executescript(path.read_text(encoding="utf-8"))
        return sa.create_engine("sqlite://", creator=lambda: memory, poolclass=sa.pool.StaticPool)
    return sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("url")
    ap.add_argument("--force", action="store_true", help="reload even if the row counts match")
    args = ap.parse_args(argv)

    src = open_source(args.source)
    connect_args = {"charset": "utf8mb4"} if args.url.startswith(("mysql", "mariadb")) else {}
    dst = sa.create_engine(args.url, connect_args=connect_args)
    postgres = dst.dialect.name == "postgresql"
    rename = snake_case if postgres else (lambda name: name)
    quote = dst.dialect.identifier_preparer.quote
    insp = sa.inspect(src)
    names = [n for n in insp.get_table_names() if not n.startswith("sqlite_")]
    target = {n: rename(n) for n in names}

    with src.connect() as sconn:
        counts = {target[n]: sconn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one() for n in names}
    existing = set(sa.inspect(dst).get_table_names())
    if not args.force and existing == set(counts):
        with dst.connect() as dconn:
            have = {n: dconn.execute(sa.text(f"SELECT count(*) FROM {quote(n)}")).scalar_one() for n in counts}
        if have == counts:
            print(f"{dst.url.database}: {len(names)} tables already loaded")
            return 0

    meta = sa.MetaData()
    rows_by_table, converters = {}, {}
    with src.connect() as sconn:
        for name in names:
            cols = insp.get_columns(name)
            pk = insp.get_pk_constraint(name).get("constrained_columns") or []
            quoted = ", ".join(f'"{c["name"]}"' for c in cols)
            rows = sconn.exec_driver_sql(f'SELECT {quoted} FROM "{name}"').fetchall()
            table_cols, convs = [], []
            for i, c in enumerate(cols):
                typ, conv = convert_column(c, [r[i] for r in rows], c["name"] in pk)
                table_cols.append(sa.Column(rename(c["name"]), typ, nullable=c["nullable"] and c["name"] not in pk,
                                            autoincrement=False))
                convs.append(conv)
            # PostgreSQL checks them at COMMIT (a table may refer to itself: employees.reports_to);
            # MySQL/MariaDB load with FOREIGN_KEY_CHECKS = 0.
            deferred = {"deferrable": True, "initially": "DEFERRED"} if postgres else {}
            fks = [
                sa.ForeignKeyConstraint([rename(c) for c in fk["constrained_columns"]],
                                        [f"{target[fk['referred_table']]}.{rename(r)}" for r in fk["referred_columns"]],
                                        **deferred)
                for fk in insp.get_foreign_keys(name)
                if fk["referred_table"] in names and fk["referred_columns"]
            ]
            extra = [sa.PrimaryKeyConstraint(*(rename(c) for c in pk))] if pk else []
            sa.Table(target[name], meta, *table_cols, *extra, *fks,
                     mysql_engine="InnoDB", mysql_charset="utf8mb4", mysql_collate="utf8mb4_unicode_ci")
            rows_by_table[target[name]], converters[target[name]] = rows, convs

    # A foreign key to a column whose type came out different would fail: give it the referred type.
    for table in meta.tables.values():
        for fk in table.foreign_keys:
            fk.parent.type = fk.column.type

    with dst.begin() as dconn:
        if postgres:
            for name in existing:
                dconn.execute(sa.text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))
        else:
            dconn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for name in existing:
                dconn.execute(sa.text(f"DROP TABLE IF EXISTS {quote(name)}"))
        meta.create_all(dconn)
        for table in meta.sorted_tables:
            keys = [c.name for c in table.columns]
            batch = [
                {k: (conv(v) if conv else v) for k, conv, v in zip(keys, converters[table.name], row)}
                for row in rows_by_table[table.name]
            ]
            if batch:
                dconn.execute(table.insert(), batch)
        if not postgres:
            dconn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
        have = {n: dconn.execute(sa.text(f"SELECT count(*) FROM {quote(n)}")).scalar_one() for n in counts}
    if postgres:
        with dst.connect().execution_options(isolation_level="AUTOCOMMIT") as dconn:
            dconn.exec_driver_sql("ANALYZE")
    if have != counts:
        print(f"row counts differ after load: sqlite {counts} target {have}", file=sys.stderr)
        return 1
    print(f"{dst.url.database}: loaded {len(names)} tables, {sum(counts.values())} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
