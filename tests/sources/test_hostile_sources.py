"""Hostile sources, end to end: each case is built in a temporary directory beside a good file, scanned
in every format, and must give a report (no traceback) that names the failure per source, keeps the
good file's findings, holds no planted raw value, changes nothing on disk and exits as documented
(3: incomplete; ``--fail-on never`` so that findings do not decide it).

The planted values are made up for these tests (example.org/.net addresses, +86 139/+1 415 555
numbers); the cases are from issue 16's probe.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from pdscan import reporters
from pdscan.cli import main
from pdscan.sources import compression
from pdscan.sources.base import ReadOptions
from pdscan.sources.database import plan_database
from pdscan.sources.files import read_file

GOOD_TEXT = "contact good.person@example.net or call +86 138 1234 5678 today\n"
GOOD_RAW = ("good.person@example.net", "+86 138 1234 5678")
FORMATS = tuple(reporters.FORMATS)
KEY = "0123456789abcdef0123456789abcdef"
ROOT = os.geteuid() == 0


@dataclass
class Case:
    args: list[str]  # sources, relative to the case directory
    names: list[str]  # what every format must name (the failing file or table)
    planted: list[str]  # raw values that must appear in no output and no written file
    exit_code: int
    check: Callable[[dict], None] = lambda document: None  # more about the JSON report
    options: list[str] = field(default_factory=list)


def _sqlite(path: Path, statements: list[str]) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


# ---------------------------------------------------------------- the cases

def case_text_primary_key(tmp: Path) -> Case:
    _sqlite(tmp / "crm.db", ["create table users (email text primary key, phone text)",
                             "insert into users values ('key.person@example.org', '+86 139 8765 4321')",
                             "insert into users values ('other.person@example.org', '+1 415 555 0134')"])

    def check(document):
        keys = {f["location"].get("row_key") for f in document["findings"] if f["container"] == "users"}
        assert keys and all(k.startswith("row=") and k.endswith("(key email)") for k in keys), keys
    return Case(["crm.db"], ["crm.db"], ["key.person@example.org", "+86 139 8765 4321", "other.person@example.org"],
                0, check)


def case_json_object_keys(tmp: Path) -> Case:
    document = {"users": {"map.person@example.org": {"phone": "+86 139 1111 2222"},
                          "+86 139 3333 4444": {"email": "inner.person@example.org"}}}
    (tmp / "people.json").write_text(json.dumps(document))

    def check(report):
        fields = {f["field"] for f in report["findings"] if f["container"].endswith("people.json")}
        assert {"$.users.*.phone", "$.users.*.email"} <= fields, fields
    return Case(["people.json"], ["people.json"],
                ["map.person@example.org", "+86 139 3333 4444", "+86 139 1111 2222", "inner.person@example.org"],
                0, check, ["--write-baseline", "out/baseline.json"])


def case_sqlite_invalid_utf8(tmp: Path) -> Case:
    _sqlite(tmp / "bad_text.db", [
        "create table users (id integer primary key, email text)",
        "insert into users values (1, 'first.person@example.org')",
        "insert into users values (2, cast(x'6c65616b2e7573657240657861ff6d706c652e6e6574' as text))",
        "insert into users values (3, 'third.person@example.org')"])

    def check(document):
        found = [f for f in document["findings"] if f["container"] == "users" and f["category"] == "email"]
        assert found and found[0]["count"] >= 2
        assert any("invalid UTF-8 in 1 text cells" in e["reason"] for e in document["errors"])
    return Case(["bad_text.db"], ["bad_text.db"], ["leak.user", "first.person@example.org"], 0, check)


def case_two_databases(tmp: Path) -> Case:
    for name in ("a", "b"):
        (tmp / name).mkdir()
        _sqlite(tmp / name / "app.db", ["create table users (id integer primary key, email text)",
                                        f"insert into users values (1, 'user.{name}@example.org')"])

    def check(document):
        sources = {f["source"] for f in document["findings"] if f["container"] == "users"}
        assert sources == {os.path.join(".", "a", "app.db"), os.path.join(".", "b", "app.db")}, sources
    return Case(["."], ["a/app.db", "b/app.db"], ["user.a@example.org", "user.b@example.org"], 0, check)


def case_corrupt_database(tmp: Path) -> Case:
    good = _sqlite(tmp / "whole.db", ["create table t (email text)"] +
                   [f"insert into t values ('p{i}@example.org')" for i in range(200)])
    (tmp / "broken.db").write_bytes(good.read_bytes()[:150])  # the header and a cut first page
    good.unlink()
    return Case(["broken.db"], ["broken.db"], [], 3)


def case_wide_csv(tmp: Path) -> Case:
    names = [f"column_name_{i}" for i in range(10_000)]
    rows = [",".join(names)]
    for r in range(3):
        values = ["x"] * len(names)
        values[5000] = f"wide{r}.person@example.org"
        rows.append(",".join(values))
    (tmp / "wide.csv").write_text("\n".join(rows) + "\n")

    def check(document):
        assert any(f["field"] == "column_name_5000" and f["category"] == "email" for f in document["findings"])
    return Case(["wide.csv"], ["wide.csv"], ["wide0.person@example.org"], 0, check)


def case_unterminated_quote(tmp: Path) -> Case:
    lines = ["id,email,phone", '1,"quote.person@example.org,123'] + [f"{i},x{i}@example.org,5{i}" for i in range(2, 4002)]
    (tmp / "quote.csv").write_text("\n".join(lines) + "\n")

    def check(document):
        (error,) = [e for e in document["errors"] if e["container"].endswith("quote.csv")]
        assert "lines 2-4002 (4001 lines" in error["reason"] and error["location"]["line"] == 2
    return Case(["quote.csv"], ["quote.csv"], ["quote.person@example.org", "x17@example.org"], 3, check)


def case_invalid_json_files(tmp: Path) -> Case:
    (tmp / "broken.json").write_text('{"email": "json.person@example.org",\n  oops\n')
    (tmp / "broken.jsonl").write_text("jsonl.person@example.org logged in\nnot json either\n")

    def check(document):
        reasons = {e["container"].rsplit("/", 1)[-1]: (e["severity"], e["reason"]) for e in document["errors"]}
        assert reasons["broken.json"][0] == "warning" and "not valid JSON" in reasons["broken.json"][1]
        assert reasons["broken.jsonl"][0] == "warning" and "plain text" in reasons["broken.jsonl"][1]
        found = {f["container"].rsplit("/", 1)[-1] for f in document["findings"]}
        assert {"broken.json", "broken.jsonl"} <= found  # scanned whole, as text
    return Case(["broken.json", "broken.jsonl"], ["broken.json", "broken.jsonl"],
                ["json.person@example.org", "jsonl.person@example.org"], 0, check)


def case_symlink_loop_fifo_truncated_gzip(tmp: Path) -> Case:
    (tmp / "dir").mkdir()
    (tmp / "dir" / "loop").symlink_to("..")
    os.mkfifo(tmp / "dir" / "pipe")  # nobody writes to it: /dev/zero-like input must not block
    data = gzip.compress(b"".join(b"line %d gz.person@example.org\n" % i for i in range(5000)))
    (tmp / "dir" / "cut.log.gz").write_bytes(data[: len(data) // 2])

    def check(document):
        reasons = {e["container"].rsplit("/", 1)[-1]: e["reason"] for e in document["errors"]}
        assert "named pipe" in reasons["pipe"] and "truncated gzip" in reasons["cut.log.gz"]
    return Case(["dir"], ["pipe", "cut.log.gz"], ["gz.person@example.org"], 3, check)


def case_closed_port(tmp: Path) -> Case:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return Case([f"postgresql://app:s3cret-pw@127.0.0.1:{port}/shop"], ["/shop"], ["s3cret-pw"], 3)  # the table shortens URLs


CASES = [case_text_primary_key, case_json_object_keys, case_sqlite_invalid_utf8, case_two_databases,
         case_corrupt_database, case_wide_csv, case_unterminated_quote, case_invalid_json_files,
         case_symlink_loop_fifo_truncated_gzip, case_closed_port]


# ---------------------------------------------------------------- the checks

def _regular_files(root: Path):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != "out"]
        for name in files:
            path = os.path.join(directory, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                yield path


def _age_access_times(root: Path) -> None:
    """Access times before the modification times: any read that updates atime then shows (relatime)."""
    for path in _regular_files(root):
        info = os.lstat(path)
        os.utime(path, ns=(info.st_mtime_ns - 10**12, info.st_mtime_ns))


def _snapshot(root: Path) -> dict[str, tuple]:
    """Checksum, mtime and atime of every regular file under ``root`` (read without touching atime)."""
    found = {}
    for path in _regular_files(root):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOATIME", 0))
        with os.fdopen(fd, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        info = os.lstat(path)
        found[path] = (digest, info.st_mtime_ns, info.st_atime_ns)
    return found


@pytest.mark.parametrize("build", CASES, ids=[c.__name__.removeprefix("case_") for c in CASES])
def test_hostile_source_beside_a_good_file(build, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PDSCAN_BASELINE_KEY", KEY)
    (tmp_path / "out").mkdir()
    (tmp_path / "good.txt").write_text(GOOD_TEXT)
    case = build(tmp_path)
    _age_access_times(tmp_path)
    before = _snapshot(tmp_path)
    for output_format in FORMATS:
        result = CliRunner().invoke(main, ["scan", *case.args, "good.txt", "--format", output_format, "--quiet",
                                           "--fail-on", "never", "--jobs", "1", *case.options])
        shown = result.stdout + result.stderr
        assert result.exit_code == case.exit_code, (output_format, result.exit_code, shown[-2000:])
        assert "Traceback" not in shown and not isinstance(result.exception, Exception) or \
            isinstance(result.exception, SystemExit), (output_format, result.exception)
        for name in case.names + ["good.txt"]:
            assert name in result.stdout, (output_format, name)
        written = "".join(p.read_text(errors="replace") for p in (tmp_path / "out").iterdir())
        for raw in case.planted + list(GOOD_RAW):
            assert raw not in shown and raw not in written, (output_format, raw)
        if output_format == "json":
            document = json.loads(result.stdout)
            assert {"email", "phone"} <= {f["category"] for f in document["findings"]
                                          if f["container"].endswith("good.txt")}
            case.check(document)
    after = _snapshot(tmp_path)
    # Files are opened O_NOATIME (they are ours); SQLite opens databases itself (README: atime may change).
    assert {p: f[:2] for p, f in after.items()} == {p: f[:2] for p, f in before.items()}
    assert {p: f for p, f in after.items() if not p.endswith(".db")} == \
        {p: f for p, f in before.items() if not p.endswith(".db")}


def test_live_sqlite_database_companions_are_read_with_it(tmp_path, monkeypatch):
    """A database in use (WAL mode, a reader holding it open): its -wal and -shm files are SQLite's,
    read with it and named once as a warning; the scan is complete."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD_TEXT)
    writer = sqlite3.connect(tmp_path / "live.db")
    writer.execute("pragma journal_mode=wal")
    writer.execute("create table users (id integer primary key, email text)")
    writer.execute("insert into users values (1, 'live.person@example.org')")
    writer.commit()
    assert (tmp_path / "live.db-wal").exists() and (tmp_path / "live.db-shm").exists()
    try:
        result = CliRunner().invoke(main, ["scan", ".", "--format", "json", "--quiet", "--fail-on", "never"])
    finally:
        writer.close()
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    warnings = {e["container"].rsplit("/", 1)[-1]: e for e in document["errors"]}
    assert set(warnings) == {"live.db-wal", "live.db-shm"}
    assert all(e["severity"] == "warning" and "live.db" in e["reason"] for e in warnings.values())
    assert any(f["container"] == "users" and f["category"] == "email" for f in document["findings"])
    assert "live.person@example.org" not in result.stdout


