"""The fast paths in front of the validating libraries never disagree with them.

``plain_email`` answers True only for addresses email-validator accepts on any hints; every other
value goes to the library. Checked here on more than 15,000 distinct addresses, made to sit on the
edges of the fast path's shape (lengths, dots, hyphens, digits, special-use and numeric top-level
domains, non-ASCII, quoted local parts) as well as ordinary ones."""
from __future__ import annotations

import random

from email_validator import EmailNotValidError, validate_email

from pdscan.detection.validators import plain_email

_LOCAL_CHARS = "abcxyzABZ0189._+-"
_DOMAIN_CHARS = "abcmnxyz019-"
_TLDS = ["com", "org", "cn", "io", "co.uk", "museum", "test", "local", "localhost", "onion", "arpa", "invalid",
         "c0m", "123", "x", "a" * 63, "a" * 64, "xn--p1ai", "ab--cd", "例子", "COM", "Org"]


def _addresses(count: int, seed: int = 15) -> set[str]:
    rng = random.Random(seed)
    values: set[str] = set()
    names = ["alice", "bob.smith", "wei.zhang", "o.mueller", "j_doe", "x+tag", "a-b", "Z9"]
    hosts = ["example.com", "mail.cn", "corp.example.org", "a-b.io", "sub.domain.co.uk", "x1.museum"]
    while len(values) < count // 2:  # ordinary addresses, as logs hold them
        values.add(f"{rng.choice(names)}{rng.randint(0, 99999)}@{rng.choice(hosts)}")
    while len(values) < count:
        local = "".join(rng.choice(_LOCAL_CHARS) for _ in range(rng.choice([1, 2, 5, 12, 63, 64, 65])))
        labels = ["".join(rng.choice(_DOMAIN_CHARS) for _ in range(rng.choice([1, 2, 5, 62, 63, 64])))
                  for _ in range(rng.choice([0, 1, 2, 4]))]
        domain = ".".join(labels + [rng.choice(_TLDS)])
        value = f"{local}@{domain}"
        twist = rng.randrange(12)
        if twist == 0:
            value = f'"{local} x"@{domain}'
        elif twist == 1:
            value = value.replace("@", "@@") if rng.random() < 0.5 else value + "."
        elif twist == 2:
            value = "ü" + value
        elif twist == 3:
            value = f"{local}@{'a' * 60}.{'b' * 60}.{'c' * 60}.{'d' * 60}.{domain}"
        values.add(value)
    return values


def _library(value: str, named: bool) -> bool:
    try:
        validate_email(value, check_deliverability=False, allow_quoted_local=True, globally_deliverable=not named)
    except EmailNotValidError:
        return False
    return True


def test_plain_email_never_accepts_what_the_library_rejects():
    values = _addresses(16_000)
    plain = [v for v in values if plain_email(v)]
    assert len(values) >= 15_000 and len(plain) > 3_000  # the fast path answers for many, not all
    disagreements = [(v, named) for v in plain for named in (False, True) if not _library(v, named)]
    assert disagreements == []


# ---------------------------------------------------------------- phone numbers

_REGIONS = ["CN", "DE", "FR", "IN", "JP", "BR", "RU", "US", "GB", "IT", "AU", "KR", "ES", "MX", "NL"]


def _numbers(count: int, seed: int = 15) -> set[str]:
    """Numbers on the edges of the shortcut: real prefixes of mobile and fixed ranges, national and
    international prefixes, calling codes written nationally, shared calling codes, lengths off by one,
    and the separators the shortcut reads or leaves to the library."""
    import phonenumbers

    rng = random.Random(seed)
    values: set[str] = set()
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    while len(values) < count:
        region = rng.choice(_REGIONS)
        example = phonenumbers.example_number_for_type(region, rng.choice(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
        national = str(example.national_number) if example else "13812345678"
        # keep a real leading part, vary the rest and the length
        keep = rng.randint(1, min(4, len(national)))
        length = len(national) + rng.choice([-1, 0, 0, 0, 1])
        digits = national[:keep] + "".join(rng.choice("0123456789") for _ in range(max(0, length - keep)))
        prefix = rng.choice(["", "", "", "0", "00", "86", "1", "179", "011", "+", "+", "+86", "+1", "+44", "+7",
                             f"+{rng.choice(codes)}", "+0"])
        digits = prefix + digits
        if rng.random() < 0.3 and len(digits) > 6:
            cut = rng.randint(2, len(digits) - 2)
            digits = digits[:cut] + rng.choice([" ", "-", ".", "(", ")", "  "]) + digits[cut:]
        values.add(digits)
    return values


def test_phone_shortcut_agrees_with_the_library():
    import phonenumbers

    from pdscan.detection.phone_numbers import valid_in_region, valid_international

    def library(text: str, region: str | None) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(text, region))
        except phonenumbers.NumberParseException:
            return False

    answered, disagreements = 0, []
    for value in sorted(_numbers(12_000)):
        if value.startswith("+"):
            checks = [(valid_international(value), None)]
        else:
            checks = [(valid_in_region(value, region), region) for region in _REGIONS]
        for fast, region in checks:
            if fast is None:
                continue
            answered += 1
            if fast != library(value, region):
                disagreements.append((value, region, fast))
    assert disagreements == []
    assert answered > 20_000  # the shortcut settles most plain numbers, not a handful


# ---------------------------------------------------------------- Luhn

def test_quick_luhn_rejects_only_what_stdnum_rejects():
    from stdnum import luhn

    from pdscan.detection.validators import _luhn_valid

    rng = random.Random(15)
    numbers = {"".join(rng.choice("0123456789") for _ in range(rng.randint(12, 19))) for _ in range(20_000)}
    numbers |= {n[:-1] + luhn.calc_check_digit(n[:-1]) for n in list(numbers)[:5_000]}  # valid ones too
    assert sum(luhn.is_valid(n) for n in numbers) > 5_000
    assert [n for n in numbers if _luhn_valid(n) != luhn.is_valid(n)] == []
