"""Database tables as a source: SQLite files, PostgreSQL, MySQL and MariaDB, through SQLAlchemy.

``plan_database`` lists the tables (not views) of every non-system schema and yields one picklable
``TableTask`` per table; a task opens its own engine in the worker, reads a seeded sample of rows
and yields one block per column (and per JSON key path) per ``block_lines`` rows.

Sampling (``ReadOptions.sample_rows``, default 10,000; 0 reads every row). A bounded count
(``SELECT count(*) FROM (SELECT 1 … LIMIT n+1)``) decides: a table with no more rows than the sample
is read whole, in primary-key order. A bigger one is sampled by *rank*: every row gets a seeded,
deterministic pseudo-random rank and the ``n`` smallest are read (``ORDER BY rank, key LIMIT n``):
- a single integer primary key (or SQLite's rowid): ``((key mod M + s) mod M) * A mod M`` with
  M = 2^31-1, A ≈ M/φ and s the scrambled seed. This is a Weyl sequence: the sample is spread
  evenly over the key range, neighbouring seeds pick unrelated rows, and the arithmetic is the same
  (and gives the same rows) on SQLite, PostgreSQL and MySQL/MariaDB;
- other keys (text, composite) or no key: ``md5(concat_ws('|', seed, key columns…))`` (every column
  when there is no key) on PostgreSQL and MySQL, a registered blake2b function on SQLite.
The rank depends only on the seed and the row's key, so the sample is repeatable for the same seed
and data, and changes with the seed. On PostgreSQL the ranking is made cheap first: the table is
narrowed with ``TABLESAMPLE BERNOULLI(p) REPEATABLE(seed)``, p about twice what the row estimate
asks for, taken from a coarse ladder (10 %, 5 %, 2 %…) so a re-ANALYZE rarely changes it; if that
sample comes back short (stale statistics), the whole table is ranked instead. MySQL and SQLite
rank with one full scan and a top-n sort (bounded memory). Rows are keyed ``Col=1`` (``a=1,b=2``
for composite keys, ``rowid=7`` for an SQLite table without one, else ``row=N`` in sample order).

Reading never writes:
- SQLite files are opened through the URI ``file:…?mode=ro`` with ``PRAGMA query_only``, so even a
  bug cannot write, create a journal or a missing file (a WAL file not in use: ``immutable=1``, so
  that no ``-wal``/``-shm`` files appear beside it);
- PostgreSQL: every transaction is ``SET TRANSACTION READ ONLY`` (psycopg's read-only session too);
  MySQL/MariaDB: ``START TRANSACTION READ ONLY``; both are rolled back at the end.
Identifiers are never formatted into SQL: tables and columns are SQLAlchemy ``table()``/``column()``
objects with forced quoting. Each statement has a time limit (``ReadOptions.table_timeout_s``):
``statement_timeout`` on PostgreSQL, ``max_execution_time`` (MySQL) / ``max_statement_time``
(MariaDB), a progress handler on SQLite. A table that fails or times out becomes a ``SourceError``
for that table; a database that cannot be reached, one for the source. Passwords never appear:
every message goes through ``urls.sanitize``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, ClassVar, Iterator, Sequence
from urllib.parse import quote

from pdscan.models import Block, ContainerKind, SourceError
from pdscan.sources.base import ReadOptions, Task
from pdscan.sources.urls import install_hint, is_database_url, redact, sanitize, scheme_of, with_driver
from pdscan.sources.values import could_be_personal, json_leaves, value_text

__all__ = ["TableTask", "is_database_url", "plan_database", "plan_sqlite_file", "redact",
           "connect_readonly", "sample_statement"]

SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"})
CONNECT_TIMEOUT_S = 10
SIZE_COUNT_CAP = 1_000_000  # SQLite has no row estimate: count, but no further than this
MAX_JSON_PATHS = 1000  # distinct key paths per JSON column and read; the rest go to ``column.$``
# Sampling by a seeded hash of an integer key: h(k) = ((k mod M + s) mod M) * A mod M, with M the
# Mersenne prime 2^31-1 and A ≈ M/φ, so consecutive keys land far apart (a Weyl sequence) and every
# intermediate stays below 2^62 (no BIGINT overflow on any server).
_M = 2_147_483_647
_A = 1_327_217_885
# A surrogate key's column name: "id", "CustomerId", "order_id", "user_pk", "pk".
_ID_NAME = re.compile(r"(?i:^(?:id|pk)$|_(?:id|pk)$)|[a-z0-9](?:Id|ID|Pk|PK)$")
_PG_PERCENTS = (100, 50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)


class DatabaseError(Exception):
    """A source-level problem with a message that is already safe to show (no password)."""


class _ConnectError(Exception):
    """The database could not be reached (wraps the driver's error)."""

    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


# ---------------------------------------------------------------- engines and read-only connections

class _Deadline:
    """SQLite's statement timeout: the progress handler interrupts a statement once this expires."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.until = float("inf")
        self.replaced_cells = 0  # SQLite TEXT cells that were not UTF-8 (the connection's text_factory)

    def text(self, raw: bytes) -> str:
        """SQLite's text_factory: a TEXT cell that is not UTF-8 is read with replacement characters
        (and counted) instead of failing the whole table with a message that quotes the cell."""
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.replaced_cells += 1
            return raw.decode("utf-8", "replace")

    def reset(self) -> None:
        self.until = time.monotonic() + self.seconds if self.seconds > 0 else float("inf")

    def expired(self) -> int:
        return 1 if time.monotonic() > self.until else 0


def _rank_py(*args: Any) -> int:
    """SQLite's ``pdscan_rank(seed, key…)``: a stable 64-bit hash (blake2b of the values' repr)."""
    return int.from_bytes(hashlib.blake2b(repr(args).encode(), digest_size=8).digest(), "big", signed=True)


def _sqlite_uri(path: str) -> str:
    """``file:…?mode=ro``: SQLite itself refuses every write and never creates the file.

    A WAL-mode file read that way would still get ``-wal``/``-shm`` files created next to it when
    they are missing (the database is not in use): then it is opened ``immutable=1`` instead, which
    takes no locks and creates nothing. A database in use (both files there) is read through them.
    """
    options = "mode=ro"
    try:
        with open(path, "rb") as file:
            header = file.read(20)
    except OSError:
        header = b""
    wal = len(header) == 20 and header[:16] == b"SQLite format 3\x00" and header[18] == 2
    if wal and not (os.path.exists(path + "-wal") and os.path.exists(path + "-shm")):
        options += "&immutable=1"
    return f"file:{quote(path)}?{options}"


def _sqlite_connect(path: str, deadline: _Deadline) -> sqlite3.Connection:
    connection = sqlite3.connect(_sqlite_uri(path), uri=True, check_same_thread=False)
    connection.text_factory = deadline.text
    connection.execute("PRAGMA query_only = ON")
    connection.create_function("pdscan_rank", -1, _rank_py, deterministic=True)
    connection.set_progress_handler(deadline.expired, 10_000)
    return connection


def sqlite_path(url: str) -> str:
    """The file of ``sqlite:///path`` (also ``sqlite:///file:path?mode=ro&uri=true``)."""
    rest = url.strip()[url.strip().index("://") + 3:]
    path, _, query = rest.partition("?")
    path = path[1:] if path.startswith("/") else path  # sqlite:///rel -> rel, sqlite:////abs -> /abs
    if path.startswith("file:") and "uri=true" in query.lower():
        path = path[5:]
    if not path or path == ":memory:":
        raise DatabaseError("an in-memory SQLite database has nothing to scan")
    return path


