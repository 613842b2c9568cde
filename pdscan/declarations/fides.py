"""``pdscan export fides``: the declarations as fideslang ``system`` and ``dataset`` manifests.

- one ``dataset`` per declared source: a collection per table (databases) or path glob (files);
  field declarations become dataset fields, whole-source categories collection-level categories;
- one ``system`` whose privacy declarations group, per source, the categories declared for the same
  purpose, legal basis and retention, with ``dataset_references`` to that source's dataset.

Categories go through the catalog's ``fideslang`` keys. Purposes go to the nearest fideslang data use
(default taxonomy keys, fideslang 3.x): the catalog has no fideslang key for purposes, so the mapping
is by the words of the purpose id and name (first rule that matches), and written out in the
system's ``meta.pdscan_purposes`` for review. Declared categories no policy names (GDPR Art. 9
special categories, salary, tax ids: ``user.health_and_medical``, ``user.demographic.religious_belief``,
``user.financial``...) are listed in ``meta.pdscan_not_in_policy`` with where each is defined. The result is a plain dict; the caller dumps it as YAML.
"""
from __future__ import annotations

import re
from pdscan.catalog import Catalog
from pdscan.declarations.model import CategoryDeclaration, Declarations, SourceDeclaration

# (words, data use): the first rule with a word found in the purpose's id or name wins.
DATA_USE_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("legal", "law", "complian", "obligation", "regulat", "tax", "court", "authorit"), "essential.legal_obligation"),
    (("security", "protect", "abuse", "attack"), "essential.service.security"),
    (("fraud", "loss_prevention", "risk"), "essential.fraud_detection"),
    (("authenticat", "login", "sign_in", "verification", "identity"), "essential.service.authentication"),
    (("payment", "billing", "invoice", "refund"), "essential.service.payment_processing"),
    (("newsletter", "subscription", "survey", "invitation", "communication"), "marketing.communications"),
    (("marketing", "advertis", "promot", "campaign", "lottery", "award"), "marketing.advertising"),
    (("personali", "recommend", "interest"), "personalize"),
    (("analytic", "statistic", "research", "audit", "market_share", "efficiency"), "analytics.reporting"),
    (("improv", "quality", "develop"), "functional.service.improve"),
    (("support", "customer_service", "feedback", "complaint", "query", "queries", "contact"),
     "essential.service.operations.support"),
    (("notif", "alert", "reminder"), "essential.service.notifications"),
    (("log", "operation", "monitor", "troubleshoot", "diagnos", "maintenance"), "essential.service.operations"),
    (("recruit", "hiring", "job", "candidate", "applicant"), "employment.recruitment"),
    (("third_part", "sharing", "partner", "transfer", "disclos"), "third_party_sharing"),
    (("upgrade", "update"), "essential.service.upgrades"),
)
DEFAULT_DATA_USE = "essential.service"  # account creation, providing the service, contracts, delivery
LEGAL_BASES = {"contract": "Contract", "consent": "Consent", "legitimate_interests": "Legitimate interests",
               "legal_obligation": "Legal obligations"}


def data_use(purpose_id: str, catalog: Catalog | None = None) -> str:
    """The fideslang data use nearest to a catalog purpose."""
    words = purpose_id.lower()
    if catalog is not None and purpose_id in catalog.purposes:
        words += " " + re.sub(r"[^a-z0-9]+", "_", catalog.purposes[purpose_id].name.lower())
    for keys, use in DATA_USE_RULES:
        if any(k in words for k in keys):
            return use
    return DEFAULT_DATA_USE


def fides_key(text: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()
    return key or "source"


def _unique(key: str, used: set[str]) -> str:
    candidate, n = key, 2
    while candidate in used:
        candidate, n = f"{key}_{n}", n + 1
    used.add(candidate)
    return candidate


def _category_key(catalog: Catalog, category: str) -> str:
    entry = catalog.categories.get(category)
    return entry.fideslang if entry is not None else "user"


def _dataset(source: SourceDeclaration, key: str, catalog: Catalog) -> dict:
    wide = sorted({_category_key(catalog, d.category) for d in source.declarations if d.field is None})
    fields: dict[str, set[str]] = {}
    for declaration in source.declarations:
        if declaration.field is not None:
            fields.setdefault(declaration.field, set()).add(_category_key(catalog, declaration.category))
    collection_names = list(source.tables) or list(source.paths) or [source.name]
    collections = []
    for name in dict.fromkeys(collection_names):
        collection = {"name": name, "fields": [{"name": f, "data_categories": sorted(c)} for f, c in sorted(fields.items())]}
        if wide:
            collection["data_categories"] = wide
        collections.append(collection)
    dataset = {"fides_key": key, "name": source.name, "description": _description(source), "collections": collections}
    return dataset


def _description(source: SourceDeclaration) -> str:
    text = f"Declared in pdscan: {source.scope}"
    return f"{text}. {source.note}" if source.note else text


def _privacy_declarations(source: SourceDeclaration, dataset_key: str, catalog: Catalog) -> list[dict]:
    groups: dict[tuple[str, str | None, str | None], list[CategoryDeclaration]] = {}
    for declaration in source.declarations:
        for purpose in declaration.purposes:
            groups.setdefault((purpose, declaration.legal_basis, declaration.retention), []).append(declaration)
    result = []
    for (purpose, basis, retention), declarations in groups.items():
        name = catalog.purposes[purpose].name if purpose in catalog.purposes else purpose
        details = ", ".join(x for x in (basis, retention) if x)
        item = {
            "name": f"{source.name}: {name}" + (f" ({details})" if details else ""),
            "data_use": data_use(purpose, catalog),
            "data_categories": sorted({_category_key(catalog, d.category) for d in declarations}),
            "data_subjects": [],
            "dataset_references": [dataset_key],
        }
        if basis in LEGAL_BASES:
            item["legal_basis_for_processing"] = LEGAL_BASES[basis]
        if retention:
            item["retention_period"] = retention
        result.append(item)
    return result


def export_fides(declarations: Declarations, catalog: Catalog, system_key: str | None = None,
                 system_name: str | None = None) -> dict:
    """``{"system": [...], "dataset": [...]}``, loadable by fideslang's ``System`` and ``Dataset`` models."""
    used: set[str] = set()
    datasets, privacy = [], []
    for source in declarations.sources:
        key = _unique(fides_key(source.name), used)
        datasets.append(_dataset(source, key, catalog))
        privacy.extend(_privacy_declarations(source, key, catalog))
    purposes = sorted({p for s in declarations.sources for d in s.declarations for p in d.purposes})
    # Declared categories no policy names: exported with their fideslang keys like any other, and
    # listed here with where they are defined, since pdscan judges them not_in_policy whatever the
    # declaration says.
    outside = {c: catalog.categories[c].definition
               for c in sorted({d.category for s in declarations.sources for d in s.declarations})
               if c in catalog.categories and not catalog.categories[c].in_policy}
    system = {
        "fides_key": system_key or _unique("pdscan_system", used),
        "name": system_name or "Systems declared in " + declarations.path,
        "description": "Exported by `pdscan export fides` from " + declarations.path,
        "system_type": "Service",
        "privacy_declarations": privacy,
        "dataset_references": [d["fides_key"] for d in datasets],
        "meta": {"pdscan_purposes": {p: data_use(p, catalog) for p in purposes},
                 **({"pdscan_not_in_policy": outside} if outside else {})},
    }
    return {"system": [system], "dataset": datasets}
