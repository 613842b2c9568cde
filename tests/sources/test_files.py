"""File sources: walking, rotation sets, compression, formats, bad input, timestamps, memory."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import pickle
import random
import socket
import sys
import time
import tracemalloc
from datetime import datetime, timezone

import pytest

from pdscan.models import Block, Location, SourceError
from pdscan.sources.base import ReadOptions
from pdscan.sources.files import FileTask, StdinTask, plan_paths
from pdscan.sources.formats.decoding import CHUNK
from pdscan.sources.values import json_leaves

OPTIONS = ReadOptions()


def plan(path, **options) -> tuple[list, list[SourceError]]:
    tasks, errors = [], []
    for item in plan_paths(str(path), ReadOptions(**options)):
        (errors if isinstance(item, SourceError) else tasks).append(item)
    return tasks, errors


def read(path, **options) -> tuple[list[Block], list[SourceError]]:
    """Every block and error of planning and reading ``path``."""
    tasks, errors = plan(path, **options)
    blocks = []
    for task in tasks:
        for item in task.read(ReadOptions(**options)):
            (errors if isinstance(item, SourceError) else blocks).append(item)
    return blocks, errors


def by_field(blocks: list[Block]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for block in blocks:
        fields.setdefault(block.field, []).extend(block.text.split("\n"))
    return fields


def containers(tasks) -> list[str]:
    return sorted(os.path.basename(task.container) for task in tasks)


def write(path, text: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return str(path)


# ---------------------------------------------------------------- walking

@pytest.fixture
def tree(tmp_path):
    for rel in ("a.log", "b.csv", "sub/c.log", "sub/deep/d.log", "node_modules/e.log", "sub/skip.tmp"):
        write(tmp_path / rel, "hello\n")
    return tmp_path


def test_walk_finds_every_file_recursively(tree):
    tasks, errors = plan(tree)
    assert containers(tasks) == ["a.log", "b.csv", "c.log", "d.log", "e.log", "skip.tmp"]
    assert not errors
    assert all(task.source == str(tree) for task in tasks)


def test_walk_include_and_exclude_match_relative_path_or_name(tree):
    tasks, _ = plan(tree, include=("*.log",))
    assert containers(tasks) == ["a.log", "c.log", "d.log", "e.log"]
    tasks, _ = plan(tree, exclude=("node_modules", "sub/deep/*"))
    assert containers(tasks) == ["a.log", "b.csv", "c.log", "skip.tmp"]


def test_walk_max_depth(tree):
    assert containers(plan(tree, max_depth=0)[0]) == ["a.log", "b.csv"]
    assert containers(plan(tree, max_depth=1)[0]) == ["a.log", "b.csv", "c.log", "e.log", "skip.tmp"]


def test_pdscanignore_applies_to_its_directory_and_below(tree):
    write(tree / ".pdscanignore", "# generated\nnode_modules/\n*.tmp\n")
    write(tree / "sub" / ".pdscanignore", "/deep\n")
    tasks, errors = plan(tree)
    assert containers(tasks) == ["a.log", "b.csv", "c.log"]
    assert not errors


def test_pdscanignore_negation_and_directory_only_rules(tmp_path):
    write(tmp_path / "keep.log", "x\n")
    write(tmp_path / "drop.log", "x\n")
    write(tmp_path / "logs" / "x.txt", "x\n")
    write(tmp_path / "logs.txt", "x\n")
    write(tmp_path / ".pdscanignore", "*.log\n!keep.log\nlogs/\n")
    assert containers(plan(tmp_path)[0]) == ["keep.log", "logs.txt"]


def test_explicit_file_is_scanned_whatever_the_globs(tmp_path):
    path = write(tmp_path / "a.tmp", "x\n")
    tasks, _ = plan(path, exclude=("*.tmp",))
    assert [task.container for task in tasks] == [path]
    assert tasks[0].source == path


def test_missing_path_is_an_error(tmp_path):
    tasks, errors = plan(tmp_path / "nope")
    assert not tasks and errors[0].reason == "no such file or directory"


def test_broken_symlink_is_an_error(tmp_path):
    write(tmp_path / "ok.log", "x\n")
    os.symlink(tmp_path / "gone.log", tmp_path / "link.log")
    tasks, errors = plan(tmp_path)
    assert containers(tasks) == ["ok.log"]
    assert [(os.path.basename(e.container), e.reason) for e in errors] == [("link.log", "broken symbolic link")]


def test_symlinked_directory_loop_is_walked_once(tmp_path):
    write(tmp_path / "sub" / "a.log", "x\n")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    tasks, errors = plan(tmp_path)
    assert containers(tasks) == ["a.log"] and not errors


def test_socket_is_an_error(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.sock"))
    except OSError:
        pytest.skip("cannot bind a unix socket here")
    try:
        tasks, errors = plan(tmp_path)
    finally:
        server.close()
    assert not tasks
    assert errors[0].reason == "not a regular file (socket): not scanned"


def test_unreadable_file_is_an_error(tmp_path):
    path = write(tmp_path / "secret.log", "x\n")
    os.chmod(path, 0)
    try:
        tasks, errors = plan(tmp_path)
        blocks, read_errors = read(path)
    finally:
        os.chmod(path, 0o600)
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    assert not tasks and errors[0].reason == "permission denied"
    assert not blocks and read_errors[0].reason == "permission denied"


def test_permission_denied_is_an_error_even_as_root(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.log", "x\n")
    real_open = os.open

    def refusing_open(name, *args, **kwargs):
        if str(name) == path:
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    tasks, errors = plan(tmp_path)
    assert not tasks and [(e.container, e.reason) for e in errors] == [(path, "permission denied")]
    items = list(FileTask(path, path, 2).read(OPTIONS))
    assert [(e.reason, e.location.path) for e in items] == [("permission denied", path)]


def test_tasks_are_picklable_and_stdin_stays_local(tmp_path):
    write(tmp_path / "app.log", "x\n")
    write(tmp_path / "app.log.1", "y\n")
    (task,) = plan(tmp_path)[0]
    assert pickle.loads(pickle.dumps(task)) == task
    assert getattr(StdinTask(), "picklable", True) is False
    assert getattr(task, "picklable", True) is True


def test_stdin_is_read(monkeypatch):
    data = gzip.compress(b"2026-11-24T09:12:00Z user=alice\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (task,) = plan_paths("-", OPTIONS)
    assert isinstance(task, StdinTask) and task.container == "-"
    (block,) = task.read(OPTIONS)
    assert block.text == "2026-11-24T09:12:00Z user=alice" and block.keyed_fields
    assert block.times.at(block.text, 0, 1) == (datetime(2026, 11, 24, 9, 12, tzinfo=timezone.utc),) * 2


# ---------------------------------------------------------------- rotation sets and compression

def test_rotation_set_is_one_source_and_lines_point_at_member_files(tmp_path):
    logs = tmp_path / "logs"
    write(logs / "app.log", "now 1\nnow 2\n")
    write(logs / "app.log.1", "before\n")
    write(logs / "app.log.2.gz", gzip.compress(b"old 1\nold 2\nold 3\n"))
    write(logs / "app.log-20261101.gz", gzip.compress(b"older\n"))
    write(logs / "other.log", "x\n")
    tasks, _ = plan(tmp_path)
    assert containers(tasks) == ["app.log", "other.log"]
    rotation = next(task for task in tasks if task.members)
    assert rotation.container == str(logs / "app.log")
    assert [os.path.basename(m) for m in rotation.members] == [
        "app.log", "app.log.1", "app.log.2.gz", "app.log-20261101.gz"]
    assert rotation.size == sum(os.path.getsize(m) for m in rotation.members)
    blocks = [b for b in rotation.read(OPTIONS)]
    assert {b.container for b in blocks} == {str(logs / "app.log")}
    gz = next(b for b in blocks if b.text.startswith("old"))
    assert gz.location(3) == Location(path=str(logs / "app.log.2.gz"), line=3)
    assert blocks[0].member is None and blocks[0].location(2) == Location(path=str(logs / "app.log"), line=2)


def test_lone_compressed_file_is_its_own_source(tmp_path):
    write(tmp_path / "export.csv.gz", gzip.compress(b"name,email\nA,a@example.com\n"))
    tasks, _ = plan(tmp_path)
    assert [os.path.basename(t.container) for t in tasks] == ["export.csv.gz"] and not tasks[0].members
    assert by_field(read(tmp_path)[0]) == {"name": ["A"], "email": ["a@example.com"]}


def test_gzip_found_by_content_whatever_the_name(tmp_path):
    path = write(tmp_path / "app.log", gzip.compress(b"user=alice\n"))
    write(tmp_path / "plain.gz", "just text\n")
    blocks, errors = read(tmp_path)
    assert sorted(b.text for b in blocks) == ["just text", "user=alice"]
    assert not errors
    assert path


@pytest.mark.parametrize("compress", [bz2.compress, lzma.compress], ids=["bz2", "xz"])
def test_bz2_and_xz(tmp_path, compress):
    write(tmp_path / "data.bin", compress(b"line one\nline two\n"))
    blocks, errors = read(tmp_path)
    assert [b.text for b in blocks] == ["line one\nline two"] and not errors


def test_zstd_when_zstandard_is_installed(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    write(tmp_path / "app.log.1", zstandard.ZstdCompressor().compress(b"user=alice\n"))
    assert [b.text for b in read(tmp_path)[0]] == ["user=alice"]


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    lines = b"".join(b"line %d user=someone\n" % i for i in range(20000))
    data = gzip.compress(lines)
    write(tmp_path / "app.log.gz", data[: len(data) // 2])
    blocks, errors = read(tmp_path, block_lines=1000)
    read_lines = sum(b.text.count("\n") + 1 for b in blocks)
    assert 0 < read_lines < 20000
    (error,) = errors
    assert error.reason == f"truncated gzip stream after {read_lines} lines"


def test_corrupt_gzip_is_an_error(tmp_path):
    data = bytearray(gzip.compress(b"hello world\n" * 100))
    data[-8:-4] = b"\x00\x00\x00\x00"  # a wrong CRC: the content is given, then refused
    write(tmp_path / "bad.gz", bytes(data))
    _, errors = read(tmp_path)
    assert [e.reason for e in errors] == ["corrupt gzip stream after 100 lines (BadGzipFile)"]


def test_zstd_without_zstandard_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)
    write(tmp_path / "a.zst", b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    _, errors = read(tmp_path)
    assert "pip install zstandard" in errors[0].reason


# ---------------------------------------------------------------- formats

def test_plain_logs_are_keyed_free_text(tmp_path):
    write(tmp_path / "app.log", "user=alice ip=10.0.0.1, status=ok, took=3\nuser=bob\n")
    (block,), errors = read(tmp_path)
    assert block.field == "" and block.keyed_fields and block.examined == 2
    assert block.text == "user=alice ip=10.0.0.1, status=ok, took=3\nuser=bob" and not errors


def test_plain_text_blocks_hold_block_lines_lines(tmp_path):
    write(tmp_path / "notes.txt", "".join(f"line {i}\n" for i in range(1, 11)))
    blocks, _ = read(tmp_path, block_lines=4)
    assert [b.text.count("\n") + 1 for b in blocks] == [4, 4, 2]
    assert [b.first_line for b in blocks] == [1, 5, 9]
    assert blocks[2].location(2) == Location(path=str(tmp_path / "notes.txt"), line=10)


def test_json_lines_key_paths(tmp_path):
    write(tmp_path / "events.jsonl", "\n".join([
        json.dumps({"user": {"phone": "+44 20 7946 0958", "name": "A"}, "tags": ["x", "y"], "n": 5, "ok": True}),
        json.dumps({"user": {"name": "B\nC"}, "tags": []}),
        "plain text line user=carol",
        json.dumps({"user": {"phone": "+44 20 7946 0000"}}),
    ]) + "\n")
    blocks, errors = read(tmp_path)
    fields = {b.field: b for b in blocks}
    assert set(fields) == {"$.user.phone", "$.user.name", "$.tags[]", "$.n", ""}
    assert fields["$.user.phone"].text == "+44 20 7946 0958\n+44 20 7946 0000"
    assert fields["$.user.phone"].location(2).line == 4
    assert fields["$.user.name"].text == "A\nB C"
    assert fields["$.user.name"].location(2).line == 2
    assert fields["$.tags[]"].text == "x\ny" and fields["$.tags[]"].location(2).line == 1
    assert fields[""].keyed_fields and fields[""].location(1).line == 3
    assert [e.reason for e in errors] == ["1 lines are not JSON objects (scanned as plain text)"]
    assert errors[0].location.line == 3


def test_json_lines_longer_than_the_sample_are_still_records(tmp_path):
    first = json.dumps({"note": "x" * 100_000, "email": "a@example.com"})
    write(tmp_path / "events.jsonl", first + "\n" + json.dumps({"email": "b@example.com"}) + "\n")
    blocks, errors = read(tmp_path)
    email = next(b for b in blocks if b.field == "$.email")
    assert email.text == "a@example.com\nb@example.com" and email.location(2).line == 2
    assert not errors


def test_csv_with_header(tmp_path):
    write(tmp_path / "customers.csv", "name,email,phone\nAlice,alice@example.com,+44 20 7946 0958\n"
                                      'Bob,"bob@example.com",\n"Carol ""C""",carol@example.com,555\n')
    blocks, errors = read(tmp_path)
    fields = {b.field: b for b in blocks}
    assert fields["email"].text == "alice@example.com\nbob@example.com\ncarol@example.com"
    assert fields["phone"].text == "+44 20 7946 0958\n\n555" and fields["phone"].examined == 2
    assert fields["name"].text.split("\n")[2] == 'Carol "C"'
    assert fields["email"].first_line == 2 and fields["email"].location(3).line == 4
    assert not errors


