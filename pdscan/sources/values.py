"""Values as text, the one way every source writes them: one line each, JSON flattened to key paths.

Files (JSON lines, JSON documents, Parquet) and databases (JSON columns) share these, so that a value
reads the same wherever it was stored.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

# How deep a JSON value is walked; below, the rest of the value is one text. Deep enough for any real
# document, shallow enough that the recursion stays far from Python's limit.
MAX_JSON_DEPTH = 256
LINE_BREAKS = str.maketrans({c: " " for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
# A column name in a table's first row (CSV header, a JSON table written as rows): a word, no address.
HEADER_NAME = re.compile(r"[^\W\d][^@\r\n]{0,63}")


# A name that may itself be personal data: an email address, a phone or other long number, a UUID,
# a long hex token, an IPv4 address. Such a JSON key (``{"users": {"a.person@example.net": …}}``)
# is written ``*`` in key paths, so that the field of a finding, which every report and baseline
# shows, never holds it; it also keeps a document keyed by ids to one field per level.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"\+?[\d\s()./-]+")  # digits and separators: a phone, card or national id, a date
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_UUID = re.compile(r"\{?[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?")
_TOKEN = re.compile(r"[0-9a-fA-F]{16,}|(?=(?:\D*\d){3})[0-9A-Za-z_-]{16,}")  # hex ids, device ids, tokens
_MIN_NUMBER_DIGITS = 6  # a number key with fewer digits ("2024", "1", "404") is a name, not an identifier
ANY_KEY = "*"


def could_be_personal(name: str) -> bool:
    """Whether a key (or key value) may be personal data itself, by its shape alone: a cheap check,
    because sources have no detection engine."""
    name = name.strip()
    if any(p.fullmatch(name) for p in (_EMAIL, _IPV4, _UUID, _TOKEN)):
        return True
    return _NUMBER.fullmatch(name) is not None and sum(c.isdigit() for c in name) >= _MIN_NUMBER_DIGITS


@lru_cache(maxsize=4096)  # keys repeat in every record: checked once each
def key_name(key: str) -> str:
    """A JSON object key as a key path step: itself on one line, or ``*`` when it may be personal data."""
    return ANY_KEY if could_be_personal(key) else one_line(key)


def one_line(text: str) -> str:
    """A value on one line: line breaks become spaces (every line break is also unprintable, and
    checking that first is much cheaper than translating every value)."""
    return text if text.isprintable() else text.translate(LINE_BREAKS)


def value_text(value: Any) -> str | None:
    """The text scanned for one value; None for NULL and for bytes that are not UTF-8."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)  # an IMEI in a BIGINT is still an IMEI
    elif isinstance(value, Decimal):
        text = format(value, "f")  # scale 0 -> plain digits, no exponent
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (datetime, date)):
        text = value.isoformat()
    elif isinstance(value, (bytes, bytearray, memoryview)):
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    elif isinstance(value, UUID):
        text = str(value)
    elif isinstance(value, (list, tuple)):  # PostgreSQL arrays
        parts = [value_text(v) for v in value]
        text = ", ".join(p for p in parts if p)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return one_line(text)


def json_leaves(node: Any, path: str = "$") -> list[tuple[str, str]]:
    """(key path, text) of every string and number: ``$.user.phone``; array elements share ``[]``.

    A table written as rows (an array of arrays) is read by column: ``$.data[].email`` when its first
    row is a header of names, else ``$.data[][3]``. Booleans and nulls name no one and are left out.
    """
    leaves: list[tuple[str, str]] = []
    _collect_leaves(node, path, 0, leaves)
    return leaves


def _collect_leaves(node, path: str, depth: int, leaves: list[tuple[str, str]]) -> None:
    # A list filled by plain recursion: nested generators cost a frame switch per level and value.
    if isinstance(node, str):
        leaves.append((path, one_line(node)))
    elif isinstance(node, dict):
        if depth >= MAX_JSON_DEPTH:
            leaves.append((path, one_line(json.dumps(node, ensure_ascii=False, default=str))))
            return
        for key, child in node.items():
            _collect_leaves(child, f"{path}.{key_name(str(key))}", depth + 1, leaves)
    elif isinstance(node, list):
        if depth >= MAX_JSON_DEPTH:
            leaves.append((path, one_line(json.dumps(node, ensure_ascii=False, default=str))))
            return
        element = path + "[]"
        if node and isinstance(node[0], list):
            _collect_rows(node, element, depth, leaves)
            return
        for child in node:
            _collect_leaves(child, element, depth + 1, leaves)
    elif node is not None and not isinstance(node, bool):
        text = value_text(node)
        if text is not None:
            leaves.append((path, text))


def _collect_rows(rows: list, element: str, depth: int, leaves: list[tuple[str, str]]) -> None:
    """A table written as rows: columns by header name, else numbered from 1."""
    header = row_header(rows[0]) if len(rows) > 1 else None
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            _collect_leaves(row, element, depth + 1, leaves)
            continue
        if number == 0 and header is not None:
            continue
        for index, child in enumerate(row):
            name = f".{header[index]}" if header is not None and index < len(header) else f"[{index + 1}]"
            _collect_leaves(child, element + name, depth + 2, leaves)


def row_header(row: list) -> list[str] | None:
    """The column names of a table's first row (distinct names, at least two), or None."""
    if len(row) >= 2 and all(isinstance(n, str) and HEADER_NAME.fullmatch(n) for n in row) and len(set(row)) == len(row):
        return [one_line(n).replace(".", "_") for n in row]
    return None
