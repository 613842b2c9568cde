"""The phases of `pdscan scan` called as functions: initialize, scan, judge, apply baseline, report."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from pdscan import reporters, run
from pdscan.catalog import load_catalog
from pdscan.scanner import ScanConfig

KEY = bytes(range(32))
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture()
def log(tmp_path):
    path = tmp_path / "app.log"  # invented values
    path.write_text("ip=203.0.113.7 mail=bob@example.com\nip=198.51.100.4 mail=ann@example.org\n", encoding="utf-8")
    return path


@pytest.fixture()
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("PDSCAN_BASELINE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def _config(log, **phases) -> run.RunConfig:
    return run.RunConfig(scan=ScanConfig(sources=(str(log),), jobs=1), quiet=True, **phases)


def test_initialize_stops_before_the_scan_when_a_baseline_has_no_key(catalog, log, tmp_path, no_key):
    config = _config(log, baseline=run.BaselineConfig(read_path=str(tmp_path / "baseline.json")))
    with pytest.raises(run.ConfigurationError, match="baseline: no HMAC key"):
        run.initialize(config, catalog)


def test_initialize_creates_the_key_beside_a_new_baseline(catalog, log, tmp_path, no_key):
    (tmp_path / "out").mkdir()
    setup = run.initialize(_config(log, baseline=run.BaselineConfig(write_path=str(tmp_path / "out/bl.json"))), catalog)
    assert len(setup.digest_key) == 32 and (tmp_path / "out/.pdscan.key").is_file()
    assert setup.declarations is None


def test_no_baseline_no_key(catalog, log):
    assert run.initialize(_config(log), catalog) == run.Setup()


def test_scan_digests_values_only_with_a_key(catalog, log):
    config = ScanConfig(sources=(str(log),), jobs=1)
    keyed = run.scan(config, catalog, run.Setup(digest_key=KEY), quiet=True)
    plain = run.scan(config, catalog, quiet=True)
    emails = [f for f in keyed.findings if f.category == "email"]
    assert emails and all(len(f.value_digests) == f.count == 2 for f in emails)
    assert [f.category for f in plain.findings] == [f.category for f in keyed.findings]
    assert not any(f.value_digests for f in plain.findings)


def test_a_baseline_written_then_read_suppresses_every_finding(catalog, log, tmp_path):
    setup = run.Setup(digest_key=KEY)
    result = run.scan(ScanConfig(sources=(str(log),), jobs=1), catalog, setup, quiet=True)
    verdicts, stale = run.judge(result, setup, catalog, NOW)
    assert verdicts and not stale and not any(v.suppressed for v in verdicts)
    path = str(tmp_path / "baseline.json")

    written, notes = run.apply_baseline(verdicts, run.BaselineConfig(write_path=path), KEY, tmp_path, NOW.date())
    assert written == verdicts and notes == (f"baseline written to {path} ({len(verdicts)} entries)",)
    read, notes = run.apply_baseline(verdicts, run.BaselineConfig(read_path=path), KEY, tmp_path, NOW.date())
    assert all(v.suppressed for v in read) and not notes
    assert run.apply_baseline(verdicts, run.BaselineConfig(), KEY, tmp_path, NOW.date()) == (verdicts, ())


def test_an_unreadable_baseline_is_a_configuration_error(catalog, tmp_path):
    (tmp_path / "baseline.json").write_text("not json", encoding="utf-8")
    with pytest.raises(run.ConfigurationError, match="^baseline: .*baseline.json"):
        run.apply_baseline((), run.BaselineConfig(read_path=str(tmp_path / "baseline.json")), KEY, tmp_path,
                           NOW.date())


@pytest.mark.parametrize("output_format", list(reporters.FORMATS))
def test_every_format_is_written_to_a_file_the_same_way(catalog, log, tmp_path, output_format):
    out = tmp_path / f"report.{output_format}"
    config = _config(log, gate=run.GateConfig(fail_on="never"),
                     report=run.ReportConfig(output_format=output_format, output_path=str(out)))
    assert run.scan_and_report(config, catalog) == 0  # --fail-on never: the gate says 0 despite the findings
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\x1b[" not in text
    assert "203.0.*.*" in text and "203.0.113.7" not in text


def test_standard_output_that_is_not_a_terminal_gets_json(catalog, log, capsys):
    assert run.scan_and_report(_config(log), catalog) == 1  # undeclared findings fail under --fail-on violation
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["exit_code"] == 1 and {f["category"] for f in document["findings"]} >= {"email", "ip_address"}
