"""The scan as SARIF 2.1.0 (``--format sarif``), for code-scanning dashboards.

One run; one rule per data category found (plus ``pdscan-source-error`` and
``pdscan-stale-declaration``); one result per finding, error and stale declaration.

- rules of categories no policy names carry the tag ``not-in-policy`` and ``properties.definedBy``.
- level: ``error`` for a violation (``not_in_policy`` included), ``note`` for a declared or
  baseline-suppressed finding (the latter with an ``external`` suppression carrying the baseline
  entry), ``warning`` for a source that could not be read (the scan is incomplete), ``note`` for a
  stale declaration.
- locations: files are physical locations (a relative path stays relative, with forward slashes);
  database columns are logical locations ``table.column`` of kind ``member``.
- ``partialFingerprints["pdscan/v1"]``: SHA-256 of ``source|container|field|category`` — no value and
  no line number, so the identity survives edits and leaks nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import PureWindowsPath
from urllib.parse import quote

from pdscan import __version__
from pdscan.catalog import Catalog, Category
from pdscan.models import ContainerKind, Location, Report, SourceError, StaleDeclaration, Verdict
from pdscan.reporters.json_report import exit_meaning, summary
from pdscan.reporters.redact import safe_text, safe_tree

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# The project's home page, shown by SARIF viewers as the tool's link; None until it has a public one.
INFORMATION_URI: str | None = None
FINGERPRINT = "pdscan/v1"
ERROR_RULE = "pdscan-source-error"
STALE_RULE = "pdscan-stale-declaration"
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def artifact_uri(path: str) -> str:
    """A path as a URI reference: relative paths stay relative with ``/``; absolute ones become ``file://``."""
    if _URL.match(path):  # a remote object (s3://bucket/key): a URI already
        return path
    if _DRIVE.match(path) or path.startswith("\\\\"):
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    encoded = quote(_path_bytes(posix), safe="/")
    return "file://" + encoded if posix.startswith("/") else encoded


