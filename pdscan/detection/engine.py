"""The detection engine: text (and an optional field name) in, scored matches out. No I/O.

One hyperscan pass over the text finds candidates for every detector at once. Confidence is
then built in visible steps, each leaving its reason on the match:

1. the detector's pattern gives a base score;
2. its validator (checksum, number plan, range) confirms the value and raises the score, or drops it,
   or finds it weak (an address that names no one: ``0.0.0.0``, a broadcast MAC, a CIDR range), which
   keeps it at the base score with the reason;
3. a context word just before the value raises it, a negative context word ("version",
   "order", "blk_") right before it drops it;
4. a field name that points at the category raises it and turns the evidence into ``both``;
5. matches under the threshold are dropped, and a match inside a stronger one is dropped.

Weak shapes (``requires_context``) are only looked for right after one of their context words
(or, with ``context_after``, right before one), or as the whole value of a field whose name points
at their category. Validation results are cached by value: logs repeat the same addresses and
numbers, and validation is the costly step.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Iterable, NamedTuple

import hyperscan

from pdscan.catalog import Catalog, Detector
from pdscan.detection import database_cache
from pdscan.detection.fields import FieldClassifier
from pdscan.detection.hints import Hints
from pdscan.detection.validators import VALIDATORS, Outcome, Weak, is_placeholder
from pdscan.printable import without_surrogates

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_LONG_REPEAT = re.compile(r"\{(\d+),(\d{2,})\}")
# Between a context word and its value: a separator (":", "=", "#", "：") or at least one space,
# optionally after "no"/"number"/"id" and the quote that closes a JSON key ('"mobile": "138...'
# in a log line that carries a JSON body). Nothing else: "sn" in "r6-sn-a5mek" or "QQ[10018]" is no context.
# A label may end its line ("Phone:" above the number, as forms and signatures are laid out), and
# prose puts "me on"/"us at" between a verb and the number ("call me on ...").
_CONNECTOR = (r"(?:[ \t]*(?:[_\- ]?(?:no|number|num|nr|id|code)\.?)?[\"']?[ \t]*(?:[:=#]|\xef\xbc\x9a)[ \t]*(?:\r?\n[ \t]*)?[\"']?"
              r"|[ \t]+(?:(?:no|number|num|nr|id|code)\.?[ \t]+)?(?:(?:is|es|est|ist|was)[ \t]+)?"
              r"(?:(?:me|us)[ \t]+(?:on|at)[ \t]+)?)")
_BEFORE_WINDOW = 48
_TRAILING_WINDOW = 160
_CACHE_LIMIT = 200_000
_FIELD_BOOST = 0.15
_CONTEXT_BOOST = 0.1
_MAX_SCORE = 0.99
_MAX_ENDS_TRIED = 4
_CHECKED_FIRST = frozenset({"credit_card", "imei", "cn_id_card", "mac_address", "ipv4_address"})
_EMPTY_VALUES = frozenset({b"", b"null", b"none", b"nil", b"n/a", b"na", b"-", b"--", b"\\n", b"0"})


class Match(NamedTuple):
    """One recognised value. ``start``/``end`` are character offsets into the scanned text.

    A named tuple, not a frozen dataclass: as immutable, and made in a sixth of the time (a frozen
    dataclass sets each field through ``object.__setattr__``), which counts at one per value found."""

    category: str
    detector: str
    start: int
    end: int
    line: int
    score: float
    evidence: str
    value: str
    reasons: tuple[str, ...]
    # The right kind of value that names no one (0.0.0.0, a broadcast MAC, a CIDR range): an answer
    # to "is this an IP address?", not personal data; `pdscan scan` leaves such matches out.
    weak: bool = False
    kind: str = "text"  # the category's value kind (catalog): how the value is masked and normalised


@dataclass(frozen=True)
class EngineConfig:
    """``regions`` decide which national phone, postcode and ID formats count without a country prefix."""

    regions: tuple[str, ...] = ("CN",)
    threshold: float = 0.5
    strict_regions: bool = False


class _LazyPattern:
    """A bytes regex compiled on first use: a short scan meets few detectors, and compiling all of
    them would cost more than the scan. ``pattern`` is there uncompiled (hyperscan is built from it)."""

    def __init__(self, pattern: bytes, flags: int = 0):
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy and pickle probe for hooks: there are none
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall"):  # plain attributes from now on
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def _shape(detector: Detector) -> str:
    """The detector's pattern with a leading (?i) scoped to it, so that it can be embedded after or
    before context words."""
    return f"(?i:{detector.pattern[4:]})" if detector.pattern.startswith("(?i)") else detector.pattern


def _words_regex(words: Iterable[str]) -> str:
    """An alternation of words; ASCII words must end at a word boundary ("sn" is not "snapshot")."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word).replace(r"\ ", r"[\s_\-]?")
        parts.append(escaped + (r"\b" if word[-1:].isascii() and word[-1:].isalnum() else ""))
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Compiled:
    """A detector and the regexes derived from it."""

    detector: Detector
    index: int
    anchored: bool
    extract: _LazyPattern | None
    full: _LazyPattern
    context: _LazyPattern | None
    negative: tuple[bytes, ...]
    negative_words: frozenset[str]
    # The variant of a weak shape that is followed by its context word ("E1234567 es mi número de
    # pasaporte"); it never reads whole field values, the primary does that.
    trailing: bool = False


