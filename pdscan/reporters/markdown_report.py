"""The scan as Markdown for a pull-request comment (``--format markdown``).

A status line first (✅ nothing to fix, ❌ violations, ⚠️ incomplete), data no policy names
(``not_in_policy``, with where each category is defined), the other violations, the declared and
suppressed findings folded in ``<details>``, then errors and stale declarations. The comment stays
under GitHub's 65,536-character limit: rows past the budget are left out, with a line saying how many.
"""
from __future__ import annotations

import re

from pdscan.catalog import Catalog
from pdscan.models import Report, Verdict, VerdictKind
from pdscan.reporters.json_report import summary
from pdscan.reporters.redact import safe_text

LIMIT = 65_536  # GitHub's maximum comment body
_RESERVE = 3_000  # room kept for headings, closing lines, the truncation notice and the notes
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BACKTICKS = re.compile(r"`+")


def size(text: str) -> int:
    """Length as GitHub counts it (UTF-16 code units), so that emoji cannot push a comment over."""
    return len(text.encode("utf-16-le")) // 2


def text(value: object, limit: int = 300) -> str:
    """Plain text safe in a table cell: one line, at most ``limit`` characters, Markdown and HTML escaped."""
    return _SPECIAL.sub(r"\\\1", _shorten(" ".join(safe_text(str(value)).split()), limit))


def code(value: object, limit: int = 120) -> str:
    """A code span in a table cell: a fence longer than any backtick run inside, ``|`` escaped."""
    body = _shorten(" ".join(safe_text(str(value)).split()), limit)
    if not body:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(body)), default=0) + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ")):
        body = f" {body} "
    return fence + body.replace("|", "\\|") + fence


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


class _Budget:
    def __init__(self, limit: int):
        self.left = limit
        self.omitted = 0

    def take(self, line: str) -> bool:
        need = size(line) + 1
        if self.omitted or need > self.left - _RESERVE:
            self.omitted += 1
            return False
        self.left -= need
        return True

    def force(self, line: str) -> None:
        self.left -= size(line) + 1


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], budget: _Budget) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    kept = [line for line in ("| " + " | ".join(row) + " |" for row in rows) if budget.take(line)]
    if not kept:
        return []
    for line in lines:
        budget.force(line)
    return lines + kept


def _where(verdict: Verdict) -> str:
    finding = verdict.finding
    return code(finding.container) + (f" › {code(finding.field)}" if finding.field else "")


def _category(catalog: Catalog, category_id: str) -> str:
    category = catalog.categories.get(category_id)
    return text(category.name) + f" ({code(category_id)})" if category else code(category_id)


def _finding_row(verdict: Verdict, catalog: Catalog) -> tuple[str, ...]:
    finding = verdict.finding
    status = text(verdict.verdict) + (f" (suppressed: {text(verdict.suppressed)})" if verdict.suppressed else "")
    examples = ", ".join(code(example, 60) for example in finding.examples[:5]) or "–"
    if len(finding.examples) > 5:
        examples += f" (+{len(finding.examples) - 5})"
    return (code(finding.source), _where(verdict), _category(catalog, finding.category), status,
            f"{finding.count}/{finding.examined}", examples)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    counts = summary(report)
    violations = [v for v in report.verdicts if v.is_violation]
    others = [v for v in report.verdicts if not v.is_violation]
    errors = report.result.errors
    if violations:
        status = f"❌ {_plural(len(violations), 'violation')}"
    elif errors:
        status = f"⚠️ no violations, but the scan is incomplete ({_plural(len(errors), 'source error')})"
    else:
        status = "✅ no violations"
    stats = report.result.stats
    lines = [
        f"## pdscan: {status}",
        "",
        (f"{_plural(counts['findings'], 'finding')} in {_plural(stats.sources, 'source')}: "
         f"{counts['violations']} violating, {counts['by_verdict'].get('declared', 0)} declared, "
         f"{counts['suppressed']} suppressed by the baseline; {_plural(len(errors), 'error')}, "
         f"{_plural(len(report.stale), 'stale declaration')}. Read {_plural(stats.files, 'file')}, "
         f"{_plural(stats.tables, 'table')}, {stats.bytes:,} bytes in {stats.seconds:.1f} s "
         f"(exit code {report.exit_code}: {text(counts['exit_meaning'])})."),
    ]
    budget = _Budget(LIMIT)
    for line in lines:
        budget.force(line)
    header = ("Source", "Field", "Category", "Verdict", "Count", "Examples")

    sections: list[list[str]] = []
    # Data no policy names comes first, in a section of its own: it is what a privacy officer must
    # see before anything a declaration can fix.
    outside = [v for v in violations if v.verdict == VerdictKind.NOT_IN_POLICY]
    violations = [v for v in violations if v.verdict != VerdictKind.NOT_IN_POLICY]
    if outside:
        table = _table(header, [_finding_row(v, catalog) for v in outside], budget)
        if table:
            defined = "; ".join(f"{code(c)}: {text(catalog.categories[c].definition)}"
                                for c in dict.fromkeys(v.finding.category for v in outside)
                                if c in catalog.categories and catalog.categories[c].definition)
            intro = ("No policy says the company collects these categories, so declaring them does not clear them"
                     + (f" (defined in {defined})." if defined else "."))
            sections.append(["### Data no policy names (not\_in\_policy)", "", intro, "", *table])
    if violations:
        table = _table(header, [_finding_row(v, catalog) for v in violations], budget)
        if table:
            sections.append(["### Violations", "", *table])
    if others:
        table = _table(header, [_finding_row(v, catalog) for v in others], budget)
        if table:
            sections.append([f"<details><summary>Declared and suppressed findings ({len(others)})</summary>", "",
                             *table, "", "</details>"])
    if errors:
        table = _table(("Source", "Container", "Location", "Reason"),
                       [(code(e.source), code(e.container), code(e.location) if e.location else "–", text(e.reason))
                        for e in errors], budget)
        if table:
            sections.append(["### Errors (the scan is incomplete)", "", *table])
    if report.stale:
        table = _table(("Declaration", "Source", "Field", "Category", "Reason"),
                       [(code(s.declaration), code(s.source), code(s.field) if s.field else "–", code(s.category),
                         text(s.reason)) for s in report.stale], budget)
        if table:
            sections.append(["### Stale declarations", "", *table])
    for section in sections:
        lines += ["", *section]
        budget.force("")
        for line in section[:2]:
            budget.force(line)
    if budget.omitted:
        lines += ["", f"_{_plural(budget.omitted, 'more row')} left out to stay under GitHub's comment limit; "
                      "see the JSON or SARIF report for all of them._"]
    if report.notes:
        lines += ["", *(_clip(f"- {text(note)}", 200) for note in report.notes[:10])]
        if len(report.notes) > 10:
            lines.append(f"- … and {_plural(len(report.notes) - 10, 'more note')}")
    body = "\n".join(lines) + "\n"
    return body if size(body) <= LIMIT else _clip(body, LIMIT - 40) + "\n\n_(truncated)_\n"


def _clip(value: str, units: int) -> str:
    """The longest prefix of ``value`` that is at most ``units`` UTF-16 code units long."""
    if size(value) <= units:
        return value
    clipped = value.encode("utf-16-le")[:units * 2].decode("utf-16-le", errors="ignore")
    return clipped[:-1] + "…"
