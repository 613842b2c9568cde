from pdscan.masking import mask


def test_masks_keep_just_enough():
    assert mask("phone", "13812345678") == "138****5678"
    assert mask("email", "jane@example.com") == "j***@example.com"
    assert mask("ip_address", "192.168.1.20") == "192.168.*.*"
    assert mask("password", "hunter22") == "********"
    assert mask("cn_id_card", "11010519491231002X") == "110***********002X"


def test_short_values_are_mostly_hidden():
    masked = mask("qq_account", "12345")
    assert masked.count("*") >= 3


def test_a_url_encoded_email_keeps_its_domain_and_hides_the_mailbox():
    assert mask("email", "13957525385%40163.com") == "1***%40163.com"
