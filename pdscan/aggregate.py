"""Aggregation: matches become findings per (source, container, field, category).

Per-match work stays in plain dicts and counters; a Finding is built once per key at the end,
not per hit. Examples are masked here, at the first place values are kept, unless the user
asked for raw values; raw values are otherwise only held as keyed digests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

from pdscan.detection.engine import Match
from pdscan.masking import mask
from pdscan.models import Block, Finding, Location

MAX_EXAMPLES = 3
MAX_DIGESTS = 10_000
# A key before its value: (start of text | separator) quote? key quote? space* [=:] space* quote-or-<? value.
# Matched backwards, on the reversed text before the value (a forward search would try every position
# of the window). Key characters are none of the separators, quotes, spaces or [=:], so at most one
# reading of that text exists: the backward match finds the same key as the forward pattern would.
_KEY_BEFORE_REVERSED = r"""["'<]?\s*[=:]\s*["']?([\w.\-]{0,63}[A-Za-z_])["']?"""
_KEY_AFTER_SEPARATOR = re.compile(_KEY_BEFORE_REVERSED + r"""[\s,;&?{(\[|]""")
_KEY_AT_TEXT_START = re.compile(_KEY_BEFORE_REVERSED + r"""(?:[\s,;&?{(\[|]|\Z)""")
_KEY_WINDOW = 80
_KEY_ENDS = frozenset("=:\"'<")

Digest = Callable[[str, str, str], str]  # (category, value kind, value) -> keyed digest


@dataclass(slots=True)
class _Tally:
    count: int = 0
    score_sum: float = 0.0
    evidence: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)
    location: Location | None = None
    detectors: set[str] = field(default_factory=set)
    # Record times in epoch seconds (datetimes are made once per finding), and apart from them the
    # block times of matches whose record has no time of its own.
    low: float | None = None
    high: float | None = None
    oldest: datetime | None = None
    newest: datetime | None = None
    digests: set[str] = field(default_factory=set)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        oldest, newest = self.oldest, self.newest
        if self.low is not None:
            low = datetime.fromtimestamp(self.low, timezone.utc)
            oldest = low if oldest is None or low < oldest else oldest
        if self.high is not None:
            high = datetime.fromtimestamp(self.high, timezone.utc)
            newest = high if newest is None or high > newest else newest
        return oldest, newest


def key_before(text: str, start: int) -> str:
    """The ``key`` of a ``key=value`` (or ``"key": value``) pair whose value starts at ``start``."""
    if start == 0:
        return ""
    last = text[start - 1]
    # The pattern ends in [=:], a space or a quote right before the value: most values of free text
    # (and every one at a line's start) are told apart by that one character, without a search.
    if last not in _KEY_ENDS and (last == "\n" or not last.isspace()):
        return ""
    # Only the window is looked at (a long line is not read back to its start for each value). A key
    # may start its line, on any line of the block; where the window cuts a line, a key must follow
    # a separator (the window may have cut it).
    window_start = max(0, start - _KEY_WINDOW)
    newline = text.rfind("\n", max(0, window_start - 1), start)
    at_line_start = newline >= 0 or window_start == 0
    if newline >= 0:
        window_start = newline + 1
    pattern = _KEY_AT_TEXT_START if at_line_start else _KEY_AFTER_SEPARATOR
    found = pattern.match(text[window_start:start][::-1])
    return found.group(1)[::-1] if found else ""


class Aggregator:
    """Collects the matches of many blocks; ``findings()`` builds the frozen results."""

    def __init__(self, show_values: bool = False, digest: Digest | None = None):
        self.show_values = show_values
        self.digest = digest
        self._tallies: dict[tuple[str, str, str, str], _Tally] = {}
        self._examined: dict[tuple[str, str, str], int] = {}
        self._free_text_lines: dict[tuple[str, str], int] = {}

    def add(self, block: Block, matches: list[Match]) -> None:
        source, container, text = block.source, block.container, block.text
        keyed = block.keyed_fields
        if keyed:
            lines = self._free_text_lines
            lines[(source, container)] = lines.get((source, container), 0) + block.examined
        else:
            key = (source, container, block.field)
            self._examined[key] = self._examined.get(key, 0) + block.examined
        tallies, show_values, digest = self._tallies, self.show_values, self.digest
        # The time of each match's own record, when it has one; the block's times otherwise.
        seconds_at = block.times.seconds_at if block.times is not None else None
        untimed: dict[int, _Tally] = {}
        field_name = block.field
        for match in matches:
            if keyed:
                field_name = key_before(text, match.start)
            key = (source, container, field_name, match.category)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = _Tally()
                tally.location = block.location(match.line)
            tally.count += 1
            tally.score_sum += match.score
            tally.evidence.add(match.evidence)
            tally.detectors.add(match.detector)
            if len(tally.examples) < MAX_EXAMPLES:
                shown = match.value if show_values else mask(match.kind, match.value)
                if shown not in tally.examples:
                    tally.examples.append(shown)
            if digest is not None and len(tally.digests) < MAX_DIGESTS:
                tally.digests.add(digest(match.category, match.kind, match.value))
            own = seconds_at(text, match.start, match.line) if seconds_at is not None else None
            if own is None:
                untimed[id(tally)] = tally
                continue
            low, high = own
            if tally.low is None or low < tally.low:
                tally.low = low
            if tally.high is None or high > tally.high:
                tally.high = high
        oldest, newest = block.oldest, block.newest
        for tally in untimed.values():
            if oldest is not None and (tally.oldest is None or oldest < tally.oldest):
                tally.oldest = oldest
            if newest is not None and (tally.newest is None or newest > tally.newest):
                tally.newest = newest

    def examined(self, source: str, container: str, field_name: str) -> int:
        examined = self._examined.get((source, container, field_name))
        if examined is None:
            # Keys found in free text: the lines of the container are what was examined.
            examined = self._free_text_lines.get((source, container), 0)
        return examined

    def score_sums(self) -> list[float]:
        """The sum of match scores behind each of ``findings()``, in the same order: pieces of one
        task merge their confidences from these, exactly as one task would have rounded them."""
        return [tally.score_sum for tally in self._tallies.values()]

    def examined_totals(self) -> tuple[tuple[tuple[str, str, str | None], int], ...]:
        """What was examined per (source, container, field), and per container's free text (field
        None), before ``findings()`` takes the larger of it and a finding's count."""
        return tuple(self._examined.items()) + tuple(((s, c, None), n) for (s, c), n in self._free_text_lines.items())

    def findings(self) -> list[Finding]:
        findings = []
        for (source, container, field_name, category), tally in self._tallies.items():
            evidence = "both" if "both" in tally.evidence or {"name", "value"} <= tally.evidence else (
                "value" if "value" in tally.evidence else "name")
            examined = max(self.examined(source, container, field_name), tally.count)
            oldest, newest = tally.bounds()
            findings.append(Finding(
                source=source, container=container, field=field_name, category=category,
                count=tally.count, examined=examined, confidence=round(tally.score_sum / tally.count, 3),
                evidence=evidence, examples=tuple(tally.examples), location=tally.location or Location(),
                detectors=tuple(sorted(tally.detectors)), oldest=oldest, newest=newest,
                value_digests=frozenset(tally.digests),
            ))
        return findings


def merge(findings: list[Finding]) -> list[Finding]:
    """Join findings of the same (source, container, field, category) coming from different tasks."""
    merged: dict[tuple[str, str, str, str], Finding] = {}
    for finding in findings:
        key = (finding.source, finding.container, finding.field, finding.category)
        previous = merged.get(key)
        if previous is None:
            merged[key] = finding
            continue
        count = previous.count + finding.count
        merged[key] = Finding(
            source=finding.source, container=finding.container, field=finding.field, category=finding.category,
            count=count, examined=previous.examined + finding.examined,
            confidence=round((previous.confidence * previous.count + finding.confidence * finding.count) / count, 3),
            evidence=previous.evidence if previous.evidence == finding.evidence else "both",
            examples=tuple(dict.fromkeys(previous.examples + finding.examples))[:MAX_EXAMPLES],
            location=previous.location, detectors=tuple(sorted(set(previous.detectors) | set(finding.detectors))),
            oldest=min((d for d in (previous.oldest, finding.oldest) if d), default=None),
            newest=max((d for d in (previous.newest, finding.newest) if d), default=None),
            value_digests=previous.value_digests | finding.value_digests,
        )
    return sorted(merged.values(), key=lambda f: (f.source, f.container, f.field, f.category))


Examined = tuple[tuple[tuple[str, str, "str | None"], int], ...]


def merge_pieces(parts: list[tuple[tuple[Finding, ...], tuple[float, ...], Examined, int]]
                 ) -> tuple[list[Finding], list[float], Examined]:
    """Join the findings of one task's pieces, given in reading order as (findings, their score sums,
    ``examined_totals``, lines read before the piece): line numbers move by those lines, examples and
    the first location are the earliest ones, confidences and examined counts are computed from the
    pieces' sums, as one ``Aggregator`` would have."""
    merged: list[Finding] = []
    sums: dict[tuple[str, str, str, str], float] = {}
    examined: dict[tuple[str, str, str | None], int] = {}
    for findings, score_sums, piece_examined, shift in parts:
        for key, count in piece_examined:
            examined[key] = examined.get(key, 0) + count
        for finding, score_sum in zip(findings, score_sums):
            if shift and finding.location.line is not None:
                finding = replace(finding, location=replace(finding.location, line=finding.location.line + shift))
            key = (finding.source, finding.container, finding.field, finding.category)
            sums[key] = sums.get(key, 0.0) + score_sum
            merged.append(finding)
    result = []
    for finding in merge(merged):
        key = (finding.source, finding.container, finding.field, finding.category)
        lines = examined.get(key[:3], examined.get((key[0], key[1], None), 0))
        result.append(replace(finding, confidence=round(sums[key] / finding.count, 3),
                              examined=max(lines, finding.count)))
    return result, [sums[(f.source, f.container, f.field, f.category)] for f in result], tuple(examined.items())