class Engine:
    """Compiled detectors for one catalog; reusable and safe to share between scans."""

    def __init__(self, catalog: Catalog, config: EngineConfig | None = None):
        self.catalog = catalog
        self.config = config or EngineConfig()
        self.fields = FieldClassifier(catalog)
        primary = [self._compile_detector(i, d) for i, d in enumerate(catalog.detectors)]
        trailing = [self._compile_trailing(len(primary) + k, c)
                    for k, c in enumerate(c for c in primary if c.anchored and c.detector.context_after)]
        self._compiled = tuple(primary + trailing)
        self._first_trailing = len(primary)
        # Categories a bare value can be recognised as; the others (a `password` column) are known by name.
        self._shaped_categories = frozenset(d.category for d in catalog.detectors if not d.keyed)
        self._value_validators = {c.id: c.value_validator for c in catalog.categories.values() if c.value_validator}
        self._kinds = {c.id: c.value_kind for c in catalog.categories.values()}
        self._narrows = {c.id: c.narrows for c in catalog.categories.values() if c.narrows}
        self._database = self._compile_database()
        self._cache: dict[tuple, Outcome] = {}

    # -- set-up -------------------------------------------------------------------------------
    @staticmethod
    def _compile_detector(index: int, detector: Detector) -> _Compiled:
        shape = _shape(detector)
        if detector.requires_context:
            anchored_source = f"(?:^|[^A-Za-z0-9\\-.])(?i:{_words_regex(detector.context)}){_CONNECTOR}(?P<value>{shape})"
            extract = _LazyPattern(anchored_source.encode(), re.ASCII)
        elif detector.value_group:
            extract = _LazyPattern(shape.encode(), re.ASCII)
        else:
            extract = None
        full = _LazyPattern(_NAMED_GROUP.sub("(?:", f"(?:{shape})").encode() + rb"\Z", re.ASCII)
        context = None
        if detector.context:
            # Searched in a lower-cased window; consuming the character before a word is cheaper than a look-behind.
            context = _LazyPattern((r"(?:^|[^a-z0-9\-.])" + _words_regex(w.lower() for w in detector.context)).encode(), re.ASCII)
        negative = tuple(sorted((w.lower().encode() for w in detector.negative_context), key=len, reverse=True))
        negative_words = frozenset(w.lower() for w in detector.negative_context if w.isalnum())
        return _Compiled(detector, index, detector.requires_context, extract, full, context, negative, negative_words)

    @staticmethod
    def _compile_trailing(index: int, primary: _Compiled) -> _Compiled:
        """The value, then up to four short words ("is my", "es mi número de"), then a context word.
        The words between are letters only: "536.26 (KHTML, like Gecko) Mobile" is a user agent.

        Hyperscan looks for the context word alone (without start-of-match tracking: a shape as loose
        as a passport's, tracked from every token, cost the whole scan 14 %); the value is then
        looked for in Python, back from the word, which is rare in logs."""
        detector = primary.detector
        source = (f"(?:^|[^A-Za-z0-9\\-.])(?P<value>{_shape(detector)})[ \\t]*[,;:\\-]?(?:[ \\t]+[A-Za-z\\x80-\\xff]{{1,16}}){{0,4}}[ \\t]+[(\\[]?"
                  f"(?i:{_words_regex(detector.context)})\\Z")
        return replace(primary, index=index, extract=_LazyPattern(source.encode(), re.ASCII), trailing=True)

    @staticmethod
    def _hyperscan_source(compiled: _Compiled) -> bytes:
        """The candidate pattern for hyperscan: no named groups, and long bounded repeats opened up
        (with start-of-match tracking they blow its size limit); Python re re-checks the bounds."""
        if compiled.trailing:
            return f"(?i:{_words_regex(compiled.detector.context)})".encode()
        source = compiled.extract.pattern.decode() if compiled.anchored else compiled.full.pattern[:-2].decode()
        source = _LONG_REPEAT.sub(lambda m: "{%s,}" % m.group(1) if int(m.group(2)) >= 16 else m.group(0), source)
        return _NAMED_GROUP.sub("(?:", source).encode()

    def _compile_database(self) -> hyperscan.Database:
        expressions = [self._hyperscan_source(c) for c in self._compiled]
        flags = [(0 if c.trailing else hyperscan.HS_FLAG_SOM_LEFTMOST) | hyperscan.HS_FLAG_ALLOWEMPTY for c in self._compiled]
        cached = database_cache.load(expressions, flags)
        if cached is not None:
            return cached
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            database.compile(
                expressions=expressions,
                ids=list(range(len(expressions))),
                elements=len(expressions),
                flags=flags,
            )
        except hyperscan.error as exc:
            raise ValueError(f"a detector pattern is not supported by hyperscan: {exc}") from exc
        database_cache.store(expressions, flags, database)
        return database

    # -- scanning -----------------------------------------------------------------------------
    def scan(self, text: str, field: str | None = None, record: str | None = None) -> list[Match]:
        """Every match in ``text``; with ``field``, the text holds that field's values, one per line.

        ``record`` names what a row of the field is (a table, an export's file name): with it a
        ``customers.name`` column is known as a person's name.
        """
        # A lone surrogate (a JSON "\ud800" escape) cannot be UTF-8: as U+FFFD, one character for one,
        # the offsets, values, masks and digests of every match stay those of the text as given.
        text = without_surrogates(text)
        data = text.encode("utf-8")
        field_categories = self.fields.categories(field, record) if field else ()
        field_words = self.fields.words(field) if field else frozenset()
        candidates = self._candidates(data, field_categories)
        accepted = self._score(data, candidates, field_categories, field_words)
        kept = _resolve_overlaps(accepted, self._narrows)
        if field_categories:
            # Name-only matches span whole values: they must not hide the values found inside them.
            kept = sorted(kept + self._name_only(data, field_categories, accepted), key=lambda a: (a[0], a[1]))
        return self._to_matches(text, data, kept)

    def _candidates(self, data: bytes, field_categories: tuple[str, ...]) -> dict[tuple[int, int], list[int]]:
        """(detector index, start) -> the ends hyperscan reported for it, shortest first."""
        found: dict[tuple[int, int], list[int]] = {}
        first_trailing = self._first_trailing

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            if index >= first_trailing:
                start = end  # a context word after its value: found by its end, the value looked for back from it
            ends = found.get((index, start))
            if ends is None:
                found[(index, start)] = [end]
            else:
                ends.append(end)

        if data:
            self._database.scan(data, match_event_handler=on_match)
        for compiled in self._compiled:
            category = compiled.detector.category
            if compiled.anchored and not compiled.trailing and category in field_categories:
                self._whole_values(data, compiled, found)
        return found

    @staticmethod
    def _whole_values(data: bytes, compiled: _Compiled, found: dict[tuple[int, int], list[int]]) -> None:
        """In a field named for a weak category, each whole value is tried against its shape."""
        for start, value in _values(data):
            if compiled.full.match(value):
                found.setdefault((-1 - compiled.index, start), [start + len(value)])

    def _score(self, data: bytes, candidates: dict[tuple[int, int], list[int]],
               field_categories: tuple[str, ...], field_words: frozenset[str]) -> list[tuple]:
        compiled_of = self._compiled
        items = sorted(candidates.items(), key=lambda item: item[0][1])
        # Shapes found by themselves are judged before those found after a context word, each kind
        # from left to right and, at one start, longest first: a value inside an accepted one is
        # then known to be dropped (``_resolve_overlaps``) before it is validated. Only the order
        # across detectors changes, which decides nothing; the accepted list keeps the order of
        # ``items``, so that ties are resolved as before.
        order = sorted(range(len(items)), key=lambda k: _judging_order(compiled_of, items[k]))
        next_start = _next_starts(compiled_of, items, order)
        accepted: list[tuple[int, tuple]] = []
        spans = _Spans()
        last_end: dict[int, int] = {}
        for position in order:
            (index, start), ends = items[position]
            whole_value = index < 0
            compiled = compiled_of[-1 - index if whole_value else index]
            # One detector never reports overlapping values: keep the leftmost.
            if start < last_end.get(compiled.index, -1):
                continue
            # Longest first: "VG96 VPVG ... 8901 in" fails as an IBAN where "VG96 VPVG ... 8901" passes.
            # A shorter end must close a token: "roo" is not a user name found in "user=root".
            if len(ends) == 1:  # most candidates
                tried = ends
            else:
                ordered = sorted(set(ends), reverse=True)
                # A key's value runs to its delimiter: "[hidden" is no value of "password = [hidden]".
                tried = [ordered[0]] + [e for e in ordered[1:] if not compiled.detector.keyed and not _mid_token(data, e)]
            if field_words and compiled.negative_words & field_words and compiled.detector.category not in field_categories:
                continue  # an `os_version` or `order_id` column: its dotted numbers are not IPs, its numbers not cards
            # Skipping a value inside an accepted one must not change which later value of this
            # detector counts as overlapping it: only when none starts before this one's end.
            may_skip = next_start[position] >= tried[0]
            for end in tried[:_MAX_ENDS_TRIED]:
                result = self._judge(data, compiled, start, end, whole_value, field_categories,
                                     spans if may_skip else None)
                if result is not None:
                    # The value's end, not the candidate's: a candidate may take the separator after
                    # its value, which is the one before the next value ("1.2.3.4\n5.6.7.8").
                    last_end[compiled.index] = result[1]
                    if result[4] >= self.config.threshold:
                        accepted.append((position, result))
                        spans.add(result[0], result[1])
                    break
        accepted.sort(key=lambda entry: entry[0])
        return [result for _, result in accepted]

    def _judge(self, data: bytes, compiled: _Compiled, start: int, end: int, whole_value: bool,
               field_categories: tuple[str, ...], accepted_spans: _Spans | None = None) -> tuple | None:
        """One candidate through the steps: extract, validate, context, field. None: not this detector
        (or, given ``accepted_spans``, a value that lies inside an accepted one and would be dropped)."""
        detector = compiled.detector
        extracted = _extract(data, compiled, start, end, whole_value)
        if extracted is None:
            return None
        value_start, value_end, context_end, first_reason = extracted
        if accepted_spans is not None and accepted_spans.strictly_inside(value_start, value_end):
            return None
        reasons = [first_reason]
        value = data[value_start:value_end]
        in_field = detector.category in field_categories
        # A context word right before the value says what it is, as a field name would.
        hinted = in_field or (compiled.anchored and not whole_value)
        verdict: Outcome = True
        if detector.validator in _CHECKED_FIRST:
            # A checksum costs less than the veto, and most such candidates fail it (16-digit
            # references are no cards): both only drop a candidate, so their order changes nothing.
            verdict = self._validate(detector.validator, value, hinted)
            if not verdict:
                return None
        window = b""
        if not in_field:
            # The veto comes before the costlier validators: most vetoed values are numbers.
            # Only the window's part of the line: a search back to the line's start would make long
            # lines quadratic.
            line_start = data.rfind(b"\n", max(0, context_end - _BEFORE_WINDOW), context_end) + 1
            window = data[max(line_start, context_end - _BEFORE_WINDOW):context_end].lower()
            if compiled.negative and _last_word_is(window, compiled.negative):
                return None
        score = detector.score
        if detector.validator and detector.validator not in _CHECKED_FIRST:
            verdict = self._validate(detector.validator, value, hinted)
            if not verdict:
                return None
        if detector.validator:
            if isinstance(verdict, Weak):
                # The right kind of value, naming no one: found, but not raised by the validator.
                reasons.append(f"validator:{detector.validator}:{verdict.reason}")
            else:
                score = detector.validated_score
                reasons.append(f"validator:{detector.validator}")
        if not in_field:
            if compiled.context is not None and not compiled.anchored and compiled.context.search(window):
                score += _CONTEXT_BOOST
                reasons.append("context")
        else:
            if not whole_value:
                reasons.append("field")
            score += _FIELD_BOOST
        evidence = "both" if in_field else "value"
        return (value_start, value_end, detector.category, detector.id, round(min(score, _MAX_SCORE), 3),
                evidence, tuple(reasons), isinstance(verdict, Weak))

    def _name_only(self, data: bytes, field_categories: tuple[str, ...], accepted: list[tuple]) -> list[tuple]:
        """Categories known only by name (a ``gender`` column): every non-empty value counts."""
        named = [c for c in field_categories if c not in self._shaped_categories]
        if not named:
            return []
        covered = {(a[0], a[2]) for a in accepted}
        result = []
        for start, value in _values(data):
            # A name is evidence, not proof: a placeholder or a mask where the value should be holds nothing.
            if value.lower() in _EMPTY_VALUES or is_placeholder(value.decode("utf-8", "replace")):
                continue
            for category in named:
                if (start, category) in covered:
                    continue
                validator = self._value_validators.get(category)
                if validator is not None and not self._validate(validator, value, True):
                    continue
                result.append((start, start + len(value), category, "field_name", self.fields.score, "name",
                               ("field",), False))
        return result

    def _validate(self, validator: str, value: bytes, named: bool) -> Outcome:
        # Keyed by validator, not detector: "+86 138 1234 5678" is checked once, not by each phone detector.
        key = (validator, value, named)
        verdict = self._cache.get(key)
        if verdict is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            hints = Hints(self.config.regions, named, self.config.strict_regions)
            verdict = self._cache[key] = VALIDATORS[validator](value.decode("utf-8", "replace"), hints)
        return verdict

    def _to_matches(self, text: str, data: bytes, kept: list[tuple]) -> list[Match]:
        matches = []
        ascii_only = len(data) == len(text)
        line, line_pos, char_pos, byte_pos = 1, 0, 0, 0
        for start, end, category, detector, score, evidence, reasons, weak in kept:
            line += data.count(b"\n", line_pos, start)
            line_pos = start
            if ascii_only:
                char_start, char_end = start, end
            else:
                char_pos += len(data[byte_pos:start].decode("utf-8", "ignore"))
                byte_pos = start
                char_start = char_pos
                char_end = char_start + len(data[start:end].decode("utf-8", "ignore"))
            matches.append(Match(category, detector, char_start, char_end, line, score, evidence,
                                 text[char_start:char_end], reasons, weak, self._kinds.get(category, "text")))
        return matches


