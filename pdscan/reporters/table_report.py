"""The scan as rich tables for a terminal (the default format on a TTY).

One table per source, then source errors, stale declarations, notes and a summary line. Every cell
is a ``Text`` (never markup), so a value such as ``[red]`` in an example prints as itself.
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pdscan.catalog import Catalog
from pdscan.models import Report, Verdict
from pdscan.reporters.json_report import exit_meaning
from pdscan.reporters.redact import redact_url


def _cell(value: object, style: str = "") -> Text:
    return Text(redact_url("" if value is None else str(value)), style=style)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"  # not reached


def _verdict_cell(verdict: Verdict) -> Text:
    if verdict.suppressed is not None:
        return _cell(f"{verdict.verdict} (suppressed: {verdict.suppressed})", "dim")
    return _cell(verdict.verdict, "bold red" if verdict.is_violation else "green")


def _category_cell(catalog: Catalog, category_id: str) -> Text:
    category = catalog.categories.get(category_id)
    cell = _cell(category_id)
    if category is not None:
        cell.append(f"\n{category.sensitivity}", style="red" if category.sensitivity in ("high", "critical") else "dim")
    return cell


def _findings_table(source: str, verdicts: list[Verdict], catalog: Catalog) -> Table:
    violations = sum(1 for v in verdicts if v.is_violation)
    table = Table(title=_cell(f"{source} — {_plural(len(verdicts), 'finding')}, "
                              f"{_plural(violations, 'violation')}"), title_justify="left", show_lines=False)
    for column in ("container", "field", "category", "verdict", "count", "confidence", "evidence", "examples",
                   "location"):
        table.add_column(column, overflow="fold", justify="right" if column in ("count", "confidence") else "left")
    for verdict in verdicts:
        finding = verdict.finding
        location = str(finding.location)
        table.add_row(
            _cell(finding.container), _cell(finding.field or "-"), _category_cell(catalog, finding.category),
            _verdict_cell(verdict), _cell(f"{finding.count}/{finding.examined}"), _cell(f"{finding.confidence:.2f}"),
            _cell(finding.evidence), _cell("\n".join(finding.examples) or "-"), _cell(location),
            style="dim" if verdict.suppressed is not None else None,
        )
    return table


def render(report: Report, catalog: Catalog, console: Console) -> None:
    by_source: dict[str, list[Verdict]] = {}
    for verdict in report.verdicts:
        by_source.setdefault(redact_url(verdict.finding.source), []).append(verdict)
    for source, verdicts in by_source.items():
        console.print(_findings_table(source, verdicts, catalog))
    if not report.verdicts:
        console.print(_cell("No personal data found.", "green"))

    errors = report.result.errors
    if errors:
        table = Table(title=_cell(f"Could not read ({len(errors)}): the scan is incomplete"), title_justify="left",
                      title_style="bold yellow")
        for column in ("source", "container", "location", "reason"):
            table.add_column(column, overflow="fold")
        for error in errors:
            table.add_row(_cell(error.source), _cell(error.container),
                          _cell(error.location if error.location else "-"), _cell(error.reason, "yellow"))
        console.print(table)

    if report.stale:
        table = Table(title=_cell(f"Stale declarations ({len(report.stale)}): declared but not found"),
                      title_justify="left")
        for column in ("declaration", "source", "field", "category", "reason"):
            table.add_column(column, overflow="fold")
        for stale in report.stale:
            table.add_row(_cell(stale.declaration), _cell(stale.source), _cell(stale.field or "-"),
                          _cell(stale.category), _cell(stale.reason))
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
