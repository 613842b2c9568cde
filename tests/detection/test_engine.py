"""The engine: spans, scores built in steps, field evidence, overlaps, context."""
from __future__ import annotations

from pdscan.detection.engine import Engine, EngineConfig


def _by_category(matches):
    return {m.category: m for m in matches}


def test_spans_are_character_offsets_even_after_non_ascii(engine):
    text = "身份证号：11010519491231002X，手机 13812345678"
    found = _by_category(engine.scan(text))
    for category in ("cn_id_card", "phone"):
        match = found[category]
        assert text[match.start:match.end] == match.value


def test_line_numbers_in_a_multi_line_text(engine):
    matches = engine.scan("nothing here\nmail bob@example.org\n\nip 203.0.113.9")
    assert [(m.category, m.line) for m in matches] == [("email", 2), ("ip_address", 4)]


def test_score_is_built_in_visible_steps(engine):
    bare = _by_category(engine.scan("490154203237518"))["imei"]
    with_context = _by_category(engine.scan("IMEI 490154203237518"))["imei"]
    in_field = _by_category(engine.scan("490154203237518", field="imei"))["imei"]
    assert "validator:imei" in bare.reasons
    assert bare.score < with_context.score < 1
    assert "context" in with_context.reasons
    assert in_field.evidence == "both" and "field" in in_field.reasons
    assert bare.evidence == "value"


def test_validator_drops_a_bad_checksum(engine):
    assert not [m for m in engine.scan("IMEI 490154203237519") if m.category == "imei"]
    assert not [m for m in engine.scan("card 4111 1111 1111 1112") if m.category == "credit_card"]


def test_weak_shapes_need_context_or_field(engine):
    assert not [m for m in engine.scan("E12345678") if m.category == "passport"]
    assert [m for m in engine.scan("passport no: E12345678") if m.category == "passport"]
    assert [m for m in engine.scan("E12345678", field="passport_number") if m.category == "passport"]


def test_negative_context_vetoes_version_strings_and_ids(engine):
    assert not engine.scan("version=6.1.1.0")
    assert not engine.scan("Chrome/120.0.6099.109")
    assert not [m for m in engine.scan("order_id=4111111111111111") if m.category == "credit_card"]


def test_whatsapp_jid_wins_over_email_and_phone(engine):
    matches = engine.scan("from 5511998765555@s.whatsapp.net")
    assert [m.category for m in matches] == ["whatsapp"]


def test_national_phone_needs_a_region_or_a_context_word(catalog):
    text = "reach me at (650) 253-0000"
    assert not [m for m in Engine(catalog, EngineConfig(regions=("CN",))).scan(text) if m.category == "phone"]
    assert [m for m in Engine(catalog, EngineConfig(regions=("US",))).scan(text) if m.category == "phone"]
    # A context word says "phone" as a field name would: any numbering plan may confirm it.
    assert [m for m in Engine(catalog, EngineConfig(regions=("CN",))).scan("tel: (650) 253-0000") if m.category == "phone"]


def test_a_phone_column_accepts_any_numbering_plan(engine):
    values = "030-0074321\n(171) 555-7788\n+49 30 1234567"
    assert len([m for m in engine.scan(values, field="Phone") if m.category == "phone"]) == 3


def test_name_only_categories_come_from_the_field_name(engine):
    matches = engine.scan("Maria Anders\n\nnull\nAna Trujillo", field="ContactName")
    assert [(m.category, m.evidence, m.line) for m in matches] == [("person_name", "name", 1), ("person_name", "name", 4)]


def test_values_inside_a_named_field_are_still_found(engine):
    matches = engine.scan("call 13812345678 after 5pm", field="shipping_address")
    assert {m.category for m in matches} >= {"postal_address", "phone"}


def test_threshold_drops_weak_matches(catalog):
    strict = Engine(catalog, EngineConfig(threshold=0.95))
    assert not [m for m in strict.scan("490154203237518") if m.category == "imei"]


def test_empty_text(engine):
    assert engine.scan("") == []
    assert engine.scan("", field="email") == []


