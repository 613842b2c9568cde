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
    # one source per dataset: a file, a rotation set (folded into one glob), a table
    assert set(by_name) == {"logs/app/app.log", "logs/nginx/access.log", "sqlite:///srv/app.db users",
                            "sqlite:///srv/app.db devices", "exports/a*b?.csv"}
    assert by_name["logs/nginx/access.log"].paths == ("logs/nginx/access.log*",)
    assert by_name["logs/app/app.log"].paths == ("logs/app/app.log",)
    assert by_name["exports/a*b?.csv"].paths == ("exports/a?b?.csv",)
    assert by_name["sqlite:///srv/app.db users"].tables == ("users",)
    # the policies' purposes with their citations, consent, retention limit
    assert "#   operation_logs  (bases: legitimate_interests; Privacy Policy §1 [000_fb089ed0e2dc66e2.txt])" in text
    assert "#   marketing  (requires consent; bases: consent; 001_ad7e94ba212af611.txt §2)" in text
    assert "at most 180 days (rule log_retention: 003_248286c74cd0965e.txt §5)" in text
    assert "# age_column:" in text and "purposes: []" in text
    assert "oldest " + (now - timedelta(days=3)).date().isoformat() in text


def test_empty_draft_loads(decl_catalog):
    declarations = parse_declarations(render_draft([], decl_catalog), "pdscan.yaml", decl_catalog)
    assert declarations.sources == ()


def test_each_dataset_keeps_its_own_fields(make_finding, decl_catalog):
    findings = [make_finding("phone", "/srv/shop/logs/service.log", "mobile", source="/srv/shop/logs"),
                make_finding("imei", "/srv/shop/logs/app.jsonl", "$.device.imei", source="/srv/shop/logs"),
                make_finding("email", "/srv/shop/logs/app.jsonl", "$.user.email", source="/srv/shop/logs")]
    declarations = parse_declarations(render_draft(findings, decl_catalog, root="/srv/shop"), "pdscan.yaml", decl_catalog)
    fields = {s.name: {d.field for d in s.declarations} for s in declarations.sources}
    assert fields == {"logs/service.log": {"mobile"}, "logs/app.jsonl": {"$.device.imei", "$.user.email"}}


def test_paths_are_relative_to_the_declaration_file(make_finding, decl_catalog, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    absolute = [make_finding("ip_address", str(tmp_path / "data/logs/access.log"), "", source=str(tmp_path / "data")),
                make_finding("email", "users", "email", source=str(tmp_path / "data"), table=True)]
    typed = [make_finding("ip_address", "./data/logs/access.log", "", source="./data/"),
             make_finding("email", "users", "email", source="./data/", table=True)]
    drafts = {render_draft(found, decl_catalog, root=str(tmp_path)) for found in (absolute, typed)}
    assert len(drafts) == 1  # the same draft however the paths were typed
    draft = drafts.pop()
    assert str(tmp_path) not in draft
    declarations = parse_declarations(draft, "pdscan.yaml", decl_catalog)
    assert [(s.paths, s.database) for s in declarations.sources] == [((), "data"), (("data/logs/access.log",), None)]
    # written beside the data, the paths start below it
    draft = render_draft(absolute, decl_catalog, root=str(tmp_path / "data"))
    assert [s.paths for s in parse_declarations(draft, "pdscan.yaml", decl_catalog).sources][1] == ("logs/access.log",)


def test_data_outside_the_declaration_directory_is_named_from_the_scanned_argument(make_finding, decl_catalog):
    finding = make_finding("ip_address", "/var/log/nginx/access.log", "", source="/var/log/nginx/")
    draft = render_draft([finding], decl_catalog, root="/srv/shop")
    assert parse_declarations(draft, "pdscan.yaml", decl_catalog).sources[0].paths == ("nginx/access.log",)


def test_draft_of_a_category_no_policy_names_says_it_stays_not_in_policy(make_finding, decl_catalog, now):
    findings = [make_finding("health_data", "users", "diagnosis", table=True),
                make_finding("email", "users", "email", table=True)]
    text = render_draft(judge(findings, None, decl_catalog, now)[0], decl_catalog)
    assert "verdict now: not_in_policy" in text
    assert "# no policy names health_data (Health data, GDPR Art. 9(1)): its verdict stays" in text
    # the draft loads with the category in it, and declaring it does not clear the verdict
    declarations = parse_declarations(text, "pdscan.yaml", decl_catalog)
    assert [v.verdict for v in judge(findings, declarations, decl_catalog, now)[0]] == ["not_in_policy", "no_purpose"]
