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

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from pdscan.identity import source_key
from pdscan.models import Verdict

KEY_ENV = "PDSCAN_BASELINE_KEY"
KEY_FILE = ".pdscan.key"
MIN_KEY_BYTES = 16
DIGEST_HEX = 32
VERSION = 1
# Categories whose values are numbers or codes written with optional separators: spaces, dashes,
# dots, brackets, '+' and ':' are formatting, so "+86 138 1234 5678" and "+8613812345678" are one value.
# Matched as substrings of the category id. Not IP addresses, emails or dates, where separators matter.
NUMBER_LIKE = ("phone", "whatsapp", "fax", "msisdn", "card", "iban", "bank", "account_number", "imei", "imsi",
               "meid", "esn", "passport", "id_card", "national_id", "ssn", "qq", "plmn", "postcode", "zip",
               "mac_address", "serial")
_HEX_KEY = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
_SEPARATORS = re.compile(r"[\W_]+")


# ---------------------------------------------------------------- the key

def _parse_key(text: str, where: str) -> bytes:
    text = text.strip()
    key = bytes.fromhex(text) if _HEX_KEY.fullmatch(text) else text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"{where}: the HMAC key is too short: use at least {MIN_KEY_BYTES} bytes "
                         f"(32 hex digits or 16 characters)")
    return key


def load_key(explicit_path: str | None = None, anchor: str | None = None) -> bytes:
    """The project's HMAC key for value digests.

    From ``explicit_path`` (a key file) if given; else ``PDSCAN_BASELINE_KEY`` (hex, or any text of
    16+ bytes); else ``.pdscan.key`` beside ``anchor`` (the baseline file), else in the working
    directory. ``FileNotFoundError`` when there is none, ``ValueError`` when it is unusable.
    """
    if explicit_path:
        path = Path(explicit_path)
        return _parse_key(path.read_text(encoding="utf-8"), str(path))
    env = os.environ.get(KEY_ENV)
    if env:
        return _parse_key(env, KEY_ENV)
    candidates = ([Path(anchor).resolve().parent / KEY_FILE] if anchor else []) + [Path.cwd() / KEY_FILE]
    for path in candidates:
        if path.is_file():
            return _parse_key(path.read_text(encoding="utf-8"), str(path))
    raise FileNotFoundError(f"no HMAC key: set {KEY_ENV} or create {candidates[0]} (--write-baseline creates one)")


def create_key(path: str | Path) -> bytes:
    """Write a new random 32-byte key (hex) to ``path``, readable by the owner only; never overwrites."""
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (key.hex() + "\n").encode("ascii"))
    finally:
        os.close(fd)
    return key


def key_id(key: bytes) -> str:
    """A short, non-reversible name for the key, stored in the baseline to detect a different key."""
    return hmac.new(key, b"pdscan baseline key id", hashlib.sha256).hexdigest()[:16]


def normalise(category: str, value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    if any(word in category for word in NUMBER_LIKE):
        text = _SEPARATORS.sub("", text)
    return text


def value_digest(key: bytes, category: str, value: str) -> str:
    """The keyed digest of one value of one category: HMAC-SHA-256 of the normalised value, 32 hex digits."""
    message = f"{category}\x00{normalise(category, value)}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:DIGEST_HEX]


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
    directory = path.resolve().parent
    fd, temporary = tempfile.mkstemp(prefix=".pdscan-baseline-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
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
