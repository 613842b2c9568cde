"""The data map (``--format html``): one self-contained HTML page a privacy officer can open offline.

The summary first (violations by verdict, stale declarations, sources that could not be read, what was
scanned), then the matrix: sources (rows, grouped as databases, log sets, exports) × categories
(columns, grouped by the catalog's groups), each cell coloured by its worst verdict and linked to the
findings behind it. Styles and script are inline; a Content-Security-Policy allows nothing else (no
network, no other script), so the page works from a ticket attachment.

Markup comes from a Jinja2 template with autoescaping on. Every string the template prints passes
``_clean`` first (Jinja's ``finalize``), so no field, key or value can skip the password redaction or the
escaping of control and bidirectional characters. Data reaches the script only through the DOM
(``data-*`` attributes and text), never inside ``<script>``. Examples are what the finding holds:
masked unless the scan ran with ``--show-values``.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from pdscan import __version__
from pdscan.catalog import Catalog
from pdscan.models import VIOLATIONS, ContainerKind, Report, Verdict, VerdictKind
from pdscan.reporters.json_report import exit_meaning, summary
from pdscan.reporters.redact import safe_text

# A colour per verdict; a verdict added to VerdictKind without one here is shown in NEUTRAL, and the
# legend, filters and counts pick it up from the enum. `not_in_policy` (issue 18) has its colour ready.
COLOURS = {
    "not_in_policy": "#6a1b9a",
    "undeclared": "#c62828",
    "purpose_not_allowed": "#e65100",
    "consent_required": "#ef6c00",
    "no_purpose": "#f9a825",
    "retention_exceeded": "#ad1457",
    "declared": "#2e7d32",
}
NEUTRAL = "#78909c"

# Row groups, in the order the matrix shows them.
GROUPS = (("database", "Databases"), ("logs", "Log sets"), ("export", "Exports"), ("other", "Other files"))
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
_ROTATION = re.compile(r"(\.\d+|[-_.]\d{8}|[-_.]\d{4}-\d{2}-\d{2})$")  # app.log.1, app.log-20240101
_LOG_SUFFIXES = frozenset({".log", ".jsonl", ".ndjson", ".out", ".err", ".syslog", ".journal", ".audit", ".trace"})
_EXPORT_SUFFIXES = frozenset({".csv", ".tsv", ".json", ".parquet", ".xlsx", ".xls", ".xml", ".sql", ".dump",
                              ".yaml", ".yml", ".txt", ".dat"})
_LOG_DIRS = frozenset({"log", "logs", "journal"})


def _clean(value: object) -> object:
    """What the template prints: strings redacted and made visible; escaping is autoescape's job."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "__html__"):  # numbers; the script, already markup
        return value
    # Anything else (a Location, a path) is printed as its text, so it is escaped like a string.
    return safe_text(str(value))


def colour(verdict: str) -> str:
    return COLOURS.get(str(verdict), NEUTRAL)


def container_group(verdict: Verdict) -> str:
    """``database`` for a table; for a file, ``logs`` or ``export`` by its extension (under any compression
    or rotation suffix) and, failing that, by a ``log``/``logs`` directory; ``other`` when neither says."""
    finding = verdict.finding
    if finding.location.kind is ContainerKind.TABLE:
        return "database"
    path = PurePosixPath(finding.container.replace("\\", "/").lower())
    name = path.name
    for suffix in _COMPRESSED:
        name = name.removesuffix(suffix)
    name = _ROTATION.sub("", name)
    suffix = PurePosixPath(name).suffix
    if suffix in _LOG_SUFFIXES:
        return "logs"
    if suffix in _EXPORT_SUFFIXES:
        return "export"
    if _LOG_DIRS & set(path.parent.parts) or "log" in name:
        return "logs"
    return "other"


@dataclass(frozen=True)
class Column:
    index: int
    category: str
    name: str
    group: str
    sensitivity: str
    citations: str  # where the policies name the category


@dataclass(frozen=True)
class Cell:
    id: str
    verdict: str  # the worst verdict of the cell's findings (suppressed ones count only when all are)
    suppressed: bool  # every finding in the cell is suppressed by the baseline
    count: int  # matching values, over the cell's findings
    counts: str  # "verdict:values ..." (``suppressed`` for the baseline's) for the script's verdict filter
    violations: int
    findings: tuple[Verdict, ...]
    column: Column


@dataclass(frozen=True)
class Row:
    index: int
    group: str
    label: str
    source: str
    cells: tuple[Cell | None, ...]

    @property
    def count(self) -> int:
        return sum(cell.count for cell in self.cells if cell)

    @property
    def violations(self) -> int:
        return sum(cell.violations for cell in self.cells if cell)


_PRECEDENCE = {str(kind): position for position, kind in enumerate(VerdictKind)}


