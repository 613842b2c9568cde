"""The records that flow between phases: blocks from sources, findings, errors, the scan result.

All frozen: a phase never changes what an earlier phase produced.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class ContainerKind(Enum):
    """What a task reads and a finding's container is: a file (a rotation set, standard input) or a table."""

    FILE = "file"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value was found: a file and line, or a table (and column) and row key."""

    path: str | None = None
    line: int | None = None
    table: str | None = None
    column: str | None = None
    row_key: str | None = None

    @property
    def kind(self) -> ContainerKind:
        """Whether the value was found in a table or in a file: the one place that is decided."""
        return ContainerKind.TABLE if self.table is not None else ContainerKind.FILE

    def as_dict(self) -> dict:
        return {k: v for k, v in (("path", self.path), ("line", self.line), ("table", self.table),
                                  ("column", self.column), ("row_key", self.row_key)) if v is not None}

    def __str__(self) -> str:
        if self.kind is ContainerKind.TABLE:
            where = self.table + (f".{self.column}" if self.column else "")
            return where + (f" [{self.row_key}]" if self.row_key else "")
        if self.path is not None:
            return self.path + (f":{self.line}" if self.line else "")
        return "-"


@dataclass(frozen=True, slots=True)
class Block:
    """Text handed to the engine: the values of one field, one per line, or lines of free text.

    ``first_line`` maps line i of ``text`` (1-based) to line ``first_line + i - 1`` of the file;
    ``row_keys`` (tables) gives the row key of each line instead. ``keyed_fields`` marks free text
    whose ``key=value`` pairs name the field of the value after them (plain logs).
    ``timestamps`` holds the oldest and newest record time seen in the block, when known.
    Files: ``member`` is the file of a rotation set the block comes from (``container`` names the set);
    ``row_keys`` without a ``table`` give each line's file line number (records that are not one line
    each), or a non-numeric key such as ``row=12`` (Parquet).
    """

    source: str
    container: str
    field: str
    text: str
    examined: int
    first_line: int = 1
    row_keys: tuple[str, ...] = ()
    keyed_fields: bool = False
    oldest: datetime | None = None
    newest: datetime | None = None
    table: str | None = None
    member: str | None = None
    # Free text: the time of the record a match is on (``at(text, offset)``), looked up only for lines
    # that hold a match; ``oldest``/``newest`` are then the fallback for a line without a time.
    times: object | None = field(default=None, compare=False, repr=False)

    @property
    def record(self) -> str:
        """What a row of this block is: its table, or its file's name without extensions
        (``exports/customers.csv.gz`` -> ``customers``), which gives a bare ``name`` column its meaning."""
        if self.table:
            return self.table
        return (self.member or self.container).replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]

    def location(self, line: int) -> Location:
        if self.table is not None:
            key = self.row_keys[line - 1] if 0 < line <= len(self.row_keys) else None
            return Location(table=self.table, column=self.field or None, row_key=key)
        path = self.member or self.container
        if self.row_keys:
            key = self.row_keys[line - 1] if 0 < line <= len(self.row_keys) else None
            if key is not None and key.isdigit():
                return Location(path=path, line=int(key))
            return Location(path=path, row_key=key)
        return Location(path=path, line=self.first_line + line - 1)


@dataclass(frozen=True, slots=True)
class SourceError:
    """A source, file or table that could not be read (fully): reported like a finding, never dropped.

    ``severity`` is ``error`` when data was not scanned (the scan is incomplete: exit status 3), or
    ``warning`` when everything was scanned but not as it claimed to be (invalid UTF-8 replaced,
    non-JSON lines in a JSON-lines log scanned as text).
    """

    source: str
    container: str
    reason: str
    location: Location | None = None
    severity: str = "error"
    # A problem counted while reading ("invalid UTF-8 in 3 lines"): the reason with "{count}" for the
    # count, and the count. A file read in byte ranges reports it once, as read in one piece.
    counted: tuple[str, int] | None = field(default=None, compare=False)

    @property
    def incomplete(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict:
        return {"source": self.source, "container": self.container, "reason": self.reason,
                "location": self.location.as_dict() if self.location else None, "severity": self.severity}


@dataclass(frozen=True)
class Finding:
    """Personal data of one category in one field of one container of one source.

    ``examples`` are masked unless the user asked for raw values. ``value_digests`` are keyed
    hashes (HMAC) of the distinct values, for baselines; never plain hashes, never serialised raw.
    """

    source: str
    container: str
    field: str
    category: str
    count: int
    examined: int
    confidence: float
    evidence: str
    examples: tuple[str, ...]
    location: Location
    detectors: tuple[str, ...] = ()
    oldest: datetime | None = None
    newest: datetime | None = None
    value_digests: frozenset[str] = field(default_factory=frozenset)

    @property
    def share(self) -> float:
        return self.count / self.examined if self.examined else 0.0

    def as_dict(self) -> dict:
        """The JSON form; its keys are a contract (README: "Finding keys")."""
        return {
            "source": self.source,
            "container": self.container,
            "field": self.field,
            "category": self.category,
            "count": self.count,
            "examined": self.examined,
            "share": round(self.share, 4),
            "confidence": self.confidence,
            "evidence": self.evidence,
            "examples": list(self.examples),
            "location": self.location.as_dict(),
            "detectors": list(self.detectors),
            "oldest": self.oldest.isoformat() if self.oldest else None,
            "newest": self.newest.isoformat() if self.newest else None,
        }


@dataclass(frozen=True)
class ScanStats:
    sources: int = 0
    files: int = 0
    tables: int = 0
    bytes: int = 0
    values: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Scanned:
    """A file, rotation set or table read in full: a declared source over it is checked for staleness."""

    source: str
    container: str
    kind: ContainerKind


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    errors: tuple[SourceError, ...]
    stats: ScanStats = ScanStats()
    scanned: tuple[Scanned, ...] = ()  # the containers read without error


class VerdictKind(enum.StrEnum):
    """What the declarations say of a finding, in precedence order: the first that applies is its
    verdict (``declarations/verdicts.py`` has one check per member). A ``StrEnum``: its members are
    the strings reports and baselines have always carried."""

    # A category no policy names (health data, salary...): the company holds data its policies do
    # not say it collects. Declaring it does not change that, so it comes before everything else.
    NOT_IN_POLICY = "not_in_policy"
    UNDECLARED = "undeclared"
    PURPOSE_NOT_ALLOWED = "purpose_not_allowed"
    CONSENT_REQUIRED = "consent_required"
    NO_PURPOSE = "no_purpose"
    RETENTION_EXCEEDED = "retention_exceeded"
    DECLARED = "declared"


VERDICTS = tuple(VerdictKind)
VIOLATIONS = frozenset(VERDICTS) - {VerdictKind.DECLARED}


@dataclass(frozen=True)
class Verdict:
    """What the declarations say of one finding. ``suppressed`` names the baseline entry that hides it.

    ``reason`` is the whole story with citations; ``short`` the gist that fits a terminal cell
    ("'marketing' not allowed for imei"), shown by the table report (not a JSON key).
    """

    finding: Finding
    verdict: VerdictKind
    reason: str
    declaration: str | None = None
    purposes: tuple[str, ...] = ()
    suppressed: str | None = None
    short: str = ""

    @property
    def is_violation(self) -> bool:
        return self.verdict in VIOLATIONS and self.suppressed is None

    def as_dict(self) -> dict:
        return {**self.finding.as_dict(), "verdict": self.verdict, "reason": self.reason,
                "declaration": self.declaration, "purposes": list(self.purposes), "suppressed": self.suppressed}


@dataclass(frozen=True)
class StaleDeclaration:
    """A declared category that this scan did not find."""

    declaration: str
    source: str
    field: str | None
    category: str
    reason: str

    def as_dict(self) -> dict:
        return {"declaration": self.declaration, "source": self.source, "field": self.field,
                "category": self.category, "reason": self.reason}


@dataclass(frozen=True)
class Report:
    """Everything a reporter needs: pure data in, text out."""

    result: ScanResult
    verdicts: tuple[Verdict, ...]
    stale: tuple[StaleDeclaration, ...] = ()
    notes: tuple[str, ...] = ()
    exit_code: int = 0
    show_values: bool = False
