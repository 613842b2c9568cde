"""The README's main command on sample_data/, checked against the labels in sample_data/expected.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pdscan.catalog import load_catalog
from pdscan.scanner import ScanConfig, scan
from pdscan.sources.base import ReadOptions

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def tags():
    result = scan(ScanConfig(sources=(str(SAMPLE),), read=ReadOptions(sample_rows=0), jobs=1), load_catalog())
    assert not result.errors
    found: dict[tuple[str, str], set[str]] = {}
    for finding in result.findings:
        if finding.location.table:
            container = f"app.db:{finding.container}"
        else:
            container = str(Path(finding.container).relative_to(SAMPLE))
        found.setdefault((container, finding.field), set()).add(finding.category)
    return found


@pytest.fixture(scope="module")
def labels():
    return yaml.safe_load((SAMPLE / "expected.yaml").read_text(encoding="utf-8"))["sources"]


def test_planted_fields_are_found(tags, labels):
    planted = 0
    misses = []
    for source in labels:
        for field, categories in (source.get("fields") or {}).items():
            for category in categories:
                planted += 1
                if category not in tags.get((source["container"], field), set()):
                    misses.append((source["container"], field, category))
        for category in source.get("text") or []:
            planted += 1
            if not any(category in cats for (container, _), cats in tags.items() if container == source["container"]):
                misses.append((source["container"], "<text>", category))
    assert planted and not misses


def test_traps_and_clean_fields_stay_quiet(tags, labels):
    wrong = []
    for source in labels:
        container = source["container"]
        for field in source.get("clean") or []:
            if tags.get((container, field)):
                wrong.append((container, field, tags[(container, field)]))
        for field, categories in (source.get("never") or {}).items():
            if set(categories) & tags.get((container, field), set()):
                wrong.append((container, field, set(categories) & tags[(container, field)]))
        for category in source.get("absent") or []:
            if any(category in cats for (c, _), cats in tags.items() if c == container):
                wrong.append((container, "*", category))
    assert not wrong


def test_the_main_command_gives_every_verdict_and_the_planted_not_in_policy(monkeypatch):
    """`pdscan scan sample_data/ --declarations sample_data/pdscan.yaml`, as the README walks through it."""
    import json

    from click.testing import CliRunner

    from pdscan.cli import main
    from pdscan.models import VERDICTS

    monkeypatch.chdir(SAMPLE.parent)
    result = CliRunner().invoke(main, ["scan", "sample_data/", "--declarations", "sample_data/pdscan.yaml",
                                       "--format", "json", "--quiet", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert set(document["summary"]["by_verdict"]) == set(VERDICTS)
    outside = [f for f in document["findings"] if f["verdict"] == "not_in_policy"]
    # the one planted case: declared in pdscan.yaml, and still not_in_policy
    assert [(f["container"], f["field"], f["category"]) for f in outside] == [
        ("sample_data/exports/delivery_requests.csv", "medical_condition", "health_data")]
    assert "GDPR Art. 9(1)" in outside[0]["reason"] and "does not make it declared" in outside[0]["reason"]
    assert outside[0]["declaration"] == "delivery requests export: fields.medical_condition.health_data"
    assert [s["category"] for s in document["stale"]] == ["session_id"]