def _extract(data: bytes, compiled: _Compiled, start: int, end: int, whole_value: bool
             ) -> tuple[int, int, int, str] | None:
    """The value inside a candidate: (start, end, where the words before it end, the first reason).

    The words that may veto or raise a value end where it starts, or before its key for a keyed
    detector ("SHA1 of given password: ..."). None: the candidate holds no value of this detector."""
    if whole_value:
        return start, end, start, "field"
    if compiled.trailing:
        line_start = data.rfind(b"\n", max(0, end - _TRAILING_WINDOW), end) + 1
        # From the line break itself, so that the value may start the line.
        found = compiled.extract.search(data, max(line_start - 1, end - _TRAILING_WINDOW, 0), end)
        if found is None:
            return None
        value_start, value_end = found.span("value")
        return value_start, value_end, value_start, "context"
    if compiled.extract is None:
        return start, end, start, "pattern"
    found = compiled.extract.match(data, start, end)
    if found is None or found.group("value") is None:
        return None
    value_start, value_end = found.span("value")
    reason = "context" if compiled.anchored else "pattern"
    if not compiled.detector.keyed:
        return value_start, value_end, value_start, reason
    value_end = _keyed_value_end(data, found.start(), value_start, value_end, found.end())
    return None if value_end is None else (value_start, value_end, found.start(), reason)


