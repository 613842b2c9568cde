"""Validators lean on maintained libraries; these check the hand-written parts around them."""
from __future__ import annotations

import pytest

from pdscan.detection import validators as v
from pdscan.detection.hints import Hints

NO_HINTS = Hints()


@pytest.mark.parametrize("value, expected", [
    ("11010519491231002X", True), ("430302199312194239", True),
    ("11010519491231002Y", False),  # check digit
    ("991231194912310021", False),  # no such province
    ("110105209912310024", False),  # born in the future
])
def test_cn_id_card(value, expected):
    assert v.cn_id_card(value, NO_HINTS) is expected


@pytest.mark.parametrize("value, expected", [
    ("4111111111111111", True), ("378282246310005", True), ("5500 0000 0000 0004", True),
    ("4111111111111112", False), ("9111111111111116", False), ("0000000000000000", False),
])
def test_credit_card(value, expected):
    assert v.credit_card(value, NO_HINTS) is expected


def test_phone_regions_and_strictness():
    assert v.phone("+86 138 1234 5678", NO_HINTS)
    assert not v.phone("13812345678", Hints(regions=("US",)))
    assert v.phone("13812345678", Hints(regions=("CN",)))
    assert v.phone("030 1234567", Hints(regions=("CN",), named=True))  # any plan in a phone field
    assert not v.phone("030 1234567", Hints(regions=("CN",), named=True, strict=True))
    assert not v.phone("+49 30 1234567", Hints(regions=("CN",), strict=True))
    assert not v.phone("call 555-CALL", NO_HINTS)


# Weak: an address of the right kind that names no host; it is reported at the unconfirmed score.
@pytest.mark.parametrize("value, expected", [
    ("192.168.1.1", True), ("0.0.0.6", False), ("255.255.255.255", v.Weak("broadcast address")),
    ("0.0.0.0", v.Weak("unspecified address")),
])
def test_ipv4(value, expected):
    assert v.ipv4_address(value, NO_HINTS) == expected


@pytest.mark.parametrize("value, expected", [
    ("2001:db8::1", True), ("fe80::1%eth0", True), ("ff02::5678%pvc1.3", True), ("::1", True),
    ("1::", True), ("::8", True), ("d::", False), ("a::b", False),
    ("::", v.Weak("unspecified address")), ("0:0:0:0:0:0:0:0", v.Weak("unspecified address")),
    ("2001:db8::/32", v.Weak("network range")), ("2001:db8::/129", False), ("0.0.0.0/0", v.Weak("network range")),
    ("10.0.0.0/8", v.Weak("network range")), ("10.0.0.0/33", False), ("0.1.2.3/8", False),
])
def test_ip_address(value, expected):
    assert v.ip_address(value, NO_HINTS) == expected


def test_mac_rejects_placeholders_and_accepts_eui64():
    assert v.mac_address("00:1A:2B:3C:4D:5E", NO_HINTS)
    assert v.mac_address("0011.2233.4455", NO_HINTS)
    # Broadcast and all-zero are addresses that name no device: found, but not confirmed.
    assert v.mac_address("ff:ff:ff:ff:ff:ff", NO_HINTS) == v.Weak("broadcast address")
    assert v.mac_address("00:00:00:00:00:00", NO_HINTS) == v.Weak("all-zero address")
    assert v.mac_address("FF:F2:9F:16:BF:6C:00:0D", NO_HINTS)  # EUI-64
    assert v.mac_address("FF:FF:FF:FF:FF:FF:FF:FF", NO_HINTS) == v.Weak("broadcast address")


def test_gps_ranges():
    assert v.gps_location("39.904211, 116.407395", NO_HINTS)
    assert not v.gps_location("95.1, 10.2", NO_HINTS)
    assert v.gps_location("40° 26′ 46″ N, 79° 58′ 56″ W", NO_HINTS)
    assert not v.gps_location("40° 89′ 46″ S, 79° 58′ 100″ E", NO_HINTS)


def test_whatsapp_and_user_id():
    assert v.whatsapp("5511998765555@s.whatsapp.net", NO_HINTS)
    assert not v.whatsapp("123@c.us", NO_HINTS)
    assert v.user_id("alice.w", NO_HINTS)
    assert v.user_id("root", NO_HINTS)  # people log in as root: an auth log's account names are its data
    assert not v.user_id("www-data", NO_HINTS)
    assert not v.user_id("nobody", NO_HINTS)
