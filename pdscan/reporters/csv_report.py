"""The scan as CSV (``--format csv``): a header row, one row per finding, then errors and stale declarations.

Errors have ``error`` and stale declarations ``stale`` in the ``verdict`` column, the why in ``reason``.
Cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first)
get a leading ``'``: a masked phone number such as ``+86 1** ****`` must stay text.
"""
from __future__ import annotations

import csv
import io

from pdscan.catalog import Catalog
from pdscan.models import Report
from pdscan.reporters.redact import safe_text

COLUMNS = ("source", "container", "field", "category", "verdict", "count", "examined", "share", "confidence",
           "evidence", "examples", "location", "reason", "declaration", "suppressed")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: object) -> object:
    """Text cells made safe for spreadsheets; numbers pass through."""
    if not isinstance(value, str):
        return value
    value = safe_text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def rows(report: Report) -> list[dict]:
    result = []
    for verdict in report.verdicts:
        finding = verdict.finding
        location = str(finding.location)
        result.append({
            "source": finding.source, "container": finding.container, "field": finding.field,
            "category": finding.category, "verdict": verdict.verdict, "count": finding.count,
            "examined": finding.examined, "share": round(finding.share, 4), "confidence": finding.confidence,
            "evidence": finding.evidence, "examples": " | ".join(finding.examples),
            "location": "" if location == "-" else location, "reason": verdict.reason,
            "declaration": verdict.declaration or "", "suppressed": verdict.suppressed or "",
        })
    for error in report.result.errors:
        location = str(error.location) if error.location else ""
        result.append({"source": error.source, "container": error.container, "verdict": "error",
                       "location": "" if location == "-" else location, "reason": error.reason})
    for stale in report.stale:
        result.append({"source": stale.source, "field": stale.field or "", "category": stale.category,
                       "verdict": "stale", "reason": stale.reason, "declaration": stale.declaration})
    return result


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({key: guard(value) for key, value in row.items()})
    return buffer.getvalue()
