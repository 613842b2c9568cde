"""``pdscan init``: a draft declaration file from what a scan found.

One source per logical dataset: a file, or a set of rotated logs (one glob); a database table (the
format's ``fields`` apply to every table of a source, so a table of its own keeps each table's
columns its own). Paths are written relative to the directory of the file being written
(``pdscan.identity``), never as absolute paths that would not match in another checkout. Under
each source, every field and category found, with empty purposes.
YAML comments give, for each category, the purposes the policies allow (with their policy file and
section), which of them need consent, and the policies' retention limit. The draft loads as it is;
judged against the same findings, every finding is ``no_purpose`` until the team fills it in, except
a category no policy names, which is ``not_in_policy`` however it is filled in (its comment says so).
"""
from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from pdscan.catalog import LEGAL_BASIS_IDS, Catalog
from pdscan.declarations.verdicts import cite, policy_retention
from pdscan.identity import local_path
from pdscan.printable import printable, replace_unprintable
from pdscan.sources.urls import is_database_url
from pdscan.models import ContainerKind, Finding, Verdict

_ROTATION = re.compile(r"(?:[.-]\d+)?(?:\.(?:gz|bz2|xz|zst|zip))?$")


def _literal(text: str) -> str:
    """A glob matching ``text`` itself: ``*`` and ``?`` (there is no escape) become ``?``, and so does
    a character that must not be printed as it is (a byte of a name that is not UTF-8, a control
    character: ``pdscan.printable``), so that the draft still covers the file it names."""
    return replace_unprintable(text.replace("*", "?"), "?")


def _quote(text: str) -> str:
    return json.dumps(printable(text), ensure_ascii=False)


@dataclass
class _Seen:
    count: int = 0
    containers: set[str] = field(default_factory=set)
    oldest: datetime | None = None
    verdicts: set[str] = field(default_factory=set)


@dataclass
class _Draft:
    name: str
    is_table: bool
    source: str
    containers: set[str] = field(default_factory=set)
    # field ("" for free text) -> category -> what was seen
    fields: dict[str, dict[str, _Seen]] = field(default_factory=lambda: defaultdict(dict))


def _path_globs(containers: Iterable[str]) -> list[str]:
    """The containers as globs, a set of rotated files (``a.log``, ``a.log.1``, ``a.log.2.gz``) as one."""
    groups: dict[str, list[str]] = defaultdict(list)
    for container in containers:
        groups[_ROTATION.sub("", container) or container].append(container)
    globs = []
    for stem, members in sorted(groups.items()):
        globs.append(_literal(stem) + "*" if len(members) > 1 else _literal(members[0]))
    return globs


def _draft_path(path: str, source: str, root: str | None) -> str:
    """``path`` relative to ``root``; outside it, from the scanned argument's own name on (a relative
    pattern matches the last components of a path, so ``sample_data/app.log`` still matches there)."""
    if root is None or source == "-" or is_database_url(path):
        return path
    local = local_path(path, root)
    if not os.path.isabs(local):
        return local
    parent = os.path.dirname(os.path.normpath(os.path.abspath(source)))
    tail = os.path.relpath(local, parent)
    return local if tail.startswith("..") or tail == "." else tail.replace(os.sep, "/")


def _collect(items: Iterable[Verdict | Finding], root: str | None) -> list[_Draft]:
    drafts: dict[tuple, _Draft] = {}
    for item in items:
        finding = item.finding if isinstance(item, Verdict) else item
        is_table = finding.location.kind is ContainerKind.TABLE
        if is_table:
            source = _draft_path(finding.source, finding.source, root)
            key = (source, finding.container)
            name = f"{source} {finding.container}"
        else:
            source = _draft_path(finding.container, finding.source, root)
            key = (_ROTATION.sub("", source) or source, "")
            name = key[0]
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = _Draft(name=name, is_table=is_table, source=source)
        container = finding.container if is_table else source
        draft.containers.add(container)
        seen = draft.fields[finding.field].setdefault(finding.category, _Seen())
        seen.count += finding.count
        seen.containers.add(container)
        if finding.oldest is not None and (seen.oldest is None or finding.oldest < seen.oldest):
            seen.oldest = finding.oldest
        if isinstance(item, Verdict):
            seen.verdicts.add(item.verdict)
    return [drafts[k] for k in sorted(drafts)]


