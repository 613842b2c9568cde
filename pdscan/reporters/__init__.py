"""Reporters: pure functions from results to text, one module per format.

``get(name)`` imports the module of one format on demand, so that only the terminal table pulls in rich.
"""
from __future__ import annotations

import importlib
from types import ModuleType

# format name -> module in this package; each has ``render(report, catalog)`` returning text, except
# ``table``, whose ``render(report, catalog, console)`` prints to a rich console.
FORMATS = {
    "table": "table_report",
    "json": "json_report",
    "ndjson": "ndjson_report",
    "csv": "csv_report",
    "sarif": "sarif_report",
    "markdown": "markdown_report",
}


def get(name: str) -> ModuleType:
    """The reporter module of a format name; ``ValueError`` naming the known formats for any other."""
    try:
        module = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown report format {name!r}; expected one of {', '.join(FORMATS)}") from None
    return importlib.import_module(f"{__name__}.{module}")
