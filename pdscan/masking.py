"""Masked forms of found values: enough for a human to recognise a value, not to reuse it."""
from __future__ import annotations

import re
import unicodedata

from pdscan.value_identity import SEPARATED_KINDS

# "x565", "ext. 12": masked apart from the number, so that the number keeps its usual shape.
_PHONE_EXTENSION = re.compile(r"(\s*(?:x|ext\.?|extension|#)\s*)(\d{1,6})$", re.IGNORECASE)


def mask(kind: str, value: str) -> str:
    """The masked form of a value of the catalog's value ``kind``: ``13812345678`` -> ``138****5678``,
    ``jane@example.com`` -> ``j***@example.com``, ``胡娜`` -> ``**``."""
    value = value.strip()
    if not value:
        return value
    if kind == "email":
        for at in ("@", "%40"):  # "%40": an address in a URL-encoded query string
            if at in value:
                local, _, domain = value.rpartition(at)
                return f"{_first_visible(local)}***{at}{domain}"
    if kind == "number" and "@" in value:  # a WhatsApp id: 8613812345678@s.whatsapp.net
        number, _, domain = value.partition("@")
        return f"{_mask_middle(number, 3, 2)}@{domain}"
    if kind == "ip_address":
        if ":" in value:
            groups = value.split(":")
            return ":".join(groups[:2] + ["*"] * (len(groups) - 2)) if len(groups) > 2 else "*"
        octets = value.split(".")
        return ".".join(octets[:2] + ["*"] * (len(octets) - 2))
    if kind == "secret":
        # Nothing of a secret is shown; its length and kinds of characters say whether it looks
        # like one (a 12-character mix, or the word "null" that a config dump prints).
        return f"{'*' * min(len(value), 8)} ({shape(value)})"
    if kind in SEPARATED_KINDS:
        extension = _PHONE_EXTENSION.search(value) if kind == "number" else None
        if extension:
            number = value[:extension.start()]
            return _mask_middle(number, 3, 4) + extension.group(1) + "*" * len(extension.group(2))
        return _mask_middle(value, 3, 4)
    return _mask_middle(value, 2, 2, visible_share=3)


def shape(value: str) -> str:
    """``Tr0ub4dor&3`` -> ``11 chars: upper lower digit symbol``: what a value is made of, not what it is."""
    kinds = []
    if any(c.isupper() for c in value):
        kinds.append("upper")
    if any(c.islower() for c in value):
        kinds.append("lower")
    if any(c.isalpha() and not c.isupper() and not c.islower() for c in value):
        kinds.append("other letters")
    if any(c.isdigit() for c in value):
        kinds.append("digit")
    if any(not c.isalnum() and not c.isspace() for c in value):
        kinds.append("symbol")
    if any(c.isspace() for c in value):
        kinds.append("space")
    return f"{len(value)} chars: {' '.join(kinds)}"


def _first_visible(local: str) -> str:
    """The first character of an email's local part, unless it is most of it."""
    return local[:1] if _is_maskable(local[:1]) and len(local) > 2 else ""


def _is_maskable(char: str) -> bool:
    """Letters, digits and signs of every script (CJK, Cyrillic, Arabic, emoji); not spaces or the
    punctuation that separates the parts of a value."""
    if char.isspace():
        return False
    if char.isascii():
        return char.isalnum()
    return not unicodedata.category(char).startswith(("Z", "P", "M"))


def _mask_middle(value: str, keep_start: int, keep_end: int, visible_share: int = 0) -> str:
    """Keep the first and last few letters or digits, star the ones between; separators stay.

    With ``visible_share`` N, at most one in N characters stays visible: a two-character Chinese
    name shows nothing, a three-character one its first character only.
    """
    positions = [i for i, char in enumerate(value) if _is_maskable(char)]
    if visible_share:
        budget = len(positions) // visible_share
        keep_start = min(keep_start, (budget + 1) // 2)
        keep_end = min(keep_end, budget - keep_start)
    elif len(positions) <= keep_start + keep_end + 1:
        keep_start, keep_end = min(1, len(positions) // 3), min(1, len(positions) // 3)
    hidden = set(positions[keep_start:len(positions) - keep_end])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))
