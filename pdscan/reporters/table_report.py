"""The scan as rich tables for a terminal (the default format on a TTY).

One table per source, then source errors, stale declarations, notes and a summary line. Every cell
is a ``Text`` (never markup), so a value such as ``[red]`` in an example prints as itself.

Designed for 80 columns and up: each file (relative to the scanned source, abbreviated from the
left when it is too long: ``…/nginx/access.log``) or ``table NAME`` has a line of its own, and
under it one line per finding: field, category, and the verdict with its short reason, which gets
the rest of the width. Wider terminals add the count, the masked examples, confidence and evidence,
then the first location. Columns are never narrower than their header, so headers never wrap.
The full reason with its citations is in every other format.
"""
from __future__ import annotations

import io
from typing import Callable

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pdscan.catalog import Catalog
from pdscan.models import ContainerKind, Report, Verdict
from pdscan.reporters.json_report import exit_meaning
from pdscan.reporters.redact import safe_text

# Console widths at which more columns appear.
_WITH_COUNT = 100
_WITH_EXAMPLES = 120
_WITH_CONFIDENCE = 140
_WITH_LOCATION = 170
_INDENT = 2  # findings under their file or table
_GAP = 2  # between columns


def _cell(value: object, style: str = "") -> Text:
    return Text(safe_text("" if value is None else str(value)), style=style)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"  # not reached


def abbreviate_left(path: str, width: int) -> str:
    """``path`` in at most ``width`` characters, keeping its end: whole components after ``…/`` when
    they fit (``…/nginx/access.log``), else the last characters."""
    if len(path) <= width:
        return path
    parts = path.split("/")
    for start in range(1, len(parts)):
        tail = "…/" + "/".join(parts[start:])
        if len(tail) <= width:
            return tail
    return "…" + path[-(width - 1):] if width > 1 else "…"


def _where(source: str, verdict: Verdict) -> str:
    """The file relative to the scanned source (the table's title says which), or ``table NAME``."""
    finding = verdict.finding
    if finding.location.kind is ContainerKind.TABLE:
        return f"table {finding.container}"
    container = finding.container.replace("\\", "/")
    prefix = source.replace("\\", "/").rstrip("/") + "/"
    if container.startswith(prefix) and len(container) > len(prefix):
        return container[len(prefix):]
    return container


def _verdict_cell(verdict: Verdict) -> Text:
    if verdict.suppressed is not None:
        cell = _cell(f"{verdict.verdict} (suppressed: {verdict.suppressed})", "dim")
    else:
        cell = _cell(verdict.verdict, "bold red" if verdict.is_violation else "green")
    if verdict.short:
        cell.append(": ")
        cell.append(safe_text(verdict.short), style="" if verdict.is_violation else "dim")
    return cell


def _category_cell(catalog: Catalog, category_id: str) -> Text:
    category = catalog.categories.get(category_id)
    sensitive = category is not None and category.sensitivity in ("high", "critical")
    return _cell(category_id, "red" if sensitive else "")


def _extra_columns(rows: list[Verdict], width: int) -> list[tuple[str, int, str, Callable[[Verdict], Text]]]:
    """(header, width, justify, cell) of the columns a wider terminal has room for."""
    columns = []
    if width >= _WITH_COUNT:
        size = max(len("count"), *(len(f"{v.finding.count}/{v.finding.examined}") for v in rows))
        columns.append(("count", size, "right", lambda v: _cell(f"{v.finding.count}/{v.finding.examined}")))
    if width >= _WITH_EXAMPLES:
        # The first masked example and how many more: one line per finding; the report formats list them all.
        def example(v: Verdict) -> Text:
            found = v.finding.examples
            return _cell(found[0] + (f" (+{len(found) - 1})" if len(found) > 1 else "") if found else "-")

        size = max(len("examples"), min(24, max((len(example(v)) for v in rows), default=1)))
        columns.append(("examples", size, "left", example))
    if width >= _WITH_CONFIDENCE:
        columns.append(("conf.", 5, "right", lambda v: _cell(f"{v.finding.confidence:.2f}")))
        columns.append(("evidence", 8, "left", lambda v: _cell(v.finding.evidence)))
    if width >= _WITH_LOCATION:
        columns.append(("first location", 28, "left", lambda v: _cell(abbreviate_left(str(v.finding.location), 28))))
    return columns


