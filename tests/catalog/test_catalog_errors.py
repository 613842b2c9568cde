"""A broken custom catalog fails with the file, the entry and what is wrong."""
from __future__ import annotations

import pytest

from pdscan.catalog import CatalogError, load_catalog, parse_duration_days

CATEGORY = """
  - id: email
    name: Email
    group: contact
    sensitivity: medium
    fideslang: user.contact.email
"""


def _write(tmp_path, text):
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ("version: 2\n", "expected version: 1"),
    ("version: 1\ncategories:\n  - id: Email\n    name: x\n    sensitivity: low\n    fideslang: user\n", "snake_case"),
    ("version: 1\ncategories:" + CATEGORY + "    sensitivity: extreme\n", "sensitivity"),
    ("version: 1\ncategories:" + CATEGORY + "    allowed_purposes: [{purpose: marketing}]\n", "allowed purpose 'marketing'"),
    ("version: 1\ncategories:" + CATEGORY + "detectors:\n  - id: e\n    category: phone\n    pattern: 'x'\n", "unknown category 'phone'"),
    ("version: 1\ncategories:" + CATEGORY + "detectors:\n  - id: e\n    category: email\n    pattern: '('\n", "not a valid regex"),
    ("version: 1\ncategories:" + CATEGORY + "detectors:\n  - id: e\n    category: email\n    pattern: 'x'\n    validator: nope\n", "unknown validator"),
    ("version: 1\ncategories:" + CATEGORY + "detectors:\n  - id: e\n    category: email\n    pattern: 'x'\n    context_after: true\n",
     "weak shapes only"),
    ("version: 1\ncategories:" + CATEGORY + "    value_kind: digits\n", "'value_kind' must be one of"),
    ("version: 1\ncategories:" + CATEGORY + "    value_validator: nope\n", "unknown validator"),
    ("version: 1\ncategories:" + CATEGORY + "    narrows: contact_data\n", "'narrows' names 'contact_data'"),
    ("version: 1\nmeasure_words: [bytes, 12]\n", "expected a list of words"),
    # A category no policy names: where it is defined instead, and nothing the policies would say of it.
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n", "'in_policy: false' needs 'defined_by'"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: no way\n", "'in_policy' must be true or false"),
    ("version: 1\ncategories:" + CATEGORY + "    defined_by: [{document: GDPR, section: Art. 9(1)}]\n",
     "set 'in_policy: false' too"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n    defined_by: [{document: GDPR}]\n",
     "needs 'document' and 'section'"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n    defined_by: GDPR\n", "must be a list"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n"
     "    defined_by: [{document: GDPR, section: Art. 9(1), quote: the text}]\n", "unknown key 'quote'"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n"
     "    defined_by: [{document: GDPR, section: Art. 9(1), url: eur-lex}]\n", "'url' must be an http(s) address"),
    ("version: 1\ncategories:" + CATEGORY + "    in_policy: false\n    defined_by: [{document: GDPR, section: '9'}]\n"
     "    citations: [{policy: a.txt, section: '1', quote: email}]\n", "'citations' quote the policies"),
    ("version: 1\npurposes:\n  - {id: marketing, name: M}\ncategories:" + CATEGORY + "    in_policy: false\n"
     "    defined_by: [{document: GDPR, section: '9'}]\n    allowed_purposes: [{purpose: marketing}]\n",
     "'allowed_purposes' come from the policies"),
    ("version: 1\nfoo: []\n", "unknown section"),
    ("version: 1\ncategories: [\n", "not valid YAML"),
])
def test_errors_name_file_entry_and_problem(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_catalog(tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        load_catalog(tmp_path / "nope.yaml")


def test_durations():
    assert parse_duration_days("90d") == 90
    assert parse_duration_days("3y") == 1095
    assert parse_duration_days("6w") == 42
    with pytest.raises(ValueError):
        parse_duration_days("three years")


def test_errors_name_the_file_the_entry_came_from(tmp_path):
    (tmp_path / "a_categories.yaml").write_text("version: 1\ncategories:" + CATEGORY, encoding="utf-8")
    (tmp_path / "b_policies.yaml").write_text("version: 1\npurposes: []\n", encoding="utf-8")
    (tmp_path / "0_detectors.yaml").write_text(
        "version: 1\ndetectors:\n  - id: p\n    category: phone\n    pattern: 'x'\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert caught.value.file.endswith("0_detectors.yaml")


def test_errors_of_a_category_outside_the_policies_name_its_entry(tmp_path):
    path = _write(tmp_path, "version: 1\ncategories:" + CATEGORY + "    in_policy: false\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert (caught.value.file, caught.value.entry) == (str(path), "categories[email]")


def test_a_category_outside_the_policies_loads_with_its_definition(tmp_path):
    path = _write(tmp_path, "version: 1\ncategories:" + CATEGORY + "    in_policy: false\n    defined_by:\n"
                  "      - {document: GDPR, section: Art. 9(1), url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj'}\n")
    category = load_catalog(path).categories["email"]
    assert not category.in_policy
    assert category.definition == "GDPR Art. 9(1)"
    assert category.defined_by[0].url.startswith("https://eur-lex")
    assert load_catalog(_write(tmp_path, "version: 1\ncategories:" + CATEGORY)).categories["email"].in_policy