def _open_engine(url: str, timeout_s: float, connect_s: float = CONNECT_TIMEOUT_S):
    """An engine with no pool (one connection per use), and the SQLite deadline (unused elsewhere).

    A server that accepts the connection and then never answers must not hang the scan: libpq's
    ``connect_timeout`` bounds the whole start-up (handshake and login), after which the server's
    ``statement_timeout`` bounds statements; PyMySQL's ``connect_timeout`` bounds only the TCP
    connect, so ``read_timeout``/``write_timeout`` bound every read and write after it, handshake
    included: the statement limit (which the server enforces itself) plus the connect limit. Only
    ``table_timeout_s`` 0 (not reachable from the CLI) leaves a MySQL server that stops answering unbounded."""
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    from sqlalchemy.pool import NullPool

    deadline = _Deadline(timeout_s)
    parsed = scheme_of(url)
    if parsed is None:
        raise DatabaseError(f"not a database URL: {redact(url)}")
    if parsed[0] == "sqlite":
        path = sqlite_path(url)
        if not os.path.isfile(path):
            raise DatabaseError(f"no such SQLite file: {path}")
        engine = sa.create_engine("sqlite://", creator=lambda: _sqlite_connect(path, deadline), poolclass=NullPool)
        return engine, deadline
    full = with_driver(url)
    driver = scheme_of(full)[1]
    connect_args: dict[str, Any] = {}
    connect_s = max(1, int(connect_s)) if connect_s > 0 else CONNECT_TIMEOUT_S
    if driver in ("psycopg2", "psycopg"):
        connect_args["connect_timeout"] = connect_s
    elif driver in ("pymysql", "mysqldb"):
        connect_args["connect_timeout"] = connect_s
        if timeout_s > 0:
            connect_args["read_timeout"] = connect_args["write_timeout"] = connect_s + timeout_s
        if "charset=" not in full.lower():
            connect_args["charset"] = "utf8mb4"
    try:
        engine = sa.create_engine(full, poolclass=NullPool, connect_args=connect_args)
    except ImportError as exc:  # the DBAPI module is missing
        hint = install_hint(url) or f"pip install {getattr(exc, 'name', None) or 'the driver'}"
        raise DatabaseError(f"the database driver for {parsed[0]} is not installed: {hint}") from None
    except NoSuchModuleError:
        raise DatabaseError(f"unknown database driver in {redact(url)}") from None
    except ArgumentError as exc:
        raise DatabaseError(f"not a valid database URL ({redact(url)}): {sanitize(str(exc), url)}") from None
    return engine, deadline


