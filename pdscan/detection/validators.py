"""Validators: one function per check, named in the catalog by ``validator: <name>``.

Each takes the candidate value and the hints the engine has (regions, the category the field
name points at) and returns True when the value really is what the shape suggested. They lean
on maintained libraries (phonenumbers, email-validator, python-stdnum, ipaddress) and only
hand-write what none of them does.
"""
from __future__ import annotations

import functools
import importlib
import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Union
from urllib.parse import unquote, unquote_plus

import phonenumbers

from pdscan.detection import phone_numbers, regional
from pdscan.detection.hints import Hints


_SEPARATORS = re.compile(r"[\s\-().]")


@functools.cache
def _stdnum(name: str):
    """A python-stdnum module, imported when a value first needs it: importing the package costs a
    start-up of ``pdscan scan`` about 16 ms (it loads ssl for its online checks)."""
    return importlib.import_module(f"stdnum.{name}")


@dataclass(frozen=True)
class Weak:
    """A value of the right kind that names no one: the unspecified or broadcast address, a
    network range. The engine still recognises it (every peer calls ``0.0.0.0`` an IP address), at
    the detector's unconfirmed score with ``reason`` saying why; ``pdscan scan`` leaves it out."""

    reason: str


# What a validator answers: yes, no, or Weak (the right kind of value, naming no one).
Outcome = Union[bool, Weak]


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value)


# SSH names its own algorithms and extensions ``name@domain`` (RFC 4251 §4.6.1): aes128-ctr@openssh.com,
# rijndael-cbc@lysator.liu.se, curve25519-sha256@libssh.org. A local part made only of cipher, MAC,
# key-exchange and extension words, with at least one of the cryptographic ones, is such a name.
_PROTOCOL_STRONG = re.compile(
    r"(?:aes|chacha|poly|hmac|umac|sha|md|curve|ed|ecdsa|ecdh|nistp|rsa|dss|dsa|sntrup|mlkem|rijndael|blowfish|"
    r"arcfour|twofish|serpent|cast|3des|des|camellia|x509v|diffie|hellman|kex|keyex|gssapi|webauthn|zlib|etm|"
    r"ctr|cbc|gcm|ssh|cert|keepalive|hostkeys|publickey|hostbound|sftp|fsync|hardlink|statvfs|posix|lsetstat|"
    r"ripemd|blake|gost|streebog|whirlpool|sm|aria|seed|salsa|idea|ecb|ofb|cfb|ccm|ocb|hkdf|pbkdf|yescrypt|bcrypt)"
    r"\d*(?:x\d+)?")
_PROTOCOL_WEAK = re.compile(
    r"(?:v\d+|\d+|s|c|sk|group|exchange|strict|session|bind|ext|info|server|sig|algs|no|more|sessions|agent|"
    r"forwarding|auth|with|mic|sign|prove|rename|limits|copy|data|home|directory|expand|path|users|groups|"
    r"openssh|com|org|new|old|ca|key|keys|rsa|plain|pq|mlkem)")


def _is_protocol_name(address: str) -> bool:
    """One word alone ("ed", "des") is a name unless it carries digits (ed25519) or is an extension word."""
    local, _, domain = address.lower().rpartition("@")
    tokens = [t for t in re.split(r"[-._]", local) if t]
    if not tokens or not all(_PROTOCOL_STRONG.fullmatch(t) or _PROTOCOL_WEAK.fullmatch(t) for t in tokens):
        return False
    if len(tokens) == 1:
        return bool(_PROTOCOL_STRONG.fullmatch(local)) and (any(c.isdigit() for c in local)
                                                            or local in ("zlib", "keepalive", "hostkeys"))
    # "no-more-sessions@openssh.com": OpenSSH's own request names are made of plain words.
    return domain == "openssh.com" or any(_PROTOCOL_STRONG.fullmatch(t) for t in tokens)


# The plainest addresses, which email-validator accepts whatever the hints: an ASCII dot-atom local
# part and a host of letter-digit-hyphen labels under an all-letter top-level domain that is not a
# special-use name. Anything else goes to the library (tests/detection/test_fast_paths.py compares both).
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
                          r"[A-Za-z]{2,63}", re.ASCII)
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def plain_email(value: str) -> bool:
    """True for an address the library would accept on any hints; False means "ask the library"."""
    if len(value) > 254 or not _PLAIN_EMAIL.fullmatch(value) or "--" in value:
        return False
    local, _, domain = value.rpartition("@")
    return len(local) <= 64 and len(domain) <= 253 and domain.rpartition(".")[2].lower() not in _SPECIAL_USE_TLDS


