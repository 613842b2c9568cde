"""Phone validity in the common case without phonenumbers' parser, and ``None`` whenever unsure.

``phonenumbers.parse`` and ``is_valid_number`` cost about 100 µs a number, most of it spent on cases
a log's numbers rarely are (letters, extensions, national prefixes, IDD prefixes, shared calling
codes). A number with none of those is valid exactly when its national significant number matches
its region's general pattern and one of its type patterns, the test ``is_valid_number`` itself ends
with; this module runs that test with phonenumbers' own metadata. Every case the shortcut does not
settle returns ``None`` and goes to the library, so the answer is always the library's
(``tests/detection/test_fast_paths.py`` compares both on generated numbers).
"""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

# Digits with single spaces or hyphens between groups: the spellings the library reads digit for
# digit. Brackets, dots and letters go to the library.
_PLAIN_GROUPS = re.compile(r"\d+(?:[ \-]\d+)*", re.ASCII)
# The type descriptions ``is_valid_number`` tries after the general one: any match makes it valid.
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
          "voicemail", "fixed_line", "mobile")
_NON_GEOGRAPHIC = "001"


class _Plan:
    """One numbering plan's patterns, compiled once."""

    __slots__ = ("country_code", "idd", "national_prefix", "general", "types")

    def __init__(self, metadata) -> None:
        self.country_code = str(metadata.country_code)
        self.idd = re.compile(metadata.international_prefix) if metadata.international_prefix else None
        prefix = metadata.national_prefix_for_parsing
        self.national_prefix = re.compile(prefix) if prefix else None
        self.general = _description(metadata.general_desc)
        self.types = tuple(d for d in (_description(getattr(metadata, name)) for name in _TYPES) if d is not None)

    def valid(self, national: str) -> bool:
        """``_number_type_helper(national) != UNKNOWN``: the general pattern and one type pattern."""
        if self.general is None or not _matches(self.general, national):
            return False
        return any(_matches(description, national) for description in self.types)


def _description(desc) -> tuple[frozenset[int], re.Pattern[str]] | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


def _matches(description: tuple[frozenset[int], re.Pattern[str]], national: str) -> bool:
    lengths, pattern = description
    if lengths and len(national) not in lengths:
        return False
    return pattern.fullmatch(national) is not None


@lru_cache(maxsize=None)
def _region_plan(region: str) -> _Plan | None:
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    # A calling code shared by several regions (+1, +7, +44) decides the region by leading digits.
    if len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(metadata.country_code, ())) != 1:
        return None
    return _Plan(metadata)


@lru_cache(maxsize=None)
def _calling_code_plan(country_code: int) -> _Plan | None:
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    if len(regions) != 1:
        return None
    if regions[0] == _NON_GEOGRAPHIC:
        metadata = PhoneMetadata.metadata_for_nongeo_region(country_code, None)
    else:
        metadata = PhoneMetadata.metadata_for_region(regions[0], None)
    return None if metadata is None else _Plan(metadata)


def _national_valid(plan: _Plan, national: str) -> bool | None:
    # A leading zero (kept apart by the library as "Italian leading zeros") or a national prefix the
    # parser would strip or transform: the library's case.
    if not 2 <= len(national) <= 17 or national[0] == "0":
        return None
    if plan.national_prefix is not None and plan.national_prefix.match(national):
        return None
    return plan.valid(national)


def valid_in_region(text: str, region: str) -> bool | None:
    """``is_valid_number(parse(text, region))`` for a number written without "+", or None."""
    if not _PLAIN_GROUPS.fullmatch(text):
        return None
    plan = _region_plan(region.upper())
    if plan is None:
        return None
    digits = text.replace(" ", "").replace("-", "")
    # The parser reads an international call prefix or the region's own calling code first.
    if (plan.idd is not None and plan.idd.match(digits)) or plan.idd is None or digits.startswith(plan.country_code):
        return None
    return _national_valid(plan, digits)


def valid_international(text: str) -> bool | None:
    """``is_valid_number(parse(text))`` for ``+`` and digits in plain groups, or None."""
    if not text.startswith("+") or not _PLAIN_GROUPS.fullmatch(text, 1):
        return None
    digits = text[1:].replace(" ", "").replace("-", "")
    if digits[:1] == "0":
        return None
    # The calling code is the shortest prefix that is one, as the parser reads it.
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            plan = _calling_code_plan(code)
            return None if plan is None else _national_valid(plan, digits[length:])
    return None