def test_tsv(tmp_path):
    write(tmp_path / "people.tsv", "name\temail, work\nAlice\talice@example.com\nBob\tbob@example.com\n")
    blocks, errors = read(tmp_path)
    assert by_field(blocks) == {"name": ["Alice", "Bob"], "email, work": ["alice@example.com", "bob@example.com"]}
    assert not errors


def test_csv_without_header_names_columns_by_number(tmp_path):
    write(tmp_path / "dump.csv", "alice@example.com,+44 20 7946 0958,London\nbob@example.com,+44 20 7946 0000,Leeds\n")
    blocks, _ = read(tmp_path)
    assert by_field(blocks) == {"column_1": ["alice@example.com", "bob@example.com"],
                                "column_2": ["+44 20 7946 0958", "+44 20 7946 0000"],
                                "column_3": ["London", "Leeds"]}
    assert blocks[0].first_line == 1


def test_semicolon_csv_is_sniffed(tmp_path):
    write(tmp_path / "eu.csv", "name;email;city\nAlice;alice@example.com;Paris\nBob;bob@example.com;Lyon\n")
    assert by_field(read(tmp_path)[0])["email"] == ["alice@example.com", "bob@example.com"]


def test_csv_shaped_text_without_csv_extension(tmp_path):
    write(tmp_path / "export.txt", "id,name,email\n1,Alice,alice@example.com\n2,Bob,bob@example.com\n")
    write(tmp_path / "app.log", "id,name,email\n1,Alice,alice@example.com\n2,Bob,bob@example.com\n")
    blocks, _ = read(tmp_path)
    csv_fields = {b.field for b in blocks if b.container.endswith("export.txt")}
    assert csv_fields == {"id", "name", "email"}
    assert [b.field for b in blocks if b.container.endswith("app.log")] == [""]