@contextmanager
def _readonly(engine, deadline: _Deadline, timeout_s: float):
    """A connection inside a read-only transaction with a statement timeout, rolled back at the end."""
    from sqlalchemy import text

    deadline.reset()
    try:
        opened = engine.connect()
    except Exception as exc:  # noqa: BLE001 - down, refused, bad password, not a database
        raise _ConnectError(exc) from exc
    with opened as connection:
        name = connection.dialect.name
        if name == "postgresql":
            if connection.dialect.driver in ("psycopg2", "psycopg"):
                connection.execution_options(postgresql_readonly=True)  # BEGIN READ ONLY, from the driver
            connection.execute(text("SET TRANSACTION READ ONLY"))  # the first statement of the transaction
            if timeout_s > 0:
                connection.execute(text(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}"))
        elif name in ("mysql", "mariadb"):
            if timeout_s > 0:
                if getattr(connection.dialect, "is_mariadb", False):
                    statement = f"SET SESSION max_statement_time = {max(0.001, float(timeout_s)):.3f}"
                else:
                    statement = f"SET SESSION max_execution_time = {max(1, int(timeout_s * 1000))}"
                connection.execute(text(statement))
            connection.execute(text("START TRANSACTION READ ONLY"))
        try:
            yield connection
        finally:
            connection.rollback()


@contextmanager
def connect_readonly(url: str, timeout_s: float = 60.0):
    """A SQLAlchemy connection to ``url`` that cannot write (what every read here goes through)."""
    engine, deadline = _open_engine(url, timeout_s)
    try:
        with _readonly(engine, deadline, timeout_s) as connection:
            yield connection
    finally:
        engine.dispose()


def _describe(exc: BaseException, url: str, scrub: bool = True) -> str:
    """One line, the driver's own words, no SQL echo, no URL, no password, and (``scrub``) none of
    the values it quotes: only a connection error, which no row has reached, keeps its quotes."""
    from sqlalchemy.exc import NoSuchTableError

    if isinstance(exc, _ConnectError):
        return "cannot connect: " + _describe(exc.cause, url, scrub=False)
    if isinstance(exc, NoSuchTableError):
        return f"no such table: {sanitize(str(exc), url)}"
    orig = getattr(exc, "orig", None)
    cause = orig if orig is not None else exc
    args = getattr(cause, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
        message = f"{args[1]} ({args[0]})"  # MySQL drivers: (code, text), not the tuple's repr
    else:
        message = str(cause)
    message = message.split("[SQL:", 1)[0].split("(Background on this error", 1)[0]
    message = " ".join(message.split())
    if len(message) > 500:
        message = message[:497] + "..."
    message = sanitize(message or type(exc).__name__, url)
    return scrub_literals(message) if scrub else message


# A driver quoting a value: 'text' (SQL literals, MySQL's names), PostgreSQL's DETAIL "Key (email)=(value)".
_QUOTED = re.compile(r"(?<!\w)'(?:[^'\\]|\\.|'')*(?:'|$)")  # not the apostrophe of "doesn't"
_KEY_VALUE = re.compile(r"\)=\((?:[^()]|\([^()]*\))*(?:\)|$)")


def scrub_literals(message: str) -> str:
    """A driver's message without the values it quotes: every single-quoted literal becomes ``'…'``
    and PostgreSQL's ``Key (col)=(value)`` keeps the column only. Drivers quote the offending value
    (a cell that is not UTF-8, a duplicate key), and reports must not carry it; identifiers in
    double quotes (PostgreSQL's table and column names) are kept."""
    return _KEY_VALUE.sub(")=(…)", _QUOTED.sub("'…'", message))


def _is_timeout(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "pgcode", None) == "57014":  # query_canceled (statement_timeout)
        return True
    args = getattr(orig, "args", ())
    if args and args[0] in (3024, 1969):  # MySQL max_execution_time, MariaDB max_statement_time
        return True
    return isinstance(orig, sqlite3.OperationalError) and "interrupted" in str(orig)


# ---------------------------------------------------------------- planning

@dataclass(frozen=True)
class TableTask:
    """One table to read. Holds only strings (picklable); ``url`` keeps the password but never prints it."""

    url: str = field(repr=False)
    schema: str | None
    name: str
    source: str
    container: str
    size: int = 0  # estimated rows
    kind: ClassVar[ContainerKind] = ContainerKind.TABLE
    picklable: ClassVar[bool] = True

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        timeout_s = float(getattr(options, "table_timeout_s", 60.0))
        try:
            engine, deadline = _open_engine(self.url, timeout_s, options.connect_timeout_s)
        except DatabaseError as exc:
            yield SourceError(self.source, self.container, str(exc))
            return
        try:
            with _readonly(engine, deadline, timeout_s) as connection:
                yield from _read_table(connection, deadline, self, options)
            if deadline.replaced_cells:
                yield SourceError(self.source, self.container,
                                  f"invalid UTF-8 in {deadline.replaced_cells} text cells (replaced)", severity="warning")
        except Exception as exc:  # noqa: BLE001 - driver errors of every kind become data
            if _is_timeout(exc):
                reason = f"timed out after {timeout_s:g}s (table_timeout_s)"
            elif isinstance(exc, _ConnectError):
                reason = _describe(exc, self.url)
            else:
                reason = f"cannot read table: {_describe(exc, self.url)}"
            yield SourceError(self.source, self.container, reason)
        finally:
            engine.dispose()


def plan_database(url: str, options: ReadOptions) -> Iterator[Task | SourceError]:
    """One ``TableTask`` per table of every non-system schema; one ``SourceError`` if the database
    cannot be reached or listed. For MySQL/MariaDB a URL that names a database lists only it."""
    url = url.strip()
    source = redact(url)
    parsed = scheme_of(url)
    if parsed is not None and parsed[0] == "sqlite":
        try:
            path = sqlite_path(url)
        except DatabaseError as exc:
            yield SourceError(source, "", str(exc))
            return
        yield from plan_sqlite_file(path, options, source=source)
        return
    yield from _plan(url, source, options)


def plan_sqlite_file(path: str, options: ReadOptions, source: str | None = None) -> Iterator[Task | SourceError]:
    """The tables of an SQLite file (found by content, whatever its name)."""
    yield from _plan("sqlite:///" + os.path.abspath(path), path if source is None else source, options)


def _plan(url: str, source: str, options: ReadOptions) -> Iterator[Task | SourceError]:
    timeout_s = float(getattr(options, "table_timeout_s", 60.0))
    # An SQLite file that cannot be read (corrupt, truncated, locked) is named as the error's container.
    parsed = scheme_of(url)
    where = sqlite_path(url) if parsed is not None and parsed[0] == "sqlite" else ""
    try:
        engine, deadline = _open_engine(url, timeout_s, options.connect_timeout_s)
    except DatabaseError as exc:
        yield SourceError(source, where, str(exc))
        return
    try:
        with _readonly(engine, deadline, timeout_s) as connection:
            tables = _list_tables(connection, deadline)
    except Exception as exc:  # noqa: BLE001
        reason = _describe(exc, url)
        yield SourceError(source, where, reason if isinstance(exc, _ConnectError) else f"cannot list tables: {reason}")
        return
    finally:
        engine.dispose()
    for schema, name, container, size in tables:
        yield TableTask(url=url, schema=schema, name=name, source=source, container=container, size=size)


def _list_tables(connection, deadline: _Deadline) -> list[tuple[str | None, str, str, int]]:
    """(schema, table, container, estimated rows) of every table to scan."""
    import sqlalchemy as sa

    inspector = sa.inspect(connection)
    dialect = connection.dialect.name
    found: list[tuple[str | None, str, str, int]] = []
    if dialect == "sqlite":
        for name in inspector.get_table_names():
            size = _bounded_count(connection, deadline, _table(None, name), SIZE_COUNT_CAP, estimate=True)
            found.append((None, name, name, size))
        return found
    if dialect == "postgresql":
        estimates: dict[tuple[str, str], tuple[float, bool]] = {
            (row[0], row[1]): (row[2], row[3]) for row in connection.execute(sa.text(
                "SELECT n.nspname, c.relname, c.reltuples, c.relispartition FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"))}
        for schema in sorted(_user_schemas(inspector.get_schema_names())):
            for name in inspector.get_table_names(schema=schema):
                rows, partition = estimates.get((schema, name), (0, False))
                if not partition:  # a partition's rows are read through its parent
                    found.append((schema, name, f"{schema}.{name}", max(0, int(rows or 0))))
        return found
    # MySQL / MariaDB: a schema is a database
    counts = {(row[0], row[1]): int(row[2] or 0) for row in connection.execute(sa.text(
        "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
        "WHERE TABLE_TYPE = 'BASE TABLE'"))}
    default = connection.dialect.default_schema_name
    if default:
        for name in inspector.get_table_names():
            found.append((None, name, name, counts.get((default, name), 0)))
        return found
    for schema in sorted(_user_schemas(inspector.get_schema_names())):
        for name in inspector.get_table_names(schema=schema):
            found.append((schema, name, f"{schema}.{name}", counts.get((schema, name), 0)))
    return found


def _user_schemas(names: Sequence[str]) -> list[str]:
    return [n for n in names if n.lower() not in SYSTEM_SCHEMAS and not n.lower().startswith(("pg_temp_", "pg_toast"))]


# ---------------------------------------------------------------- statements

def _table(schema: str | None, name: str, columns: Sequence[str] = ()):
    import sqlalchemy as sa
    from sqlalchemy.sql.elements import quoted_name

    return sa.table(quoted_name(name, True), *(sa.column(quoted_name(c, True)) for c in columns),
                    schema=quoted_name(schema, True) if schema else None)


def _bounded_count(connection, deadline: _Deadline, table, limit: int, estimate: bool = False) -> int:
    """``min(rows, limit)`` without counting a big table to its end.

    With ``estimate`` (planning SQLite, where a failed statement costs nothing) an error gives 0: the
    table's read reports it. PostgreSQL would abort the transaction, so there errors always raise.
    """
    import sqlalchemy as sa

    deadline.reset()
    inner = sa.select(sa.literal_column("1")).select_from(table).limit(limit).subquery()
    try:
        return int(connection.execute(sa.select(sa.func.count()).select_from(inner)).scalar() or 0)
    except Exception:  # noqa: BLE001
        if estimate and connection.dialect.name == "sqlite":
            return 0
        raise


def _scrambled_seed(seed: int) -> int:
    """Neighbouring seeds give unrelated samples: the seed goes through a multiplicative hash first."""
    return (int(seed) * 2_654_435_761 + 0x9E3779B9) % _M


def _rank(dialect: str, keys: list, integer_key: bool, fallback: list, seed: int):
    """A seeded, deterministic pseudo-random rank per row (smallest ranks are the sample)."""
    import sqlalchemy as sa

    if integer_key:
        key = sa.cast(keys[0], sa.BigInteger)
        return (((key % sa.literal(_M)) + sa.literal(_scrambled_seed(seed))) % sa.literal(_M)
                * sa.literal(_A)) % sa.literal(_M)
    values = keys or fallback
    if dialect == "sqlite":
        return sa.func.pdscan_rank(sa.literal(int(seed)), *values)
    return sa.func.md5(sa.func.concat_ws(sa.literal("|"), sa.literal(str(int(seed))), *values))


def sample_statement(dialect: str, table, key_names: Sequence[str], value_names: Sequence[str], *,
                     integer_key: bool, seed: int, limit: int | None, percent: float | None = None,
                     rowid: str | None = None):
    """SELECT keys, values FROM table [sample]: the statement a table read runs.

    ``limit`` None reads every row in key order. Otherwise the rows with the ``limit`` smallest
    seeded ranks are read; on PostgreSQL ``percent`` < 100 first narrows the table with
    ``TABLESAMPLE BERNOULLI(percent) REPEATABLE(seed)`` so that only that share is ranked.
    """
    import sqlalchemy as sa

    source = table
    if percent is not None and percent < 100:
        source = sa.tablesample(table, sa.func.bernoulli(percent), name="pdscan_sample",
                                seed=sa.literal(_scrambled_seed(seed)))
    keys = [source.c[k] for k in key_names] if not rowid else [sa.literal_column(rowid)]
    values = [source.c[v] for v in value_names]
    statement = sa.select(*(k.label(f"k{i}") for i, k in enumerate(keys)),
                          *(v.label(f"v{i}") for i, v in enumerate(values))).select_from(source)
    if limit is None:
        return statement.order_by(*keys) if keys else statement
    rank = _rank(dialect, keys, integer_key, values, seed)
    return statement.order_by(rank, *keys).limit(limit)


def _pg_percent(estimate: int, limit: int) -> float:
    """A sampling share from a coarse ladder (twice what the estimate asks for): a slightly different
    estimate after ANALYZE then rarely changes the share, so the sample stays the same."""
    if estimate <= 0:
        return 100
    wanted = 200.0 * limit / estimate
    return min((p for p in _PG_PERCENTS if p >= wanted), default=100)


# ---------------------------------------------------------------- values

def _json_document(value: Any, is_json_column: bool) -> Any:
    """The parsed object or array of a JSON value, or None to scan the value as plain text."""
    if isinstance(value, (dict, list)):
        return value
    if is_json_column and isinstance(value, (str, bytes, bytearray)):
        try:
            parsed = json.loads(value)
        except (ValueError, UnicodeDecodeError):
            return None
        return parsed if isinstance(parsed, (dict, list)) else None
    return None


def _as_datetime(value: Any) -> datetime | None:
    """A record time from a date/timestamp value (naive means UTC), an ISO string or epoch seconds/ms."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if abs(value) > 1e11 else value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def _age_column(task: TableTask, columns: Sequence[str], age_columns: Sequence[str]) -> int | None:
    """Index of the column named by ``table.column`` in ``age_columns`` (table: container or bare name)."""
    names = {task.container.lower(), task.name.lower()}
    by_name = {c.lower(): i for i, c in enumerate(columns)}
    for entry in age_columns:
        table, _, column = entry.rpartition(".")
        if table.lower() in names and column.lower() in by_name:
            return by_name[column.lower()]
    return None


# ---------------------------------------------------------------- reading

def _read_table(connection, deadline: _Deadline, task: TableTask, options: ReadOptions) -> Iterator[Block]:
    import sqlalchemy as sa

    dialect = connection.dialect.name
    inspector = sa.inspect(connection)
    deadline.reset()
    reflected = inspector.get_columns(task.name, schema=task.schema)
    columns = [c["name"] for c in reflected]
    json_columns = [isinstance(c["type"], sa.JSON) for c in reflected]
    key_names = list(inspector.get_pk_constraint(task.name, schema=task.schema).get("constrained_columns") or [])
    rowid = None
    if not key_names and dialect == "sqlite":
        taken = {c.lower() for c in columns}
        rowid = next((r for r in ("rowid", "_rowid_", "oid") if r not in taken), None)
    types = {c["name"]: c["type"] for c in reflected}
    integer_key = bool(rowid) or (len(key_names) == 1 and isinstance(types.get(key_names[0]), sa.Integer))
    table = _table(task.schema, task.name, columns)

    limit = options.sample_rows if options.sample_rows and options.sample_rows > 0 else None
    if limit is not None and _bounded_count(connection, deadline, table, limit + 1) <= limit:
        limit = None  # no more rows than the sample: read them all, in key order
    percent = _pg_percent(task.size, limit) if limit is not None and dialect == "postgresql" else None

    def statement(share):
        return sample_statement(dialect, table, key_names, columns, integer_key=integer_key, seed=options.seed,
                                limit=limit, percent=share, rowid=rowid)

    key_labels = [rowid] if rowid else key_names
    key_shown = _key_values_shown(key_labels, rowid)
    age_index = _age_column(task, columns, options.age_columns)
    if percent is not None and percent < 100:
        # A Bernoulli sample is all-or-nothing here: if it came back short (stale statistics), rank
        # the whole table instead. Both are deterministic for the same data and seed.
        deadline.reset()
        rows = connection.execute(statement(percent)).fetchall()
        if len(rows) < limit:
            deadline.reset()
            rows = connection.execute(statement(None)).fetchall()
        yield from _blocks(task, _chunks(rows, options.block_lines), key_labels, key_shown, columns,
                           json_columns, age_index, options)
        return
    deadline.reset()
    executing = connection
    if dialect != "sqlite":
        executing = connection.execution_options(stream_results=True, yield_per=options.block_lines)
    result = executing.execute(statement(None))
    try:
        yield from _blocks(task, _partitions(result, deadline, options.block_lines), key_labels, key_shown,
                           columns, json_columns, age_index, options)
    finally:
        result.close()


def _chunks(rows: list, size: int) -> Iterator[Sequence]:
    for start in range(0, len(rows), max(1, size)):
        yield rows[start:start + max(1, size)]


def _partitions(result, deadline: _Deadline, size: int) -> Iterator[Sequence]:
    while True:
        deadline.reset()
        rows = result.fetchmany(max(1, size))
        if not rows:
            return
        yield rows


def _blocks(task: TableTask, chunks: Iterator[Sequence], key_labels: Sequence[str], key_shown: bool,
            columns: Sequence[str], json_columns: Sequence[bool], age_index: int | None, options: ReadOptions
            ) -> Iterator[Block]:
    """One block per column (and JSON key path) per chunk; line i of every column block is row i.

    A row is keyed by its key's values when ``key_shown`` (see ``_key_values_shown``), else by its
    number in read order and the key's columns: ``row=17 (key email)``."""
    nkeys = len(key_labels)
    hidden_key = f" (key {','.join(key_labels)})" if nkeys else ""
    limit = max(1, options.max_line_bytes)
    ordinal = 0
    json_paths: list[set[str]] = [set() for _ in columns]
    for rows in chunks:
        keys: list[str] = []
        lines: list[list[str]] = [[] for _ in columns]
        examined = [0] * len(columns)
        paths: list[dict[str, tuple[list[str], list[str]]]] = [{} for _ in columns]
        oldest = newest = None
        for row in rows:
            ordinal += 1
            shown = [_key_text(row[i]) for i in range(nkeys)] if key_shown else []
            if shown and not any(could_be_personal(text) for text in shown if not text.isdigit()):
                keys.append(",".join(f"{label}={text}" for label, text in zip(key_labels, shown)))
            else:
                keys.append(f"row={ordinal}{hidden_key}")
            key = keys[-1]
            for j in range(len(columns)):
                value = row[nkeys + j]
                document = _json_document(value, json_columns[j]) if value is not None else None
                if document is not None:
                    lines[j].append("")
                    for path, text in json_leaves(document):
                        if path not in json_paths[j]:
                            path = path if len(json_paths[j]) < MAX_JSON_PATHS else "$"
                            json_paths[j].add(path)
                        found = paths[j].setdefault(path, ([], []))
                        found[0].append(text[:limit])
                        found[1].append(key)
                    continue
                text = value_text(value)
                if text is None:
                    lines[j].append("")
                    continue
                lines[j].append(text[:limit])
                examined[j] += 1
            if age_index is not None:
                moment = _as_datetime(row[nkeys + age_index])
                if moment is not None:
                    oldest = moment if oldest is None or moment < oldest else oldest
                    newest = moment if newest is None or moment > newest else newest
        row_keys = tuple(keys)
        for j, column in enumerate(columns):
            if examined[j]:
                yield Block(source=task.source, container=task.container, field=column, text="\n".join(lines[j]),
                            examined=examined[j], row_keys=row_keys, oldest=oldest, newest=newest,
                            table=task.container)
            for path, (texts, path_keys) in sorted(paths[j].items()):
                yield Block(source=task.source, container=task.container, field=f"{column}.{path}",
                            text="\n".join(texts), examined=len(texts), row_keys=tuple(path_keys),
                            oldest=oldest, newest=newest, table=task.container)


def _key_values_shown(key_labels: Sequence[str], rowid: str | None) -> bool:
    """Whether a row's key values may name it in a report: only surrogate keys, SQLite's rowid or
    columns named like an id (``id``, ``CustomerId``, ``order_id``, ``pk``); and of those, a text value
    only when it does not look like personal data (``values.could_be_personal``: an email address, a
    phone number, a UUID), checked row by row in ``_blocks``.

    Any other key may be the personal data itself (``email``, ``phone``, a national id stored as
    BIGINT), and a location is shown and kept in baselines without --show-values. A keyed digest of
    the key would identify the row too, but the digest key exists only when a baseline is used, and a
    location must read the same with or without one; the row's number in read order (key order for a
    table read whole, sample order, repeatable with the same --seed, otherwise) is what is left.
    """
    if rowid:
        return True
    return bool(key_labels) and all(_ID_NAME.search(name) is not None for name in key_labels)


def _key_text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    text = value_text(value)
    return "NULL" if text is None else text.replace(",", "%2C")
