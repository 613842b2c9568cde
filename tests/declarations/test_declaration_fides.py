"""pdscan export fides: fideslang system and dataset manifests, loaded back with fideslang's own models."""
from __future__ import annotations

import pytest
import yaml

from pdscan.declarations.fides import DATA_USE_RULES, DEFAULT_DATA_USE, data_use, export_fides


def test_export_shape(declarations, decl_catalog):
    exported = export_fides(declarations, decl_catalog)
    assert set(exported) == {"system", "dataset"}
    (system,) = exported["system"]
    datasets = {d["fides_key"]: d for d in exported["dataset"]}
    assert set(datasets) == {"nginx_access_logs", "users_table", "exports"}
    assert system["dataset_references"] == ["nginx_access_logs", "users_table", "exports"]
    users = datasets["users_table"]["collections"][0]
    assert users["name"] == "users"
    assert {f["name"]: f["data_categories"] for f in users["fields"]}["email"] == ["user.contact.email"]
    assert datasets["nginx_access_logs"]["collections"][0]["data_categories"] == ["user.device.ip_address"]
    uses = {d["data_use"] for d in system["privacy_declarations"]}
    assert {"essential.service", "essential.service.operations", "essential.service.security",
            "marketing.advertising"} <= uses
    consent = [d for d in system["privacy_declarations"] if d.get("legal_basis_for_processing") == "Consent"]
    assert consent and all(d["data_use"] == "marketing.advertising" for d in consent)
    assert system["meta"]["pdscan_purposes"]["security_anti_fraud"] == "essential.service.security"
    assert yaml.safe_load(yaml.safe_dump(exported)) == exported


@pytest.mark.parametrize("purpose, expected", [
    ("account_creation", "essential.service"),
    ("marketing", "marketing.advertising"),
    ("security_anti_fraud", "essential.service.security"),
    ("anti_fraud", "essential.fraud_detection"),
    ("analytics", "analytics.reporting"),
    ("personalisation", "personalize"),
    ("legal_compliance", "essential.legal_obligation"),
    ("customer_support", "essential.service.operations.support"),
    ("operation_logs", "essential.service.operations"),
    ("recruitment", "employment.recruitment"),
])
def test_purpose_to_data_use(purpose, expected):
    assert data_use(purpose) == expected


def test_loads_with_fideslang_models(declarations, decl_catalog):
    fideslang = pytest.importorskip("fideslang")
    from fideslang.models import Dataset, System

    exported = yaml.safe_load(yaml.safe_dump(export_fides(declarations, decl_catalog)))
    systems = [System.model_validate(s) for s in exported["system"]]
    datasets = [Dataset.model_validate(d) for d in exported["dataset"]]
    assert systems[0].privacy_declarations and len(datasets) == 3
    taxonomy = fideslang.DEFAULT_TAXONOMY
    known_uses = {u.fides_key for u in taxonomy.data_use}
    known_categories = {c.fides_key for c in taxonomy.data_category}
    for declaration in systems[0].privacy_declarations:
        assert declaration.data_use in known_uses
        assert set(declaration.data_categories) <= known_categories


def test_every_mapped_data_use_is_in_the_fideslang_taxonomy():
    fideslang = pytest.importorskip("fideslang")
    known = {u.fides_key for u in fideslang.DEFAULT_TAXONOMY.data_use}
    assert {use for _, use in DATA_USE_RULES} | {DEFAULT_DATA_USE} <= known


def test_test_catalog_categories_are_fideslang_keys(decl_catalog):
    fideslang = pytest.importorskip("fideslang")
    known = {c.fides_key for c in fideslang.DEFAULT_TAXONOMY.data_category}
    assert {c.fideslang for c in decl_catalog.categories.values()} <= known


def test_categories_no_policy_names_map_to_their_fideslang_keys():
    """The shipped catalog's categories outside the policies: the fideslang key nearest to each, all in the taxonomy."""
    fideslang = pytest.importorskip("fideslang")
    from pdscan.catalog import load_catalog

    catalog = load_catalog()
    known = {c.fides_key for c in fideslang.DEFAULT_TAXONOMY.data_category}
    outside = {c.id: c.fideslang for c in catalog.categories.values() if not c.in_policy}
    assert set(outside.values()) <= known
    assert outside["health_data"] == "user.health_and_medical"
    assert outside["religious_belief"] == "user.demographic.religious_belief"
    assert outside["racial_ethnic_origin"] == "user.demographic.race_ethnicity"
    assert outside["political_opinion"] == "user.demographic.political_opinion"
    assert outside["sexual_orientation"] == "user.demographic.sexual_orientation"
    assert outside["genetic_data"] == "user.health_and_medical.genetic"
    assert outside["biometric_data"] == "user.biometric"
    assert outside["salary"] == "user.financial"


def test_declared_category_no_policy_names_is_exported_and_listed(decl_catalog):
    fideslang = pytest.importorskip("fideslang")
    from fideslang.models import Dataset, System

    from pdscan.declarations.loader import parse_declarations

    declarations = parse_declarations("""version: 1
sources:
  - name: clinic export
    paths: [exports/clinic.csv]
    fields:
      diagnosis:
        health_data: {purposes: [customer_support], legal_basis: consent, retention: 1y}
      email:
        email: {purposes: [customer_support], legal_basis: contract}
""", "inline.yaml", decl_catalog)
    exported = yaml.safe_load(yaml.safe_dump(export_fides(declarations, decl_catalog)))
    (system,) = exported["system"]
    assert system["meta"]["pdscan_not_in_policy"] == {"health_data": "GDPR Art. 9(1)"}
    fields = {f["name"]: f["data_categories"] for f in exported["dataset"][0]["collections"][0]["fields"]}
    assert fields["diagnosis"] == ["user.health_and_medical"]
    System.model_validate(system)
    Dataset.model_validate(exported["dataset"][0])


def test_no_not_in_policy_meta_without_such_categories(declarations, decl_catalog):
    assert "pdscan_not_in_policy" not in export_fides(declarations, decl_catalog)["system"][0]["meta"]
