"""pdscan init: the draft loads, lists what was found with the allowed purposes, and judges as no_purpose."""
from __future__ import annotations

from datetime import timedelta

from pdscan.declarations.init_draft import render_draft
from pdscan.declarations.loader import parse_declarations
from pdscan.declarations.verdicts import judge


def found(make_finding, now):
    return [
        make_finding("ip_address", "logs/nginx/access.log", "", source="logs/", oldest=now - timedelta(days=3)),
        make_finding("ip_address", "logs/nginx/access.log.1", "", source="logs/"),
        make_finding("ip_address", "logs/nginx/access.log.2.gz", "client", source="logs/"),
        make_finding("user_id", "logs/app/app.log", "user", source="logs/"),
        make_finding("email", "users", "Email", table=True),
        make_finding("imei", "devices", "payload.$.device.imei", table=True),
        make_finding("phone", "exports/a*b?.csv", "mobile phone", source="exports/a*b?.csv"),
    ]


def test_draft_loads_and_every_finding_is_no_purpose(make_finding, decl_catalog, now):
    findings = found(make_finding, now)
    text = render_draft(findings, decl_catalog)
    declarations = parse_declarations(text, "pdscan.yaml", decl_catalog)
    verdicts, stale = judge(findings, declarations, decl_catalog, now)
    assert [v.verdict for v in verdicts] == ["no_purpose"] * len(findings)
    assert stale == ()


def test_draft_from_verdicts_is_the_same_plus_the_current_verdict(make_finding, decl_catalog, now):
    findings = found(make_finding, now)
    verdicts, _ = judge(findings, None, decl_catalog, now)
    text = render_draft(verdicts, decl_catalog)
    assert "verdict now: undeclared" in text
    declarations = parse_declarations(text, "pdscan.yaml", decl_catalog)
    assert {v.verdict for v in judge(findings, declarations, decl_catalog, now)[0]} == {"no_purpose"}


def test_draft_shape_and_comments(make_finding, decl_catalog, now):
    text = render_draft(found(make_finding, now), decl_catalog)
    declarations = parse_declarations(text, "pdscan.yaml", decl_catalog)
    by_name = {s.name: s for s in declarations.sources}
    assert set(by_name) == {"logs/", "sqlite:///srv/app.db users", "sqlite:///srv/app.db devices", "exports/a*b?.csv"}
    assert by_name["logs/"].paths == ("logs/app/app.log", "logs/nginx/access.log*")  # rotated files folded
    assert by_name["sqlite:///srv/app.db users"].tables == ("users",)
    # the policies' purposes with their citations, consent, retention limit
    assert "#   operation_logs  (bases: legitimate_interests; 000_fb089ed0e2dc66e2.txt §1)" in text
    assert "#   marketing  (requires consent; bases: consent; 001_ad7e94ba212af611.txt §2)" in text
    assert "at most 180 days (rule log_retention: 003_248286c74cd0965e.txt §5)" in text
    assert "# age_column:" in text and "purposes: []" in text
    assert "oldest " + (now - timedelta(days=3)).date().isoformat() in text


def test_empty_draft_loads(decl_catalog):
    declarations = parse_declarations(render_draft([], decl_catalog), "pdscan.yaml", decl_catalog)
    assert declarations.sources == ()
