"""Issue 16, the output half: hostile input must never crash the report, leak, or hang.

Each case is built in a temporary directory beside a good file holding an email and a phone, scanned
in every format, and checked: no traceback, the hostile thing named (escaped) where relevant, the good
file's findings present, no planted raw value or password anywhere, the exit code (2 for a usage or
configuration error, 3 for an incomplete scan, 130 for an interrupted one).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan import reporters
from pdscan.cli import main

FORMATS = tuple(reporters.FORMATS)
GOOD = "contact a.person@example.net phone +86 138 1234 5678\n"
ESC = "\x1b[2J"


def _good(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "good.log").write_text(GOOD, encoding="utf-8")
    return directory


def _bad_name(directory: Path) -> None:
    """A file whose name is not UTF-8 (the byte 0xff), holding the good file's text."""
    with open(os.path.join(os.fsencode(directory), b"bad\xff.log"), "wb") as handle:
        handle.write(GOOD.encode())


def _scan(args: list[str], output_format: str, tmp_path: Path, env: dict | None = None) -> tuple[int, str]:
    """Run `pdscan scan` in-process; the report is read back from --output as bytes, so that what a
    file would hold is checked byte for byte."""
    out = tmp_path / f"report.{output_format}"
    result = CliRunner().invoke(main, ["scan", *args, "--format", output_format, "-q", "-o", str(out)],
                                env=env, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    text = out.read_bytes().decode("utf-8") if out.exists() else ""  # strict: the file must be UTF-8
    return result.exit_code, text + result.output


def _shows(text: str, escaped: str) -> bool:
    """Whether the report shows ``escaped`` (the one rule's escape), as is or with its backslash
    escaped again by the format's own syntax (JSON, Markdown)."""
    return escaped in text or escaped.replace("\\", "\\\\") in text


def _assert_good_findings(text: str, output_format: str) -> None:
    assert "good.log" in text
    if output_format in ("json", "ndjson", "csv", "sarif"):
        assert "email" in text and "phone" in text


# ---------------------------------------------------------------- crashes that lost the report

@pytest.mark.parametrize("output_format", FORMATS)
def test_a_lone_surrogate_in_json_lines_is_reported_in_every_format(tmp_path, output_format):
    data = _good(tmp_path / "data")
    (data / "events.jsonl").write_text('{"k\\ud800": "x \\ud800 b.person@example.net"}\n', encoding="utf-8")
    code, text = _scan([str(data)], output_format, tmp_path)
    assert code == 1
    _assert_good_findings(text, output_format)
    assert "\ud800" not in text
    if output_format in ("json", "ndjson", "csv", "sarif", "markdown"):
        assert _shows(text, "$.k\\ud800")  # the key, escaped by the one rule
    if output_format == "json":
        findings = json.loads(text[:text.rindex("}") + 1])["findings"]
        email = next(f for f in findings if f["container"].endswith("events.jsonl"))
        assert email["examples"] == ["b***@example.net"]  # offsets right: the whole address, masked


def test_the_engine_keeps_offsets_right_after_a_lone_surrogate(engine):
    text = "x \ud800 b.person@example.net"
    match = next(m for m in engine.scan(text) if m.category == "email")
    assert (match.start, match.end, match.value) == (4, 24, "b.person@example.net")


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_file_name_that_is_not_utf8_is_escaped_the_same_in_every_format(tmp_path, output_format):
    data = _good(tmp_path / "data")
    _bad_name(data)
    code, text = _scan([str(data)], output_format, tmp_path)
    assert code == 1
    _assert_good_findings(text, output_format)
    assert _shows(text, "bad\\xff.log")
    if output_format == "sarif":
        assert "bad%FF.log" in text  # the artifact URI: the byte, percent-encoded


def test_json_to_a_strict_utf8_standard_output_does_not_crash(tmp_path):
    data = _good(tmp_path / "data")
    _bad_name(data)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run([sys.executable, "-m", "pdscan.cli", "scan", str(data), "--format", "json", "-q"],
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))
    assert any(f["container"].endswith("bad\\xff.log") for f in report["findings"])


def test_init_writes_a_draft_that_covers_a_name_that_is_not_utf8(tmp_path):
    data = _good(tmp_path / "data")
    _bad_name(data)
    draft = tmp_path / "pdscan.yaml"
    result = CliRunner().invoke(main, ["init", str(data), "-q", "-o", str(draft)])
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "bad?.log" in text  # `?` matches the byte, so the declaration covers the file
    code, report = _scan([str(data), "--declarations", str(draft)], "json", tmp_path)
    assert '"undeclared"' not in report


