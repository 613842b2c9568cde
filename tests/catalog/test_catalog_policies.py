"""The catalog is built from the policies: ids, links and every citation checked against the texts."""
from __future__ import annotations

import re


REQUIRED_CATEGORY_IDS = (
    "email phone ip_address mac_address imei meid esn serial_number cn_id_card passport whatsapp qq_account "
    "wechat_account credit_card iban gps_location plmn password person_name postal_address postcode "
    "date_of_birth user_id session_id"
).split()


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_required_category_ids_exist(catalog):
    missing = [c for c in REQUIRED_CATEGORY_IDS if c not in catalog.categories]
    assert not missing


def test_every_category_and_purpose_is_cited(catalog):
    uncited = [c.id for c in catalog.categories.values()
               if c.in_policy and not c.citations and c.id not in ("mac_address", "iban", "date_of_birth")]
    assert not uncited
    assert all(p.citations for p in catalog.purposes.values())
    assert len(catalog.purposes) >= 15
    assert set(catalog.legal_bases) == {"contract", "consent", "legitimate_interests", "legal_obligation"}


def test_device_identifiers_are_not_allowed_for_marketing(catalog):
    marketing = [p for p in catalog.purposes if "marketing" in p]
    assert marketing
    for device_id in ("imei", "meid", "esn", "serial_number"):
        allowed = catalog.categories[device_id].allowed_purpose_ids
        assert allowed, device_id
        assert not allowed & set(marketing), device_id


def test_access_data_retention_is_three_years(catalog):
    rules = [r for r in catalog.retention_rules.values() if "ip_address" in r.categories]
    assert any(r.max_age_days == 3 * 365 for r in rules)


def test_every_citation_quotes_its_policy(catalog, policies):
    texts = {p.name: _normalise(p.read_text(encoding="utf-8")) for p in policies.glob("*.txt")}
    citations = []
    for category in catalog.categories.values():
        citations += category.citations
        for allowed in category.allowed_purposes:
            citations += allowed.citations
    for group in (catalog.purposes.values(), catalog.legal_bases.values(), catalog.retention_rules.values(), catalog.transfers):
        for item in group:
            citations += item.citations
    assert len(citations) > 100
    wrong = [(c.policy, c.quote) for c in citations if c.policy not in texts or _normalise(c.quote) not in texts[c.policy]]
    assert not wrong


def test_categories_outside_the_policies_say_where_they_are_defined(catalog):
    outside = {c.id: c for c in catalog.categories.values() if not c.in_policy}
    # GDPR Art. 9(1)'s special categories and financial data, each defined elsewhere, none allowed a purpose.
    assert {"health_data", "religious_belief", "racial_ethnic_origin", "political_opinion", "trade_union_membership",
            "sexual_orientation", "genetic_data", "biometric_data", "salary", "tax_id"} <= set(outside)
    assert all(c.defined_by and not c.citations and not c.allowed_purposes for c in outside.values())
    assert str(outside["health_data"].defined_by[0]) == "GDPR Art. 9(1)"
