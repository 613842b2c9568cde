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
