"""--state: a second run reads only what is new and reports everything; rotation, compression,
truncation and a foreign state file are handled; the file holds no raw value."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from pdscan.scanner import ScanConfig, scan

DATA = Path(__file__).resolve().parent / "data"
ACCESS = (DATA / "apache_access.log").read_bytes()
AUTH = (DATA / "real/beats-system-auth/auth.log").read_bytes()


@pytest.fixture()
def logs(tmp_path) -> Path:
    root = tmp_path / "logs"
    root.mkdir()
    (root / "app.log").write_bytes(ACCESS)
    (root / "auth.log").write_bytes(AUTH)
    return root


def _scan(catalog, root: Path, state: Path | None, jobs: int = 1, **options):
    config = ScanConfig(sources=(str(root),), jobs=jobs, state_path=str(state) if state else None, **options)
    return scan(config, catalog)


def _key(finding):
    return (finding.container, finding.field, finding.category)


def _same(left, right) -> None:
    """The findings of two results, all their reported facts (not the run's statistics)."""
    assert sorted(left.findings, key=_key) == sorted(right.findings, key=_key)


def test_an_unchanged_directory_is_not_read_again(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    first = _scan(catalog, logs, state)
    second = _scan(catalog, logs, state)
    _same(first, _scan(catalog, logs, None))
    _same(second, first)
    assert first.stats.bytes == len(ACCESS) + len(AUTH) and second.stats.bytes == 0
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_appended_lines_only_are_read_and_merged(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    _scan(catalog, logs, state)
    with (logs / "auth.log").open("ab") as out:
        out.write(ACCESS)
    again = _scan(catalog, logs, state)
    assert again.stats.bytes == len(ACCESS)
    _same(again, _scan(catalog, logs, None))  # line numbers, counts, examples and times as a full scan's


def test_appended_bytes_split_in_ranges_with_several_jobs(catalog, logs, tmp_path, monkeypatch):
    monkeypatch.setattr("pdscan.sources.ranges.RANGE_BYTES", 20_000)
    state = tmp_path / "state.json"
    _scan(catalog, logs, state, jobs=2)
    with (logs / "auth.log").open("ab") as out:
        out.write(ACCESS * 2)
    _same(_scan(catalog, logs, state, jobs=2), _scan(catalog, logs, None))


def test_a_rotated_file_is_known_under_its_new_name_and_as_a_gz_twin(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    _scan(catalog, logs, state)
    os.rename(logs / "app.log", logs / "app.log.1")  # logrotate: the old file moves, a new one starts
    (logs / "app.log").write_bytes(AUTH)
    rotated = _scan(catalog, logs, state)
    assert rotated.stats.bytes == len(AUTH)
    _same(rotated, _scan(catalog, logs, None))
    with (logs / "app.log.1").open("rb") as source, gzip.open(logs / "app.log.2.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    (logs / "app.log.1").unlink()
    twin = _scan(catalog, logs, state)
    assert twin.stats.bytes == 0
    assert {_key(f): f.count for f in twin.findings} == {_key(f): f.count for f in _scan(catalog, logs, None).findings}


def test_a_truncated_or_replaced_file_is_read_again(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    _scan(catalog, logs, state)
    (logs / "app.log").write_bytes(ACCESS[:5000])  # same inode, shorter
    again = _scan(catalog, logs, state)
    assert again.stats.bytes == 5000
    _same(again, _scan(catalog, logs, None))


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "something else"}', b'{"format": "pdscan-state", '
                                     b'"version": 1, "files": {"x": {"identity": 3}}, "tables": {}}'])
def test_a_corrupt_or_foreign_state_is_reported_and_everything_scanned(catalog, logs, tmp_path, content):
    state = tmp_path / "state.json"
    state.write_bytes(content)
    result = _scan(catalog, logs, state)
    assert result.stats.bytes == len(ACCESS) + len(AUTH)
    assert [e.severity for e in result.errors if "state file" in e.reason] == ["warning"]
    assert json.loads(state.read_text())["format"] == "pdscan-state"  # replaced by a good one


def test_the_state_holds_no_raw_value(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    result = _scan(catalog, logs, state, show_values=True, digest_key=b"k" * 32)
    raw = [e for f in result.findings for e in f.examples]
    assert raw and result.findings[0].value_digests
    text = state.read_text().replace(str(tmp_path), "")  # "root" is a user name, and in pytest's paths
    assert not any(value in text for value in raw if "*" not in value)
    again = _scan(catalog, logs, state, show_values=True, digest_key=b"k" * 32)
    assert {f.value_digests for f in again.findings} == {f.value_digests for f in result.findings}


def test_quick_look_options_say_what_was_sampled(catalog, logs):
    config = ScanConfig(sources=(str(logs),), jobs=1)
    lines = scan(replace(config, read=replace(config.read, sample_lines=10)), catalog)
    assert lines.stats.values <= 20
    assert sorted(e.reason for e in lines.errors) == ["sampled: the first 10 lines only (--sample-lines)"] * 2
    cut = scan(replace(config, read=replace(config.read, max_bytes_per_file=1000)), catalog)
    assert sorted(e.reason for e in cut.errors) == ["sampled: the first 1000 bytes only (--max-bytes-per-file)"] * 2
    assert all(e.severity == "warning" for e in cut.errors + lines.errors)


def test_a_file_rewritten_in_place_is_read_again(catalog, logs, tmp_path):
    state = tmp_path / "state.json"
    _scan(catalog, logs, state)
    path = logs / "auth.log"
    info = path.stat()
    path.write_bytes(AUTH[:-20] + b"x" * 19 + b"\n")  # same size, same first block, new content
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert _scan(catalog, logs, state).stats.bytes == len(AUTH)


def test_tables_are_given_from_the_state_unless_rescanned(catalog, chinook_db, tmp_path, monkeypatch):
    import pdscan.scanner as scanner

    state = tmp_path / "state.json"
    read: list[str] = []
    real_run_task = scanner.run_task
    monkeypatch.setattr(scanner, "run_task", lambda task, *a: read.append(task.container) or real_run_task(task, *a))
    first = _scan(catalog, chinook_db, state)
    tables = len(read)
    assert tables > 3 and first.findings
    read.clear()
    _same(_scan(catalog, chinook_db, state), first)
    assert read == []
    _same(_scan(catalog, chinook_db, state, rescan_tables=True), first)
    assert len(read) == tables


def test_the_command_line_options(logs, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pdscan.cli import main

    monkeypatch.chdir(tmp_path)
    arguments = ["scan", str(logs), "--format", "json", "--quiet", "--fail-on", "never", "--jobs", "1"]
    state = ["--state", str(tmp_path / "state.json")]
    runner = CliRunner()
    first = json.loads(runner.invoke(main, arguments + state).stdout)
    second = json.loads(runner.invoke(main, arguments + state).stdout)
    assert first["summary"]["bytes"] > 0 and second["summary"]["bytes"] == 0
    assert first["findings"] == second["findings"]
    assert runner.invoke(main, arguments + state + ["--sample-lines", "3"]).exit_code == 2
    sampled = json.loads(runner.invoke(main, arguments + ["--sample-lines", "3"]).stdout)
    assert {e["reason"] for e in sampled["errors"]} == {"sampled: the first 3 lines only (--sample-lines)"}