def test_log_with_commas_is_not_csv(tmp_path):
    write(tmp_path / "notes.txt", "Started, ok\nUser alice logged in, from 10.0.0.1, via web\nDone.\n")
    (block,), _ = read(tmp_path)
    assert block.field == "" and block.keyed_fields


def test_multiline_csv_record_keeps_exact_lines(tmp_path):
    write(tmp_path / "notes.csv", 'id,note,email\n1,"first\nsecond",a@example.com\n2,x,b@example.com\n')
    blocks, _ = read(tmp_path)
    fields = {b.field: b for b in blocks}
    assert fields["note"].text == "first second\nx"
    assert fields["email"].row_keys == ("2", "4")
    assert fields["email"].location(2) == Location(path=str(tmp_path / "notes.csv"), line=4)


def test_malformed_csv_row_is_reported_and_reading_goes_on(tmp_path):
    write(tmp_path / "bad.csv", "name,email\nAlice,alice@example.com\nBob,bob@example.com,extra,more\n"
                                "Carol,carol@example.com\n")
    blocks, errors = read(tmp_path)
    assert by_field(blocks)["email"] == ["alice@example.com", "bob@example.com", "carol@example.com"]
    assert [(e.reason, e.location.line) for e in errors] == [("malformed CSV row: 4 fields, expected 2", 3)]