def _category_lines(catalog: Catalog, category: str, seen: _Seen, indent: str, is_table: bool) -> list[str]:
    lines = [f"{indent}{category}:"]
    inner = indent + "  "
    found = f"found {seen.count} value(s)"
    if len(seen.containers) > 1:
        found += f" in {len(seen.containers)} {'tables' if is_table else 'files'}"
    if seen.oldest is not None:
        found += f", oldest {seen.oldest.date().isoformat()}"
    if seen.verdicts:
        found += f"; verdict now: {', '.join(sorted(seen.verdicts))}"
    lines.append(f"{inner}# {found}")
    entry = catalog.categories.get(category)
    if entry is None:
        lines.append(f"{inner}# not in the catalog: no purpose is allowed for it")
    elif not entry.in_policy:
        lines.append(f"{inner}# no policy names {category} ({entry.name}, {entry.definition}): its verdict stays")
        lines.append(f"{inner}# not_in_policy however it is declared; delete the data, or have the policies name it")
    elif not entry.allowed_purposes:
        lines.append(f"{inner}# the policies allow no purpose for {category}")
    else:
        lines.append(f"{inner}# purposes the policies allow for {category}:")
        for allowed in entry.allowed_purposes:
            purpose = catalog.purposes.get(allowed.purpose)
            notes = []
            if purpose is not None and purpose.requires_consent:
                notes.append("requires consent")
            if purpose is not None and purpose.legal_bases:
                notes.append("bases: " + ", ".join(purpose.legal_bases))
            where = cite(allowed.citations, catalog) or (cite(purpose.citations, catalog) if purpose is not None else "")
            if where:
                notes.append(where)
            lines.append(f"{inner}#   {allowed.purpose}" + (f"  ({'; '.join(notes)})" if notes else ""))
    rule = policy_retention(catalog, category)
    if rule is not None:
        where = cite(rule.citations, catalog)
        lines.append(f"{inner}# the policies keep it at most {rule.max_age_days} days (rule {rule.id}"
                     + (f": {where})" if where else ")"))
    lines += [
        f"{inner}purposes: []",
        f"{inner}legal_basis:     # {' | '.join(LEGAL_BASIS_IDS)}",
        f"{inner}retention:       # e.g. 90d, 18m, 3y",
    ]
    if is_table:
        lines.append(f"{inner}# age_column: created_at   # a date/timestamp column giving each row's age")
    lines.append(f'{inner}note: ""')
    return lines


def dataset_count(items: Iterable[Verdict | Finding], root: str | None = None) -> int:
    """How many sources ``render_draft`` writes for these findings."""
    return len(_collect(items, root))


def render_draft(items: Iterable[Verdict | Finding], catalog: Catalog, root: str | None = None) -> str:
    """A draft ``pdscan.yaml`` (text) listing what was found per dataset and field, purposes empty.

    ``root``: the directory of the file being written; paths are written relative to it.
    """
    drafts = _collect(items, root)
    out = [
        "# pdscan declarations: a draft written by `pdscan init` from what the scan found.",
        "# For every category: list its purposes (ids from `pdscan catalog`), the legal basis and how long",
        "# it is kept. Until then `pdscan scan` gives each finding the verdict no_purpose (a category no",
        "# policy names is not_in_policy, declared or not).",
        "# The format: see the README, \"The declaration file\".",
        "version: 1",
        "sources:" if drafts else "sources: []",
    ]
    names: set[str] = set()
    for draft in drafts:
        name, n = draft.name, 2
        while name in names:
            name, n = f"{draft.name} ({n})", n + 1
        names.add(name)
        out.append(f"  - name: {_quote(name)}")
        if draft.is_table:
            out.append(f"    database: {_quote(_literal(draft.source))}")
            out.append(f"    tables: [{', '.join(_quote(_literal(c)) for c in sorted(draft.containers))}]")
        else:
            out.append("    paths:")
            out += [f"      - {_quote(glob)}" for glob in _path_globs(draft.containers)]
        free_text = draft.fields.get("", {})
        if free_text:
            out.append("    categories:          # found in free text (no field)")
            for category in sorted(free_text):
                out += _category_lines(catalog, category, free_text[category], "      ", draft.is_table)
        named = {k: v for k, v in draft.fields.items() if k}
        if named:
            out.append("    fields:")
            for field_name in sorted(named):
                out.append(f"      {_quote(_literal(field_name))}:")
                for category in sorted(named[field_name]):
                    out += _category_lines(catalog, category, named[field_name][category], "        ", draft.is_table)
    return "\n".join(out) + "\n"
