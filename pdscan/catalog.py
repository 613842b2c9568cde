"""The catalog: data categories, purposes, legal bases, retention rules and detectors.

Loaded from YAML (the default ships inside the package as ``pdscan.catalogs``) into frozen
dataclasses. Loading validates everything that later phases rely on, so that a broken custom
catalog fails with the file, the entry and what is wrong instead of a traceback mid-scan.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from pdscan import cache

SENSITIVITIES = ("low", "medium", "high", "critical")
# What a category's values are made of; it decides how they are masked and normalised for digests.
# A ``number`` (a phone, a card, an IMEI) is also vetoed by the catalog's measure words:
# ``bytes=19112346907`` is a counter, whatever number plan it fits. A ``code`` (an IBAN, a passport,
# a MAC address) is masked and compared like a number, without that veto.
VALUE_KINDS = ("text", "number", "code", "email", "ip_address", "secret")
LEGAL_BASIS_IDS = ("contract", "consent", "legitimate_interests", "legal_obligation")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DURATION = re.compile(r"^(\d+)([dwmy])$")


class CatalogError(ValueError):
    """A catalog file is missing, unreadable or does not follow the format."""

    def __init__(self, file: str, entry: str, message: str):
        self.file, self.entry, self.message = file, entry, message
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Citation:
    policy: str
    section: str
    quote: str


@dataclass(frozen=True)
class Definition:
    """Where a category no policy names is defined instead: a law or standard and its article or
    section (``GDPR`` ``Art. 9(1)``), never its text, with a link to it."""

    document: str
    section: str
    url: str = ""

    def __str__(self) -> str:
        return f"{self.document} {self.section}"


@dataclass(frozen=True)
class LegalBasis:
    id: str
    name: str
    description: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Purpose:
    id: str
    name: str
    description: str
    legal_bases: tuple[str, ...]
    requires_consent: bool
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class AllowedPurpose:
    purpose: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Examples:
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    group: str
    sensitivity: str
    fideslang: str
    citations: tuple[Citation, ...]
    allowed_purposes: tuple[AllowedPurpose, ...]
    retention: tuple[str, ...]
    field_names: tuple[str, ...]
    field_examples: Examples
    children: bool = False
    value_kind: str = "text"
    # A validator every value of a field named for the category must pass (a `password` column
    # holding "null" or "****" holds no password).
    value_validator: str | None = None
    # A bare property (`name`, `title`, `model`) that names this category when joined to the record
    # it is in: `customers.name` is a person_name, `employees.title` a job_position.
    record_property: str | None = None
    # A broader category this one is a kind of (cn_id_card narrows national_id): when detectors of
    # both claim the same value, the narrower one is the finding.
    narrows: str | None = None
    # False for a category no policy names (health data, religion, salary...): finding it means the
    # company holds data its policies do not say it collects, whatever a team declares
    # (verdict ``not_in_policy``). ``defined_by`` then says which law or standard defines it.
    in_policy: bool = True
    defined_by: tuple[Definition, ...] = ()

    @property
    def definition(self) -> str:
        """``GDPR Art. 9(1)``: where a category outside the policies is defined (empty for the others)."""
        return "; ".join(str(d) for d in self.defined_by)

    @property
    def allowed_purpose_ids(self) -> frozenset[str]:
        return frozenset(p.purpose for p in self.allowed_purposes)


@dataclass(frozen=True)
class RetentionRule:
    id: str
    description: str
    max_age_days: int | None
    trigger: str | None
    categories: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Transfer:
    id: str
    description: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Detector:
    """A value detector: a shape, at most one validator, context words and a score."""

    id: str
    category: str
    pattern: str
    score: float
    validated_score: float
    validator: str | None
    context: tuple[str, ...]
    negative_context: tuple[str, ...]
    requires_context: bool
    value_group: bool
    examples: Examples
    keyed: bool = False
    context_after: bool = False


@dataclass(frozen=True)
class Catalog:
    version: int
    sources: tuple[str, ...]
    policies: tuple[dict, ...]
    legal_bases: dict[str, LegalBasis]
    purposes: dict[str, Purpose]
    categories: dict[str, Category]
    retention_rules: dict[str, RetentionRule]
    transfers: tuple[Transfer, ...]
    detectors: tuple[Detector, ...] = field(default=())
    measure_words: tuple[str, ...] = ()

    def detectors_for(self, category: str) -> tuple[Detector, ...]:
        return tuple(d for d in self.detectors if d.category == category)

    def value_kind(self, category: str) -> str:
        """What the category's values are made of (``number``, ``code``, ``email``...); ``text`` when unknown."""
        entry = self.categories.get(category)
        return entry.value_kind if entry is not None else "text"

    def policy_title(self, file: str) -> str | None:
        """The title of a policy file named in citations (the ``policies`` section), if given."""
        for policy in self.policies:
            if isinstance(policy, dict) and policy.get("file") == file and policy.get("title"):
                return str(policy["title"])
        return None


