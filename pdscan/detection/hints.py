"""What the engine knows about a candidate besides its text."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hints:
    """What a validator may use besides the value.

    ``regions`` (ISO 3166 alpha-2) are tried first for national formats (phones without a country
    prefix, postcodes, passports, ID numbers). Unless ``strict`` is set they are a preference, not a
    limit: in a field named for the category any country's format may confirm the value.
    ``named``: the field's name, or a context word right before the value, says the value is of
    the category being checked (a `phone` column, "mobile: ..."), so a validator may accept what
    it would doubt in free text.
    """

    regions: tuple[str, ...] = ()
    named: bool = False
    strict: bool = False
