"""Findings against declarations and policies: one verdict per finding, and stale declarations.

Precedence when several problems apply to one finding is the order of ``models.VerdictKind`` (the
first wins; the others are appended to the reason as ``also: ...``). ``not_in_policy`` comes first: the
category is one no policy names (catalog ``in_policy: false``), declared or not, since a team cannot
declare its way around the policies; then ``undeclared``: no declaration covers the finding at all;
``declared`` last: no check found a problem.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Sequence

from pdscan.catalog import Catalog, Citation, RetentionRule
from pdscan.declarations.model import CategoryDeclaration, Declarations
from pdscan.models import ContainerKind, Finding, Scanned, StaleDeclaration, Verdict, VerdictKind



def cite(citations: Sequence[Citation], catalog: Catalog | None = None) -> str:
    """Where the policies say it, one policy at a time, in order: ``Huawei Privacy Policy §1.1, §1.2
    [004_d8038857a462ca59.txt]`` when the catalog gives the file's title (a reader knows the policy by
    its title, whoever holds the texts by the file), else ``004_d8038857a462ca59.txt §1.1, §1.2``."""
    sections: dict[str, dict[str, None]] = {}
    for citation in citations:
        sections.setdefault(citation.policy, {})[f"§{citation.section}"] = None
    parts = []
    for policy, numbers in sections.items():
        title = catalog.policy_title(policy) if catalog is not None else None
        where = ", ".join(numbers)
        parts.append(f"{title} {where} [{policy}]" if title else f"{policy} {where}")
    return "; ".join(parts)


def _cited(text: str, citations: Sequence[Citation], catalog: Catalog | None = None) -> str:
    where = cite(citations, catalog)
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
    # Purposes cited from the same places are listed together: one citation, not one per purpose.
    groups: dict[str, list[str]] = {}
    for allowed in entry.allowed_purposes:
        groups.setdefault(cite(allowed.citations, catalog), []).append(allowed.purpose)
    return "the policies allow " + "; ".join(f"{', '.join(purposes)} ({where})" if where else ", ".join(purposes)
                                             for where, purposes in groups.items())


@dataclass(frozen=True)
class _Declared:
    """A finding with the declaration that covers it: what each verdict's check looks at."""

    finding: Finding
    declaration: CategoryDeclaration
    catalog: Catalog
    now: datetime


Problem = tuple[str, str]  # (the reason with its citations, the short reason for a terminal cell)


def _purpose_not_allowed(case: _Declared) -> Problem | None:
    category, catalog = case.finding.category, case.catalog
    entry = catalog.categories.get(category)
    allowed = entry.allowed_purpose_ids if entry else frozenset()
    not_allowed = [p for p in case.declaration.purposes if p not in allowed]
    if not not_allowed:
        return None
    named = ", ".join(repr(p) for p in not_allowed)
    return (f"{category} is declared for {named}, which the policies do not allow "
            f"for it; {allowed_text(catalog, category)}",
            f"{named} not allowed for {category}")


def _consent_required(case: _Declared) -> Problem | None:
    catalog, declaration = case.catalog, case.declaration
    needs_consent = [p for p in declaration.purposes
                     if p in catalog.purposes and catalog.purposes[p].requires_consent]
    if not needs_consent or declaration.legal_basis == "consent":
        return None
    basis = declaration.legal_basis or "no legal basis"
    purposes = ", ".join(_cited(repr(p), catalog.purposes[p].citations, catalog) for p in needs_consent)
    return (f"purpose {purposes} requires consent, but {case.finding.category} is declared with {basis}",
            f"{', '.join(repr(p) for p in needs_consent)} needs consent, declared {basis}")


def _no_purpose(case: _Declared) -> Problem | None:
    if case.declaration.purposes:
        return None
    category = case.finding.category
    return (f"{category} is declared without a purpose; {allowed_text(case.catalog, category)}",
            "declared without a purpose")


def _retention_exceeded(case: _Declared) -> Problem | None:
    finding, declaration, catalog = case.finding, case.declaration, case.catalog
    if finding.oldest is None:
        return None
    age_days = (_aware(case.now) - _aware(finding.oldest)).total_seconds() / 86400
    rule = policy_retention(catalog, finding.category)
    limits = []
    if declaration.retention_days is not None:
        limits.append((declaration.retention_days, f"the declared retention {declaration.retention}",
                       f"declared {declaration.retention}"))
    if rule is not None:
        limits.append((rule.max_age_days, _cited(f"the policies' limit of {rule.max_age_days} days "
                                                 f"(retention rule {rule.id})", rule.citations, catalog),
                       f"policies' {rule.max_age_days} days"))
    exceeded = [(text, short) for days, text, short in sorted(limits, key=lambda item: item[0]) if age_days > days]
    if not exceeded:
        return None
    return (f"the oldest record is {int(age_days)} days old ({_aware(finding.oldest).date().isoformat()}), "
            f"beyond {' and '.join(text for text, _ in exceeded)}",
            f"oldest record {int(age_days)} days old, beyond {exceeded[0][1]}")


