"""The scan as one JSON document (``--format json``): summary, findings, errors, stale declarations, notes.

The finding keys are a contract (README: "Finding keys"): ``Verdict.as_dict()``, unchanged.
``summary`` is shared with the ndjson and SARIF reporters.
"""
from __future__ import annotations

import dataclasses
import json
from collections import Counter

from pdscan import __version__
from pdscan.catalog import Catalog
from pdscan.exit_codes import ExitCode
from pdscan.models import Report
from pdscan.reporters.redact import safe_tree

SCHEMA_VERSION = 1
EXIT_MEANINGS = {
    ExitCode.OK: "nothing to report",
    ExitCode.FOUND: "personal data found that fails the check (--fail-on)",
    ExitCode.USAGE: "usage or configuration error",
    ExitCode.INCOMPLETE: "scan incomplete: a source could not be read",
    ExitCode.INTERRUPTED: "interrupted",
}


def tool() -> dict:
    return {"name": "pdscan", "version": __version__}


def exit_meaning(code: int) -> str:
    try:
        return EXIT_MEANINGS[ExitCode(code)]
    except ValueError:
        return "unknown exit code"


def summary(report: Report) -> dict:
    """Counts by verdict and category, what was read, how long it took and the exit code."""
    verdicts = report.verdicts
    stats = report.result.stats
    return {
        "findings": len(verdicts),
        "violations": sum(1 for v in verdicts if v.is_violation),
        "suppressed": sum(1 for v in verdicts if v.suppressed is not None),
        "errors": len(report.result.errors),
        "stale": len(report.stale),
        "by_verdict": dict(sorted(Counter(v.verdict for v in verdicts).items())),
        "by_category": dict(sorted(Counter(v.finding.category for v in verdicts).items())),
        "sources": stats.sources,
        "files": stats.files,
        "tables": stats.tables,
        "bytes": stats.bytes,
        "values": stats.values,
        "seconds": round(stats.seconds, 3),
        "exit_code": report.exit_code,
        "exit_meaning": exit_meaning(report.exit_code),
        "show_values": report.show_values,
    }


def categories(report: Report, catalog: Catalog) -> dict:
    """Name, sensitivity and fideslang key of each category found (ids unknown to the catalog are kept),
    whether a policy names it (``in_policy``) and, when none does, where it is defined (``defined_by``)."""
    result = {}
    for category_id in sorted({v.finding.category for v in report.verdicts}):
        category = catalog.categories.get(category_id)
        result[category_id] = ({"name": category.name, "sensitivity": category.sensitivity,
                                "fideslang": category.fideslang, "in_policy": category.in_policy,
                                "defined_by": [dataclasses.asdict(d) for d in category.defined_by]} if category else
                               {"name": category_id, "sensitivity": None, "fideslang": None, "in_policy": None,
                                "defined_by": []})
    return result


def document(report: Report, catalog: Catalog) -> dict:
    """The report as plain data, passwords in URLs redacted."""
    return safe_tree({
        "version": SCHEMA_VERSION,
        "tool": tool(),
        "summary": summary(report),
        "categories": categories(report, catalog),
        "findings": [verdict.as_dict() for verdict in report.verdicts],
        "errors": [error.as_dict() for error in report.result.errors],
        "stale": [stale.as_dict() for stale in report.stale],
        "notes": list(report.notes),
    })


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    return json.dumps(document(report, catalog), ensure_ascii=False, indent=2) + "\n"
