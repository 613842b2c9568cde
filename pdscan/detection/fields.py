"""Field names as evidence: which categories a column, JSON key, CSV header or log key names."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pdscan.catalog import Catalog

if TYPE_CHECKING:
    from pdscan.field_patterns import CategoryPatterns

_PATH_INDEX = re.compile(r"\[\d*\]")
_CAMEL_LOWER_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_ACRONYM = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\s\-./]+")
_UNDERSCORES = re.compile(r"_+")


def normalise_field_name(field: str) -> str:
    """``$.user.homePhone`` -> ``home_phone``: last key of a path, camelCase split, snake_case."""
    name = _PATH_INDEX.sub("", field).strip().strip("$")
    name = name.rstrip(".").rsplit(".", 1)[-1] if "." in name else name
    name = _CAMEL_ACRONYM.sub("_", _CAMEL_LOWER_UPPER.sub("_", name))
    name = _SEPARATORS.sub("_", name).lower()
    return _UNDERSCORES.sub("_", name).strip("_")




# Words that say which one of a person's names, numbers or addresses a field holds. Only these may
# follow their noun (`nameFirst`, `phone_home`): `email_verified` or `name_file` keep their order.
_QUALIFIERS = frozenset(
    "first last given family middle full legal real maiden nick display birth home work office mobile cell "
    "personal private business primary secondary alt alternate other billing shipping street postal mailing "
    "residential permanent current contact emergency".split()
)


# Keys that hold "the value" of their parent object (Google's, FHIR's and SCIM's
# `{"type": "work", "value": "..."}` lists).
_GENERIC_LEAVES = frozenset({"value", "values", "formatted_value", "formatted", "display_value", "raw_value"})


def singular(word: str) -> str:
    """``customers`` -> ``customer``, ``companies`` -> ``company``: enough for table and file names."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]  # addresses, boxes, branches
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _parent_key(field: str) -> str:
    parts = [p for p in _PATH_INDEX.sub("", field).strip("$").split(".") if p and p != "$"]
    return normalise_field_name(parts[-2]) if len(parts) >= 2 else ""


class FieldClassifier:
    """The catalog's ``field_names`` patterns, matched against normalised names (cached per name)."""

    score = 0.6

    def __init__(self, catalog: Catalog):
        self._sources = tuple((category.id, category.field_names)
                              for category in catalog.categories.values() if category.field_names)
        self._compiled: tuple[tuple[str, CategoryPatterns], ...] | None = None
        # A bare `name`, `title` or `model` says what it is only with the entity it describes, and
        # only for the categories whose `record_property` it is: `customers.name` is a person's name
        # and `employees.title` a job title, but `accounts.name` (a company or a login?) and
        # `apps.name` are left alone.
        self._record_properties: dict[str, frozenset[str]] = {}
        for category in catalog.categories.values():
            if category.record_property:
                self._record_properties[category.record_property] = (
                    self._record_properties.get(category.record_property, frozenset()) | {category.id})
        self._categories_cached = lru_cache(maxsize=65536)(self._categories)
        self.words = lru_cache(maxsize=65536)(self._words)

    @staticmethod
    def _words(field: str) -> frozenset[str]:
        """The words of a field name (``os_version`` -> {os, version}), for negative context."""
        return frozenset(word for word in normalise_field_name(field).split("_") if word)

    def categories(self, field: str, record: str | None = None) -> tuple[str, ...]:
        """The categories ``field`` names; ``record`` is what a row is (a table, an export file's
        name), which gives a bare ``name`` or ``title`` its meaning."""
        return self._categories_cached(field, record)

    def _categories(self, field: str, record: str | None) -> tuple[str, ...]:
        name = normalise_field_name(field)
        if not name:
            return ()
        parent = _parent_key(field)
        if name in _GENERIC_LEAVES and parent:
            # `$.emailAddresses[].value`, `$.phoneNumbers[].value`: the key names only the slot,
            # its parent says what the value is.
            name = parent if self._matching_either_order(parent) else singular(parent)
        found = self._matching_either_order(name)
        if not found and parent:
            # `$.user.id`, `$.device.model`: a bare key means little, with its parent it says what it is.
            found = self._matching_either_order(f"{parent}_{name}")
        if not found and record and name in self._record_properties:
            entity = singular(normalise_field_name(record))
            allowed = self._record_properties[name]
            found = tuple(c for c in self._matching(f"{entity}_{name}") if c in allowed)
        return found

    def _matching_either_order(self, name: str) -> tuple[str, ...]:
        """Schemas also put the noun first (`nameFirst`, `name_last`, `$.name.given`, `phone_home`,
        `address_street`): when the name says nothing as written, its head word moved to the end is
        tried, as English would write it."""
        found = self._matching(name)
        if not found and "_" in name:
            head, _, qualifier = name.partition("_")
            if qualifier in _QUALIFIERS:
                found = self._matching(f"{qualifier}_{head}")
        return found

    def _matching(self, name: str) -> tuple[str, ...]:
        if self._compiled is None:
            # On the first field: compiling every category's patterns costs milliseconds, which a
            # scan of free text (a pre-commit run on one log file) never needs. RE2, not `re`: the
            # names come from the data, and a custom catalog's pattern must not backtrack on them.
            from pdscan.field_patterns import CategoryPatterns

            self._compiled = tuple((category, CategoryPatterns(patterns)) for category, patterns in self._sources)
        return tuple(category for category, pattern in self._compiled if pattern.fullmatch(name))
