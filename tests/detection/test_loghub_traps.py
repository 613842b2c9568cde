"""Real logs (loghub): the traps stay quiet, the real addresses are found."""
from __future__ import annotations

import collections
import re

import pytest

_IPV4 = re.compile(r"(?<![\w.~])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.])")
_MAC = re.compile(r"(?<![:\w])([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})(?![:\w])")


@pytest.fixture(scope="module")
def loghub(shared, engine):
    results = {}
    for path in sorted((shared / "corpora/loghub_2k").glob("*/*_2k.log")):
        text = path.read_text(encoding="utf-8", errors="replace")
        results[path.parent.name] = (text, engine.scan(text))
    return results


def test_no_id_card_or_card_number_in_system_logs(loghub):
    wrong = {name: [m.value for m in matches if m.category in ("cn_id_card", "credit_card")]
             for name, (_, matches) in loghub.items()}
    assert not any(wrong.values()), wrong


def test_windows_version_strings_are_not_ip_addresses(loghub):
    text, matches = loghub["Windows"]
    assert "6.1.1.0" in text
    assert not [m for m in matches if m.category == "ip_address"]


def test_hdfs_block_ids_are_not_reported(loghub):
    text, matches = loghub["HDFS"]
    assert "blk_" in text
    assert not [m for m in matches if "blk" in text[max(0, m.start - 5):m.start]]


def test_real_ipv4_addresses_are_found(loghub):
    for name in ("OpenSSH", "Apache", "HDFS", "Zookeeper", "Linux"):
        text, matches = loghub[name]
        expected = collections.Counter(
            ip for ip in _IPV4.findall(text)
            if all(int(o) < 256 for o in ip.split(".")) and not ip.startswith("0."))
        found = collections.Counter(m.value for m in matches if m.category == "ip_address")
        missing = expected - found
        assert sum(missing.values()) <= 0.02 * sum(expected.values()), (name, missing.most_common(5))


def test_real_mac_addresses_are_found(loghub):
    for name in ("Mac", "Thunderbird"):
        text, matches = loghub[name]
        expected = set(_MAC.findall(text))
        found = {m.value for m in matches if m.category == "mac_address"}
        assert expected and expected <= found, (name, expected - found)


def test_ipv6_addresses_are_found(engine):
    matches = engine.scan("Accepted publickey for alice from 2001:db8:85a3::8a2e:370:7334 port 52311 ssh2")
    assert [m.value for m in matches if m.category == "ip_address"] == ["2001:db8:85a3::8a2e:370:7334"]