@pytest.mark.skipif(ROOT, reason="root lists and reads every directory whatever its mode")
def test_forbidden_directory_is_reported_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD_TEXT)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "secret.txt").write_text("closed.person@example.org\n")
    os.chmod(tmp_path / "closed", 0)
    try:
        result = CliRunner().invoke(main, ["scan", ".", "--format", "json", "--quiet", "--fail-on", "never"])
    finally:
        os.chmod(tmp_path / "closed", 0o755)
    assert result.exit_code == 3
    errors = json.loads(result.stdout)["errors"]
    assert [(e["container"].rsplit("/", 1)[-1], e["reason"]) for e in errors] == \
        [("closed", "cannot list directory: permission denied")]


# ---------------------------------------------------------------- bounds

@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a hung database)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []

    def accept():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in held:
        connection.close()


@pytest.mark.parametrize("scheme", ["mysql", "mariadb", "postgresql"])
def test_a_server_that_never_answers_does_not_hang_the_scan(scheme, silent_server):
    started = time.monotonic()
    items = list(plan_database(f"{scheme}://app:s3cret-pw@127.0.0.1:{silent_server}/shop",
                               ReadOptions(table_timeout_s=1, connect_timeout_s=1)))
    elapsed = time.monotonic() - started
    (error,) = items
    assert error.reason.startswith("cannot connect: ") and "s3cret-pw" not in error.reason + error.source
    assert elapsed < 15, elapsed  # libpq's connect_timeout is at least 2 s; PyMySQL: 1 s + 1 s


