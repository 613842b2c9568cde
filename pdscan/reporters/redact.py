"""Hide passwords in URLs inside any text a reporter writes: ``://user:password@`` -> ``://user:***@``.

Sources already name databases without their password; this is the reporters' own second line of
defence, applied to every source name and every free-text string (error reasons quote URLs too).
The URL-level work is ``pdscan.sources.urls.redact``, which copes with unescaped ``@``, ``/`` and ``:``
in passwords and with ``password=`` query parameters.
"""
from __future__ import annotations

import re
from typing import Any

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
