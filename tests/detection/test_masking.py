import pytest

from pdscan.masking import mask


def test_masks_keep_just_enough():
    assert mask("number", "13812345678") == "138****5678"
    assert mask("email", "jane@example.com") == "j***@example.com"
    assert mask("ip_address", "192.168.1.20") == "192.168.*.*"
    assert mask("secret", "hunter22") == "******** (8 chars: lower digit)"
    assert mask("number", "11010519491231002X") == "110***********002X"


def test_short_values_are_mostly_hidden():
    masked = mask("number", "12345")
    assert masked.count("*") >= 3


def test_a_url_encoded_email_keeps_its_domain_and_hides_the_mailbox():
    assert mask("email", "13957525385%40163.com") == "1***%40163.com"


def test_a_secret_shows_its_length_and_kinds_of_characters_never_its_characters():
    assert mask("secret", "Tr0ub4dor&3") == "******** (11 chars: upper lower digit symbol)"
    assert mask("secret", "abc") == "*** (3 chars: lower)"


def test_a_phone_extension_is_masked_apart_from_the_number():
    assert mask("number", "+1-604-696-5272x565") == "+1-60*-***-5272x***"


@pytest.mark.parametrize("kind, value", [
    ("text", "胡娜"), ("text", "欧阳娜娜"), ("text", "Владимир Путин"), ("text", "محمد علي"),
    ("text", "김민준"), ("text", "😀🎉🙂x"), ("text", "北京市朝阳区建国路88号"),
    ("text", "Zoë Ångström"), ("text", "Ali المصري"), ("text", "Gibson"),
])
def test_every_script_is_mostly_hidden(kind, value):
    masked = mask(kind, value)
    visible = [c for c, m in zip(value, masked) if c == m and not c.isspace()]
    assert len(masked) == len(value)
    assert len(visible) <= len([c for c in value if not c.isspace()]) // 3, masked
