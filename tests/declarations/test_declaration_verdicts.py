"""judge(): one verdict per finding, by the documented precedence, and stale declarations."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pdscan.declarations.loader import parse_declarations
from pdscan.declarations.model import database_matches, field_matches, path_matches, table_matches
from pdscan.declarations.verdicts import judge
from pdscan.models import VERDICTS, ContainerKind, Scanned


def one(finding, declarations, catalog, now):
    verdicts, _ = judge([finding], declarations, catalog, now)
    assert len(verdicts) == 1
    return verdicts[0]


def inline(text, catalog):
    return parse_declarations("version: 1\nsources:\n" + text, "inline.yaml", catalog)


def test_declared_with_allowed_purposes(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("ip_address", "/srv/app/logs/nginx/access.log.2.gz"), declarations, decl_catalog, now)
    assert v.verdict == "declared"
    assert v.declaration == "nginx access logs: categories.ip_address"
    assert v.purposes == ("operation_logs", "security_anti_fraud")
    assert "operation_logs" in v.reason and "legitimate_interests" in v.reason and not v.is_violation


def test_undeclared_category_in_a_declared_source(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("email", "logs/nginx/access.log"), declarations, decl_catalog, now)
    assert v.verdict == "undeclared" and v.is_violation
    assert "not declared by 'nginx access logs'" in v.reason


def test_undeclared_container_outside_every_source(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("ip_address", "logs/app/app.log"), declarations, decl_catalog, now)
    assert v.verdict == "undeclared"
    assert "no source" in v.reason and "logs/app/app.log" in v.reason


def test_no_purpose(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("postcode", "users", "PostCode", table=True), declarations, decl_catalog, now)
    assert v.verdict == "no_purpose"
    assert "without a purpose" in v.reason and "account_creation" in v.reason


def test_purpose_not_allowed_names_the_purpose_and_what_is_allowed(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("imei", "users", "device_imei", table=True), declarations, decl_catalog, now)
    assert v.verdict == "purpose_not_allowed"
    assert "'marketing'" in v.reason
    assert "security_anti_fraud (002_192884a516660e8a.txt §3)" in v.reason


def test_consent_required_names_the_purpose_basis_and_citation(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("phone", "users", "phone", table=True), declarations, decl_catalog, now)
    assert v.verdict == "consent_required"
    assert "'marketing' (001_ad7e94ba212af611.txt §2) requires consent" in v.reason
    assert "legitimate_interests" in v.reason


def test_consent_given_is_declared(make_finding, declarations, decl_catalog, now):
    finding = make_finding("email", "exports/2026/contacts.json", "$.contact.email")
    v = one(finding, declarations, decl_catalog, now)
    assert v.verdict == "declared" and v.declaration == "exports: fields.$.contact.email.email"


def test_retention_exceeded_by_declared_retention(make_finding, declarations, decl_catalog, now):
    finding = make_finding("ip_address", "logs/nginx/access.log", oldest=now - timedelta(days=100))
    v = one(finding, declarations, decl_catalog, now)
    assert v.verdict == "retention_exceeded"
    assert "100 days old" in v.reason and "declared retention 90d" in v.reason


def test_within_retention_is_declared(make_finding, declarations, decl_catalog, now):
    finding = make_finding("ip_address", "logs/nginx/access.log", oldest=now - timedelta(days=89))
    assert one(finding, declarations, decl_catalog, now).verdict == "declared"


def test_retention_exceeded_by_policy_limit_cites_the_rule(make_finding, decl_catalog, now):
    declarations = inline("""
  - name: logs
    paths: [logs/]
    categories:
      ip_address: {purposes: [operation_logs], legal_basis: legitimate_interests, retention: 1y}