@pytest.mark.parametrize("output_format", FORMATS)
def test_escape_sequences_never_reach_any_format(tmp_path, output_format):
    data = _good(tmp_path / "data")
    (data / f"esc{ESC}.log").write_text(f"user={ESC}c.person@example.net\n", encoding="utf-8")
    (data / "keys.jsonl").write_text(json.dumps({f"mail{ESC}": f"{ESC}d.person@example.net"}) + "\n",
                                     encoding="utf-8")
    code, text = _scan([str(data), "--show-values"], output_format, tmp_path)
    assert code == 1
    assert "\x1b" not in text
    assert _shows(text, "\\x1b")
    _assert_good_findings(text, output_format)


def test_detect_escapes_what_it_prints():
    result = CliRunner().invoke(main, ["detect", "--show-values"], input=f"mail {ESC}x e.person@example.net\x07\n")
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path, monkeypatch):
    monkeypatch.chdir(_good(tmp_path / "data"))
    for name in ("=HYPERLINK(1).log", "@SUM(1).log", "+cmd.log"):
        Path(name).write_text(GOOD, encoding="utf-8")
    code, text = _scan(["=HYPERLINK(1).log", "@SUM(1).log", "+cmd.log", "good.log"], "csv", tmp_path)
    assert code == 1
    import csv

    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert "'=HYPERLINK(1).log" in cells and "'@SUM(1).log" in cells and "'+cmd.log" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


# ---------------------------------------------------------------- files that cannot be used: exit 2, before the scan

def _usage_error(args: list[str], tmp_path: Path, env: dict | None = None) -> str:
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "-q"], env=env)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result.output


def test_output_into_a_missing_directory_is_refused_before_the_scan(tmp_path, monkeypatch):
    data = _good(tmp_path / "data")
    import pdscan.scanner

    monkeypatch.setattr(pdscan.scanner, "plan", lambda config: pytest.fail("the scan ran"))
    assert "no such directory" in _usage_error([str(data), "-o", str(tmp_path / "nodir/r.json")], tmp_path)
    assert "no such directory" in _usage_error([str(data), "--write-baseline", str(tmp_path / "nodir/b.json")],
                                               tmp_path)
    assert "is a directory" in _usage_error([str(data), "-o", str(tmp_path)], tmp_path)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_dev_full_is_a_clear_error(tmp_path):
    data = _good(tmp_path / "data")
    assert "No space left" in _usage_error([str(data), "-o", "/dev/full"], tmp_path)


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    data = _good(tmp_path / "data")
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")
    import pdscan.output_file

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdscan.output_file.os, "replace", fail)
    assert "No space left" in _usage_error([str(data), "-o", str(out)], tmp_path)
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "report.json"]  # no temporary file left


@pytest.mark.parametrize("make, message", [
    (lambda key: key.mkdir(), "is a directory"),
    (lambda key: key.symlink_to(key.parent / "missing"), "not a readable file"),
])
def test_an_unusable_key_file_is_a_clear_error(tmp_path, make, message, monkeypatch):
    monkeypatch.delenv("PDSCAN_BASELINE_KEY", raising=False)
    data = _good(tmp_path / "data")
    make(tmp_path / ".pdscan.key")
    output = _usage_error([str(data), "--write-baseline", str(tmp_path / "b.json")], tmp_path)
    assert message in output and ".pdscan.key" in output
    assert not (tmp_path / "b.json").exists()


def test_an_unreadable_key_file_or_a_read_only_directory_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("PDSCAN_BASELINE_KEY", raising=False)
    data = _good(tmp_path / "data")
    import pdscan.value_identity as value_identity

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".pdscan.key"))

    # root reads and writes through file modes, so the denial is simulated where the key is opened
    monkeypatch.setattr(value_identity.os, "open", denied)
    output = _usage_error([str(data), "--write-baseline", str(tmp_path / "b.json")], tmp_path)
    assert "cannot create the HMAC key" in output and "Permission denied" in output
    (tmp_path / ".pdscan.key").write_text("0123456789abcdef0123456789abcdef\n", encoding="utf-8")
    monkeypatch.setattr(value_identity.Path, "read_text", denied)
    output = _usage_error([str(data), "--write-baseline", str(tmp_path / "b.json")], tmp_path)
    assert "HMAC key" in output and "Permission denied" in output


