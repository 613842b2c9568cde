"""The catalog as rich tables for a terminal (``pdscan catalog``)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pdscan.catalog import Catalog, Citation


def _cite(citations: tuple[Citation, ...]) -> str:
    return "\n".join(f"{c.policy[:3]} §{c.section}" for c in citations[:3]) + (
        f"\n+{len(citations) - 3} more" if len(citations) > 3 else "")


def render(catalog: Catalog, console: Console) -> None:
    outside = sum(1 for c in catalog.categories.values() if not c.in_policy)
    categories = Table(title=f"Data categories ({len(catalog.categories)}, {outside} named by no policy: "
                             "verdict not_in_policy)", show_lines=True)
    for column in ("id", "name", "sensitivity", "fideslang", "allowed purposes", "detectors", "cited in"):
        categories.add_column(column, overflow="fold")
    for category in catalog.categories.values():
        detectors = ", ".join(d.id for d in catalog.detectors_for(category.id)) or ("field names" if category.field_names else "-")
        # A category no policy names is cited from the law or standard that defines it.
        cited = (_cite(category.citations) or "-") if category.in_policy else f"no policy\n({category.definition})"
        categories.add_row(
            category.id, category.name, category.sensitivity, category.fideslang,
            ", ".join(sorted(category.allowed_purpose_ids)) or "-", detectors, cited,
        )
    console.print(categories)
    purposes = Table(title=f"Purposes ({len(catalog.purposes)})", show_lines=True)
    for column in ("id", "name", "legal bases", "consent", "cited in"):
        purposes.add_column(column, overflow="fold")
    for purpose in catalog.purposes.values():
        purposes.add_row(purpose.id, purpose.name, ", ".join(purpose.legal_bases) or "-",
                         "required" if purpose.requires_consent else "", _cite(purpose.citations))
    console.print(purposes)
    retention = Table(title="Retention rules")
    for column in ("id", "max age (days)", "trigger", "categories", "cited in"):
        retention.add_column(column, overflow="fold")
    for rule in catalog.retention_rules.values():
        retention.add_row(rule.id, str(rule.max_age_days or "-"), rule.trigger or "-", ", ".join(rule.categories), _cite(rule.citations))
    console.print(retention)
