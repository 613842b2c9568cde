"""The scan as newline-delimited JSON (``--format ndjson``): one object a line, for streaming tools.

Each line has a ``type``: ``finding`` (the keys of ``Verdict.as_dict()``), ``error``, ``stale``, and
last one ``summary`` (the JSON report's summary, with the tool and the notes).
"""
from __future__ import annotations

import json

from pdscan.catalog import Catalog
from pdscan.models import Report
from pdscan.reporters.json_report import SCHEMA_VERSION, summary, tool
from pdscan.reporters.redact import safe_tree


def records(report: Report) -> list[dict]:
    lines = [{"type": "finding", **verdict.as_dict()} for verdict in report.verdicts]
    lines += [{"type": "error", **error.as_dict()} for error in report.result.errors]
    lines += [{"type": "stale", **stale.as_dict()} for stale in report.stale]
    lines.append({"type": "summary", "version": SCHEMA_VERSION, "tool": tool(), **summary(report),
                  "notes": list(report.notes)})
    return [safe_tree(line) for line in lines]


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in records(report))
