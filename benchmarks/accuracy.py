"""Accuracy of the detection engine against labels nobody on this team wrote.

1. ``peer_cases.dev.jsonl``: positive and negative cases from other projects' test suites.
   Only ``default_config`` cases count. A case is asked the way its peer asked it:
   - field-name cases (``assertMatchName``) go to the field classifier;
   - a bare value (the text *is* the expected value, or a negative without context) is asked
     "is this a <category>?", i.e. scanned as the value of a field named for the category, and
     answered yes only by a match that spans the whole value;
   - a sentence is scanned as free text.
   A scoped case carries a country (``isMobilePhone("zh-CN")``, ``test_kr_passport``): it is
   scanned with that region, strictly; a scoped negative counts as a negative only in its
   scope, so negatives scoped to something pdscan does not distinguish (an IP version) are left
   out and counted as such. ``any`` means every region. Likewise a negative of a mobile-only
   validator (validator.js ``isMobilePhone``) that libphonenumber types as a valid landline or
   service number of that region says "not a mobile", which pdscan's ``phone`` (mobile and
   landline) does not claim: it is left out and counted.
   The bare-value cases of the categories whose validating library the catalog issue names
   (phonenumbers, email-validator, python-stdnum) are also asked of that library alone: where the
   library itself disagrees with the peers, no detector built on it can agree with them.
2. ``synth_dataset_v2.spans.dev.jsonl`` (Presidio research): span-level precision and recall
   on free text, a span counting when a match of the mapped category overlaps it.

Usage: python benchmarks/accuracy.py [--shared ../shared] [--catalog PATH] [--min-cases 20]
Prints tables; exits 0 always (figures, not pass/fail).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import iban as stdnum_iban
from stdnum import imei as stdnum_imei
from stdnum import mac as stdnum_mac
from stdnum.cn import ric as stdnum_cn_ric

from pdscan.catalog import load_catalog
from pdscan.detection.engine import Engine, EngineConfig

# Peer entity -> pdscan category; None: not a category pdscan has (reported, not scored).
PEER_TO_CATEGORY = {
    "address": "postal_address", "bank_card": "credit_card", "cn_id_card": "cn_id_card",
    "credit_card": "credit_card", "date_of_birth": "date_of_birth", "email": "email",
    "gps": "gps_location", "iban": "iban", "imei": "imei", "ip": "ip_address", "mac": "mac_address",
    "meid": "meid", "name": "person_name", "national_id": "national_id", "oauth_token": "session_id",
    "passport": "passport", "phone": "phone", "postcode": "postcode", "us_ssn": "national_id",
    "whatsapp": "whatsapp", "user_account": None, "ip_cidr": None, "luhn": None,
    "hk_macau_permit": None, "tw_permit": None,
}
# The field name a value of each category is asked under ("is this a phone?" = a `phone` column).
FIELD_FOR_CATEGORY = {
    "email": "email", "phone": "phone", "ip_address": "ip_address", "mac_address": "mac_address",
    "imei": "imei", "meid": "meid", "cn_id_card": "id_card_number", "credit_card": "card_number",
    "iban": "iban", "gps_location": "location", "passport": "passport_number", "postcode": "postcode",
    "national_id": "national_id", "whatsapp": "whatsapp", "qq_account": "qq", "wechat_account": "wechat_id",
    "session_id": "access_token", "person_name": "full_name", "postal_address": "street_address",
    "date_of_birth": "birth_date",
}
PRESIDIO_SPAN_TO_CATEGORY = {
    "credit_card": "credit_card", "email": "email", "phone": "phone", "ip": "ip_address",
    "iban": "iban", "name": "person_name", "address": "postal_address", "date": None,
    "organization": None, "title": None, "us_ssn": "national_id", "nationality": None, "postcode": "postcode",
    "location": None, "domain": None, "age": None, "nrp": None, "us_driver_license": None,
}
# pdscan's narrower category that answers the peer's question too: a Chinese resident ID number is a
# national ID number, reported as cn_id_card.
ALSO_COUNTS_AS = {"national_id": {"cn_id_card"}}
_LOCALE = re.compile(r'\("(?:[a-z]{2,3}-)?([A-Za-z]{2}|any)"\)')
_PRESIDIO_COUNTRY = re.compile(r"tests/test_([a-z]{2})_")
_IP_VERSION = re.compile(r"isIP(?:Range)?\((\d+)\)")
_METADATA_REGION = re.compile(r"metadata:([A-Z]{2}|\d{3}):")
_COUNTRY_FIXES = {"UK": "GB", "PO": "PL"}
_MOBILE_ONLY_PEER_ENTITIES = {"isMobilePhone", "PH_MOBILE_NUMBER", "isMobile", "CNMobile"}
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    left_out: int = 0
    landlines_left_out: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    @property
    def cases(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


def scope_of(case: dict) -> str | None:
    """A country code, 'any', 'ip:<version>', or None (unscoped)."""
    if not case.get("scoped"):
        return None
    if case.get("country"):
        return _COUNTRY_FIXES.get(case["country"].upper(), case["country"].upper())
    source = case.get("source", "")
    version = _IP_VERSION.search(source)
    if version:
        return f"ip:{version.group(1)}"
    locale = _LOCALE.search(source)
    if locale:
        code = locale.group(1)
        return "any" if code == "any" else _COUNTRY_FIXES.get(code.upper(), code.upper())
    region = _METADATA_REGION.search(source)
    if region:
        return region.group(1) if region.group(1).isalpha() else "any"  # 001: non-geographic numbers
    country = _PRESIDIO_COUNTRY.search(source)
    if country:
        code = country.group(1).upper()
        return _COUNTRY_FIXES.get(code, code)
    return "unknown"


_BARE_VALUE_KINDS = ("validator", "metadata example", "library-built", "column value", "extractor")


def is_bare_value(case: dict) -> bool:
    """The peer asked about the whole string (a validator call, a column value), not text around it."""
    kind = case.get("peer_kind") or ""
    if kind.startswith(_BARE_VALUE_KINDS):
        return True
    # A text that is nothing but a value ("K00000413", "SW1A 1AA") is a value whoever asked;
    # "PLZ: 10115" is a label and its value, i.e. text.
    words = case["text"].split()
    labelled = len(words) == 2 and words[0].endswith((":", "="))
    return (case.get("expected_values") in (None, [case["text"]]) and len(words) <= 2 and not labelled
            and not kind.startswith("whole file"))


def is_landline_negative_of_a_mobile_check(case: dict, scope: str | None) -> bool:
    """A mobile-only validator said no to a number libphonenumber knows as a landline of that region."""
    if case["positive"] or case.get("peer_entity") not in _MOBILE_ONLY_PEER_ENTITIES:
        return False
    region = scope if scope and scope in phonenumbers.SUPPORTED_REGIONS else None
    try:
        number = phonenumbers.parse(case["text"], region or "ZZ")
    except phonenumbers.NumberParseException:
        return False
    valid = phonenumbers.is_valid_number_for_region(number, region) if region else phonenumbers.is_valid_number(number)
    return valid and phonenumbers.number_type(number) not in _MOBILE_TYPES


def category_of(case: dict) -> str | None:
    if case["entity"] == "national_id" and scope_of(case) == "CN":
        return "cn_id_card"  # pdscan's own category for Chinese resident ID numbers
    if case["entity"] == "user_account":
        call = case.get("peer_call", "")
        return "qq_account" if "isQQ" in call else "wechat_account" if "isWX" in call else None
    return PEER_TO_CATEGORY.get(case["entity"])


class Runner:
    def __init__(self, catalog_path: str | None):
        self.catalog = load_catalog(catalog_path)
        self._engines: dict[tuple, Engine] = {}

    def engine(self, regions: tuple[str, ...], strict: bool) -> Engine:
        key = (regions, strict)
        if key not in self._engines:
            self._engines[key] = Engine(self.catalog, EngineConfig(regions=regions, strict_regions=strict))
        return self._engines[key]

    def predict(self, case: dict, category: str, scope: str | None) -> list[str]:
        """The values of ``category`` that pdscan reports for this case."""
        text = case["text"]
        if "assertMatchName" in case.get("peer_call", ""):
            # ankane/pdscan: a table with these columns matches the rule once.
            names = [n.strip() for n in text.split(",")]
            return [text] if any(category in self.engine(("CN",), False).fields.categories(n) for n in names) else []
        if scope in (None, "unknown") or scope.startswith("ip:"):
            engine = self.engine(("CN",), False)
        elif scope == "any":
            engine = self.engine((), False)
        else:
            engine = self.engine((scope,), True)
        bare_value = is_bare_value(case)
        field_name = FIELD_FOR_CATEGORY.get(category) if bare_value else None
        accepted = {category} | ALSO_COUNTS_AS.get(category, set())
        values = [m.value for m in engine.scan(text, field=field_name) if m.category in accepted and m.evidence != "name"]
        if bare_value:
            # "Is this string a <category>?" is answered yes only by a match that is the whole string:
            # an email found inside "foo@bar.co.uk." is right for a scanner, but not a yes to that question.
            values = [v for v in values if v.strip() == text.strip()]
        return values


def run_peer_cases(runner: Runner, path: Path) -> tuple[dict[str, Tally], dict[str, int]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    not_covered: dict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            case = json.loads(line)
            if not case.get("default_config", True):
                continue
            category = category_of(case)
            if category is None or category not in runner.catalog.categories:
                not_covered[case["entity"]] += 1
                continue
            tally = tallies[category]
            scope = scope_of(case)
            if not case["positive"] and scope is not None and (scope.startswith("ip:") or scope == "unknown"):
                tally.left_out += 1  # negative only in a scope pdscan does not distinguish
                continue
            if is_landline_negative_of_a_mobile_check(case, scope):
                tally.landlines_left_out += 1
                continue
            found = runner.predict(case, category, scope)
            if case["positive"]:
                if case.get("expected_values"):
                    expected = case["expected_values"]
                elif is_bare_value(case):
                    expected = [case["text"]]
                else:  # "the text holds at least one": any match of the category answers it
                    expected = found[:1] or [case["text"]]
                hits = sum(1 for value in expected if any(value.strip() in f or f in value for f in found))
                tally.tp += hits
                tally.fn += len(expected) - hits
                if hits < len(expected):
                    tally.misses.append((case["text"], scope))
                extra = max(0, len(found) - len(expected))
                tally.fp += extra
            elif found:
                tally.fp += 1
                tally.false_alarms.append((case["text"], scope))
            else:
                tally.tn += 1
    return tallies, not_covered


def _phone_reference(text: str, scope: str | None) -> bool:
    region = scope if scope in phonenumbers.SUPPORTED_REGIONS else None
    try:
        if text.lstrip().startswith(("+", "00")) or region is None:
            number = phonenumbers.parse("+" + text.lstrip()[2:] if text.lstrip().startswith("00") else text, region or "ZZ")
        else:
            number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return region is None and any(_phone_valid_in(text, r) for r in phonenumbers.SUPPORTED_REGIONS)
    if region:
        return phonenumbers.is_valid_number_for_region(number, region)
    return phonenumbers.is_valid_number(number)


def _phone_valid_in(text: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, region))
    except phonenumbers.NumberParseException:
        return False


def _email_reference(text: str, scope: str | None) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# The library the catalog issue names for each category, asked alone: how far its own verdicts are
# from the peers' labels bounds what any detector built on it can score.
REFERENCE_LIBRARIES = {
    "phone": ("phonenumbers", _phone_reference),
    "email": ("email-validator", _email_reference),
    "mac_address": ("stdnum.mac", lambda text, scope: stdnum_mac.is_valid(text)),
    "cn_id_card": ("stdnum.cn.ric", lambda text, scope: stdnum_cn_ric.is_valid(text)),
    "iban": ("stdnum.iban", lambda text, scope: stdnum_iban.is_valid(text)),
    "imei": ("stdnum.imei", lambda text, scope: stdnum_imei.is_valid(text)),
}


def run_reference_libraries(runner: Runner, path: Path) -> dict[str, tuple[str, Tally, Tally]]:
    """On the bare-value cases, the reference library alone and pdscan on the same cases."""
    result: dict[str, tuple[str, Tally, Tally]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            case = json.loads(line)
            category = category_of(case)
            if not case.get("default_config", True) or category not in REFERENCE_LIBRARIES or not is_bare_value(case):
                continue
            scope = scope_of(case)
            if not case["positive"] and scope is not None and (scope.startswith("ip:") or scope == "unknown"):
                continue
            if is_landline_negative_of_a_mobile_check(case, scope):
                continue
            name, reference = REFERENCE_LIBRARIES[category]
            _, library, pdscan = result.setdefault(category, (name, Tally(), Tally()))
            for tally, said_yes in ((library, reference(case["text"], scope)),
                                    (pdscan, bool(runner.predict(case, category, scope)))):
                if case["positive"]:
                    tally.tp += said_yes
                    tally.fn += not said_yes
                else:
                    tally.fp += said_yes
                    tally.tn += not said_yes
    return result


def run_presidio_spans(runner: Runner, path: Path) -> dict[str, Tally]:
    engine = runner.engine(("US", "GB"), False)
    tallies: dict[str, Tally] = defaultdict(Tally)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            matches = engine.scan(record["text"])
            gold = [(s["start"], s["end"], PRESIDIO_SPAN_TO_CATEGORY.get(s["entity"])) for s in record["spans"]]
            for start, end, category in gold:
                if category is None:
                    continue
                hit = any(m.category == category and m.start < end and start < m.end for m in matches)
                if hit:
                    tallies[category].tp += 1
                else:
                    tallies[category].fn += 1
            for m in matches:
                if not any(c == m.category and m.start < e and s < m.end for s, e, c in gold):
                    tallies[m.category].fp += 1
                    tallies[m.category].false_alarms.append((m.value, record["text"][:60]))
    return tallies


def print_table(title: str, tallies: dict[str, Tally], min_cases: int, targets: bool) -> None:
    print(f"\n{title}")
    print(f"{'category':<16}{'cases':>7}{'TP':>6}{'FP':>6}{'FN':>6}{'TN':>6}{'prec':>8}{'recall':>8}{'F1':>7}  {'target' if targets else ''}")
    for category in sorted(tallies):
        t = tallies[category]
        status = ""
        if targets and t.cases >= min_cases:
            status = "ok" if t.precision() >= 0.98 and t.recall() >= 0.97 else "BELOW"
        elif targets:
            status = f"(<{min_cases} cases)"
        left = f"  {t.left_out} scoped negatives left out" if t.left_out else ""
        if t.landlines_left_out:
            left += f"  {t.landlines_left_out} landline negatives of mobile-only checks left out"
        print(f"{category:<16}{t.cases:>7}{t.tp:>6}{t.fp:>6}{t.fn:>6}{t.tn:>6}{t.precision():>8.3f}{t.recall():>8.3f}{t.f1():>7.3f}  {status}{left}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--catalog", default=None)
    parser.add_argument("--min-cases", type=int, default=20)
    parser.add_argument("--show-errors", metavar="CATEGORY", action="append", default=[],
                        help="print the misses and false alarms of this category")
    args = parser.parse_args()
    shared = Path(args.shared)
    runner = Runner(args.catalog)
    started = time.perf_counter()
    tallies, not_covered = run_peer_cases(runner, shared / "corpora/peer_cases/peer_cases.dev.jsonl")
    print_table("peer_cases.dev.jsonl (default_config cases)", tallies, args.min_cases, targets=True)
    if not_covered:
        print("not a pdscan category, not scored: " + ", ".join(f"{k} ({v})" for k, v in sorted(not_covered.items())))
    references = run_reference_libraries(runner, shared / "corpora/peer_cases/peer_cases.dev.jsonl")
    print("\nthe same bare-value cases through the reference library alone, and through pdscan")
    print(f"{'category':<16}{'library':<17}{'cases':>6}{'lib prec':>10}{'lib rec':>9}{'pdscan prec':>13}{'pdscan rec':>12}")
    for category, (name, library, pdscan) in sorted(references.items()):
        print(f"{category:<16}{name:<17}{library.cases:>6}{library.precision():>10.3f}{library.recall():>9.3f}"
              f"{pdscan.precision():>13.3f}{pdscan.recall():>12.3f}")
    spans = run_presidio_spans(runner, shared / "corpora/presidio_research/synth_dataset_v2.spans.dev.jsonl")
    print_table("presidio synth_dataset_v2 spans (free text, overlap)", spans, args.min_cases, targets=False)
    for category in args.show_errors:
        for name, source in (("peer", tallies), ("spans", spans)):
            t = source.get(category)
            if t:
                print(f"\n{name} {category} misses: {t.misses[:60]}\n{name} {category} false alarms: {t.false_alarms[:60]}")
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