def _rank(verdict: Verdict) -> tuple[bool, int]:
    """Lower is worse: unsuppressed before suppressed, then the enum's precedence order (unknown ones last)."""
    return verdict.suppressed is not None, _PRECEDENCE.get(str(verdict.verdict), len(_PRECEDENCE))


def _columns(report: Report, catalog: Catalog) -> list[Column]:
    """The categories found, grouped by catalog group (in catalog order), unknown ones last."""
    found = {v.finding.category for v in report.verdicts}
    order = {category: position for position, category in enumerate(catalog.categories)}
    group_order: dict[str, int] = {}
    for category in catalog.categories.values():
        group_order.setdefault(category.group, len(group_order))

    def describe(category_id: str) -> tuple:
        category = catalog.categories.get(category_id)
        if category is None:
            return ("other", category_id, category_id, "", "")
        cited = "; ".join(dict.fromkeys(f"{c.policy} §{c.section}" for c in category.citations))
        return (category.group, category_id, category.name, category.sensitivity, cited)

    described = sorted((describe(c) for c in found),
                       key=lambda d: (group_order.get(d[0], len(group_order)), order.get(d[1], len(order)), d[1]))
    return [Column(index, category, name, group, sensitivity, cited)
            for index, (group, category, name, sensitivity, cited) in enumerate(described)]


def _rows(report: Report, columns: list[Column]) -> list[Row]:
    by_container: dict[tuple[str, str], list[Verdict]] = defaultdict(list)
    for verdict in report.verdicts:
        by_container[(verdict.finding.source, verdict.finding.container)].append(verdict)
    group_order = {key: position for position, (key, _) in enumerate(GROUPS)}
    keyed = sorted(by_container.items(),
                   key=lambda item: (group_order[container_group(item[1][0])], item[0][1], item[0][0]))
    rows = []
    for row_index, ((source, container), verdicts) in enumerate(keyed):
        by_category: dict[str, list[Verdict]] = defaultdict(list)
        for verdict in verdicts:
            by_category[verdict.finding.category].append(verdict)
        cells = []
        for column in columns:
            found = sorted(by_category.get(column.category, ()), key=lambda v: (_rank(v), v.finding.field))
            if not found:
                cells.append(None)
                continue
            counts: Counter[str] = Counter()
            for v in found:
                counts["suppressed" if v.suppressed else str(v.verdict)] += v.finding.count
            cells.append(Cell(
                id=f"d-{row_index}-{column.index}", verdict=str(found[0].verdict),
                suppressed=found[0].suppressed is not None, count=sum(v.finding.count for v in found),
                counts=" ".join(f"{kind}:{number}" for kind, number in counts.items()),
                violations=sum(1 for v in found if v.is_violation), findings=tuple(found), column=column))
        rows.append(Row(row_index, container_group(verdicts[0]), container, source, tuple(cells)))
    return rows


def _size(number: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            return f"{number:,} {unit}" if unit == "bytes" else f"{number:,.1f} {unit}"
        number /= 1024
    return str(number)


@lru_cache(maxsize=1)
def _environment():
    # Imported here, not at the top: `pdscan --help` and the other formats never pay for Jinja2.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pdscan.reporters", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, finalize=_clean,
        trim_blocks=True, lstrip_blocks=True)
    environment.filters["colour"] = colour
    environment.filters["size"] = _size
    return environment


@lru_cache(maxsize=1)
def _asset(name: str) -> tuple[str, str]:
    """A static file beside the template (the script) and its CSP hash: only that script may run."""
    from markupsafe import Markup

    text = _environment().loader.get_source(_environment(), name)[0]
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    columns = _columns(report, catalog)
    rows = _rows(report, columns)
    column_groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        if not column_groups or column_groups[-1][0] != column.group:
            column_groups.append((column.group, []))
        column_groups[-1][1].append(column)
    row_groups = [(key, title, [row for row in rows if row.group == key]) for key, title in GROUPS]
    violations = Counter(str(v.verdict) for v in report.verdicts if v.is_violation)
    legend = [{"verdict": str(kind), "label": str(kind).replace("_", " "), "colour": colour(kind),
               "violation": kind in VIOLATIONS,
               "findings": sum(1 for v in report.verdicts if v.verdict == kind and v.suppressed is None)}
              for kind in VerdictKind]
    script, script_hash = _asset("report.js")
    counts = summary(report)
    return _environment().get_template("report.html.j2").render(
        version=__version__, report=report, counts=counts, stats=report.result.stats,
        sources=sorted({v.finding.source for v in report.verdicts} | {e.source for e in report.result.errors}),
        exit_meaning=exit_meaning(report.exit_code), legend=legend, violations=violations,
        column_groups=column_groups, columns=columns, row_groups=row_groups, catalog=catalog,
        script=script, script_hash=script_hash)
