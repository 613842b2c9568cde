"""Masked forms of found values: enough for a human to recognise a value, not to reuse it."""
from __future__ import annotations

import re

_DIGIT_OR_LETTER = re.compile(r"[0-9A-Za-z]")


def mask(category: str, value: str) -> str:
    """``13812345678`` -> ``138****5678``, ``jane@example.com`` -> ``j***@example.com``."""
    value = value.strip()
    if not value:
        return value
    if category == "email":
        for at in ("@", "%40"):  # "%40": an address in a URL-encoded query string
            if at in value:
                local, _, domain = value.rpartition(at)
                return f"{local[:1]}***{at}{domain}"
    if category == "whatsapp" and "@" in value:
        number, _, domain = value.partition("@")
        return f"{_mask_middle(number, 3, 2)}@{domain}"
    if category == "ip_address":
        if ":" in value:
            groups = value.split(":")
            return ":".join(groups[:2] + ["*"] * (len(groups) - 2)) if len(groups) > 2 else "*"
        octets = value.split(".")
        return ".".join(octets[:2] + ["*"] * (len(octets) - 2))
    if category in ("password", "session_id"):
        return "*" * min(len(value), 8)
    if category in ("phone", "credit_card", "imei", "meid", "cn_id_card", "iban", "whatsapp", "mac_address"):
        return _mask_middle(value, 3, 4)
    return _mask_middle(value, 2, 2)


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """Keep the first and last few letters or digits, star the ones between; separators stay."""
    positions = [i for i, char in enumerate(value) if _DIGIT_OR_LETTER.match(char)]
    if len(positions) <= keep_start + keep_end + 1:
        keep_start, keep_end = min(1, len(positions) // 3), min(1, len(positions) // 3)
    hidden = set(positions[keep_start:len(positions) - keep_end])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))