def test_csv_field_over_the_limit_is_reported(tmp_path):
    write(tmp_path / "big.csv", 'name,email\nA,"' + "x" * 200_000 + '"\nB,b@example.com\n')
    blocks, errors = read(tmp_path)
    assert "b@example.com" in by_field(blocks)["email"]
    assert errors[0].reason.startswith("malformed CSV row: field larger than field limit")
    assert "xxx" not in errors[0].reason


def test_json_document_key_paths_and_lines(tmp_path):
    document = {"customers": [{"email": "a@example.com", "phones": ["1", "2"], "age": 41, "vip": False},
                              {"email": "b@example.com", "address": {"city": "Paris", "zip": None}}],
                "generated": "2026-11-24T09:12:00Z"}
    write(tmp_path / "export.json", json.dumps(document, indent=2))
    blocks, errors = read(tmp_path)
    fields = {b.field: b for b in blocks}
    assert by_field(blocks) == {"$.customers[].email": ["a@example.com", "b@example.com"],
                                "$.customers[].phones[]": ["1", "2"], "$.customers[].age": ["41"],
                                "$.customers[].address.city": ["Paris"], "$.generated": ["2026-11-24T09:12:00Z"]}
    emails = fields["$.customers[].email"]
    text_lines = json.dumps(document, indent=2).split("\n")
    for i in (1, 2):
        line = emails.location(i).line
        assert emails.text.split("\n")[i - 1] in text_lines[line - 1]
    assert not errors