def _judging_order(compiled_of: tuple[_Compiled, ...], item: tuple[tuple[int, int], list[int]]) -> tuple:
    (index, start), ends = item
    compiled = compiled_of[-1 - index if index < 0 else index]
    if compiled.anchored:  # a context word's start is not its value's: by start only, as found
        return (1, start, 0)
    return (0, start, -max(ends))


def _next_starts(compiled_of: tuple[_Compiled, ...], items: list, order: list[int]) -> list[float]:
    """For each candidate, the start of the next one of its detector in judging order (inf: none)."""
    following: list[float] = [float("inf")] * len(items)
    last_seen: dict[int, int] = {}
    for position in reversed(order):
        index = items[position][0][0]
        detector = -1 - index if index < 0 else index
        behind = last_seen.get(detector)
        if behind is not None:
            following[position] = items[behind][0][1]
        last_seen[detector] = position
    return following


class _Spans:
    """Accepted value spans, for "does this value lie strictly inside one of them?"."""

    __slots__ = ("starts", "ends")
    _LOOK_BACK = 4  # spans seldom nest deeper; a value not found inside is judged, which is always right

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        at = bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)

    def strictly_inside(self, start: int, end: int) -> bool:
        at = bisect_right(self.starts, start)
        for k in range(at - 1, max(at - 1 - self._LOOK_BACK, -1), -1):
            if end <= self.ends[k] and (self.starts[k], self.ends[k]) != (start, end):
                return True
        return False