def test_a_declaration_file_nested_deep_or_with_aliases_is_refused_quickly(tmp_path):
    data = _good(tmp_path / "data")
    deep = tmp_path / "deep.yaml"
    deep.write_text("version: 1\nsources: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    assert "deep.yaml" in _usage_error([str(data), "--declarations", str(deep)], tmp_path)
    laughs = tmp_path / "laughs.yaml"
    rows = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    rows += [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")]
    rows.append("sources: [*i]")
    laughs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    started = time.process_time()
    output = _usage_error([str(data), "--declarations", str(laughs)], tmp_path)
    assert "aliases" in output and "laughs.yaml:2" in output
    assert time.process_time() - started < 10


def test_a_baseline_nested_deep_is_refused_before_the_scan(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_BASELINE_KEY", "0123456789abcdef0123456789abcdef")
    data = _good(tmp_path / "data")
    deep = tmp_path / "deep.json"
    deep.write_text('{"version": 1, "entries": ' + "[" * 20_000 + "]" * 20_000 + "}", encoding="utf-8")
    import pdscan.scanner

    monkeypatch.setattr(pdscan.scanner, "plan", lambda config: pytest.fail("the scan ran"))
    assert "nested too deeply" in _usage_error([str(data), "--baseline", str(deep)], tmp_path)


# ---------------------------------------------------------------- passwords

SECRET = "S3cr3t"


@pytest.mark.parametrize("password", [f"p@{SECRET}", f"p:{SECRET}", f"p/{SECRET}", f"p?{SECRET}", f"p#{SECRET}",
                                      f"p@:/?#{SECRET}"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_a_password_with_raw_url_characters_is_never_printed(tmp_path, password, output_format):
    data = _good(tmp_path / "data")
    url = f"postgresql://app:{password}@127.0.0.1:1/shop"
    code, text = _scan([str(data), url, "--table-timeout", "1"], output_format, tmp_path)
    assert code in (1,), text  # the good file's findings fail; the database is an error (3 alone)
    assert SECRET not in text
    _assert_good_findings(text, output_format)
    if output_format in ("json", "ndjson", "csv", "sarif"):
        assert "postgresql://app:***@" in text


def test_the_database_url_may_come_from_the_environment(tmp_path):
    url = f"mysql://app:p?{SECRET}@127.0.0.1:1/shop"
    result = CliRunner().invoke(main, ["scan", "--format", "json", "-q"], env={"PDSCAN_DATABASE_URL": url})
    assert result.exit_code == 3, result.output
    assert SECRET not in result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["errors"][0]["source"].startswith("mysql://app:***@127.0.0.1:1")
    result = CliRunner().invoke(main, ["scan"], env={"PDSCAN_DATABASE_URL": ""})
    assert result.exit_code == 2 and "PDSCAN_DATABASE_URL" in result.output


# ---------------------------------------------------------------- hangs

def _catalog_with(tmp_path: Path, pattern: str) -> Path:
    """The shipped catalog with one more field-name pattern for `email`."""
    import yaml
    from importlib import resources

    directory = tmp_path / "catalog"
    directory.mkdir()
    for source in resources.files("pdscan.catalogs").iterdir():
        if source.name.endswith(".yaml"):
            text = source.read_text(encoding="utf-8")
            if source.name == "policies.yaml":
                document = yaml.safe_load(text)
                email = next(c for c in document["categories"] if c["id"] == "email")
                email["field_names"] = [*email.get("field_names", []), pattern]
                text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
            (directory / source.name).write_text(text, encoding="utf-8")
    return directory


def test_a_catastrophic_field_name_pattern_runs_in_linear_time(tmp_path):
    data = _good(tmp_path / "data")
    (data / "export.csv").write_text("a" * 30 + "c,id\nx,1\n", encoding="utf-8")
    catalog = _catalog_with(tmp_path, "(a+)+b")
    started = time.process_time()
    code, text = _scan([str(data), "--catalog", str(catalog)], "json", tmp_path)
    assert code == 1
    _assert_good_findings(text, "json")
    assert time.process_time() - started < 30


def test_a_field_name_pattern_with_a_look_behind_is_a_catalog_error(tmp_path):
    catalog = _catalog_with(tmp_path, "(?<=x)mail")
    result = CliRunner().invoke(main, ["scan", str(_good(tmp_path / "data")), "--catalog", str(catalog), "-q"])
    assert result.exit_code == 2
    assert "policies.yaml" in result.output and "email" in result.output and "RE2" in result.output


# ---------------------------------------------------------------- interrupted

@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_scan_exits_130_and_leaves_the_previous_report(tmp_path, signum):
    data = _good(tmp_path / "data")
    line = "".join(f"user{i}@example.com +86 138 1234 {i % 10000:04d} " for i in range(20)) + "\n"
    for n in range(2):
        (data / f"big{n}.log").write_text(line * 20_000, encoding="utf-8")
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "pdscan.cli", "scan", str(data), "-q", "--format", "json",
                                "-o", str(out), "-j", "2"], cwd=tmp_path, stderr=subprocess.PIPE)
    time.sleep(3)
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, stderr = process.communicate()
        pytest.fail(stderr.decode(errors="replace")[-4000:])
    assert process.returncode == 130, stderr
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "report.json"]