def _findings(source: str, verdicts: list[Verdict], catalog: Catalog, width: int) -> list[RenderableType]:
    """A title, a header line, then each file or table on a line of its own with its findings below:
    the place names get the whole width, and the reason the room a fourth column would take."""
    violations = sum(1 for v in verdicts if v.is_violation)
    title = _cell(f"{source} — {_plural(len(verdicts), 'finding')}, {_plural(violations, 'violation')}", "bold")
    rows = sorted(verdicts, key=lambda v: (_where(source, v), v.finding.field, v.finding.category))
    extra = _extra_columns(rows, width)
    room = width - _INDENT - _GAP * (2 + len(extra)) - sum(size for _, size, _, _ in extra)
    field_width = max(len("field"), min(max(len(v.finding.field or "-") for v in rows), max(10, room * 28 // 100)))
    category_width = max(len("category"), min(max(len(v.finding.category) for v in rows), max(10, room * 25 // 100)))

    def grid() -> Table:
        table = Table.grid(padding=(0, _GAP), expand=True)
        table.add_column(width=field_width, overflow="fold")
        table.add_column(width=category_width, overflow="fold")
        table.add_column(min_width=16, ratio=1, overflow="fold")
        for _, size, justify, _ in extra:
            table.add_column(width=size, justify=justify, overflow="fold")
        return table

    header = grid()
    header.add_row(*(_cell(name, "bold") for name in ("field", "category", "verdict: why",
                                                       *(name for name, _, _, _ in extra))))
    out: list[RenderableType] = [title, Padding(header, (0, 0, 0, _INDENT))]
    groups: dict[str, list[Verdict]] = {}
    for verdict in rows:
        groups.setdefault(_where(source, verdict), []).append(verdict)
    for where, members in groups.items():
        out.append(_cell(abbreviate_left(where, width), "bold cyan"))
        body = grid()
        for verdict in members:
            body.add_row(_cell(verdict.finding.field or "-"), _category_cell(catalog, verdict.finding.category),
                         _verdict_cell(verdict), *(cell(verdict) for _, _, _, cell in extra),
                         style="dim" if verdict.suppressed is not None else None)
        out.append(Padding(body, (0, 0, 0, _INDENT)))
    return out


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    """The tables as text. For standard output, as wide as the terminal and in colour when rich finds one
    that takes colour (else 80 columns, plain); for a file, 200 columns, plain."""
    console = Console() if stdout else Console(file=io.StringIO(), width=200)
    with console.capture() as captured:
        print_report(report, catalog, console)
    return captured.get()


def print_report(report: Report, catalog: Catalog, console: Console) -> None:
    """The tables printed to ``console``, fitted to its width."""
    by_source: dict[str, list[Verdict]] = {}
    for verdict in report.verdicts:
        by_source.setdefault(safe_text(verdict.finding.source), []).append(verdict)
    for source, verdicts in by_source.items():
        for part in _findings(source, verdicts, catalog, console.width):
            console.print(part)
        console.print()
    if not report.verdicts:
        console.print(_cell("No personal data found.", "green"))

    errors = report.result.errors
    if errors:
        table = Table(title=_cell(f"Could not read ({len(errors)}): the scan is incomplete"), title_justify="left",
                      title_style="bold yellow", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        where_width = max(14, min(40, console.width * 30 // 100))
        table.add_column("where", width=where_width, no_wrap=True)
        table.add_column("reason", min_width=20, ratio=1, overflow="fold")
        for error in errors:
            where = str(error.location) if error.location else (error.container or safe_text(error.source))
            table.add_row(_cell(abbreviate_left(safe_text(where), where_width)), _cell(error.reason, "yellow"))
        console.print(table)

    if report.stale:
        table = Table(title=_cell(f"Stale declarations ({len(report.stale)}): declared but not found"),
                      title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("declaration", min_width=len("declaration"), max_width=max(20, console.width * 40 // 100),
                         overflow="fold")
        table.add_column("reason", min_width=20, ratio=1, overflow="fold")
        for stale in report.stale:
            table.add_row(_cell(stale.declaration), _cell(stale.reason))
        console.print(table)

    for note in report.notes:
        console.print(_cell(f"note: {note}", "dim"))

    stats = report.result.stats
    violations = sum(1 for v in report.verdicts if v.is_violation)
    line = Text()
    line.append(f"{_plural(len(report.verdicts), 'finding')} in {_plural(len(by_source), 'source')}, ")
    line.append(_plural(violations, "violation"), style="bold red" if violations else "green")
    line.append(", ")
    line.append(_plural(len(errors), "error"), style="bold yellow" if errors else "")
    line.append(f", {_plural(len(report.stale), 'stale declaration')}. "
                f"Read {_plural(stats.files, 'file')}, {_plural(stats.tables, 'table')}, {_size(stats.bytes)} "
                f"from {_plural(stats.sources, 'source')} in {stats.seconds:.2f} s. ")
    line.append(f"Exit code {report.exit_code}: {exit_meaning(report.exit_code)}.",
                style="bold" if report.exit_code else "")
    console.print(line)
