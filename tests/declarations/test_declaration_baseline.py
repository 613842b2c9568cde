"""Baselines: keyed digests (never line numbers), new values reported, expiry, unused entries, keys."""
from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date

import pytest

from pdscan.declarations import baseline as bl
from pdscan.value_identity import value_digest
from pdscan.declarations.verdicts import judge

KEY = bytes(range(32))
KINDS = {"ip_address": "ip_address", "phone": "number", "email": "email"}
TODAY = date(2026, 11, 24)


def digests(category, *values, key=KEY):
    return frozenset(value_digest(key, category, KINDS[category], v) for v in values)


@pytest.fixture
def scan(make_finding, declarations, decl_catalog, now):
    """Findings in logs/nginx plus one in an undeclared file, judged: what a first scan gives."""
    def run(line=1, container="logs/nginx/access.log", phones=("+86 138 1234 5678", "+1 415 555 2671")):
        findings = [
            make_finding("ip_address", container, "client", source="logs/", line=line,
                         digests=digests("ip_address", "10.0.0.1")),
            make_finding("phone", "exports/legacy.csv", "mobile", source="exports/", line=line,
                         digests=digests("phone", *phones)),
        ]
        verdicts, _ = judge(findings, declarations, decl_catalog, now)
        return verdicts

    return run


def test_round_trip_moved_findings_are_nothing_new(tmp_path, scan):
    path = tmp_path / "pdscan-baseline.json"
    first = scan()
    assert bl.write_baseline(path, first, KEY) == 2
    text = path.read_text()
    assert "+86" not in text and "10.0.0.1" not in text and '"line"' not in text
    moved = scan(line=500, container="logs/nginx/access.log.1")  # another line, a rotated file
    verdicts, notes = bl.apply_baseline(moved, bl.load_baseline(path), TODAY)
    assert all(v.suppressed for v in verdicts) and notes == ()
    assert verdicts[1].suppressed.startswith("pdscan-baseline.json#")


def test_other_container_same_source_is_still_suppressed(tmp_path, scan, make_finding, declarations, decl_catalog, now):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    rotated = make_finding("phone", "exports/old/legacy-2026.csv", "mobile", source="exports/", line=9,
                           digests=digests("phone", "+8613812345678"))
    verdicts, _ = judge([rotated], declarations, decl_catalog, now)
    (result,), notes = bl.apply_baseline(verdicts, bl.load_baseline(path), TODAY)
    assert result.suppressed is not None


def test_new_value_is_reported(tmp_path, scan):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    later = scan(phones=("+86 138 1234 5678", "+44 20 7946 0958"))
    verdicts, notes = bl.apply_baseline(later, bl.load_baseline(path), TODAY)
    phone = verdicts[1]
    assert phone.suppressed is None and phone.is_violation
    assert "1 value(s) not in baseline entry b.json#" in phone.reason
    assert verdicts[0].suppressed is not None


def test_changed_verdict_is_reported(tmp_path, scan):
    path = tmp_path / "b.json"
    first = scan()
    bl.write_baseline(path, first, KEY)
    changed = [replace(first[0], verdict="retention_exceeded"), first[1]]
    verdicts, notes = bl.apply_baseline(changed, bl.load_baseline(path), TODAY)
    assert verdicts[0].suppressed is None and verdicts[1].suppressed is not None
    assert any("matched no finding" in n and "ip_address" in n for n in notes)


def test_expired_entries_do_not_suppress_and_are_reported(tmp_path, scan):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    document = json.loads(path.read_text())
    entries = {e["category"]: e for e in document["entries"]}
    entries["phone"].update(reason="legacy export, deleted by March", expires="2026-11-23")
    entries["ip_address"].update(expires="2026-11-24")  # still valid on its last day
    path.write_text(json.dumps(document))
    verdicts, notes = bl.apply_baseline(scan(), bl.load_baseline(path), TODAY)
    by_category = {v.finding.category: v for v in verdicts}
    assert by_category["phone"].suppressed is None and by_category["phone"].is_violation
    assert by_category["ip_address"].suppressed is not None
    assert len(notes) == 1
    assert "expired on 2026-11-23 and no longer hides a finding" in notes[0]
    assert "legacy export, deleted by March" in notes[0]


