"""Baselines: accept the findings known today, so that CI fails only on new ones.

An entry is identified by the source, field, category and verdict of a finding plus the keyed hashes
(HMAC-SHA-256 with a per-project key, truncated to 128 bits) of its values: never by line number,
and never by a plain hash of a value (a phone number's plain SHA-256 is brute-forced in minutes).
A finding is suppressed when an unexpired entry has the same source, field, category and verdict
and every value digest of the finding is in the entry. Requiring the same verdict means a baseline
accepts a known problem, not a future one: values accepted as ``declared`` that later outgrow their
retention are reported again.

The file is JSON (stable order, one entry per source/field/category/verdict)::

    {"version": 1, "key_id": "…", "entries": [
      {"source": "logs/", "field": "client_ip", "category": "ip_address", "verdict": "undeclared",
       "reason": "legacy logs, deleted in March", "expires": "2026-03-31", "digests": ["…", …]}]}

``reason`` and ``expires`` are written by hand and kept when the baseline is re-written; an entry
hides findings up to and including its ``expires`` day. ``key_id`` tells whether the same key is in use.

With ``root`` (the declaration file's directory, else the working directory: ``identity.anchor``),
a source that is a path is written and compared relative to it (``identity.source_key``), so a
baseline written for ``pdscan scan sample_data/`` holds for ``./sample_data``, ``sample_data``, the
absolute path, and for the same directory scanned from below the root; older entries written as
typed are read relative to ``root``.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from pdscan.identity import source_key
from pdscan.output_file import write_text
from pdscan.models import Verdict
from pdscan.value_identity import key_id

VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------- the file

@dataclass(frozen=True)
class BaselineEntry:
    number: int  # 1-based position in the file
    source: str
    field: str
    category: str
    verdict: str
    digests: frozenset[str]
    reason: str = ""
    expires: date | None = None

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return self.source, self.field, self.category, self.verdict

    def describe(self) -> str:
        field = f" field {self.field!r}" if self.field else ""
        return f"{self.category} in {self.source}{field} ({self.verdict})"


@dataclass(frozen=True)
class Baseline:
    path: str
    key_id: str | None
    entries: tuple[BaselineEntry, ...]

    def label(self, entry: BaselineEntry) -> str:
        name = f"{Path(self.path).name}#{entry.number}"
        return f"{name}: {entry.reason}" if entry.reason else name


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; ``ValueError`` (naming the file and entry) when it does not follow the format."""
    path = str(path)
    with open(path, encoding="utf-8") as handle:
        try:
            document = json.load(handle)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
        except RecursionError:  # a baseline is four levels deep; thousands of brackets are not one
            raise ValueError(f"{path}: not a baseline: JSON nested too deeply") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise ValueError(f"{path}: expected a JSON object with \"version\": {VERSION} (written by --write-baseline)")
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise ValueError(f"{path}: entries: expected a list")
    entries = []
    for number, raw in enumerate(raw_entries, start=1):
        where = f"{path}: entries[{number - 1}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected an object")
        for key in ("source", "field", "category", "verdict"):
            if not isinstance(raw.get(key), str):
                raise ValueError(f"{where}: '{key}' must be a string")
        digests = raw.get("digests", [])
        if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
            raise ValueError(f"{where}: 'digests' must be a list of strings")
        reason = raw.get("reason") or ""
        if not isinstance(reason, str):
            raise ValueError(f"{where}: 'reason' must be a string")
        expires = raw.get("expires")
        if expires is not None:
            try:
                expires = date.fromisoformat(str(expires))
            except ValueError:
                raise ValueError(f"{where}: 'expires' must be a date YYYY-MM-DD, found {expires!r}") from None
        entries.append(BaselineEntry(number, raw["source"], raw["field"], raw["category"], raw["verdict"],
                                     frozenset(digests), reason, expires))
    found_key = document.get("key_id")
    return Baseline(path, found_key if isinstance(found_key, str) else None, tuple(entries))


def _entry_identity(entry: BaselineEntry, root: str | Path | None) -> tuple[str, str, str, str]:
    if root is None:
        return entry.identity
    return source_key(entry.source, root, cwd=str(root)), entry.field, entry.category, entry.verdict


