"""The loaded declaration file: frozen records, and how a declaration is matched to a finding.

Matching rules (also in FORMAT.md):
- ``paths`` globs match a file finding's container (its path). ``*`` and ``?`` stay within one path
  component, ``**`` crosses directories; a relative pattern matches the last components of the path
  (``logs/nginx/*.log*`` matches ``/srv/app/logs/nginx/access.log.1``), a pattern starting with ``/``
  the whole path; a pattern that names a directory covers every file below it.
- ``database`` globs match a database finding's source (the redacted URL or the SQLite path given to
  ``pdscan scan``); there ``*`` matches any characters, ``/`` included. Case-sensitive.
- ``tables`` globs match a database finding's container (``schema.table`` or ``table``), case-insensitive;
  a pattern without a dot also matches the bare table name of ``schema.table``.
- ``fields`` keys match the finding's field exactly or as a glob (``*`` and ``?``: any characters),
  case-insensitive: a column, a JSON key path (``$.user.phone``, ``payload.$.user.phone`` in a JSON column),
  a CSV header or a log key.
- A file path (and an SQLite file given as a path) is matched as it was typed and as seen from the
  declaration file's directory (``pdscan.identity``), so ``logs/app.log`` is declared the same when
  ``pdscan scan app.log`` runs inside ``logs/``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pdscan.identity import local_path
from pdscan.models import ContainerKind, Finding

_GLOB_CHARS = frozenset("*?")


def has_glob(pattern: str) -> bool:
    return any(c in _GLOB_CHARS for c in pattern)


def _normal_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@lru_cache(maxsize=4096)
def _path_regex(pattern: str) -> re.Pattern[str]:
    pattern = _normal_path(pattern)
    anchored = pattern.startswith("/")
    body = pattern.rstrip("/") if pattern not in ("/", "") else pattern
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "^" if anchored else "(?:^|/)"
    return re.compile(prefix + "".join(out) + "(?:/.*)?$")


@lru_cache(maxsize=4096)
def _text_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("^" + body + "$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def path_matches(pattern: str, path: str) -> bool:
    return bool(_path_regex(pattern).search(_normal_path(path)))


def _spellings(path: str, root: str | None) -> tuple[str, ...]:
    """The path as typed, and as seen from the declaration file's directory when there is one."""
    if not root:
        return (path,)
    local = local_path(path, root)
    return (path,) if local == path else (path, local)


def database_matches(pattern: str, source: str) -> bool:
    return bool(_text_regex(pattern, False).match(source)) or (
        "://" not in pattern and "://" not in source and path_matches(pattern, source))


def table_matches(pattern: str, container: str) -> bool:
    regex = _text_regex(pattern, True)
    if regex.match(container):
        return True
    return "." not in pattern and "." in container and bool(regex.match(container.rsplit(".", 1)[1]))


def field_matches(pattern: str, field: str) -> bool:
    return bool(_text_regex(pattern, True).match(field))


@dataclass(frozen=True)
class CategoryDeclaration:
    """One category declared for a whole source (``field`` None) or for one field (glob) of it."""

    category: str
    purposes: tuple[str, ...]
    legal_basis: str | None
    retention: str | None
    retention_days: int | None
    note: str
    age_column: str | None
    field: str | None
    key: str  # where it is in the file: ``sources[0].fields.email.email``
    line: int

    def covers_field(self, field: str) -> bool:
        return self.field is None or field_matches(self.field, field)


@dataclass(frozen=True)
class SourceDeclaration:
    name: str
    paths: tuple[str, ...]
    database: str | None
    tables: tuple[str, ...]
    note: str
    declarations: tuple[CategoryDeclaration, ...]
    key: str
    line: int

    @property
    def is_database(self) -> bool:
        return self.database is not None or bool(self.tables)

    def covers(self, source: str, container: str, is_table: bool, root: str | None = None) -> bool:
        """Whether this entry speaks of the container ``container`` of ``source``; ``root``: the
        declaration file's directory, from which relative paths are also read."""
        if is_table:
            if not self.is_database:
                return False
            if self.database is not None:
                spellings = (source,) if "://" in source else _spellings(source, root)
                if not any(database_matches(self.database, s) for s in spellings):
                    return False
            return not self.tables or any(table_matches(t, container) for t in self.tables)
        spellings = _spellings(container, root)
        return any(path_matches(p, s) for p in self.paths for s in spellings)

    def covers_finding(self, finding: Finding, root: str | None = None) -> bool:
        return self.covers(finding.source, finding.container, finding.location.kind is ContainerKind.TABLE, root)

    def label(self, declaration: CategoryDeclaration) -> str:
        where = f"fields.{declaration.field}." if declaration.field is not None else "categories."
        return f"{self.name}: {where}{declaration.category}"

    @property
    def scope(self) -> str:
        parts = list(self.paths)
        if self.database is not None:
            parts.append(self.database)
        parts.extend(f"table {t}" for t in self.tables)
        return ", ".join(parts)


@dataclass(frozen=True)
class Declarations:
    path: str
    version: int
    sources: tuple[SourceDeclaration, ...]
    root: str | None = None  # the file's directory, absolute, set when loaded from a file


    @property
    def age_columns(self) -> tuple[str, ...]:
        """``table.column`` for every age column declared for a table named without a glob."""
        seen: dict[str, None] = {}
        for source in self.sources:
            for declaration in source.declarations:
                if declaration.age_column:
                    for table in (t for t in source.tables if not has_glob(t)):
                        seen.setdefault(f"{table}.{declaration.age_column}", None)
        return tuple(seen)

    def lookup(self, finding: Finding) -> tuple[SourceDeclaration, CategoryDeclaration] | None:
        """The declaration that judges ``finding``: a field's own declaration before a whole-source one,
        earlier entries of the file before later ones."""
        covering = [s for s in self.sources if s.covers_finding(finding, self.root)]
        for per_field in (True, False):
            for source in covering:
                for declaration in source.declarations:
                    if (declaration.category == finding.category and (declaration.field is not None) == per_field
                            and declaration.covers_field(finding.field)):
                        return source, declaration
        return None

    def covering(self, finding: Finding) -> tuple[SourceDeclaration, ...]:
        return tuple(s for s in self.sources if s.covers_finding(finding, self.root))