def parse_duration_days(text: str) -> int:
    """``90d``, ``6w``, ``18m``, ``3y`` -> days (a month is 30 days, a year 365)."""
    match = _DURATION.match(str(text).strip().lower())
    if not match:
        raise ValueError(f"not a duration: {text!r} (expected a number and d, w, m or y, e.g. 90d or 3y)")
    number, unit = int(match.group(1)), match.group(2)
    return number * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]


def default_catalog_path() -> Path:
    """The catalog installed with the package (``pdscan/catalogs``); from a source checkout, ``catalogs/``.

    A directory, not an importlib resource: the data-only package has no ``__init__.py``, and a
    namespace package's resource path cannot be turned into a file path.
    """
    installed = Path(__file__).resolve().parent / "catalogs"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[1] / "catalogs"


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load a catalog from a YAML file or a directory of YAML files (merged), validated.

    A catalog validated once is kept in the cache directory (``pdscan.cache``), named by a hash of
    the files' paths and bytes, pdscan's version and the code that validates it: parsing and
    checking the YAML is most of what a short scan costs, and pre-commit hooks start many of them.
    """
    root = Path(path) if path is not None else default_catalog_path()
    if root.is_dir():
        files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml"))
        if not files:
            raise CatalogError(str(root), "", "no *.yaml files in this directory")
    elif root.is_file():
        files = [root]
    else:
        raise CatalogError(str(root), "", "no such file or directory")
    contents = [(file, _read_bytes(file)) for file in files]
    key = _cache_key(contents)
    cached = _from_cache(key)
    if cached is not None:
        return cached
    catalog = _parse(contents)
    _to_cache(key, catalog)
    return catalog


def _parse(contents: list[tuple[Path, bytes]]) -> Catalog:
    merged: dict[str, list[tuple[str, Any]]] = {}
    version = None
    for file, data in contents:
        document = _read_yaml(file, data)
        file_version = document.get("version")
        if file_version != 1:
            raise CatalogError(str(file), "version", f"expected version: 1, found {file_version!r}")
        version = file_version
        for key, value in document.items():
            if key == "version":
                continue
            if key not in _SECTIONS:
                raise CatalogError(str(file), key, f"unknown section; expected one of {', '.join(_SECTIONS)}")
            if not isinstance(value, list):
                raise CatalogError(str(file), key, "expected a list")
            merged.setdefault(key, []).extend((str(file), item) for item in value)
    return _build(version or 1, tuple(str(f) for f, _ in contents), merged)


# ---------------------------------------------------------------- the validated catalog, cached

# What a cached catalog depends on besides its files: the records defined here and the validator
# names it was checked against.
_CODE = ("catalog.py", "detection/validators.py", "detection/regional.py")


def _read_bytes(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CatalogError(str(file), "", f"cannot read: {exc.strerror or exc}") from exc


def _cache_key(contents: list[tuple[Path, bytes]]) -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(cache.code_digest(*(package / name for name in _CODE)).encode())
    for file, data in contents:
        name = str(file.resolve()).encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big") + data)
    return f"catalog-{digest.hexdigest()[:32]}.pickle"


def _records() -> tuple[type, ...]:
    return (Catalog, Citation, Definition, LegalBasis, Purpose, AllowedPurpose, Examples, Category, RetentionRule, Transfer,
            Detector)


def _from_cache(key: str) -> Catalog | None:
    return cache.load_records(key, _records(), Catalog)


def _to_cache(key: str, catalog: Catalog) -> None:
    cache.store_records(key, catalog)


_SECTIONS = ("policies", "legal_bases", "purposes", "categories", "retention_rules", "transfers", "detectors",
             "measure_words")


def _read_yaml(file: Path, data: bytes) -> dict:
    import yaml  # only when the catalog is not in the cache

    try:
        # The C loader (when PyYAML has it) reads the catalog ten times faster.
        document = yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError as exc:
        raise CatalogError(str(file), "", f"cannot read: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(str(file), "", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise CatalogError(str(file), "", "expected a mapping with a 'version' key at the top")
    return document


class _Entry:
    """Typed access to one YAML mapping that names the file and entry in every error."""

    def __init__(self, file: str, section: str, raw: Any, index: int):
        if not isinstance(raw, dict):
            raise CatalogError(file, f"{section}[{index}]", "expected a mapping")
        self.file, self.raw = file, raw
        ident = raw.get("id") or raw.get("file") or raw.get("purpose") or index
        self.where = f"{section}[{ident}]"

    def fail(self, message: str) -> CatalogError:
        return CatalogError(self.file, self.where, message)

    def text(self, key: str, default: str | None = None, required: bool = True) -> str:
        value = self.raw.get(key, default)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"'{key}' must be a non-empty string")
        return value

    def ident(self) -> str:
        value = self.text("id")
        if not _ID.match(value):
            raise self.fail("'id' must be snake_case: lowercase letters, digits and _")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"'{key}' must be a list of strings")
        return tuple(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false")
        return value

    def number(self, key: str, default: float | None = None) -> float:
        value = self.raw.get(key, default)
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise self.fail(f"'{key}' must be a number between 0 and 1")
        return float(value)

    def citations(self, key: str = "citations") -> tuple[Citation, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be a list of {{policy, section, quote}}")
        result = []
        for item in value:
            if not isinstance(item, dict) or not all(isinstance(item.get(k), (str, int, float)) for k in ("policy", "section", "quote")):
                raise self.fail(f"each of '{key}' needs 'policy', 'section' and 'quote'")
            result.append(Citation(str(item["policy"]), str(item["section"]), str(item["quote"])))
        return tuple(result)

    def definitions(self, key: str = "defined_by") -> tuple[Definition, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be a list of {{document, section, url}}")
        result = []
        for item in value:
            if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item[k].strip()
                                                     for k in ("document", "section")):
                raise self.fail(f"each of '{key}' needs 'document' and 'section' (e.g. GDPR, Art. 9(1))")
            unknown = sorted(set(item) - {"document", "section", "url"})
            if unknown:
                raise self.fail(f"'{key}': unknown key '{unknown[0]}'; expected document, section, url")
            url = item.get("url") or ""
            if not isinstance(url, str) or (url and not re.match(r"^https?://\S+$", url)):
                raise self.fail(f"'{key}': 'url' must be an http(s) address")
            result.append(Definition(item["document"].strip(), item["section"].strip(), url))
        return tuple(result)

    def examples(self, key: str) -> Examples:
        value = self.raw.get(key) or {}
        if not isinstance(value, dict):
            raise self.fail(f"'{key}' must be a mapping with 'match' and 'no_match' lists")
        sub = _Entry(self.file, self.where, value, 0)
        return Examples(sub.strings("match"), sub.strings("no_match"))


def _unique(entries: Iterable[tuple[str, Any]], file_section: str, build) -> tuple[dict, dict[str, str]]:
    """Build every entry of a section: items by id, and the file each id came from (for later errors)."""
    result: dict = {}
    files: dict[str, str] = {}
    for index, (file, raw) in enumerate(entries):
        entry = _Entry(file, file_section, raw, index)
        item = build(entry)
        if item.id in result:
            raise entry.fail(f"duplicate id '{item.id}'")
        result[item.id] = item
        files[item.id] = file
    return result, files


def _build(version: int, sources: tuple[str, ...], merged: dict[str, list[tuple[str, Any]]]) -> Catalog:
    legal_bases, _ = _unique(merged.get("legal_bases", []), "legal_bases", lambda e: LegalBasis(
        e.ident(), e.text("name"), e.text("description", required=False), e.citations()))
    purposes, _ = _unique(merged.get("purposes", []), "purposes", _build_purpose)
    categories, category_files = _unique(merged.get("categories", []), "categories", _build_category)
    retention, retention_files = _unique(merged.get("retention_rules", []), "retention_rules", _build_retention)
    transfers, _ = _unique(merged.get("transfers", []), "transfers", lambda e: Transfer(
        e.ident(), e.text("description"), e.citations()))
    detectors, detector_files = _unique(merged.get("detectors", []), "detectors", _build_detector)
    policies = tuple(raw for _, raw in merged.get("policies", []))
    measure_words = []
    for file, word in merged.get("measure_words", []):
        if not isinstance(word, str) or not word.strip():
            raise CatalogError(file, "measure_words", f"expected a list of words, found {word!r}")
        measure_words.append(word.lower())

    for category in categories.values():
        where = (category_files[category.id], f"categories[{category.id}]")
        for allowed in category.allowed_purposes:
            if allowed.purpose not in purposes:
                raise CatalogError(*where, f"allowed purpose '{allowed.purpose}' is not a purpose in the catalog")
        for rule in category.retention:
            if rule not in retention:
                raise CatalogError(*where, f"retention rule '{rule}' is not in retention_rules")
        if category.narrows is not None and category.narrows not in categories:
            raise CatalogError(*where, f"'narrows' names '{category.narrows}', which is not a category in the catalog")
    for rule in retention.values():
        for category_id in rule.categories:
            if category_id not in categories:
                raise CatalogError(retention_files[rule.id], f"retention_rules[{rule.id}]", f"unknown category '{category_id}'")
    for detector in detectors.values():
        if detector.category not in categories:
            raise CatalogError(detector_files[detector.id], f"detectors[{detector.id}]",
                               f"unknown category '{detector.category}'")
        if categories[detector.category].value_kind == "number" and measure_words:
            # A measure's key ("bytes=", "tid ", a `duration_ms` column) vetoes a number the way a
            # detector's own negative context does: written once here, for every number category.
            extra = tuple(w for w in measure_words if w not in detector.negative_context)
            detectors[detector.id] = replace(detector, negative_context=detector.negative_context + extra)
    return Catalog(version, sources, policies, legal_bases, purposes, categories, retention,
                   tuple(transfers.values()), tuple(detectors.values()), tuple(dict.fromkeys(measure_words)))


def _build_purpose(e: _Entry) -> Purpose:
    legal_bases = e.strings("legal_bases")
    for basis in legal_bases:
        if basis not in LEGAL_BASIS_IDS:
            raise e.fail(f"unknown legal basis '{basis}'; expected one of {', '.join(LEGAL_BASIS_IDS)}")
    return Purpose(e.ident(), e.text("name"), e.text("description", required=False), legal_bases,
                   e.flag("requires_consent"), e.citations())


def _build_category(e: _Entry) -> Category:
    sensitivity = e.text("sensitivity")
    if sensitivity not in SENSITIVITIES:
        raise e.fail(f"'sensitivity' must be one of {', '.join(SENSITIVITIES)}")
    allowed = []
    for index, raw in enumerate(e.raw.get("allowed_purposes") or []):
        sub = _Entry(e.file, f"{e.where}.allowed_purposes", raw, index)
        allowed.append(AllowedPurpose(sub.text("purpose"), sub.citations()))
    value_kind = e.text("value_kind", "text")
    if value_kind not in VALUE_KINDS:
        raise e.fail(f"'value_kind' must be one of {', '.join(VALUE_KINDS)}")
    value_validator = e.raw.get("value_validator")
    if value_validator is not None:
        _check_validator(e, value_validator)
    in_policy, defined_by = e.flag("in_policy", True), e.definitions()
    if not in_policy:
        # A category no policy names cannot be cited from them, nor have purposes they allow.
        if not defined_by:
            raise e.fail("'in_policy: false' needs 'defined_by': the law or standard that defines the "
                         "category (e.g. {document: GDPR, section: Art. 9(1)})")
        if e.raw.get("citations"):
            raise e.fail("'citations' quote the policies, which do not name this category ('in_policy: false'); "
                         "say where it is defined in 'defined_by'")
        if e.raw.get("allowed_purposes"):
            raise e.fail("'allowed_purposes' come from the policies, which do not name this category "
                         "('in_policy: false')")
    elif defined_by:
        raise e.fail("'defined_by' is for categories no policy names: set 'in_policy: false' too")
    field_names = e.strings("field_names")
    for pattern in field_names:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise e.fail(f"field name pattern {pattern!r} is not a valid regex: {exc}") from exc
        try:  # field names come from the data: patterns run under RE2, in linear time
            from pdscan.field_patterns import check

            check(pattern)
        except ValueError as exc:
            raise e.fail(f"field name pattern {pattern!r} cannot run in linear time (RE2): {exc}") from None
    return Category(
        id=e.ident(), name=e.text("name"), description=e.text("description", required=False),
        group=e.text("group", "other"), sensitivity=sensitivity, fideslang=e.text("fideslang"),
        citations=e.citations(), allowed_purposes=tuple(allowed), retention=e.strings("retention"),
        field_names=field_names, field_examples=e.examples("field_examples"), children=e.flag("children"),
        value_kind=value_kind, value_validator=value_validator,
        record_property=e.text("record_property", required=False) or None,
        narrows=e.text("narrows", required=False) or None,
        in_policy=in_policy, defined_by=defined_by,
    )


def _build_retention(e: _Entry) -> RetentionRule:
    raw_age = e.raw.get("max_age")
    try:
        days = None if raw_age in (None, "") else parse_duration_days(raw_age)
    except ValueError as exc:
        raise e.fail(f"'max_age': {exc}") from exc
    trigger = e.raw.get("trigger")
    return RetentionRule(e.ident(), e.text("description"), days, str(trigger) if trigger else None,
                         e.strings("categories"), e.citations())


def _check_validator(e: _Entry, name: object) -> None:
    from pdscan.detection import validators  # local: the catalog module must not depend on detection at import

    if not isinstance(name, str) or name not in validators.VALIDATORS:
        raise e.fail(f"unknown validator {name!r}; known: {', '.join(sorted(validators.VALIDATORS))}")


def _build_detector(e: _Entry) -> Detector:
    pattern = e.text("pattern")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise e.fail(f"'pattern' is not a valid regex: {exc}") from exc
    validator = e.raw.get("validator")
    if validator is not None:
        _check_validator(e, validator)
    score = e.number("score", 0.5)
    if e.flag("context_after") and not e.flag("requires_context"):
        raise e.fail("'context_after' applies to weak shapes only: set 'requires_context: true' too")
    return Detector(
        id=e.ident(), category=e.text("category"), pattern=pattern, score=score,
        validated_score=e.number("validated_score", score), validator=validator,
        context=e.strings("context"), negative_context=e.strings("negative_context"),
        requires_context=e.flag("requires_context"), value_group="value" in compiled.groupindex,
        examples=e.examples("examples"), keyed=e.flag("keyed"), context_after=e.flag("context_after"),
    )