def _finding_identity(verdict: Verdict, root: str | Path | None) -> tuple[str, str, str, str]:
    f = verdict.finding
    return (f.source if root is None else source_key(f.source, root)), f.field, f.category, verdict.verdict


def write_baseline(path: str | Path, verdicts: Iterable[Verdict], key: bytes | None,
                   root: str | Path | None = None) -> int:
    """Write every current finding as a baseline entry; returns the number of entries.

    ``reason`` and ``expires`` of entries already in the file at ``path`` are kept. With ``root``,
    path sources are written relative to it.
    """
    path = Path(path)
    kept: dict[tuple, tuple[str, str | None]] = {}
    if path.is_file():
        try:
            for entry in load_baseline(path).entries:
                kept[_entry_identity(entry, root)] = (entry.reason, entry.expires.isoformat() if entry.expires else None)
        except ValueError:
            kept = {}
    grouped: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for verdict in verdicts:
        grouped[_finding_identity(verdict, root)].update(verdict.finding.value_digests)
    entries = []
    for identity in sorted(grouped):
        reason, expires = kept.get(identity, ("", None))
        source, field, category, verdict = identity
        entries.append({"source": source, "field": field, "category": category, "verdict": verdict,
                        "reason": reason, "expires": expires, "digests": sorted(grouped[identity])})
    document = {"version": VERSION, "key_id": key_id(key) if key else None, "entries": entries}
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    # A name that is not UTF-8 (a lone surrogate from os.fsdecode) as its JSON escape, which reads
    # back as the same name: the entry must match the finding it was written from.
    text = _SURROGATE.sub(lambda found: f"\\u{ord(found.group(0)):04x}", text)
    write_text(path, text, "--write-baseline")
    return len(entries)


def apply_baseline(verdicts: Iterable[Verdict], baseline: Baseline, today: date, key: bytes | None = None,
                   root: str | Path | None = None) -> tuple[tuple[Verdict, ...], tuple[str, ...]]:
    """Mark the verdicts the baseline hides (``Verdict.suppressed``); notes on expired and unused entries.

    A finding with values outside its entry stays reported, its reason saying how many are new.
    With ``key``, a baseline written with another key is noted (then no value can match). With
    ``root``, path sources compare relative to it, however they were typed.
    """
    by_identity: dict[tuple, list[BaselineEntry]] = defaultdict(list)
    for entry in baseline.entries:
        by_identity[_entry_identity(entry, root)].append(entry)
    used: set[int] = set()
    expired_hit: set[int] = set()
    result = []
    for verdict in verdicts:
        f = verdict.finding
        candidates = by_identity.get(_finding_identity(verdict, root), [])
        live = [e for e in candidates if e.expires is None or today <= e.expires]
        expired_hit.update(e.number for e in candidates if e not in live)
        hiding = next((e for e in live if f.value_digests <= e.digests), None)
        used.update(e.number for e in live)
        if hiding is not None:
            result.append(replace(verdict, suppressed=baseline.label(hiding)))
        elif live:
            new = min(len(f.value_digests - e.digests) for e in live)
            result.append(replace(verdict, reason=f"{verdict.reason}; {new} value(s) not in baseline entry "
                                                  f"{baseline.label(live[0])}",
                                  short=f"{verdict.short}; {new} new value(s)" if verdict.short else verdict.short))
        else:
            result.append(verdict)
    notes = []
    if key is not None and baseline.key_id and baseline.key_id != key_id(key):
        notes.append(f"baseline {baseline.path} was written with another HMAC key: no value can match it")
    for entry in baseline.entries:
        if entry.expires is not None and today > entry.expires:
            hit = " and no longer hides a finding" if entry.number in expired_hit else ""
            notes.append(f"baseline entry {baseline.label(entry)} expired on {entry.expires.isoformat()}{hit}: "
                         f"{entry.describe()}")
        elif entry.number not in used:
            notes.append(f"baseline entry {baseline.label(entry)} matched no finding (remove it or re-write the "
                         f"baseline): {entry.describe()}")
    return tuple(result), tuple(notes)
