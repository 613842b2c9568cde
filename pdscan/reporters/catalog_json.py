"""The catalog as JSON (``pdscan catalog --format json``)."""
from __future__ import annotations

import dataclasses
import json

from pdscan.catalog import Catalog


def render(catalog: Catalog) -> str:
    document = {
        "version": catalog.version,
        "policies": list(catalog.policies),
        "legal_bases": [dataclasses.asdict(b) for b in catalog.legal_bases.values()],
        "purposes": [dataclasses.asdict(p) for p in catalog.purposes.values()],
        "categories": [dataclasses.asdict(c) for c in catalog.categories.values()],
        "retention_rules": [dataclasses.asdict(r) for r in catalog.retention_rules.values()],
        "transfers": [dataclasses.asdict(t) for t in catalog.transfers],
        "detectors": [dataclasses.asdict(d) for d in catalog.detectors],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
