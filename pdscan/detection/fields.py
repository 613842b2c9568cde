"""Field names as evidence: which categories a column, JSON key, CSV header or log key names."""
from __future__ import annotations

import re
from functools import lru_cache

from pdscan.catalog import Catalog

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


def _parent_key(field: str) -> str:
    parts = [p for p in _PATH_INDEX.sub("", field).strip("$").split(".") if p and p != "$"]
    return normalise_field_name(parts[-2]) if len(parts) >= 2 else ""


class FieldClassifier:
    """The catalog's ``field_names`` patterns, matched against normalised names (cached per name)."""

    score = 0.6

    def __init__(self, catalog: Catalog):
        self._patterns = tuple(
            (category.id, re.compile("|".join(f"(?:{p})" for p in category.field_names), re.IGNORECASE))
            for category in catalog.categories.values()
            if category.field_names
        )
        self.categories = lru_cache(maxsize=65536)(self._categories)
        self.words = lru_cache(maxsize=65536)(self._words)

    @staticmethod
    def _words(field: str) -> frozenset[str]:
        """The words of a field name (``os_version`` -> {os, version}), for negative context."""
        return frozenset(word for word in normalise_field_name(field).split("_") if word)

    def _categories(self, field: str) -> tuple[str, ...]:
        name = normalise_field_name(field)
        if not name:
            return ()
        found = tuple(category for category, pattern in self._patterns if pattern.fullmatch(name))
        parent = _parent_key(field)
        if not found and parent:
            # `$.user.id`, `$.device.model`: a bare key means little, with its parent it says what it is.
            joined = f"{parent}_{name}"
            found = tuple(category for category, pattern in self._patterns if pattern.fullmatch(joined))
        return found