""", decl_catalog)
    finding = make_finding("ip_address", "logs/a.log", oldest=now - timedelta(days=200))
    v = one(finding, declarations, decl_catalog, now)
    assert v.verdict == "retention_exceeded"
    assert "180 days" in v.reason and "log_retention" in v.reason and "003_248286c74cd0965e.txt §5" in v.reason
    assert "declared retention" not in v.reason  # 1y is not exceeded


def test_naive_oldest_is_taken_as_utc(make_finding, declarations, decl_catalog, now):
    oldest = (now - timedelta(days=120)).replace(tzinfo=None)
    v = one(make_finding("ip_address", "logs/nginx/x.log", oldest=oldest), declarations, decl_catalog, now)
    assert v.verdict == "retention_exceeded"


def test_precedence_purpose_not_allowed_first_others_appended(make_finding, decl_catalog, now):
    declarations = inline("""
  - name: logs
    paths: [logs/]
    categories:
      ip_address: {purposes: [marketing], legal_basis: legitimate_interests, retention: 1d}
""", decl_catalog)
    v = one(make_finding("ip_address", "logs/a.log", oldest=now - timedelta(days=3)), declarations, decl_catalog, now)
    assert v.verdict == "purpose_not_allowed"
    assert v.reason.count("; also: ") == 2 and "requires consent" in v.reason and "3 days old" in v.reason


@pytest.mark.parametrize("body, expected", [
    ("phone: {purposes: [marketing], legal_basis: contract, retention: 1d}", "consent_required"),
    ("phone: {retention: 1d}", "no_purpose"),
    ("phone:", "no_purpose"),
    ("phone: {purposes: [account_creation], legal_basis: contract, retention: 1d}", "retention_exceeded"),
    ("phone: {purposes: [account_creation], legal_basis: contract, retention: 1y}", "declared"),
])
def test_precedence_order(make_finding, decl_catalog, now, body, expected):
    declarations = inline(f"""
  - name: crm
    paths: [crm.csv]
    categories:
      {body}
""", decl_catalog)
    finding = make_finding("phone", "crm.csv", "mobile", oldest=now - timedelta(days=30))
    assert one(finding, declarations, decl_catalog, now).verdict == expected


def test_every_verdict_is_reachable(make_finding, declarations, decl_catalog, now):
    findings = [
        make_finding("ip_address", "logs/nginx/access.log"),
        make_finding("email", "logs/nginx/access.log"),
        make_finding("postcode", "users", "postcode", table=True),
        make_finding("imei", "users", "imei", table=True),
        make_finding("phone", "users", "phone", table=True),
        make_finding("ip_address", "logs/nginx/access.log", "client", oldest=now - timedelta(days=365)),
        make_finding("health_data", "users", "diagnosis", table=True),
    ]
    verdicts, _ = judge(findings, declarations, decl_catalog, now)
    assert {v.verdict for v in verdicts} == set(VERDICTS)


def test_field_declaration_comes_before_source_wide_one(make_finding, decl_catalog, now):
    declarations = inline("""
  - name: wide
    paths: [app/]
    categories:
      email: {purposes: [account_creation], legal_basis: contract}
  - name: narrow
    paths: [app/]
    fields:
      newsletter_to:
        email: {purposes: [marketing], legal_basis: legitimate_interests}