def email(value: str, hints: Hints) -> bool:
    # A quoted local part ("j doe"@example.com) is an address; a host without a dot (root@mailhub)
    # is one only where a field name or a context word says it is an email.
    if _is_protocol_name(value):
        return False
    if plain_email(value):
        return True
    from email_validator import EmailNotValidError, validate_email  # here: 30 ms to import, most scans meet no email

    try:
        validate_email(value, check_deliverability=False, allow_quoted_local=True,
                       globally_deliverable=not hints.named)
    except EmailNotValidError:
        return False
    return True


def email_url_encoded(value: str, hints: Hints) -> bool:
    """``jane%40example.com`` in a query string or a URL's user part: an address once decoded."""
    decoded = unquote(value)
    return "@" in decoded and "%" not in decoded and email(decoded, hints)


# Trunk prefixes and separators are fine, letters are not: "call 555-CALL" is not a phone to us.
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-().]+$")
_TRUNK_00 = re.compile(r"^00(?=[1-9])")


# "x565", "ext. 12", "#77": an extension names a line behind the number; the number decides.
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d{1,6}$", re.IGNORECASE)


def phone(value: str, hints: Hints) -> bool:
    """A valid number for its country (international form) or for one of the hinted regions."""
    text = _EXTENSION.sub("", value.strip())
    if not _PHONE_CHARS.match(text):
        return False
    digits = _digits(text).lstrip("+")
    # Small numbering plans have 5-digit numbers; outside a phone field that short is a count.
    shortest = 5 if hints.named else 7
    if not shortest <= len(digits) <= 15:
        return False
    if text.startswith("+") or _TRUNK_00.match(_digits(text)):
        international = "+" + _TRUNK_00.sub("", _digits(text).lstrip("+"))
        if not hints.strict:
            fast = phone_numbers.valid_international(international)
            if fast is not None:
                return fast
        return _valid_number(international, None, hints.regions if hints.strict else ())
    if any(_valid_in_region(text, region) for region in hints.regions):
        return True
    # A field that is named a phone number settles the question of "is it a phone"; only the
    # country is unknown, so any numbering plan may confirm it.
    if hints.named and not hints.strict:
        return any(_valid_in_region(text, region) for region in _FALLBACK_REGIONS if region not in hints.regions)
    return False


def _valid_in_region(text: str, region: str) -> bool:
    fast = phone_numbers.valid_in_region(text, region)
    return _valid_number(text, region) if fast is None else fast


# Every region phonenumbers knows, most populous and most common in business data first, so
# that a valid number is usually confirmed after a few tries.
_FALLBACK_REGIONS = tuple(dict.fromkeys(
    "CN US GB DE FR IN JP BR RU IT ES CA AU MX KR ID TR NL SE CH BE AT PL PT DK NO FI IE NZ SG HK TW "
    "MY TH VN PH PK BD NG EG ZA AR CL CO PE VE SA AE IL IR UA CZ HU RO GR".split()
    + sorted(phonenumbers.SUPPORTED_REGIONS)
))


def _valid_number(text: str, region: str | None, only_regions: tuple[str, ...] = ()) -> bool:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    if not only_regions:
        return phonenumbers.is_valid_number(number)
    # A calling code can serve several regions (+590: MF, BL, GP): check each region asked for.
    return any(phonenumbers.is_valid_number_for_region(number, region) for region in only_regions)


def phone_url_encoded(value: str, hints: Hints) -> Outcome:
    """``%2B8613812345678`` (or with ``%20``/``+`` for spaces) in a query string: a phone once decoded.
    A leading "+" left as it is (JavaScript's ``encodeURI`` encodes spaces, not "+") is the plus sign."""
    decoded = "+" + unquote_plus(value[1:]) if value.startswith("+") else unquote_plus(value)
    return decoded.startswith("+") and "%" not in decoded and phone(decoded, hints)


def whatsapp(value: str, hints: Hints) -> bool:
    """The digits of a WhatsApp JID or wa.me link form a valid international number."""
    digits = re.sub(r"\D", "", value.split("@", 1)[0])
    return 8 <= len(digits) <= 15 and _valid_number("+" + digits, None)