def test_json_document_is_streamed_across_chunks(tmp_path):
    rng = random.Random(7)
    records = [{"id": i, "email": f"user{i}@example.com", "note": "é" * rng.randrange(0, 300) + '"\\',
                "nested": {"list": [rng.random(), {"deep": "x" * rng.randrange(1, 50)}]}} for i in range(2000)]
    text = json.dumps({"records": records}, ensure_ascii=False)
    assert len(text) > 4 * CHUNK
    write(tmp_path / "big.json", text)
    blocks, errors = read(tmp_path, block_lines=500)
    got = by_field(blocks)
    expected: dict[str, list[str]] = {}
    for path, value in json_leaves(json.loads(text)):
        expected.setdefault(path, []).append(value)
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}
    assert not errors


def test_json_that_breaks_early_is_scanned_as_text(tmp_path):
    write(tmp_path / "broken.json", '{\n  "a": "x@example.com",\n  "b": tru\n  "c": 1\n}\n')
    (block,), errors = read(tmp_path)
    assert block.keyed_fields and block.text.split("\n")[1] == '  "a": "x@example.com",'
    assert [e.reason for e in errors] == ["not valid JSON (line 3): scanned as plain text"]


def test_json_that_breaks_late_reports_the_line(tmp_path):
    records = ",\n".join(json.dumps({"email": f"u{i}@example.com"}) for i in range(5000))
    write(tmp_path / "broken.json", "[\n" + records + ",\n{oops}\n]\n")
    blocks, errors = read(tmp_path)
    assert len(by_field(blocks)["$[].email"]) == 5000
    assert [e.reason for e in errors] == ["malformed JSON at line 5002: rest of the document not scanned"]


def test_json_cut_short_keeps_what_it_read_and_reports_the_line(tmp_path):
    records = ",\n".join(json.dumps({"email": f"u{i}@example.com"}) for i in range(5000))
    write(tmp_path / "cut.json", "[\n" + records + ',\n{"email": "last@example.com", "n": 7')
    blocks, errors = read(tmp_path)
    fields = by_field(blocks)
    assert len(fields["$[].email"]) == 5001 and fields["$[].n"] == ["7"]
    assert [(e.reason, e.severity) for e in errors] == [("JSON document ends at line 5002 before it is complete", "error")]


def test_json_value_longer_than_max_line_bytes_stops_the_document(tmp_path):
    records = ",\n".join(json.dumps({"email": f"u{i}@example.com"}) for i in range(5000))
    write(tmp_path / "long.json", "[\n" + records + ',\n{"note": "' + "x" * 5000 + '"},\n{"email": "after@example.com"}]')
    blocks, errors = read(tmp_path, max_line_bytes=1000)
    assert "after@example.com" not in by_field(blocks)["$[].email"]
    assert [e.reason for e in errors] == [
        "a JSON value at line 5002 is longer than max_line_bytes: rest of the document not scanned"]


