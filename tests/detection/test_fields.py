"""Field names as evidence: normalisation, parent keys, and the record a bare name belongs to."""
from __future__ import annotations

import pytest

from pdscan.detection.fields import FieldClassifier, normalise_field_name, singular


@pytest.fixture(scope="module")
def fields(catalog):
    return FieldClassifier(catalog)


@pytest.mark.parametrize("raw, normalised", [
    ("$.user.homePhone", "home_phone"), ("CustomerID", "customer_id"), ("Order Details", "order_details"),
    ("$.items[0].email", "email"),
])
def test_normalise_field_name(raw, normalised):
    assert normalise_field_name(raw) == normalised


@pytest.mark.parametrize("word, one", [
    ("customers", "customer"), ("companies", "company"), ("employees", "employee"), ("address", "address"),
    ("bus", "bus"), ("user", "user"),
])
def test_singular(word, one):
    assert singular(word) == one


def test_a_parent_key_gives_a_bare_key_its_meaning(fields):
    assert "device_model" in fields.categories("$.device.model")
    assert not fields.categories("model")


@pytest.mark.parametrize("field, record, category", [
    ("name", "customers", "person_name"), ("Name", "main.Contacts", "person_name"),
    ("title", "employees", "job_position"), ("name", "companies", "company_name"),
    ("model", "devices", "device_model"), ("name", "devices", "device_name"),
])
def test_the_record_gives_a_bare_name_its_meaning(fields, field, record, category):
    assert fields.categories(field, record) == (category,)


@pytest.mark.parametrize("field, record", [
    ("name", "tracks"), ("title", "albums"), ("title", "products"), ("name", None),
    # Joined names that would say something else than the entity's own property stay unread:
    # `apps.name` is not a browser version, `accounts.name` not a login, `countries.name` a lookup.
    ("name", "apps"), ("name", "accounts"), ("name", "countries"), ("name", "users"),
    # Only name/title/model take their meaning from the record.
    ("id", "users"), ("number", "contacts"),
])
def test_the_record_does_not_invent_a_meaning(fields, field, record):
    assert fields.categories(field, record) == ()


def test_a_field_name_that_says_enough_ignores_the_record(fields):
    assert fields.categories("email", "products") == ("email",)
    assert fields.categories("address", "clients") == ("postal_address",)  # not a client (IP) address
