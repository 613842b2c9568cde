"""Hide passwords in URLs inside any text a reporter writes: ``://user:password@`` -> ``://user:***@``;
``safe_text``/``safe_tree`` also escape what must not be printed as it is (``pdscan.printable``).

Sources already name databases without their password; this is the reporters' own second line of
defence, applied to every source name and every free-text string (error reasons quote URLs too).
The URL-level work is ``pdscan.sources.urls.redact``, which copes with unescaped ``@``, ``/`` and ``:``
in passwords and with ``password=`` query parameters.
"""
from __future__ import annotations

import re
from typing import Any

from pdscan.printable import printable
from pdscan.sources.urls import redact

# a URL inside free text: a scheme, ``://`` and everything up to white space or a quote
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>`]*")


def redact_url(text: str) -> str:
    """The text with the password of every URL in it replaced by ``***``."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda found: redact(found.group(0)), text)


def redact_tree(value: Any) -> Any:
    """A JSON-like value (dicts, lists, strings, numbers) with ``redact_url`` applied to every string."""
    if isinstance(value, str):
        return redact_url(value)
    if isinstance(value, dict):
        return {redact_tree(k) if isinstance(k, str) else k: redact_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(v) for v in value]
    return value


def safe_text(text: str) -> str:
    """What a reporter may write of any text: passwords hidden, then unprintable characters escaped
    (``pdscan.printable``: the one escaping rule of every format)."""
    return printable(redact_url(text))


def safe_tree(value: Any) -> Any:
    """A JSON-like value with ``safe_text`` applied to every string, keys included."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_tree(k) if isinstance(k, str) else k: safe_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_tree(v) for v in value]
    return value