def _gzip_text(path: Path, lines: int) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b"bomb.person@example.org was here, nothing else to see on this line\n" * lines)
    return path


def test_decompressed_bytes_are_capped_per_file(tmp_path):
    bomb = _gzip_text(tmp_path / "bomb.log.gz", 60_000)  # 4 MB of text
    items = list(read_file(str(bomb), str(bomb), str(bomb), ReadOptions(max_decompressed_bytes=1 << 20)))
    errors = [i for i in items if not hasattr(i, "text")]
    scanned = sum(i.examined for i in items if hasattr(i, "text"))
    (error,) = errors
    assert error.severity == "error" and error.location.path == str(bomb)
    assert "more than 1048576 bytes (the per-file limit)" in error.reason
    assert 10_000 < scanned < 60_000  # what came before the limit was scanned
    unlimited = list(read_file(str(bomb), str(bomb), str(bomb), ReadOptions(max_decompressed_bytes=0, max_ratio=0)))
    assert sum(i.examined for i in unlimited if hasattr(i, "text")) == 60_000


def test_decompression_ratio_is_capped_past_the_floor(tmp_path, monkeypatch):
    monkeypatch.setattr(compression, "RATIO_FLOOR", 1 << 20)
    bomb = _gzip_text(tmp_path / "bomb.log.gz", 100_000)  # about 7 MB of text in tens of KB
    items = list(read_file(str(bomb), str(bomb), str(bomb), ReadOptions(max_ratio=50)))
    (error,) = [i for i in items if not hasattr(i, "text")]
    assert "more than 50 times its size (the per-file limit)" in error.reason
    assert not [i for i in read_file(str(bomb), str(bomb), str(bomb), ReadOptions(max_ratio=0))
                if not hasattr(i, "text")]


def test_the_cli_lifts_the_decompression_limits_only_when_asked(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pdscan.cli import main

    monkeypatch.setattr(compression, "RATIO_FLOOR", 1 << 20)
    bomb = _gzip_text(tmp_path / "bomb.log.gz", 100_000)  # about 7 MB of text in tens of KB: past 100x
    limited = CliRunner().invoke(main, ["scan", str(bomb), "--format", "json", "-q", "-j", "1", "--fail-on", "never"])
    assert limited.exit_code == 3 and "times its size (the per-file limit)" in limited.output
    lifted = CliRunner().invoke(main, ["scan", str(bomb), "--format", "json", "-q", "-j", "1", "--fail-on", "never",
                                       "--no-decompression-limit"])
    assert lifted.exit_code == 0 and "per-file limit" not in lifted.output
