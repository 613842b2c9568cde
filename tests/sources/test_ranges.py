"""Byte ranges: cut at line boundaries, never a line twice, and merged into what one task finds."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pdscan.scanner import Part, ScanConfig, _assembled, _parts, run_task
from pdscan.sources.base import ReadOptions
from pdscan.sources.files import FileTask
from pdscan.sources.ranges import RangeTask, line_cuts, rangeable_format, split_file, task_pieces

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def log(tmp_path) -> Path:
    """A plain log of real lines (the Apache access log, then auth and Kafka logs), a few times over."""
    parts = [DATA / "apache_access.log", DATA / "real/beats-system-auth/auth.log", DATA / "real/beats-kafka/server.log"]
    path = tmp_path / "app.log"
    path.write_bytes(b"".join(p.read_bytes() for p in parts) * 3)
    return path


def test_cuts_fall_after_line_breaks(log):
    data = log.read_bytes()
    cuts = line_cuts(str(log), 0, len(data), 7)
    assert cuts[0] == 0 and cuts[-1] == len(data) and cuts == sorted(set(cuts))
    assert all(data[cut - 1:cut] == b"\n" for cut in cuts[1:-1])


def test_a_line_longer_than_a_piece_is_not_cut(tmp_path):
    path = tmp_path / "long.log"
    path.write_bytes(b"x" * 1000 + b"\nshort\n")
    assert line_cuts(str(path), 0, 1007, 4) == [0, 1001, 1007]


def test_only_plain_line_formats_are_cut(tmp_path, log):
    assert rangeable_format(str(log)) == "text"
    compressed = tmp_path / "app.log.gz"
    compressed.write_bytes(gzip.compress(log.read_bytes()))
    assert rangeable_format(str(compressed)) is None
    table = tmp_path / "people.csv"
    table.write_text("name,email\nJane,jane@example.com\n" * 50)
    assert rangeable_format(str(table)) is None
    assert split_file("x", str(log), str(log), log.stat().st_size, jobs=1, range_bytes=1000) is None


def _whole_and_pieces(engine, task, pieces, range_bytes=20_000):
    config = ScanConfig(sources=(task.source,))
    whole = run_task(task, engine, config)
    parts = _parts(task, 2, range_bytes=range_bytes)
    assert [run for part in parts for run in part.runs] == pieces
    merged = _assembled(parts, {id(run): run_task(run, engine, config) for part in parts for run in part.runs})
    return whole, merged


def test_ranges_merge_into_what_one_task_finds(engine, log):
    task = FileTask(str(log), str(log), log.stat().st_size)
    pieces = task_pieces(task, jobs=2, range_bytes=20_000)
    assert len(pieces) > 4 and all(isinstance(p, RangeTask) for p in pieces)
    assert sum(p.size for p in pieces) == log.stat().st_size
    whole, merged = _whole_and_pieces(engine, task, pieces)
    assert whole.findings and merged.findings == tuple(sorted(whole.findings, key=lambda f: (f.field, f.category)))
    assert merged.values == whole.values and merged.bytes == whole.bytes


def test_rotation_set_pieces_are_its_members_in_order(engine, tmp_path, log):
    (tmp_path / "app.log.1").write_bytes((DATA / "real/beats-system-auth/auth.log").read_bytes())
    with gzip.open(tmp_path / "app.log.2.gz", "wb") as out:
        out.write((DATA / "apache_access.log").read_bytes())
    members = (str(log), str(tmp_path / "app.log.1"), str(tmp_path / "app.log.2.gz"))
    size = sum(Path(m).stat().st_size for m in members)
    task = FileTask(str(tmp_path), str(log), size, members)
    pieces = task_pieces(task, jobs=2, range_bytes=20_000)
    assert [getattr(p, "path", None) or p.members[0] for p in pieces][-2:] == list(members[1:])
    whole, merged = _whole_and_pieces(engine, task, pieces)
    key = lambda f: (f.field, f.category)  # noqa: E731
    assert sorted(merged.findings, key=key) == sorted(whole.findings, key=key)


def test_json_lines_ranges_keep_each_record_time(engine, tmp_path):
    path = tmp_path / "events.jsonl"
    records = [f'{{"ts": "2026-11-{1 + i // 400:02d}T{i % 24:02d}:00:00Z", "user": {{"email": "u{i}@example.com"}},'
               f' "level": "info", "ip": "10.0.{i % 250}.{1 + i % 200}"}}' for i in range(3000)]
    path.write_text("\n".join(records) + "\n")
    task = FileTask(str(path), str(path), path.stat().st_size)
    pieces = task_pieces(task, jobs=2, range_bytes=40_000)
    assert rangeable_format(str(path)) == "json_lines" and len(pieces) > 3
    whole, merged = _whole_and_pieces(engine, task, pieces, range_bytes=40_000)
    key = lambda f: (f.field, f.category)  # noqa: E731
    assert sorted(merged.findings, key=key) == sorted(whole.findings, key=key)


def test_problems_counted_in_several_ranges_are_reported_once(engine, tmp_path, log):
    """Invalid UTF-8 and over-long lines met in several ranges: one warning, one error, the counts added
    up and the first line as one task reports them."""
    lines = log.read_bytes().splitlines(keepends=True)
    for at in range(5, len(lines), 97):
        lines[at] = b"user=caf\xe9 from 10.0.0.1\n"
    for at in range(40, len(lines), 301):
        lines[at] = b"x" * 3000 + b"\n"
    log.write_bytes(b"".join(lines))
    task = FileTask(str(log), str(log), log.stat().st_size)
    config = ScanConfig(sources=(task.source,), read=ReadOptions(max_line_bytes=2000))
    whole = run_task(task, engine, config)
    parts = _parts(task, 2, range_bytes=20_000)
    assert len([run for part in parts for run in part.runs]) > 4
    merged = _assembled(parts, {id(run): run_task(run, engine, config) for part in parts for run in part.runs})
    assert len(whole.errors) == 2 and "invalid UTF-8 in" in whole.errors[0].reason + whole.errors[1].reason
    assert [e.as_dict() for e in merged.errors] == [e.as_dict() for e in whole.errors]


def test_non_json_lines_counted_in_several_ranges_are_reported_once(engine, tmp_path):
    path = tmp_path / "events.jsonl"
    lines = [f'{{"user": {{"email": "u{i}@example.com"}}, "n": {i}}}' if i % 7 else f"plain line {i} from 10.0.0.{i % 200}"
             for i in range(4000)]
    path.write_text("\n".join(lines) + "\n")
    task = FileTask(str(path), str(path), path.stat().st_size)
    whole, merged = _whole_and_pieces(engine, task, task_pieces(task, jobs=2, range_bytes=40_000), range_bytes=40_000)
    assert len(whole.errors) == 1 and "lines are not JSON objects" in whole.errors[0].reason
    assert [e.as_dict() for e in merged.errors] == [e.as_dict() for e in whole.errors]