def test_addresses_that_name_no_host_are_found_at_the_unconfirmed_score(engine, catalog):
    host = _by_category(engine.scan("client 203.0.113.9"))["ip_address"]
    nobody = _by_category(engine.scan("bind 0.0.0.0"))["ip_address"]
    assert "validator:ipv4_address" in host.reasons
    assert "validator:ipv4_address:unspecified address" in nobody.reasons
    assert nobody.score < host.score
    # A threshold above the unconfirmed score keeps real hosts and drops placeholders.
    strict = Engine(catalog, EngineConfig(threshold=0.82))
    assert [m.value for m in strict.scan("from 0.0.0.0 to 203.0.113.9") if m.category == "ip_address"] == ["203.0.113.9"]


def test_a_cidr_range_is_one_value_but_a_url_path_is_not_a_prefix(engine):
    assert [m.value for m in engine.scan("allow 192.168.1.0/24;")] == ["192.168.1.0/24"]
    assert [m.value for m in engine.scan("GET http://10.0.0.1/1/index.html")] == ["10.0.0.1"]
    assert [m.value for m in engine.scan("route 2001:db8::/32 via fe80::1%eth0.100")] == ["2001:db8::/32", "fe80::1%eth0.100"]


def test_bare_double_colon_is_an_address_only_where_context_says_so(engine):
    assert not engine.scan("std::cerr << Foo :: Bar")
    assert [m.value for m in engine.scan("listen ipv6 ::")] == ["::"]
    assert [m.value for m in engine.scan("::\n2001:db8::1", field="ip_address")] == ["::", "2001:db8::1"]


def test_email_local_parts_as_the_world_writes_them(engine):
    assert [m.value for m in engine.scan('to "j doe"@example.com')] == ['"j doe"@example.com']
    assert [m.value for m in engine.scan("请联系zhang@example.cn")] == ["zhang@example.cn"]
    # A dotless host only where a field name or context word says "email".
    assert not [m for m in engine.scan("ssh deploy@buildhost") if m.category == "email"]
    assert [m.value for m in engine.scan("ops@mailhub", field="email")] == ["ops@mailhub"]


def test_a_label_may_end_its_line_and_prose_may_say_call_me_on(engine):
    # A form or signature puts the label above the number; prose puts "me on" between verb and number.
    # (4155552671 is a US number: with the default region CN only a phone context word confirms it.)
    assert [m.value for m in engine.scan("Personal Info:\nPhone:\n4155552671\n") if m.category == "phone"] == ["4155552671"]
    assert [m.value for m in engine.scan("Can someone call me on 4155552671?") if m.category == "phone"] == ["4155552671"]
    assert not [m for m in engine.scan("Notes:\n4155552671") if m.category == "phone"]
    # A weak shape still needs its label: the line break does not make any number a passport.
    assert not [m for m in engine.scan("Notes:\nE12345678") if m.category == "passport"]


def test_url_encoded_emails_in_query_strings_and_user_parts(engine):
    line = "GET /signup?email=jane.doe%40example.com&ref=a%40b HTTP/1.1"
    assert [(m.category, m.value) for m in engine.scan(line)] == [("email", "jane.doe%40example.com")]
    url = "https://13957525385%40163.com@p28-contacts.icloud.com/874161398/principal/"
    assert "13957525385%40163.com" in [m.value for m in engine.scan(url) if m.category == "email"]


def test_url_encoded_phones_in_query_strings(engine):
    line = "GET /api/v1/sms/send?phone=%2B8613960235255&scene=login HTTP/2.0"
    assert [(m.category, m.value) for m in engine.scan(line)] == [("phone", "%2B8613960235255")]
    assert not engine.scan("GET /search?q=%2B12&page=%2B0000000000")


def test_a_value_two_categories_claim_is_the_narrower_ones(engine):
    """cn_id_card narrows national_id (catalog): a Chinese ID after "national id" or in a
    national_id field passes both detectors' checks, and is one finding, cn_id_card."""
    for text, field in (("national id 11010519491231002X", None), ("11010519491231002X", "national_id")):
        matches = engine.scan(text, field=field)
        assert [m.category for m in matches] == ["cn_id_card"], matches
    assert engine.catalog.categories["cn_id_card"].narrows == "national_id"
