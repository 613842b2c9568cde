"""Every example in the catalog must behave as it says: one test walks them all."""
from __future__ import annotations

import pytest

from pdscan.catalog import load_catalog
from pdscan.detection.engine import Engine

_CATALOG = load_catalog()
_ENGINE = Engine(_CATALOG)


def _detector_examples():
    for detector in _CATALOG.detectors:
        for text in detector.examples.match:
            yield pytest.param(detector.category, text, True, id=f"{detector.id}+{text[:30]}")
        for text in detector.examples.no_match:
            yield pytest.param(detector.category, text, False, id=f"{detector.id}-{text[:30]}")


def _field_examples():
    for category in _CATALOG.categories.values():
        for name in category.field_examples.match:
            yield pytest.param(category.id, name, True, id=f"{category.id}+{name}")
        for name in category.field_examples.no_match:
            yield pytest.param(category.id, name, False, id=f"{category.id}-{name}")


@pytest.mark.parametrize("category, text, should_match", list(_detector_examples()))
def test_value_examples(category, text, should_match):
    found = [m for m in _ENGINE.scan(text) if m.category == category]
    assert bool(found) == should_match, f"{text!r}: {[(m.value, m.detector, m.score) for m in _ENGINE.scan(text)]}"


@pytest.mark.parametrize("category, name, should_match", list(_field_examples()))
def test_field_name_examples(category, name, should_match):
    assert (category in _ENGINE.fields.categories(name)) == should_match, _ENGINE.fields.categories(name)


def test_every_value_detectable_category_has_a_detector_with_examples():
    for category in ("email", "phone", "ip_address", "mac_address", "imei", "meid", "esn", "serial_number",
                     "cn_id_card", "passport", "whatsapp", "qq_account", "wechat_account", "credit_card", "iban",
                     "gps_location", "plmn", "password", "user_id", "session_id"):
        detectors = _CATALOG.detectors_for(category)
        assert detectors, category
        assert all(d.examples.match and d.examples.no_match for d in detectors), category