_RESERVED_IPV4 = {"0.0.0.0": "unspecified address", "255.255.255.255": "broadcast address"}


def ipv4_address(value: str, hints: Hints) -> Outcome:
    """The pattern already bounds every octet (ranges are ``ip_network``'s, through ``ip_address``).
    Plain string checks: this runs for every distinct address in a log."""
    return _ipv4_verdict(value, False)


def _ipv4_verdict(address: str, is_range: bool) -> Outcome:
    """``address`` in its canonical dotted form."""
    # 0.x.y.z ("this network") is never a host's address, while "0.9.2.1" is a common version.
    if address.startswith("0.") and address != "0.0.0.0":
        return False
    if is_range:
        return Weak("network range")
    reserved = _RESERVED_IPV4.get(address)
    return Weak(reserved) if reserved else True


def ip_address(value: str, hints: Hints) -> Outcome:
    text, _, prefix = value.partition("/")
    if prefix and not (prefix.isdigit() and int(prefix) <= (128 if ":" in text else 32)):
        return False
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    bare = text.split("%", 1)[0]
    # "a::b" in "Foo::a::b"-style code parses as IPv6: a compressed address with hex letters needs a
    # few of them; digits alone ("1::", "::8") are rarely anything but an address.
    if "::" in bare and address.version == 6 and not address.is_loopback:
        hex_digits = bare.replace(":", "")
        if hex_digits and len(hex_digits) < 3 and not hex_digits.isdigit():
            return False
    if address.version == 4:
        return _ipv4_verdict(str(address), bool(prefix))
    if prefix:
        return Weak("network range")
    return Weak("unspecified address") if address.is_unspecified else True


def mac_address(value: str, hints: Hints) -> Outcome:
    """A MAC-48 or an EUI-64 (device ids of Bluetooth, Zigbee, IPv6 interfaces).

    Not python-stdnum's ``mac.is_valid``: it refuses multicast and unregistered universally
    administered addresses, but an address in a log is a device identifier whoever assigned it.
    The all-zero and broadcast addresses are addresses that name no device: weak.
    """
    hexdigits = re.sub(r"[^0-9A-Fa-f]", "", value).lower()
    if len(hexdigits) not in (12, 16):
        return False
    if not hexdigits.strip("0"):
        return Weak("all-zero address")
    if not hexdigits.strip("f"):
        return Weak("broadcast address")
    return True


def imei(value: str, hints: Hints) -> bool:
    digits = _digits(value)
    if len(digits) != 15 or not _stdnum("imei").is_valid(digits):
        return False
    return digits.strip("0") != "" and len(set(digits)) > 2


def imeisv(value: str, hints: Hints) -> bool:
    digits = _digits(value)
    return len(digits) == 16 and digits.isdigit() and _stdnum("imei").imei_type(digits) == "IMEISV"


def meid(value: str, hints: Hints) -> bool:
    compact = re.sub(r"[\s\-]", "", value)
    if not _stdnum("meid").is_valid(compact):
        return False
    return len(set(compact.upper())) > 2


# Accounts that services run as: nobody logs in as them, they name no person. Accounts people do
# log in as (root, admin, guest, test) are reported: who logged in is what an auth log is about.
_SYSTEM_ACCOUNTS = frozenset(
    "nobody daemon system anonymous null none nil undefined unknown "
    "www-data apache nginx postgres mysql sys bin ftp mail localhost sshd uucp git games news lp "
    "backup proxy list irc gnats syslog messagebus".split()
    # Words a sentence puts where a name would be ("Invalid user from 1.2.3.4": the name was empty).
    + "from port with via using for input name account login session user password".split()
)


