"""`pdscan init`, `scan --declarations`, baselines and `export fides` through the command line."""
from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from pdscan.cli import main


def _log(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("2026-11-20T10:00:00Z user=alice.w ip=203.0.113.7\n"
                                  "2026-11-20T10:01:00Z ip=203.0.113.8 mail=bob@example.com\n", encoding="utf-8")
    return logs


def _scan(*args):
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "-q"])
    return result, json.loads(result.stdout)


def test_init_then_scan_reports_no_purpose(tmp_path):
    logs = _log(tmp_path)
    draft = tmp_path / "pdscan.yaml"
    result = CliRunner().invoke(main, ["init", str(logs), "--output", str(draft), "-q"])
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "ip_address" in text and "#" in text  # allowed purposes as comments
    result, document = _scan(str(logs), "--declarations", str(draft))
    assert result.exit_code == 1
    assert {f["verdict"] for f in document["findings"]} == {"no_purpose"}
    assert CliRunner().invoke(main, ["init", str(logs), "--output", str(draft)]).exit_code == 2  # exists


def test_declared_data_passes_and_fail_on_modes(tmp_path):
    logs = _log(tmp_path)
    declarations = tmp_path / "pdscan.yaml"
    declarations.write_text(yaml.safe_dump({"version": 1, "sources": [{
        "name": "app log", "paths": ["logs/app.log"],
        "fields": {
            "ip": {"ip_address": {"purposes": ["operation_logs"], "legal_basis": "legitimate_interests", "retention": "90d"}},
            "user": {"user_id": {"purposes": ["operation_logs"], "legal_basis": "legitimate_interests", "retention": "90d"}},
        }}]}), encoding="utf-8")
    result, document = _scan(str(logs), "--declarations", str(declarations))
    verdicts = {f["category"]: f["verdict"] for f in document["findings"]}
    assert verdicts == {"ip_address": "declared", "user_id": "declared", "email": "undeclared"}
    assert result.exit_code == 1
    assert _scan(str(logs), "--declarations", str(declarations), "--fail-on", "never")[0].exit_code == 0
    assert _scan(str(logs), "--declarations", str(declarations), "--fail-on", "undeclared")[0].exit_code == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsources:\n  - name: x\n    paths: [a]\n    categories:\n      emial: {}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(logs), "--declarations", str(bad), "-q"])
    assert result.exit_code == 2 and "bad.yaml:6" in result.output and "email" in result.output


def test_baseline_round_trip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logs = _log(tmp_path)
    baseline = tmp_path / "pdscan-baseline.json"
    result, _ = _scan(str(logs), "--write-baseline", str(baseline))
    assert baseline.exists() and (tmp_path / ".pdscan.key").exists()
    assert "bob@example.com" not in baseline.read_text(encoding="utf-8")
    (logs / "app.log").write_text("\n\n" + (logs / "app.log").read_text(encoding="utf-8"), encoding="utf-8")
    result, document = _scan(str(logs), "--baseline", str(baseline))
    assert result.exit_code == 0, document["findings"]
    with (logs / "app.log").open("a", encoding="utf-8") as handle:
        handle.write("2026-11-20T10:02:00Z mail=carol@example.com\n")
    result, document = _scan(str(logs), "--baseline", str(baseline))
    assert result.exit_code == 1
    assert [f["category"] for f in document["findings"] if not f["suppressed"]] == ["email"]


def _declare_ip(path):
    path.write_text(yaml.safe_dump({"version": 1, "sources": [{
        "name": "app log", "paths": ["logs/app.log"],
        "fields": {"ip": {"ip_address": {"purposes": ["operation_logs"], "legal_basis": "legitimate_interests",
                                         "retention": "90d"}}}}]}), encoding="utf-8")


def test_declarations_are_found_by_walking_up_and_named_on_stderr(tmp_path, monkeypatch):
    logs = _log(tmp_path)
    (tmp_path / ".git").mkdir()
    _declare_ip(tmp_path / "pdscan.yaml")
    monkeypatch.chdir(logs)
    result = CliRunner().invoke(main, ["scan", "app.log", "--format", "json"])
    verdicts = {f["category"]: f["verdict"] for f in json.loads(result.stdout)["findings"]}
    assert verdicts["ip_address"] == "declared"
    assert f"pdscan: declarations: {tmp_path / 'pdscan.yaml'}" in result.stderr
    quiet = CliRunner().invoke(main, ["scan", "app.log", "--format", "json", "-q"])
    assert quiet.stderr == ""


def test_without_declarations_stderr_says_where_it_looked_and_how_to_make_one(tmp_path, monkeypatch):
    logs = _log(tmp_path)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(logs)
    result = CliRunner().invoke(main, ["scan", "app.log", "--format", "json", "-q"])
    assert {f["verdict"] for f in json.loads(result.stdout)["findings"]} == {"undeclared"}
    message = result.stderr
    assert f"no pdscan.yaml in {logs} or any directory above it" in message
    assert f"the repository root, {tmp_path}" in message and "pdscan init" in message
    # export fides has nothing to export: a usage error that says the same
    result = CliRunner().invoke(main, ["export", "fides"])
    assert result.exit_code == 2 and "pdscan init" in result.output


def test_export_fides(tmp_path):
    declarations = tmp_path / "pdscan.yaml"
    declarations.write_text(yaml.safe_dump({"version": 1, "sources": [{
        "name": "users", "tables": ["users"],
        "fields": {"email": {"email": {"purposes": ["account_creation"], "legal_basis": "contract", "retention": "3y"}}}}]}),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "fides", "--declarations", str(declarations)])
    assert result.exit_code == 0, result.output
    manifest = yaml.safe_load(result.output)
    assert manifest["system"] and manifest["dataset"]
    assert "user.contact.email" in result.output


def test_baseline_holds_however_the_directory_is_typed(tmp_path, monkeypatch):
    logs = _log(tmp_path)
    (tmp_path / ".git").mkdir()
    _declare_ip(tmp_path / "pdscan.yaml")
    monkeypatch.chdir(tmp_path)
    baseline = tmp_path / "pdscan-baseline.json"
    result, _ = _scan("logs/", "--write-baseline", str(baseline))
    assert result.exit_code == 1  # the email is undeclared
    for spelling in ("./logs", "logs", str(logs), "logs//"):
        result, document = _scan(spelling, "--baseline", str(baseline))
        assert result.exit_code == 0, (spelling, document["findings"])
    monkeypatch.chdir(logs)  # pdscan.yaml is found above, and paths are named from there
    result, document = _scan(".", "--baseline", str(baseline))
    assert result.exit_code == 0, document["findings"]