def test_json_nested_deeper_than_the_limit_is_malformed(tmp_path):
    records = ",\n".join(json.dumps({"email": f"u{i}@example.com"}) for i in range(5000))
    write(tmp_path / "deep.json", "[\n" + records + ",\n" + "[" * 300 + "]" * 300 + "]")
    blocks, errors = read(tmp_path)
    assert len(by_field(blocks)["$[].email"]) == 5000
    assert [e.reason for e in errors] == ["malformed JSON at line 5002: rest of the document not scanned"]


def test_only_standard_json_is_a_json_document(tmp_path):
    # NaN (which Python's json writes) and raw control characters in strings are not JSON: plain text.
    write(tmp_path / "nan.json", '{\n  "email": "a@example.com",\n  "score": NaN\n}\n')
    write(tmp_path / "tab.json", '{\n  "email": "a@example.com\tb"\n}\n')
    blocks, errors = read(tmp_path)
    assert all(block.field == "" for block in blocks)
    assert sorted(e.reason for e in errors) == ["not valid JSON (line 2): scanned as plain text",
                                                 "not valid JSON (line 3): scanned as plain text"]


def test_bracketed_log_is_not_json(tmp_path):
    write(tmp_path / "app.log", "[2026-11-24 09:12:00] INFO user=alice\n[INFO] second\n")
    (block,), errors = read(tmp_path)
    assert block.keyed_fields and not errors


def test_not_json_with_json_suffix_is_scanned_as_text(tmp_path):
    write(tmp_path / "x.json", "email: a@example.com\n")
    (block,), errors = read(tmp_path)
    assert block.text == "email: a@example.com"
    assert errors[0].reason == "not valid JSON (line 1): scanned as plain text"


def test_parquet_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"email": ["a@example.com", None, "c@example.com"], "age": [1, 2, 3],
                      "ts": [datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)],
                      "profile": [{"phone": "1"}, {"phone": None}, {"phone": "3"}]})
    pq.write_table(table, tmp_path / "t.parquet")
    blocks, errors = read(tmp_path)
    fields = {b.field: b for b in blocks}
    assert fields["email"].text == "a@example.com\nc@example.com"
    assert fields["email"].location(2) == Location(path=str(tmp_path / "t.parquet"), row_key="row=3")
    assert fields["profile.$.phone"].text == "1\n3"
    assert line_span(fields["email"]) == (datetime(2026, 1, 1, tzinfo=timezone.utc),
                                          datetime(2026, 3, 1, tzinfo=timezone.utc))  # rows 1 and 3 only
    assert not errors


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    write(tmp_path / "t.parquet", b"PAR1" + b"\x00" * 64 + b"PAR1")
    blocks, errors = read(tmp_path)
    assert not blocks and 'python3 -m pip install ".[parquet]"' in errors[0].reason


def test_a_file_known_by_its_first_bytes_is_planned_by_its_planner(tmp_path):
    write(tmp_path / "app.data", b"MAGIC rest")
    write(tmp_path / "app.log", "x\n")
    calls = []

    def planner(path, options, source):
        calls.append((path, source))
        yield SourceError(source, path, "planned elsewhere")

    for argument in (tmp_path, tmp_path / "app.data"):
        items = list(plan_paths(str(argument), OPTIONS, ((b"MAGIC", planner),)))
        assert [i.reason for i in items if isinstance(i, SourceError)] == ["planned elsewhere"]
        assert [os.path.basename(i.container) for i in items if isinstance(i, FileTask)] == (
            ["app.log"] if argument == tmp_path else [])
    assert calls == [(str(tmp_path / "app.data"), str(tmp_path)), (str(tmp_path / "app.data"),) * 2]


# ---------------------------------------------------------------- bad input

def test_binary_file_is_an_error(tmp_path):
    write(tmp_path / "blob.log", b"header\n" + bytes(range(256)) * 4)
    write(tmp_path / "doc.txt", b"PK\x03\x04rest")
    blocks, errors = read(tmp_path)
    assert not blocks
    assert sorted(e.reason for e in errors) == ["binary data (NUL bytes in the first 8 KB): not scanned",
                                                "binary data (zip archive, .xlsx or .docx): not scanned"]


def test_binary_inside_gzip_is_an_error(tmp_path):
    write(tmp_path / "x.gz", gzip.compress(b"\x00\x01\x02" * 100))
    assert read(tmp_path)[1][0].reason.startswith("binary data")