def _values(data: bytes) -> Iterable[tuple[int, bytes]]:
    """The non-empty values of a field's text (one per line), stripped, with their byte offsets."""
    position = 0
    for raw in data.split(b"\n"):
        value = raw.strip()
        if value:
            yield position + raw.index(value[:1]), value
        position += len(raw) + 1


_CLOSERS = {ord(")"): b"(", ord("]"): b"[", ord("}"): b"{", ord(">"): b"<"}
_PROSE_AFTER = re.compile(rb"[ \t]+[A-Za-z\x80-\xff]")
_KEY_AFTER = re.compile(rb"[ \t]+[\w.\-]+[ \t]*[=:]")


def _keyed_value_end(data: bytes, key_start: int, value_start: int, value_end: int, match_end: int) -> int | None:
    """Where the value of a ``key=value``/``key: value`` pair really ends, or None when it is no value.

    "(using password: YES)" keeps no ")"; in "Login: user=<alice>" the "value" of Login is the next
    key; "LOGIN: Client closed" is a sentence after a label, not a pair. A pattern that goes on
    after its value ("user X: authentication failure") has said what follows it."""
    pattern_goes_on = match_end > value_end
    while value_end > value_start and data[value_end - 1] in _CLOSERS and \
            _CLOSERS[data[value_end - 1]] not in data[value_start:value_end - 1]:
        value_end -= 1
    if pattern_goes_on:
        return value_end if value_end > value_start else None
    following = data[value_end:value_end + 1]
    if following == b"=" or (following == b":" and data[value_end + 1:value_end + 3] != b"//"):
        return None
    separator = data[key_start:value_start]
    if b"=" not in separator and b":" in separator and _PROSE_AFTER.match(data, value_end) \
            and not _KEY_AFTER.match(data, value_end):
        return None
    return value_end if value_end > value_start else None


