"""`pdscan detect` and `pdscan catalog` through the real command line."""
from __future__ import annotations

import json

from click.testing import CliRunner

from pdscan.cli import main


def test_detect_text_masks_by_default():
    result = CliRunner().invoke(main, ["detect", "-"], input="line one\ncall 13812345678 or j.doe@example.com\n")
    assert result.exit_code == 1
    assert "138****5678" in result.output and "13812345678" not in result.output
    assert result.output.startswith("2:5-16\tphone")


def test_detect_ndjson_keys_and_raw_values():
    result = CliRunner().invoke(main, ["detect", "--format", "ndjson", "--show-values", "-"], input="ip 203.0.113.9\n")
    record = json.loads(result.output.splitlines()[0])
    assert {"line", "start", "end", "category", "score", "value"} <= set(record)
    assert record == {**record, "line": 1, "start": 3, "end": 14, "category": "ip_address", "value": "203.0.113.9"}


def test_detect_field_option_and_exit_zero_when_clean():
    assert CliRunner().invoke(main, ["detect", "-"], input="nothing to see\n").exit_code == 0
    result = CliRunner().invoke(main, ["detect", "--field", "passport_no", "--format", "ndjson", "-"], input="E12345678\n")
    assert json.loads(result.output)["category"] == "passport"


def test_catalog_json_and_table():
    result = CliRunner().invoke(main, ["catalog", "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert {c["id"] for c in document["categories"]} >= {"email", "imei", "cn_id_card"}
    table = CliRunner().invoke(main, ["catalog"])
    assert table.exit_code == 0 and "imei" in table.output


def test_catalog_shows_the_categories_no_policy_names():
    document = json.loads(CliRunner().invoke(main, ["catalog", "--format", "json"]).output)
    health = next(c for c in document["categories"] if c["id"] == "health_data")
    assert health["in_policy"] is False and health["allowed_purposes"] == [] and health["citations"] == []
    assert health["defined_by"][0]["document"] == "GDPR" and health["defined_by"][0]["section"] == "Art. 9(1)"
    assert next(c for c in document["categories"] if c["id"] == "email")["in_policy"] is True
    table = " ".join(CliRunner(env={"COLUMNS": "220"}).invoke(main, ["catalog"]).output.split())
    assert "named by no policy: verdict not_in_policy" in table
    assert "(GDPR Art. 9(1))" in table and "(NIST SP 800-122 2.1)" in table


def test_detect_finds_a_diagnosis_code_only_after_its_context():
    result = CliRunner().invoke(main, ["detect", "--format", "ndjson", "-"], input="diagnosis: E11.9\nsku E11.9\n")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["line"], r["category"]) for r in records] == [(1, "health_data")]


def test_bad_catalog_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncategories:\n  - id: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["catalog", "--catalog", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "categories[x]" in result.output


def test_detect_shows_addresses_that_name_no_one_as_weak():
    result = CliRunner().invoke(main, ["detect", "--format", "ndjson", "-"], input="bind 0.0.0.0 from 203.0.113.9\n")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["category"], r["weak"]) for r in records] == [("ip_address", True), ("ip_address", False)]
    assert "validator:ipv4_address:unspecified address" in records[0]["reasons"]
