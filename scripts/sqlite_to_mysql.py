#!/usr/bin/env python3
"""Copy every table of a SQLite file into a MySQL/MariaDB database (used by scripts/dbservers.sh).

    python scripts/sqlite_to_mysql.py SOURCE.sqlite mysql+pymysql://user:pw@host:port/db [--force]

Tables are reflected with SQLAlchemy and re-created with MySQL types chosen from the declared type
*and* the data (SQLite is dynamically typed): integers, DECIMAL (precision kept; NUMERIC without
one becomes DECIMAL(19,4)), DOUBLE, DATE/DATETIME (only when every value parses), VARCHAR/TEXT,
LONGBLOB. Primary keys, NOT NULL and foreign keys are kept; views, indexes, defaults and CHECKs are
not. Idempotent: when every table already exists with the SQLite row count, nothing is done;
otherwise (or with --force) the copied tables are dropped and reloaded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.sql import sqltypes

INT32 = 2**31 - 1


def _parse_dt(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value))


def convert_column(col: dict, values: list, in_key: bool):
    """Return (mysql type, converter or None) for one reflected column and its values."""
    t = col["type"]
    present = [v for v in values if v is not None]
    if isinstance(t, sqltypes.LargeBinary):
        return mysql.LONGBLOB(), None
    if isinstance(t, sqltypes.Integer) and all(isinstance(v, int) for v in present):
        big = any(abs(v) > INT32 for v in present)
        return (mysql.BIGINT() if big else mysql.INTEGER()), None
    numeric = all(isinstance(v, (int, float)) for v in present)
    if isinstance(t, sqltypes.Float) and numeric:  # Float is no Numeric subclass in SQLAlchemy 2.1
        return mysql.DOUBLE(), None
    if isinstance(t, sqltypes.Numeric) and numeric:
        if t.precision:
            return mysql.DECIMAL(t.precision, t.scale or 0), None
        return mysql.DECIMAL(19, 4), None
    if isinstance(t, (sqltypes.Date, sqltypes.DateTime)):
        try:
            parsed = [_parse_dt(v) for v in present]
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            midnight = all(p.time() == dt.time() for p in parsed)
            if isinstance(t, sqltypes.Date) and not isinstance(t, sqltypes.DateTime) and midnight:
                return mysql.DATE(), lambda v: None if v is None else _parse_dt(v).date()
            fsp = 6 if any(p.microsecond for p in parsed) else None
            return mysql.DATETIME(fsp=fsp), lambda v: None if v is None else _parse_dt(v)
    if any(isinstance(v, bytes) for v in present):
        return mysql.LONGBLOB(), None
    # Everything else is text.
    as_text = lambda v: None if v is None else str(v)  # noqa: E731
    longest = max((len(str(v)) for v in present), default=0)
    declared = getattr(t, "length", None)
    if declared and longest <= declared:
        return mysql.VARCHAR(declared), as_text
    if longest <= 255:
        return mysql.VARCHAR(255), as_text
    if in_key:
        return mysql.VARCHAR(max(longest, 768)), as_text
    return (mysql.TEXT() if longest * 4 < 65535 else mysql.LONGTEXT()), as_text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sqlite_file")
    ap.add_argument("mysql_url")
    ap.add_argument("--force", action="store_true", help="reload even if the row counts match")
    args = ap.parse_args(argv)

    src = sa.create_engine(f"sqlite:///file:{args.sqlite_file}?mode=ro&uri=true")
    dst = sa.create_engine(args.mysql_url, connect_args={"charset": "utf8mb4"})
    insp = sa.inspect(src)
    names = [n for n in insp.get_table_names() if not n.startswith("sqlite_")]

    with src.connect() as sconn:
        counts = {n: sconn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one() for n in names}
    dst_insp = sa.inspect(dst)
    existing = set(dst_insp.get_table_names())
    if not args.force and set(names) <= existing:
        with dst.connect() as dconn:
            have = {n: dconn.execute(sa.text(f"SELECT count(*) FROM `{n}`")).scalar_one() for n in names}
        if have == counts:
            print(f"{args.mysql_url.rsplit('/', 1)[-1]}: {len(names)} tables already loaded")
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
                table_cols.append(sa.Column(c["name"], typ, nullable=c["nullable"] and c["name"] not in pk,
                                            autoincrement=False))
                convs.append(conv)
            fks = [
                sa.ForeignKeyConstraint(fk["constrained_columns"],
                                        [f"{fk['referred_table']}.{r}" for r in fk["referred_columns"]])
                for fk in insp.get_foreign_keys(name)
                if fk["referred_table"] in names and fk["referred_columns"]
            ]
            extra = [sa.PrimaryKeyConstraint(*pk)] if pk else []
            sa.Table(name, meta, *table_cols, *extra, *fks,
                     mysql_engine="InnoDB", mysql_charset="utf8mb4", mysql_collate="utf8mb4_unicode_ci")
            rows_by_table[name], converters[name] = rows, convs

    # A foreign key to a column whose type came out different would fail: give it the referred type.
    for table in meta.tables.values():
        for fk in table.foreign_keys:
            fk.parent.type = fk.column.type

    with dst.begin() as dconn:
        dconn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        for name in names:
            dconn.execute(sa.text(f"DROP TABLE IF EXISTS `{name}`"))
        meta.create_all(dconn)
        for table in meta.sorted_tables:
            name, convs = table.name, converters[table.name]
            keys = [c.name for c in table.columns]
            batch = [
                {k: (conv(v) if conv else v) for k, conv, v in zip(keys, convs, row)}
                for row in rows_by_table[name]
            ]
            if batch:
                dconn.execute(table.insert(), batch)
        dconn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
        have = {n: dconn.execute(sa.text(f"SELECT count(*) FROM `{n}`")).scalar_one() for n in names}
    if have != counts:
        print(f"row counts differ after load: sqlite {counts} mysql {have}", file=sys.stderr)
        return 1
    print(f"{args.mysql_url.rsplit('/', 1)[-1]}: loaded {len(names)} tables, {sum(counts.values())} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
