"""`pdscan scan` end to end: real logs and databases, exit codes, outputs, errors per source."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan import reporters
from pdscan.cli import main

DATA = Path(__file__).resolve().parent / "data"


def _scan(*args, input=None):
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "--quiet"], input=input)
    document = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, document


def test_apache_access_log_client_ips_are_found_and_nothing_else_leaks():
    log = DATA / "apache_access.log"  # 250 lines of real traffic (tests/data/README.md)
    result, document = _scan(str(log))
    assert result.exit_code == 1
    ips = [f for f in document["findings"] if f["category"] == "ip_address"]
    client_ips = {line.split(" ", 1)[0] for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line}
    assert sum(f["count"] for f in ips) >= 0.99 * len(client_ips)
    assert not [f for f in document["findings"] if f["category"] in ("credit_card", "cn_id_card")]
    for finding in document["findings"]:
        for example in finding["examples"]:
            assert "*" in example  # masked


def test_loghub_traps_are_not_reported_end_to_end(shared):
    result, document = _scan(str(shared / "corpora/loghub_2k"), "--include", "*_2k.log")
    assert result.exit_code == 1
    by_container = {}
    for finding in document["findings"]:
        by_container.setdefault(finding["container"].rsplit("/", 1)[-1], set()).add(finding["category"])
    assert "ip_address" not in by_container.get("Windows_2k.log", set())
    assert not any({"cn_id_card", "credit_card"} & categories for categories in by_container.values())
    assert "ip_address" in by_container["OpenSSH_2k.log"] and "mac_address" in by_container["Thunderbird_2k.log"]


def test_chinook_columns_are_tagged(chinook_db):
    result, document = _scan(f"sqlite:///{chinook_db}", "--sample-rows", "0")
    tags = {(f["container"], f["field"], f["category"]) for f in document["findings"]}
    assert {("Customer", "Email", "email"), ("Customer", "Phone", "phone"), ("Employee", "BirthDate", "date_of_birth"),
            ("Customer", "PostalCode", "postcode"), ("Customer", "FirstName", "person_name")} <= tags
    assert not [t for t in tags if t[0] in ("Track", "Genre", "MediaType", "InvoiceLine", "PlaylistTrack")]
    email = next(f for f in document["findings"] if (f["container"], f["field"]) == ("Customer", "Email"))
    assert email["count"] == email["examined"] == 59 and email["evidence"] == "both"
    assert email["location"]["row_key"].startswith("CustomerId=")


def test_exit_codes_clean_found_usage_incomplete(tmp_path):
    clean = tmp_path / "clean.log"
    clean.write_text("nothing personal here\nversion=6.1.1.0\n", encoding="utf-8")
    assert _scan(str(clean))[0].exit_code == 0
    found = tmp_path / "found.log"
    found.write_text("login ok user=alice ip=203.0.113.7\n", encoding="utf-8")
    assert _scan(str(found))[0].exit_code == 1
    assert CliRunner().invoke(main, ["scan", str(clean), "--format", "yaml"]).exit_code == 2
    binary = tmp_path / "blob.log"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result, document = _scan(str(clean), str(binary))
    assert result.exit_code == 3
    assert document["errors"] and document["errors"][0]["container"].endswith("blob.log")


def test_database_down_is_an_error_without_the_password(tmp_path):
    result, document = _scan("postgresql://scanner:s3cret-pw@127.0.0.1:1/app")
    assert result.exit_code == 3
    assert "s3cret-pw" not in result.output
    assert document["errors"]


def test_stdin_and_rotated_gzip_logs(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("2026-11-20T10:00:00Z ip=203.0.113.9\n", encoding="utf-8")
    with gzip.open(logs / "app.log.1.gz", "wt", encoding="utf-8") as handle:
        handle.write("2022-01-01T10:00:00Z phone=+8613812345678\n")
    result, document = _scan(str(logs))
    assert {f["container"] for f in document["findings"]} == {str(logs / "app.log")}
    phone = next(f for f in document["findings"] if f["category"] == "phone")
    assert phone["field"] == "phone" and phone["location"]["path"].endswith("app.log.1.gz")
    assert phone["oldest"].startswith("2022-01-01")
    result, document = _scan("-", input="mail me: bob@example.com\n")
    assert [f["category"] for f in document["findings"]] == ["email"]


def test_output_file_and_formats(tmp_path):
    log = tmp_path / "a.log"
    log.write_text("ip=203.0.113.7 mail=bob@example.com\n", encoding="utf-8")
    for output_format in reporters.FORMATS:
        out = tmp_path / f"report.{output_format}"
        result = CliRunner().invoke(main, ["scan", str(log), "--format", output_format, "--output", str(out), "-q"])
        assert result.exit_code == 1, result.output
        text = out.read_text(encoding="utf-8")
        assert "203.0.*.*" in text and "203.0.113.7" not in text


def test_installed_command_works_from_any_directory(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "pdscan.cli", "catalog", "--format", "json"],
                               cwd=tmp_path, capture_output=True, text=True)
    assert completed.returncode == 0
    assert re.search(r'"id": "imei"', completed.stdout)


def test_warnings_are_reported_but_do_not_make_the_scan_incomplete(tmp_path):
    log = tmp_path / "mixed.jsonl"
    log.write_bytes(b'{"msg": "ok"}\n{"msg": "fine"}\nplain line \xff\xfe here\n')
    result, document = _scan(str(log))
    assert result.exit_code == 0
    assert {e["severity"] for e in document["errors"]} == {"warning"}
    assert len(document["errors"]) == 2  # invalid UTF-8 replaced; a line that is not JSON


def test_version_control_folders_are_skipped_by_default(tmp_path):
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab12").write_bytes(b"x\x00\x9c" * 50)
    (tmp_path / "app.log").write_text("ip=203.0.113.7\n", encoding="utf-8")
    result, document = _scan(str(tmp_path))
    assert result.exit_code == 1 and not document["errors"]
    result, document = _scan(str(tmp_path), "--exclude", "")
    assert result.exit_code == 1 and document["errors"]  # the git object is binary: reported


def test_addresses_that_name_no_one_are_not_findings(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("Listening on 0.0.0.0:8080\nallow 10.0.0.0/8;\nARP to ff:ff:ff:ff:ff:ff\n", encoding="utf-8")
    result, document = _scan(str(log))
    assert result.exit_code == 0 and not document["findings"]
    log.write_text("Listening on 0.0.0.0:8080\nclient 203.0.113.9 connected\n", encoding="utf-8")
    result, document = _scan(str(log))
    assert [(f["category"], f["count"]) for f in document["findings"]] == [("ip_address", 1)]


def test_shell_completion_as_the_readme_documents_it(tmp_path):
    script = Path(sys.executable).parent / "pdscan"
    if not script.exists():
        pytest.skip(f"no installed pdscan script beside {sys.executable}")
    source = subprocess.run([str(script)], env={**os.environ, "_PDSCAN_COMPLETE": "bash_source"},
                            capture_output=True, text=True)
    assert "_pdscan_completion" in source.stdout
    completed = subprocess.run([str(script)], capture_output=True, text=True, env={
        **os.environ, "_PDSCAN_COMPLETE": "bash_complete", "COMP_WORDS": "pdscan scan --fail-on ", "COMP_CWORD": "3"})
    assert completed.stdout.split() == ["plain,violation", "plain,undeclared", "plain,any", "plain,never"]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_PDSCAN_COMPLETE=bash_source pdscan)"' in readme