def test_invalid_utf8_is_replaced_and_reported_once(tmp_path):
    write(tmp_path / "app.log", b"ok user=alice\nbad \xff\xfe user=bob\nalso \xc3 bad\nfine\n")
    (block,), errors = read(tmp_path)
    assert block.text.split("\n")[1] == "bad \ufffd\ufffd user=bob"
    assert [(e.reason, e.location.line) for e in errors] == [("invalid UTF-8 in 2 lines (replaced)", 2)]


def test_huge_line_is_truncated_and_reported(tmp_path):
    write(tmp_path / "app.log", "short\n" + "é" * 5000 + "\nafter user=alice\n" + "x" * 3000)
    (block,), errors = read(tmp_path, max_line_bytes=1001)
    lines = block.text.split("\n")
    assert lines[0] == "short" and lines[1] == "é" * 500 and lines[2] == "after user=alice"
    assert lines[3] == "x" * 1001
    assert [(e.reason, e.location.line) for e in errors] == [
        ("2 lines longer than max_line_bytes (1001 bytes) truncated", 2)]


def test_errors_never_quote_content(tmp_path):
    secret = "alice@example.com"
    write(tmp_path / "a.log", f"{secret} \xff\n".encode("latin-1") + (secret * 100).encode() + b"\n")
    write(tmp_path / "b.json", '{"a": "' + secret + '", oops}')
    write(tmp_path / "c.csv", f"name,email\nx,{secret},{secret}\n")
    write(tmp_path / "d.gz", gzip.compress(f"{secret} {random.random()}\n".encode() * 1000, mtime=0)[:-8])
    _, errors = read(tmp_path, max_line_bytes=200)
    assert len(errors) >= 5
    assert not any(secret in e.reason or "alice" in repr(e) for e in errors)


# ---------------------------------------------------------------- timestamps

def line_span(block):
    """The oldest and newest record time of a block's lines (in free text, a line without a time has
    that of the record it continues)."""
    starts = [0] + [i + 1 for i, c in enumerate(block.text) if c == "\n"]
    times = [t for n, start in enumerate(starts, 1) for t in (block.times.at(block.text, start, n) or ())]
    return min(times), max(times)


def test_a_line_without_a_time_continues_the_record_above(tmp_path):
    write(tmp_path / "app.log", "2026-11-24 09:12:00 ERROR failed\n  at handler (user=alice)\n")
    (block,), _ = read(tmp_path)
    moment = datetime(2026, 11, 24, 9, 12, tzinfo=timezone.utc)
    assert block.times.at(block.text, block.text.index("alice"), 2) == (moment, moment)


def test_timestamps_from_iso_and_nginx_lines(tmp_path):
    write(tmp_path / "app.log", "2026-11-24 09:12:00,123 INFO user=alice\nno time here\n"
                                "2026-11-23T22:00:00+02:00 WARN user=bob\n")
    write(tmp_path / "access.log", '10.0.0.1 - - [24/Nov/2026:09:12:00 +0100] "GET / HTTP/1.1" 200\n'
                                   '10.0.0.2 - - [25/Nov/2026:10:00:05 +0000] "GET / HTTP/1.1" 200\n')
    blocks, _ = read(tmp_path)
    spans = {os.path.basename(b.container): line_span(b) for b in blocks}
    assert spans["app.log"] == (datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc),
                                datetime(2026, 11, 24, 9, 12, tzinfo=timezone.utc))
    assert spans["access.log"] == (datetime(2026, 11, 24, 8, 12, tzinfo=timezone.utc),
                                   datetime(2026, 11, 25, 10, 0, 5, tzinfo=timezone.utc))