# Words that stand where a value should and say something about it, not who it is: an empty or
# masked value, a flag, an outcome. ``password: YES``, ``login: failed``, ``ssl.key.password = null``.
_NO_VALUE_WORDS = frozenset(
    "null none nil undefined unknown unset notset empty blank n/a na - -- default yes no true false on off "
    "enabled disabled ok okay success successful succeeded fail failed failure error invalid incorrect "
    "wrong mismatch expired required missing changed unchanged reset set given provided present absent "
    "accepted rejected denied granted hidden redacted masked removed filtered omitted protected secret "
    "sensitive value password passwd pwd xxx xxxx xxxxx "
    # The states machine output reports (an upstream "up" or "unhealthy", a job "running").
    "up down unhealthy healthy unavail unavailable available draining checking active inactive pending "
    "running stopped started starting stopping online offline ready busy idle open closed degraded".split()
)
# A mask: stars or x's or bullets, or a word in brackets ("[hidden]", "<redacted>", "(filtered)").
_MASK = re.compile(r"^(?:[*x•#.\-_]{3,}|[\[<({]\s*[\w *.\-]{0,24}\s*[\]>)}])$", re.IGNORECASE)
# A reference to a value kept elsewhere, not the value: a path, an environment variable, a template.
_REFERENCE = re.compile(r"^(?:[~.]{0,2}/|[A-Za-z]:\\|\$\{?[A-Za-z_]|\{\{|%\(|<%|@@|\$\()")
# What machine output puts after ``user``: CPU time (``user 0m0.52s``, ``user=12.5``), a share.
_MEASURE = re.compile(r"^[-+]?\d+(?:[.,]\d+)?(?:[a-zµ%]{1,3})?$|^\d+m\d+(?:\.\d+)?s$|^\d{1,2}(?::\d\d){1,2}(?:\.\d+)?$",
                      re.IGNORECASE)
_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-]+:\d{1,5}$")


_PLACEHOLDER_WORDS = frozenset("null none nil undefined unknown unset notset empty blank n/a na - -- (null) <null>".split())


def is_placeholder(value: str) -> bool:
    """Is ``value`` empty, a null word or a mask (``****``, ``[REDACTED]``): no value at all?"""
    text = value.strip().strip("\"'").strip()
    return not text or text.lower() in _PLACEHOLDER_WORDS or bool(_MASK.match(text))


def names_nothing(value: str) -> bool:
    """Is ``value`` a placeholder, a mask or a flag or outcome word standing where a value would be?"""
    return is_placeholder(value) or value.strip().strip("\"'").strip().lower() in _NO_VALUE_WORDS


_URL_OR_PATH = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|/|[A-Za-z]:\\)")


def words(value: str, hints: Hints) -> bool:
    """Text a person's name, address or employer is written in: it has a letter (of any script),
    and it is not a flag or outcome word, a host and port, a URL or a path, which a field named
    `name` or `address` in machine output holds ("10.0.0.1:8080", "/var/run", "ok")."""
    text = value.strip()
    return (any(c.isalpha() for c in text) and not names_nothing(text)
            and not _HOST_PORT.match(text) and not _URL_OR_PATH.match(text))


def secret(value: str, hints: Hints) -> bool:
    """A value that can be a password: not a placeholder, mask or flag (``null``, ``****``,
    ``[hidden]``, ``YES``), not a reference to one kept elsewhere (``PWD=/home/ubuntu`` is a working
    directory, ``${DB_PASSWORD}`` an environment variable)."""
    text = value.strip().strip("\"'")
    return not names_nothing(text) and not _REFERENCE.match(text)


def session_token(value: str, hints: Hints) -> bool:
    """A web session's token is opaque text; ``0x15dabf8d4140000`` is a number a program printed (a
    ZooKeeper or Kafka session), and a placeholder or mask is no token."""
    text = value.strip()
    return not names_nothing(text) and not (text[:2].lower() == "0x" and all(c in "0123456789abcdefABCDEF" for c in text[2:]))


def user_id(value: str, hints: Hints) -> bool:
    """A login or user id from a ``user=``/``user_id=`` pair: not a system account, not a placeholder,
    not the CPU time or a share that machine output prints after ``user``, not a host and port."""
    lowered = value.lower().strip(".-_")
    if hints.named and lowered.isdigit():
        return True  # a numeric id in a field named for it (`userId: 7`), however short
    if len(lowered) < 3 or lowered in _SYSTEM_ACCOUNTS or len(set(lowered)) <= 1 or names_nothing(lowered):
        return False
    # A plain integer is a numeric user id; any other number-shaped value is a measure.
    return lowered.isdigit() or not (_MEASURE.match(lowered) or _HOST_PORT.match(lowered))


# Province-level codes of the administrative division (GB/T 2260), the first two digits.
_CN_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91".split()
)