""", decl_catalog)
    assert one(make_finding("email", "app/x.csv", "newsletter_to"), declarations, decl_catalog, now).verdict == "consent_required"
    assert one(make_finding("email", "app/x.csv", "owner"), declarations, decl_catalog, now).verdict == "declared"
    assert one(make_finding("email", "app/x.csv", ""), declarations, decl_catalog, now).verdict == "declared"


def test_field_only_declaration_does_not_cover_free_text(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("user_id", "logs/nginx/access.log", ""), declarations, decl_catalog, now)
    assert v.verdict == "undeclared"
    assert one(make_finding("user_id", "logs/nginx/access.log", "user"), declarations, decl_catalog, now).verdict == "declared"


def test_database_tables_and_sources(make_finding, declarations, decl_catalog, now):
    assert one(make_finding("email", "main.users", "Email", table=True), declarations, decl_catalog, now).verdict == "declared"
    assert one(make_finding("email", "orders", "email", table=True), declarations, decl_catalog, now).verdict == "undeclared"
    other_db = make_finding("email", "users", "email", table=True, source="postgresql://app:***@db/shop")
    assert one(other_db, declarations, decl_catalog, now).verdict == "undeclared"
    # a file named users is not a table: the paths of the database source do not apply
    assert one(make_finding("email", "users", "email"), declarations, decl_catalog, now).verdict == "undeclared"


def test_without_declarations_everything_is_undeclared(make_finding, decl_catalog, now):
    verdicts, stale = judge([make_finding("email"), make_finding("phone")], None, decl_catalog, now)
    assert [v.verdict for v in verdicts] == ["undeclared", "undeclared"] and stale == ()
    assert "no declaration file" in verdicts[0].reason


def test_stale_only_for_scanned_sources(make_finding, declarations, decl_catalog, now):
    _, stale = judge([make_finding("ip_address", "logs/nginx/access.log")], declarations, decl_catalog, now)
    assert [(s.declaration, s.field, s.category) for s in stale] == [
        ("nginx access logs: fields.user.user_id", "user", "user_id")]
    assert "found none in logs/nginx/*.log*" in stale[0].reason


def test_stale_with_scanned_containers(make_finding, declarations, decl_catalog, now):
    findings = [make_finding("email", "users", "email", table=True)]
    scanned = [Scanned("sqlite:///srv/app.db", "users", ContainerKind.TABLE),
               Scanned("logs/", "logs/other/x.log", ContainerKind.FILE)]
    _, stale = judge(findings, declarations, decl_catalog, now, scanned=scanned)
    assert sorted(s.category for s in stale) == ["imei", "phone", "postcode"]
    assert {s.source for s in stale} == {"users table"}


def test_age_columns(declarations):
    assert declarations.age_columns == ("users.created_at",)


@pytest.mark.parametrize("pattern, path, expected", [
    ("logs/nginx/*.log*", "logs/nginx/access.log", True),
    ("logs/nginx/*.log*", "/var/www/logs/nginx/access.log.1.gz", True),
    ("logs/nginx/*.log*", "./logs/nginx/error.log", True),
    ("logs/nginx/*.log*", "logs/nginx/old/access.log", False),
    ("logs/nginx/*.log*", "mylogs/nginx/access.log", False),
    ("logs/**/*.log", "logs/a/b/c.log", True),
    ("logs/**/*.log", "logs/c.log", True),
    ("/srv/logs/*.log", "/srv/logs/a.log", True),
    ("/srv/logs/*.log", "/x/srv/logs/a.log", False),
    ("exports/", "exports/2026/a.csv", True),
    ("exports", "exports/a.csv", True),
    ("a?.csv", "ab.csv", True),
    ("a?.csv", "a/.csv", False),
    ("logs\\nginx\\*.log", "C:\\logs\\nginx\\a.log", True),
])
def test_path_globs(pattern, path, expected):
    assert path_matches(pattern, path) is expected


def test_table_database_and_field_globs():
    assert table_matches("users", "public.users") and table_matches("public.user*", "public.users_old")
    assert not table_matches("public.users", "crm.users") and table_matches("USERS", "users")
    assert database_matches("sqlite:///*app.db", "sqlite:///srv/data/app.db")
    assert database_matches("postgresql://*/shop", "postgresql://app:***@db:5432/shop")
    assert database_matches("app.db", "/srv/data/app.db") and not database_matches("app.db", "/srv/data/myapp.db")
    assert field_matches("*.phone", "$.user.phone") and field_matches("Email", "email")
    assert field_matches("$.tags[]", "$.tags[]") and not field_matches("$.tags[]", "$.tagsx")


def test_citations_name_the_policy_by_title_and_keep_the_file(decl_catalog):
    from pdscan.catalog import Citation
    from pdscan.declarations.verdicts import cite

    citations = (Citation("000_fb089ed0e2dc66e2.txt", "1", "q"), Citation("002_192884a516660e8a.txt", "3", "q"),
                 Citation("000_fb089ed0e2dc66e2.txt", "2.1", "q"), Citation("000_fb089ed0e2dc66e2.txt", "1", "q"))
    # titled in the catalog's `policies`: by title, sections gathered, file in brackets; untitled: by file
    assert cite(citations, decl_catalog) == ("Privacy Policy §1, §2.1 [000_fb089ed0e2dc66e2.txt]; "
                                             "002_192884a516660e8a.txt §3")
    assert cite(citations) == "000_fb089ed0e2dc66e2.txt §1, §2.1; 002_192884a516660e8a.txt §3"


def test_every_verdict_has_a_short_reason(make_finding, declarations, decl_catalog, now):
    cases = {
        "purpose_not_allowed": make_finding("imei", "users", "device_imei", table=True),
        "consent_required": make_finding("phone", "users", "phone", table=True),
        "no_purpose": make_finding("postcode", "users", "PostCode", table=True),
        "retention_exceeded": make_finding("ip_address", "logs/nginx/access.log", oldest=now - timedelta(days=100)),
        "declared": make_finding("ip_address", "logs/nginx/access.log", oldest=now - timedelta(days=1)),
        "undeclared": make_finding("email", "logs/app/app.log", "mail"),
        "not_in_policy": make_finding("health_data", "logs/app/app.log", "diagnosis"),
    }
    shorts = {}
    for expected, finding in cases.items():
        v = one(finding, declarations, decl_catalog, now)
        assert v.verdict == expected
        assert v.short and len(v.short) < len(v.reason) and ".txt" not in v.short
        shorts[expected] = v.short
    assert shorts["purpose_not_allowed"] == "'marketing' not allowed for imei"
    assert shorts["consent_required"].startswith("'marketing' needs consent")
    assert shorts["retention_exceeded"] == "oldest record 100 days old, beyond declared 90d"
    assert shorts["undeclared"] == "no source declared for this file"
    assert shorts["not_in_policy"] == "no policy names it (GDPR Art. 9(1))"
    verdict, = judge([cases["declared"]], None, decl_catalog, now)[0]
    assert verdict.short == "no declaration file"


# A category no policy names (catalog `in_policy: false`): not_in_policy, before every other verdict.
HEALTH_DECLARED = """
  - name: clinic export
    paths: [exports/clinic.csv]
    fields:
      diagnosis:
        health_data: {purposes: [customer_support], legal_basis: consent, retention: 1y}