def test_unused_entries_are_reported(tmp_path, scan):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    verdicts, notes = bl.apply_baseline(scan()[:1], bl.load_baseline(path), TODAY)
    assert len(notes) == 1 and "matched no finding" in notes[0] and "phone in exports/" in notes[0]


def test_rewrite_keeps_reason_and_expires(tmp_path, scan):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    document = json.loads(path.read_text())
    document["entries"][0].update(reason="accepted", expires="2027-01-31")
    path.write_text(json.dumps(document))
    bl.write_baseline(path, scan(), KEY)
    entry = bl.load_baseline(path).entries[0]
    assert entry.category == document["entries"][0]["category"]
    assert (entry.reason, entry.expires) == ("accepted", date(2027, 1, 31))
    assert bl.load_baseline(path).label(entry) == "b.json#1: accepted"


def test_other_key_is_noted(tmp_path, scan):
    path = tmp_path / "b.json"
    bl.write_baseline(path, scan(), KEY)
    _, notes = bl.apply_baseline(scan(), bl.load_baseline(path), TODAY, key=bytes(32))
    assert any("another HMAC key" in n for n in notes)
    _, notes = bl.apply_baseline(scan(), bl.load_baseline(path), TODAY, key=KEY)
    assert notes == ()


@pytest.mark.parametrize("content, message", [
    ("{", "not valid JSON"),
    ('{"version": 2, "entries": []}', '"version": 1'),
    ('{"version": 1, "entries": [{"source": "a", "field": "", "category": "email"}]}', "'verdict' must be a string"),
    ('{"version": 1, "entries": [{"source": "a", "field": "", "category": "email", "verdict": "undeclared", '
     '"expires": "next week"}]}', "'expires' must be a date"),
])
def test_bad_baseline_files(tmp_path, content, message):
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        bl.load_baseline(path)


def test_a_source_is_the_same_however_its_path_is_typed(tmp_path, make_finding, monkeypatch):
    """Written for `scan sample_data/`, it hides the same findings for ./sample_data, sample_data, the
    absolute path, and for `scan .` run inside sample_data/ (the root being where pdscan.yaml is)."""
    root = tmp_path
    (root / "sample_data").mkdir()
    monkeypatch.chdir(root)

    from pdscan.models import Verdict

    def judged(source, container="sample_data/app.log"):
        finding = make_finding("phone", container, "mobile", source=source, digests=digests("phone", "+8613812345678"))
        return (Verdict(finding, "undeclared", "not declared"),)

    path = root / "pdscan-baseline.json"
    bl.write_baseline(path, judged("sample_data/"), KEY, root=root)
    assert json.loads(path.read_text())["entries"][0]["source"] == "sample_data"
    loaded = bl.load_baseline(path)
    for spelling in ("./sample_data", "sample_data", str(root / "sample_data"), "sample_data//"):
        hidden, notes = bl.apply_baseline(judged(spelling), loaded, TODAY, KEY, root=root)
        assert hidden[0].suppressed and notes == (), spelling
    monkeypatch.chdir(root / "sample_data")
    hidden, _ = bl.apply_baseline(judged(".", "app.log"), loaded, TODAY, KEY, root=root)
    assert hidden[0].suppressed
    # An old baseline holding the source as it was typed still matches, read from the root.
    document = json.loads(path.read_text())
    document["entries"][0]["source"] = "./sample_data/"
    path.write_text(json.dumps(document))
    hidden, _ = bl.apply_baseline(judged(str(root / "sample_data")), bl.load_baseline(path), TODAY, KEY, root=root)
    assert hidden[0].suppressed
    # Another directory is another source.
    (root / "other").mkdir()
    hidden, _ = bl.apply_baseline(judged(str(root / "other")), loaded, TODAY, KEY, root=root)
    assert hidden[0].suppressed is None