# One check per verdict a declared finding can get; the order is VerdictKind's (its precedence).
# A new verdict is one VerdictKind member and one check here. The two verdicts before these do not
# look at a declaration's content and are decided first, in _judge_one: not_in_policy (the category
# itself, declared or not) and undeclared (no declaration at all).
_CHECKS: dict[VerdictKind, Callable[[_Declared], Problem | None]] = {
    VerdictKind.PURPOSE_NOT_ALLOWED: _purpose_not_allowed,
    VerdictKind.CONSENT_REQUIRED: _consent_required,
    VerdictKind.NO_PURPOSE: _no_purpose,
    VerdictKind.RETENTION_EXCEEDED: _retention_exceeded,
}
PRECEDENCE = tuple(kind for kind in VerdictKind if kind in _CHECKS)


def _undeclared_reason(finding: Finding, declarations: Declarations) -> tuple[str, str]:
    where = finding.container + (f" field {finding.field!r}" if finding.field else "")
    covering = declarations.covering(finding)
    if not covering:
        kind = finding.location.kind.value
        return f"no source in {declarations.path} covers {where}", f"no source declared for this {kind}"
    names = ", ".join(repr(s.name) for s in covering)
    return (f"{finding.category} in {where} is not declared by {names} ({declarations.path})",
            f"not declared by {names}")


def _not_in_policy(finding: Finding, catalog: Catalog, declarations: Declarations | None) -> Verdict | None:
    """The verdict of a finding whose category no policy names, with whether it was declared anyway."""
    entry = catalog.categories.get(finding.category)
    if entry is None or entry.in_policy:
        return None
    defined = f" ({entry.definition})" if entry.definition else ""
    where = f", defined in {entry.definition}" if entry.definition else ""
    reason = (f"{finding.category} ({entry.name}{where}) is named by no policy: the data is held, but no "
              "policy says the company collects it")
    found = declarations.lookup(finding) if declarations is not None else None
    if found is None:
        return Verdict(finding, VerdictKind.NOT_IN_POLICY, reason + "; it is not declared either",
                       short=f"no policy names it{defined}")
    source, declaration = found
    return Verdict(finding, VerdictKind.NOT_IN_POLICY,
                   f"{reason}; declaring it ({source.name!r}, {declarations.path}:{declaration.line}) does not "
                   "make it declared", source.label(declaration), declaration.purposes,
                   short=f"no policy names it{defined}, declared or not")


def _judge_one(finding: Finding, declarations: Declarations, catalog: Catalog, now: datetime) -> Verdict:
    outside = _not_in_policy(finding, catalog, declarations)
    if outside is not None:
        return outside
    found = declarations.lookup(finding)
    if found is None:
        reason, short = _undeclared_reason(finding, declarations)
        return Verdict(finding, VerdictKind.UNDECLARED, reason, short=short)
    source, declaration = found
    label = source.label(declaration)
    case = _Declared(finding, declaration, catalog, now)
    problems = {kind: problem for kind in PRECEDENCE if (problem := _CHECKS[kind](case)) is not None}
    if problems:
        verdict, (first, first_short) = next(iter(problems.items()))
        others = [reason for kind, (reason, _) in problems.items() if kind != verdict]
        reason = first + "".join(f"; also: {o}" for o in others)
        short = first_short + (f" (+{len(others)} more)" if others else "")
        return Verdict(finding, verdict, reason, label, declaration.purposes, short=short)
    basis = f" ({declaration.legal_basis})" if declaration.legal_basis else ""
    kept = f", kept {declaration.retention}" if declaration.retention else ""
    return Verdict(finding, VerdictKind.DECLARED, f"declared for {', '.join(declaration.purposes)}{basis}{kept} "
                                        f"by {source.name!r} ({declarations.path}:{declaration.line})",
                   label, declaration.purposes, short=f"for {', '.join(declaration.purposes)}{basis}{kept}")


def _stale(findings: Sequence[Finding], declarations: Declarations,
           scanned: Iterable[Scanned] | None) -> tuple[StaleDeclaration, ...]:
    containers = ({Scanned(f.source, f.container, f.location.kind) for f in findings} if scanned is None
                  else set(scanned))
    stale = []
    for source in declarations.sources:
        matching = [f for f in findings if source.covers_finding(f, declarations.root)]
        if not any(source.covers(c.source, c.container, c.kind is ContainerKind.TABLE, root=declarations.root)
                   for c in containers):
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
          scanned: Iterable[Scanned] | None = None,
          ) -> tuple[tuple[Verdict, ...], tuple[StaleDeclaration, ...]]:
    """A verdict per finding, and the stale declarations.

    ``scanned``: every file and table read in full; a source
    entry counts as scanned when one of them falls under it. Without it, the findings' containers
    are used (a declared source whose files held no personal data at all is then not reported stale).
    Without declarations every finding is ``undeclared`` and nothing is stale.
    """
    findings = tuple(findings)
    if declarations is None:
        return tuple(_not_in_policy(f, catalog, None)
                     or Verdict(f, VerdictKind.UNDECLARED, "no declaration file: nothing is declared (see `pdscan init`)",
                                short="no declaration file") for f in findings), ()
    verdicts = tuple(_judge_one(f, declarations, catalog, now) for f in findings)
    return verdicts, _stale(findings, declarations, scanned)