"""


def test_not_in_policy_undeclared_says_where_the_category_is_defined(make_finding, declarations, decl_catalog, now):
    v = one(make_finding("health_data", "logs/nginx/access.log", "diagnosis"), declarations, decl_catalog, now)
    assert v.verdict == "not_in_policy" and v.is_violation
    assert "health_data (Health data, defined in GDPR Art. 9(1)) is named by no policy" in v.reason
    assert "not declared either" in v.reason and v.declaration is None


def test_not_in_policy_declared_stays_not_in_policy(make_finding, decl_catalog, now):
    declarations = inline(HEALTH_DECLARED, decl_catalog)
    v = one(make_finding("health_data", "exports/clinic.csv", "diagnosis", oldest=now - timedelta(days=1)),
            declarations, decl_catalog, now)
    # Declared with a purpose, a basis and a retention that holds: a team cannot declare its way around the policies.
    assert v.verdict == "not_in_policy" and v.is_violation
    assert "declaring it ('clinic export', inline.yaml:" in v.reason and "does not make it declared" in v.reason
    assert v.declaration == "clinic export: fields.diagnosis.health_data" and v.purposes == ("customer_support",)
    assert v.short == "no policy names it (GDPR Art. 9(1)), declared or not"
    # ... and not stale: the declaration matched a finding.
    assert judge([v.finding], declarations, decl_catalog, now)[1] == ()


def test_not_in_policy_comes_before_every_other_verdict(make_finding, decl_catalog, now):
    from pdscan.models import VerdictKind

    assert list(VerdictKind)[:2] == [VerdictKind.NOT_IN_POLICY, VerdictKind.UNDECLARED]
    # declared without a purpose and kept too long: still not_in_policy first
    declarations = inline("""
  - name: clinic export
    paths: [exports/]
    categories:
      health_data: {retention: 1d}
""", decl_catalog)
    v = one(make_finding("health_data", "exports/a.csv", "", oldest=now - timedelta(days=30)), declarations, decl_catalog, now)
    assert v.verdict == "not_in_policy"


def test_not_in_policy_without_a_declaration_file(make_finding, decl_catalog, now):
    verdicts, _ = judge([make_finding("health_data"), make_finding("email")], None, decl_catalog, now)
    assert [v.verdict for v in verdicts] == ["not_in_policy", "undeclared"]
