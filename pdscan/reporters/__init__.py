"""Reporters: pure functions from results to text, one module per format.

Every reporter module has ``render(report, catalog, stdout=False) -> str``. ``stdout`` says the text
goes to standard output, which may be a terminal: the ``table`` format then fits the terminal's width
and colours; written to a file it is 200 columns without colour. The other formats are the same
either way. A new format is one module here and one line in ``FORMATS``, which is also the CLI's
``--format`` list.

``get(name)`` imports the module of one format on demand, so that only the terminal table pulls in rich.
"""
from __future__ import annotations

import importlib
from types import ModuleType

# format name -> module in this package; the order is the order of `pdscan scan --help`.
FORMATS = {
    "table": "table_report",
    "json": "json_report",
    "ndjson": "ndjson_report",
    "csv": "csv_report",
    "sarif": "sarif_report",
    "markdown": "markdown_report",
    "html": "html_report",
}


def get(name: str) -> ModuleType:
    """The reporter module of a format name; ``ValueError`` naming the known formats for any other."""
    try:
        module = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown report format {name!r}; expected one of {', '.join(FORMATS)}") from None
    return importlib.import_module(f"{__name__}.{module}")