def cn_id_card(value: str, hints: Hints) -> bool:
    """GB 11643: a real province, a birth date that exists and is not in the future, the check digit.

    The district is not looked up: stdnum's table lags new districts (500154, Chongqing Kaizhou,
    2016), and a stale table would drop real numbers. First-generation 15-digit numbers (no check
    digit, two-digit year; void as documents since 2013 but still in old records) are accepted with
    the same province and date checks, and only after a context word or in an ID field.
    """
    compact = value.strip().upper()
    if compact[:2] not in _CN_PROVINCES:
        return False
    if len(compact) == 15 and compact.isdigit():
        compact = compact[:6] + "19" + compact[6:] + "0"
        first_generation = True
    elif len(compact) == 18 and compact[:17].isdigit():
        first_generation = False
    else:
        return False
    try:
        birth = _stdnum("cn.ric").get_birth_date(compact)
    except Exception:  # stdnum raises its own ValidationError subclasses and ValueError for bad dates
        return False
    if birth.year < 1900 or birth > date.today():
        return False
    return first_generation or _stdnum("cn.ric").calc_check_digit(compact) == compact[17]


# Issuer identification number ranges and the card lengths each issues: (prefix, lengths).
_CARD_NETWORKS: tuple[tuple[str, tuple[int, ...]], ...] = (
    (r"4", (13, 16, 19)),  # Visa
    (r"5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)", (16,)),  # Mastercard
    (r"3[47]", (15,)),  # American Express
    (r"6(?:011|4[4-9]|5)", (16, 19)),  # Discover
    (r"35(?:2[89]|[3-8]\d)", (16, 17, 18, 19)),  # JCB
    (r"2131|1800", (15,)),  # JCB's legacy 15-digit ranges
    (r"62", (16, 17, 18, 19)),  # UnionPay
    (r"3(?:0[0-5]|[68])", (14, 16, 19)),  # Diners Club
    (r"(?:50|5[6-9]|6[0-9])", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
    (r"220[0-4]", (16,)),  # Mir
    (r"1", (15,)),  # UATP
    (r"81(?:[0-6]\d|7[01])", (16, 17, 18, 19)),  # UnionPay 8100-8171
)
# Length -> one expression of every prefix issued at that length: one match per candidate, not twelve.
_CARD_PREFIXES_BY_LENGTH: dict[int, re.Pattern[str]] = {
    length: re.compile("|".join(f"(?:{prefix})" for prefix, lengths in _CARD_NETWORKS if length in lengths))
    for length in range(12, 20)
}


def credit_card(value: str, hints: Hints) -> bool:
    digits = _digits(value)
    if not 12 <= len(digits) <= 19 or not digits.isdigit() or len(set(digits)) < 2:
        return False
    known_network = _CARD_PREFIXES_BY_LENGTH[len(digits)].match(digits) is not None
    if hints.named:
        # UnionPay cards are not all Luhn-valid; only trust them with a card field or context.
        if digits.startswith("62") and known_network:
            return True
        # A card field or a card word says what it is, and issuers' ranges change faster than any
        # table: outside the known ones, a Luhn-valid number of a card-issuing industry (ISO/IEC 7812
        # major industry 3 travel, 4-5 banking, 6 merchandising and banking) is taken.
        plausible = known_network or (digits[0] in "3456" and len(digits) >= 13)
        return plausible and _luhn_valid(digits)
    return known_network and _luhn_valid(digits)


# Every second digit from the right, doubled, with the digits of the double added up.
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")


def _luhn_valid(digits: str) -> bool:
    """stdnum's Luhn check, after a plain-arithmetic one that rejects in a fraction of its time: most
    card-shaped numbers in logs (references, epoch milliseconds) fail it. The quick sum only rejects;
    what it passes, stdnum decides (tests/detection/test_fast_paths.py compares the two)."""
    quick = sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLED)))
    return quick % 10 == 0 and _stdnum("luhn").is_valid(digits)


def iban(value: str, hints: Hints) -> bool:
    """stdnum's IBAN check; for a country its registry does not list yet (MA, DZ, IR, MZ...), the
    ISO 13616 check that every IBAN carries: mod 97-10 over the rearranged number."""
    try:
        _stdnum("iban").validate(value)
        return True
    except _stdnum("exceptions").InvalidComponent:
        compact = _stdnum("iban").compact(value)
        return 15 <= len(compact) <= 34 and compact[:2].isalpha() and compact[2:4].isdigit() and (
            _stdnum("iso7064.mod_97_10").is_valid(compact[4:] + compact[:4]))
    except _stdnum("exceptions").ValidationError:
        return False