def _mid_token(data: bytes, end: int) -> bool:
    return 0 < end < len(data) and data[end - 1:end].isalnum() and data[end:end + 1].isalnum()


_KEY_SEPARATORS = b" \t:=/\"'[(#_-~"
_ID_SUFFIXES = (b"id", b"no")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")


def _last_word_is(window: bytes, words: tuple[bytes, ...]) -> bool:
    """Is the word right before the value (a key, a label) one of ``words``?

    "version=6.1.1.0", "order_id: 4111...", "blk_-1608...": separators and an id/no suffix are
    skipped; the word must start a token, so "nonversion" does not count. Punctuation "words"
    ("~") must stand right before the value. ``bytes.endswith`` with a tuple keeps this in C for
    the common case of no veto.
    """
    if window.endswith(words):
        for word in words:
            if window.endswith(word) and not word[:1].isalnum():
                return True
    tail = window.rstrip(_KEY_SEPARATORS)
    # "order_id", "serial no": the word before an id/no suffix (both suffixes are two bytes long).
    texts = (tail, tail[:-2].rstrip(b"_- ") if tail.endswith(_ID_SUFFIXES) else b"")
    for text in texts:
        if text and text.endswith(words):
            for word in words:
                if text.endswith(word):
                    before = len(text) - len(word) - 1
                    if before < 0 or not word[:1].isalnum() or text[before] not in _WORD_BYTES:
                        return True
    return False