@pytest.mark.parametrize("modified, first, last", [
    (datetime(2017, 3, 1, 6, 0, tzinfo=timezone.utc), datetime(2017, 2, 27, 10, 1, 2), datetime(2017, 2, 28, 23, 59, 59)),
    # A log modified in January that still holds December's lines: those are from the year before.
    (datetime(2019, 1, 2, 0, 0, tzinfo=timezone.utc), datetime(2018, 2, 27, 10, 1, 2), datetime(2018, 12, 31, 23, 0, 0)),
])
def test_syslog_dates_without_a_year_take_the_files_modification_year(tmp_path, modified, first, last):
    lines = ["Feb 27 10:01:02 web1 sshd[1]: Invalid user oracle9 from 203.0.113.5",
             "Feb 28 23:59:59 web1 sshd[1]: Invalid user oracle9 from 203.0.113.5"]
    if modified.month == 1:
        lines[1] = "Dec 31 23:00:00 web1 sshd[1]: Invalid user oracle9 from 203.0.113.5"
    path = write(tmp_path / "auth.log", "\n".join(lines) + "\n")
    os.utime(path, (modified.timestamp(), modified.timestamp()))
    (block,), _ = read(path)
    assert line_span(block) == (first.replace(tzinfo=timezone.utc), last.replace(tzinfo=timezone.utc))


@pytest.mark.parametrize("indent", [None, 1], ids=["json line", "json document"])
def test_records_written_as_rows_of_a_json_table_are_read_by_column(tmp_path, indent):
    write(tmp_path / "sheet.json", json.dumps({
        "values": [["id", "nameFirst", "email"], [1, "Ann", "ann@example.org"], [2, "Bob", "bob@example.org"]],
        "data": [["x@example.com", 5], ["y@example.com", 6]],
        "matrix": [[[1, 2], [3, 4]]],
    }, indent=indent))
    blocks, errors = read(tmp_path)
    fields = by_field(blocks)
    assert not errors
    # A first row of distinct names is the header; without one, columns are numbered from 1.
    assert fields["$.values[].nameFirst"] == ["Ann", "Bob"]
    assert fields["$.values[].email"] == ["ann@example.org", "bob@example.org"]
    assert fields["$.data[][1]"] == ["x@example.com", "y@example.com"]
    assert fields["$.data[][2]"] == ["5", "6"]
    assert sorted(v for f, values in fields.items() if f.startswith("$.matrix") for v in values) == ["1", "2", "3", "4"]


def test_timestamps_from_json_lines_keys(tmp_path):
    write(tmp_path / "events.jsonl", json.dumps({"@timestamp": "2026-11-24T09:12:00Z", "email": "a@example.com"})
          + "\n" + json.dumps({"ts": 1764000000123, "email": "b@example.com"}) + "\n")
    blocks, _ = read(tmp_path)
    email = next(b for b in blocks if b.field == "$.email")
    moment = datetime(2026, 11, 24, 9, 12, tzinfo=timezone.utc)
    assert email.times.at(email.text, 0, 1) == (moment, moment)  # each record's own time
    epoch = datetime.fromtimestamp(1764000000.123, timezone.utc)
    assert email.times.at(email.text, email.text.index("b@"), 2) == (epoch, epoch)


def test_without_timestamps_the_file_time_is_used(tmp_path):
    path = write(tmp_path / "notes.txt", "user=alice\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (block,), _ = read(path)
    assert block.oldest == block.newest == datetime.fromtimestamp(1_700_000_000, timezone.utc)


# ---------------------------------------------------------------- memory

@pytest.mark.slow  # about 3 s: tracemalloc slows every allocation
def test_memory_stays_flat_on_a_large_file(tmp_path):
    path = tmp_path / "big.log"
    line = b"2026-11-24T09:12:00Z INFO user=alice@example.com ip=10.0.0.1 " + b"x" * 150 + b"\n"
    chunk = line * 10_000
    with open(path, "wb") as handle:
        while handle.tell() < 50 << 20:
            handle.write(chunk)
    size = path.stat().st_size
    (task,) = plan(path)[0]
    started = time.perf_counter()
    tracemalloc.start()
    try:
        lines = 0
        for block in task.read(OPTIONS):
            lines += block.examined
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == size // len(line)
    assert peak < 16 << 20, f"peak {peak / 2**20:.1f} MB"
    print(f"read {size / 2**20:.0f} MB in {time.perf_counter() - started:.1f}s, peak {peak / 2**20:.1f} MB")


def test_blank_lines_are_not_examined_whatever_their_spaces():
    from pdscan.sources.formats.blocks import Lines

    lines = Lines()
    for number, text in enumerate(["", " ", "\t\u3000\u2028", "a", " b ", "\x85", "\u200b"], 1):
        lines.add(number, text)
    assert lines.examined() == sum(1 for text in lines.texts if text.strip())  # 3: "a", " b ", "\u200b"
