"""Findings against declarations and policies: one verdict per finding, and stale declarations.

Precedence when several problems apply to one finding (the first wins; the others are appended to
the reason as ``also: ...``)::

    purpose_not_allowed > consent_required > no_purpose > retention_exceeded > declared

``undeclared`` stands apart: no declaration covers the finding at all.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from pdscan.catalog import Catalog, Citation, RetentionRule
from pdscan.declarations.model import CategoryDeclaration, Declarations
from pdscan.models import Finding, StaleDeclaration, Verdict

PRECEDENCE = ("purpose_not_allowed", "consent_required", "no_purpose", "retention_exceeded")


def cite(citations: Sequence[Citation]) -> str:
    """``000_x.txt §1; 001_y.txt §2`` (distinct policy/section pairs, in order)."""
    seen = dict.fromkeys(f"{c.policy} §{c.section}" for c in citations)
    return "; ".join(seen)


def _cited(text: str, citations: Sequence[Citation]) -> str:
    where = cite(citations)
    return f"{text} ({where})" if where else text


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def policy_retention(catalog: Catalog, category: str) -> RetentionRule | None:
    """The strictest retention rule with a maximum age that applies to ``category``."""
    entry = catalog.categories.get(category)
    ids = list(entry.retention) if entry else []
    ids += [r.id for r in catalog.retention_rules.values() if category in r.categories and r.id not in ids]
    rules = [catalog.retention_rules[i] for i in ids if i in catalog.retention_rules]
    limited = [r for r in rules if r.max_age_days is not None]
    return min(limited, key=lambda r: r.max_age_days) if limited else None


def allowed_text(catalog: Catalog, category: str) -> str:
    entry = catalog.categories.get(category)
    if entry is None or not entry.allowed_purposes:
        return f"the policies allow no purpose for {category}"
    return "the policies allow " + ", ".join(_cited(a.purpose, a.citations) for a in entry.allowed_purposes)


def _problems(finding: Finding, declaration: CategoryDeclaration, catalog: Catalog, now: datetime) -> dict[str, str]:
    """Every problem of a declared finding, verdict -> reason."""
    problems: dict[str, str] = {}
    category = finding.category
    entry = catalog.categories.get(category)
    allowed = entry.allowed_purpose_ids if entry else frozenset()
    not_allowed = [p for p in declaration.purposes if p not in allowed]
    if not_allowed:
        problems["purpose_not_allowed"] = (
            f"{category} is declared for {', '.join(repr(p) for p in not_allowed)}, which the policies do not allow "
            f"for it; {allowed_text(catalog, category)}")
    needs_consent = [p for p in declaration.purposes
                     if p in catalog.purposes and catalog.purposes[p].requires_consent]
    if needs_consent and declaration.legal_basis != "consent":
        basis = declaration.legal_basis or "no legal basis"
        purposes = ", ".join(_cited(repr(p), catalog.purposes[p].citations) for p in needs_consent)
        problems["consent_required"] = f"purpose {purposes} requires consent, but {category} is declared with {basis}"
    if not declaration.purposes:
        problems["no_purpose"] = f"{category} is declared without a purpose; {allowed_text(catalog, category)}"
    if finding.oldest is not None:
        age_days = (_aware(now) - _aware(finding.oldest)).total_seconds() / 86400
        rule = policy_retention(catalog, category)
        limits = []
        if declaration.retention_days is not None:
            limits.append((declaration.retention_days, f"the declared retention {declaration.retention}"))
        if rule is not None:
            limits.append((rule.max_age_days, _cited(f"the policies' limit of {rule.max_age_days} days "
                                                     f"(retention rule {rule.id})", rule.citations)))
        exceeded = [text for days, text in sorted(limits, key=lambda item: item[0]) if age_days > days]
        if exceeded:
            problems["retention_exceeded"] = (
                f"the oldest record is {int(age_days)} days old ({_aware(finding.oldest).date().isoformat()}), "
                f"beyond {' and '.join(exceeded)}")
    return problems


def _undeclared_reason(finding: Finding, declarations: Declarations) -> str:
    where = finding.container + (f" field {finding.field!r}" if finding.field else "")
    covering = declarations.covering(finding)
    if not covering:
        return f"no source in {declarations.path} covers {where}"
    names = ", ".join(repr(s.name) for s in covering)
    return f"{finding.category} in {where} is not declared by {names} ({declarations.path})"


def _judge_one(finding: Finding, declarations: Declarations, catalog: Catalog, now: datetime) -> Verdict:
    found = declarations.lookup(finding)
    if found is None:
        return Verdict(finding, "undeclared", _undeclared_reason(finding, declarations))
    source, declaration = found
    label = source.label(declaration)
    problems = _problems(finding, declaration, catalog, now)
    for verdict in PRECEDENCE:
        if verdict in problems:
            others = [problems[v] for v in PRECEDENCE if v in problems and v != verdict]
            reason = problems[verdict] + "".join(f"; also: {o}" for o in others)
            return Verdict(finding, verdict, reason, label, declaration.purposes)
    basis = f" ({declaration.legal_basis})" if declaration.legal_basis else ""
    kept = f", kept {declaration.retention}" if declaration.retention else ""
    return Verdict(finding, "declared", f"declared for {', '.join(declaration.purposes)}{basis}{kept} "
                                        f"by {source.name!r} ({declarations.path}:{declaration.line})",
                   label, declaration.purposes)


def _stale(findings: Sequence[Finding], declarations: Declarations,
           scanned: Iterable[tuple[str, str, bool]] | None) -> tuple[StaleDeclaration, ...]:
    containers = ({(f.source, f.container, f.location.table is not None) for f in findings} if scanned is None
                  else set(scanned))
    stale = []
    for source in declarations.sources:
        matching = [f for f in findings if source.covers_finding(f, declarations.root)]
        if not any(source.covers(*c, root=declarations.root) for c in containers):
            continue
        for declaration in source.declarations:
            if any(f.category == declaration.category and declaration.covers_field(f.field) for f in matching):
                continue
            where = f" in field {declaration.field!r}" if declaration.field is not None else ""
            stale.append(StaleDeclaration(
                declaration=source.label(declaration), source=source.name, field=declaration.field,
                category=declaration.category,
                reason=(f"{declaration.category} is declared{where} ({declarations.path}:{declaration.line}) "
                        f"but this scan found none in {source.scope}")))
    return tuple(stale)


def judge(findings: Iterable[Finding], declarations: Declarations | None, catalog: Catalog, now: datetime,
          scanned: Iterable[tuple[str, str, bool]] | None = None,
          ) -> tuple[tuple[Verdict, ...], tuple[StaleDeclaration, ...]]:
    """A verdict per finding, and the stale declarations.

    ``scanned``: the (source, container, is_table) of every file and table read in full; a source
    entry counts as scanned when one of them falls under it. Without it, the findings' containers
    are used (a declared source whose files held no personal data at all is then not reported stale).
    Without declarations every finding is ``undeclared`` and nothing is stale.
    """
    findings = tuple(findings)
    if declarations is None:
        return tuple(Verdict(f, "undeclared", "no declaration file: nothing is declared (see `pdscan init`)")
                     for f in findings), ()
    verdicts = tuple(_judge_one(f, declarations, catalog, now) for f in findings)
    return verdicts, _stale(findings, declarations, scanned)
