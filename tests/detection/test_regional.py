"""Country formats for postcodes, passports and national ID numbers, strict and any-country."""
from __future__ import annotations

import pytest

from pdscan.detection import regional
from pdscan.detection.hints import Hints
from pdscan.detection.validators import VALIDATORS

ANY = Hints()


def only(*regions: str) -> Hints:
    return Hints(regions=regions, strict=True)


def test_registered_with_the_other_validators():
    for name in ("postcode", "passport", "national_id"):
        assert VALIDATORS[name] is regional.VALIDATORS[name]


@pytest.mark.parametrize("region, value, expected", [
    ("GB", "SW1A 1AA", True), ("GB", "EC1A1BB", True), ("GB", "M1 1AA", True), ("GB", "GIR 0AA", True),
    ("GB", "gir0aa", True), ("GB", "DN55 1PT", True),
    ("GB", "QA1 1AA", False), ("GB", "VA1 1AA", False),  # Q and V never start a postcode
    ("GB", "1A1 1AA", False), ("GB", "SW1A 1AC", False),  # inward letters are never C, I, K, M, O, V
    ("US", "94105", True), ("US", "94105-1234", True), ("US", "9410", False), ("US", "94105-123", False),
    ("CA", "K1A 0B1", True), ("CA", "a1c3s4", True), ("CA", "W1A 0B1", False), ("CA", "K1A 0B1X", False),
    ("CN", "100080", True), ("CN", "141234", False), ("CN", "10008", False),
    ("JP", "135-0000", True), ("JP", "1350000", True), ("JP", "135-000", False),
    ("DE", "10115", True), ("DE", "01000", False), ("DE", "101150", False),
    ("ES", "28039", True), ("ES", "53000", False), ("ES", "0123", False),
    ("IN", "110001", True), ("IN", "011111", False), ("IN", "291123", False),
    ("TW", "106", True), ("TW", "10603", True), ("TW", "1060", False),
])
def test_postcode_strict(region, value, expected):
    assert regional.postcode(value, only(region)) is expected


@pytest.mark.parametrize("value, expected", [
    ("SW1A 1AA", True), ("94105", True), ("K1A 0B1", True), ("135-0000", True), ("1012 SZ", True),
    ("13", False), ("48380480343", False), ("00000", False), ("postcode", False), (" 94105", False),
])
def test_postcode_any_country(value, expected):
    assert regional.postcode(value, ANY) is expected


def test_regions_without_strict_are_tried_first_then_any_country():
    assert regional.postcode("SW1A 1AA", Hints(regions=("CN",))) is True
    assert regional.postcode("SW1A 1AA", only("CN")) is False
    # A region with no known format does not reject everything.
    assert regional.postcode("SW1A 1AA", only("AQ")) is True
    # Locales and the usual aliases name the same country.
    assert regional.postcode("SW1A 1AA", only("en-UK")) is True


@pytest.mark.parametrize("region, value, expected", [
    ("GB", "925076473", True), ("GB", "0123456789", False),
    ("US", "790369937", True), ("US", "A90583942", True), ("US", "E000077341", False),
    ("CA", "GA302922", True), ("CA", "Z556378HG", True), ("CA", "AB0123456", False),
    ("CN", "E12345678", True), ("CN", "EA1234567", True), ("CN", "G12345678", True), ("CN", "GA1234567", False),
    ("CN", "EI1234567", False),
    ("JP", "NH1106002", True), ("JP", "X12345678", False),
    ("DE", "C01X00T47", True), ("DE", "C01X00T478", True), ("DE", "C01X00T471", False),  # MRZ check digit
    ("DE", "L01X00T47", False), ("DE", "AS0123456", False),
    ("ES", "AAA123456", True), ("ES", "AF01234567", False),
    ("IN", "A-1234567", True), ("IN", "X0019390", True), ("IN", "0123456789", False),
    ("KR", "M12345678", True), ("KR", "M123A4567", True), ("KR", "M123 A4567", False),
    ("AT", "P 1630837", True), ("PL", "AN 3000011", True), ("PL", "A1 0000177", False),
])
def test_passport_strict(region, value, expected):
    assert regional.passport(value, only(region)) is expected


@pytest.mark.parametrize("value, expected", [
    ("E12345678", True), ("925076473", True), ("P 1630837", True),
    ("AAAAAAAAA", False), ("000000000", False), ("123456789", False),  # placeholders
    ("passport", False), ("AB12", False), ("E1234567890123", False),
])
def test_passport_any_country(value, expected):
    assert regional.passport(value, ANY) is expected


@pytest.mark.parametrize("region, value, expected", [
    # A Chinese resident ID is a national ID; the engine reports it as cn_id_card, which narrows
    # national_id in the catalog (tests/detection/test_engine.py).
    ("CN", "11010519491231002X", True), ("CN", "11010519491231002Y", False),
    ("ES", "12345678Z", True), ("ES", "x1234567l", True), ("ES", "12345678A", False), ("ES", "12345 678Z", False),
    ("IN", "2984 4886 3364", True), ("IN", "298448863364", True), ("IN", "298448863365", False),
    ("TW", "A146047171", True), ("TW", "B176944193", True), ("TW", "A146047172", False), ("TW", "123456789", False),
    ("HK", "W520128(7)", True), ("HK", "A494866[4]", True), ("HK", "Z867821A", True), ("HK", "k348609(5)", True),
    ("HK", "RH265886(3)", False), ("HK", "98765432", False),
    ("US", "536-90-4399", True), ("US", "078-05-1120", False),  # the Woolworth wallet card number
    ("GB", "AB123456C", True), ("GB", "QQ123456C", False),
    ("JP", "123456789018", True), ("JP", "123456789012", False),
    ("DE", "36574261809", True), ("DE", "36574261890", False),
])
def test_national_id_strict(region, value, expected):
    assert regional.national_id(value, only(region)) is expected


@pytest.mark.parametrize("value, expected", [
    ("W520128(7)", True), ("A146047171", True), ("12345678Z", True),
    ("0084575948", True),  # Iran
    ("0000000000", False), ("AAAAAAAAAA", False), ("abc", False), ("12345678!", False),
])
def test_national_id_any_country(value, expected):
    assert regional.national_id(value, ANY) is expected


def test_region_strict_national_id():
    # A Taiwanese ID is not a Hong Kong one, and an HKID is no good in Spain.
    assert regional.national_id("A146047171", only("HK")) is False
    assert regional.national_id("W520128(7)", only("ES")) is False
    assert regional.national_id("W520128(7)", only("ES", "HK")) is True