_COORDINATE = re.compile(r"[-+]?\d{1,3}(?:\.\d+)?")
_DMS = re.compile(r"(\d{1,3})\s*°\s*(?:(\d{1,2}(?:\.\d+)?)\s*['′])?\s*(?:(\d{1,2}(?:\.\d+)?)\s*(?:\"|″|''))?\s*([NSEW])", re.I)


def gps_location(value: str, hints: Hints) -> bool:
    """A latitude/longitude pair in range, in decimal degrees or degrees-minutes-seconds."""
    dms = _DMS.findall(value)
    if len(dms) == 2:
        (lat_d, lat_m, lat_s, lat_h), (lon_d, lon_m, lon_s, lon_h) = dms
        if lat_h.upper() not in "NS" or lon_h.upper() not in "EW":
            return False
        lat = float(lat_d) + float(lat_m or 0) / 60 + float(lat_s or 0) / 3600
        lon = float(lon_d) + float(lon_m or 0) / 60 + float(lon_s or 0) / 3600
        return lat <= 90 and lon <= 180 and all(float(x or 0) < 60 for x in (lat_m, lat_s, lon_m, lon_s))
    numbers = _COORDINATE.findall(value)
    if len(numbers) != 2:
        return False
    lat, lon = (float(n) for n in numbers)
    return -90 <= lat <= 90 and -180 <= lon <= 180


def coordinate(value: str, hints: Hints) -> bool:
    """One latitude or longitude (a ``lat``/``lng`` column): a decimal within ±180 with real precision."""
    try:
        number = float(value)
    except ValueError:
        return False
    return -180 <= number <= 180 and "." in value and len(value.split(".", 1)[1]) >= 3


def esn(value: str, hints: Hints) -> bool:
    """An 8-hex-digit ESN, or its 11-digit decimal form (3-digit maker code <= 255, 8-digit serial)."""
    compact = re.sub(r"[\s\-]", "", value)
    if re.fullmatch(r"[0-9A-Fa-f]{8}", compact):
        return len(set(compact)) > 2 and not compact.isalpha()
    if re.fullmatch(r"\d{11}", compact):
        return int(compact[:3]) <= 255 and int(compact[3:]) <= 0xFFFFFF
    return False


def plmn(value: str, hints: Hints) -> bool:
    """MCC (3 digits, 200-799 are allocated to countries) followed by a 2- or 3-digit MNC."""
    compact = re.sub(r"[\s\-]", "", value)
    return compact.isdigit() and len(compact) in (5, 6) and 200 <= int(compact[:3]) <= 799


def serial_number(value: str, hints: Hints) -> bool:
    """Device serials mix digits with letters or run long; words and short counters are not serials."""
    compact = value.replace("-", "")
    if len(compact) < 8 or len(set(compact.upper())) < 4 or not any(c.isdigit() for c in compact):
        return False
    return any(c.isalpha() for c in compact) or len(compact) >= 10


def us_itin(value: str, hints: Hints) -> bool:
    """A US Individual Taxpayer Identification Number: 9XX-XX-XXXX with a group number the IRS
    issues (python-stdnum's ``us.itin``); an SSN never starts with 9, so the two do not overlap."""
    return bool(_stdnum("us.itin").is_valid(value.replace(" ", "")))  # stdnum drops only dashes


VALIDATORS: dict[str, Callable[[str, Hints], Outcome]] = {
    "serial_number": serial_number,
    "us_itin": us_itin,
    "user_id": user_id,
    "secret": secret,
    "session_token": session_token,
    "words": words,
    "email": email,
    "email_url_encoded": email_url_encoded,
    "phone": phone,
    "phone_url_encoded": phone_url_encoded,
    "whatsapp": whatsapp,
    "ip_address": ip_address,
    "ipv4_address": ipv4_address,
    "mac_address": mac_address,
    "imei": imei,
    "imeisv": imeisv,
    "meid": meid,
    "cn_id_card": cn_id_card,
    "credit_card": credit_card,
    "iban": iban,
    "gps_location": gps_location,
    "coordinate": coordinate,
    "esn": esn,
    "plmn": plmn,
    **regional.VALIDATORS,
}