def _resolve_overlaps(accepted: list[tuple], narrows: dict[str, str]) -> list[tuple]:
    """Drop a match that lies inside a stronger or longer one; equal spans keep the best score, and
    of two categories on one value where one narrows the other (cn_id_card, national_id), the narrower."""
    if narrows and len(accepted) > 1:
        by_span: dict[tuple[int, int], set[str]] = {}
        for candidate in accepted:
            by_span.setdefault((candidate[0], candidate[1]), set()).add(candidate[2])
        broader = {(span, narrows[c]) for span, categories in by_span.items() for c in categories if c in narrows}
        if broader:
            accepted = [a for a in accepted if ((a[0], a[1]), a[2]) not in broader]
    ordered = sorted(accepted, key=lambda a: (a[0], -(a[1] - a[0]), -a[4]))
    kept: list[tuple] = []
    for candidate in ordered:
        start, end, category, _, score = candidate[:5]
        dominated = False
        for other in reversed(kept):
            if other[1] <= start:
                if other[0] < start - 4096:
                    break
                continue
            if other[0] <= start and end <= other[1]:
                same_span = (other[0], other[1]) == (start, end)
                if not same_span or other[4] > score or other[2] == category:
                    dominated = True
                    break
        if not dominated:
            kept.append(candidate)
    kept.sort(key=lambda a: (a[0], a[1]))
    return kept