def _path_bytes(path: str) -> bytes:
    """A path's own bytes: a name that is not UTF-8 is percent-encoded byte for byte (``%FF``), as a
    URI must; other lone surrogates keep their UTF-8 form."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


def fingerprint(*parts: str | None) -> str:
    return hashlib.sha256("|".join(part or "" for part in parts).encode("utf-8", "surrogatepass")).hexdigest()


def _pascal(identifier: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", identifier) if word)


def _category_rule(category_id: str, category: Category | None) -> dict:
    if category is None:  # a category the catalog does not know (a custom catalog changed): still a rule
        return {"id": category_id, "name": _pascal(category_id),
                "shortDescription": {"text": category_id}, "fullDescription": {"text": category_id},
                "properties": {"tags": ["privacy", "personal-data"]}}
    cited = "; ".join(dict.fromkeys(f"{c.policy} §{c.section}" for c in category.citations))
    purposes = ", ".join(sorted(category.allowed_purpose_ids)) or "none"
    if category.in_policy:
        help_text = f"{category.description or category.name} Allowed purposes: {purposes}." + (
            f" Cited in: {cited}." if cited else "")
    else:
        help_text = (f"{category.description or category.name} No policy names this category (verdict "
                     f"not_in_policy, declared or not); it is defined in {category.definition}.")
    tags = list(dict.fromkeys(["privacy", "personal-data", category.group, category.sensitivity]
                              + ([] if category.in_policy else ["not-in-policy"])))
    return {
        "id": category.id,
        "name": _pascal(category.id),
        "shortDescription": {"text": category.name},
        "fullDescription": {"text": category.description or category.name},
        "help": {"text": help_text},
        "properties": {"sensitivity": category.sensitivity, "fideslang": category.fideslang,
                       "group": category.group, "tags": tags, "inPolicy": category.in_policy,
                       **({} if category.in_policy else
                          {"definedBy": [{"document": d.document, "section": d.section, "url": d.url}
                                         for d in category.defined_by]})},
    }


_FIXED_RULES = (
    {"id": ERROR_RULE, "name": "SourceError",
     "shortDescription": {"text": "A source could not be read"},
     "fullDescription": {"text": "A file, table or database could not be read (fully): the scan is incomplete "
                                 "and may have missed personal data there."},
     "defaultConfiguration": {"level": "warning"},
     "properties": {"tags": ["pdscan", "incomplete-scan"]}},
    {"id": STALE_RULE, "name": "StaleDeclaration",
     "shortDescription": {"text": "A declared category was not found"},
     "fullDescription": {"text": "The declarations name a category in a source that this scan did not find: "
                                 "the declaration may be out of date."},
     "defaultConfiguration": {"level": "note"},
     "properties": {"tags": ["pdscan", "declarations"]}},
)


def _locations(location: Location | None, fallback: str) -> list[dict]:
    """A physical location for a file (with a start line when known), a logical one for a table column."""
    if location is not None and location.kind is ContainerKind.TABLE:
        name = location.column or location.table
        qualified = location.table + (f".{location.column}" if location.column else "")
        return [{"logicalLocations": [{"name": name, "fullyQualifiedName": qualified,
                                       "kind": "member" if location.column else "resource"}]}]
    if location is not None and location.path is not None:
        physical: dict = {"artifactLocation": {"uri": artifact_uri(location.path)}}
        if location.line is not None and location.line >= 1:
            physical["region"] = {"startLine": location.line}
        return [{"physicalLocation": physical}]
    return [{"logicalLocations": [{"name": fallback, "fullyQualifiedName": fallback, "kind": "resource"}]}]


def _finding_result(verdict: Verdict, rule_index: int, catalog: Catalog) -> dict:
    finding = verdict.finding
    source = safe_text(finding.source)
    category = catalog.categories.get(finding.category)
    label = category.name if category else finding.category
    where = f"{finding.container}" + (f" field {finding.field}" if finding.field else "")
    examples = ", ".join(finding.examples) or "none kept"
    status = verdict.verdict + (f" (suppressed by {verdict.suppressed})" if verdict.suppressed else "")
    text = (f"{status}: {label} in {where} — {finding.count} of {finding.examined} values "
            f"({finding.share:.1%}); examples: {examples}. {verdict.reason}")
    result: dict = {
        "ruleId": finding.category,
        "ruleIndex": rule_index,
        "level": "error" if verdict.is_violation else "note",
        "message": {"text": text},
        "locations": _locations(finding.location, f"{finding.container}.{finding.field}" if finding.field
                                else finding.container),
        "partialFingerprints": {FINGERPRINT: fingerprint(source, finding.container, finding.field,
                                                         finding.category)},
        "properties": {
            "verdict": verdict.verdict, "reason": verdict.reason, "source": source,
            "container": finding.container, "field": finding.field, "count": finding.count,
            "examined": finding.examined, "share": round(finding.share, 4), "confidence": finding.confidence,
            "evidence": finding.evidence, "examples": list(finding.examples),
            "detectors": list(finding.detectors), "declaration": verdict.declaration,
            "purposes": list(verdict.purposes),
        },
    }
    if category is not None:
        result["properties"]["sensitivity"] = category.sensitivity
    if verdict.suppressed is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"baseline entry {verdict.suppressed}"}]
    return result


def _error_result(error: SourceError, rule_index: int) -> dict:
    source = safe_text(error.source)
    return {
        "ruleId": ERROR_RULE,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": f"could not read {error.container or source}: {error.reason}"},
        "locations": _locations(error.location, error.container or source),
        "partialFingerprints": {FINGERPRINT: fingerprint(ERROR_RULE, source, error.container)},
        "properties": {"source": source, "container": error.container, "reason": error.reason},
    }


def _stale_result(stale: StaleDeclaration, rule_index: int) -> dict:
    source = safe_text(stale.source)
    where = f"{source}" + (f" field {stale.field}" if stale.field else "")
    return {
        "ruleId": STALE_RULE,
        "ruleIndex": rule_index,
        "level": "note",
        "message": {"text": f"{stale.category} is declared in {where} but was not found: {stale.reason}"},
        "locations": [{"logicalLocations": [{"name": stale.declaration, "fullyQualifiedName": stale.declaration,
                                             "kind": "resource"}]}],
        "partialFingerprints": {FINGERPRINT: fingerprint(STALE_RULE, stale.declaration, source, stale.field,
                                                         stale.category)},
        "properties": {"declaration": stale.declaration, "source": source, "field": stale.field,
                       "category": stale.category},
    }


def document(report: Report, catalog: Catalog) -> dict:
    """The SARIF log as plain data, passwords in URLs redacted."""
    category_ids = list(dict.fromkeys(v.finding.category for v in report.verdicts))
    rules = [_category_rule(c, catalog.categories.get(c)) for c in category_ids] + [dict(r) for r in _FIXED_RULES]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_finding_result(v, index[v.finding.category], catalog) for v in report.verdicts]
    results += [_error_result(e, index[ERROR_RULE]) for e in report.result.errors]
    results += [_stale_result(s, index[STALE_RULE]) for s in report.stale]
    driver: dict = {"name": "pdscan", "version": __version__, "semanticVersion": __version__, "rules": rules}
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    invocation: dict = {
        "executionSuccessful": not report.result.errors,
        "exitCode": report.exit_code,
        "exitCodeDescription": exit_meaning(report.exit_code),
    }
    if report.notes:
        invocation["toolExecutionNotifications"] = [{"level": "note", "message": {"text": note}}
                                                    for note in report.notes]
    return safe_tree({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "results": results,
            "properties": {"pdscan": summary(report)},
        }],
    })


def render(report: Report, catalog: Catalog, stdout: bool = False) -> str:
    return json.dumps(document(report, catalog), ensure_ascii=False, indent=2) + "\n"
