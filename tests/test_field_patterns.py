"""Field-name patterns under RE2: Python's meaning kept, linear time, unsupported constructs refused."""
import re
import time

import pytest

from pdscan.field_patterns import CategoryPatterns, check, translate


def test_a_leading_negative_lookahead_is_two_patterns_with_the_same_meaning():
    pattern = r"(?!(\w+_)?(phone|mobile)_(model|brand)$)(\w+_)?(tele)?phone(_?(number|no))?"
    translated = translate(pattern)
    assert translated.exclude is not None and "(?!" not in translated.include
    patterns = CategoryPatterns((pattern,))
    python = re.compile(pattern, re.IGNORECASE)
    for name in ("phone", "home_phone", "phone_model", "mobile_phone_brand", "telephone_number", "phone_models",
                 "用户_phone", "phonebook"):
        assert patterns.fullmatch(name) == bool(python.fullmatch(name)), name


def test_word_and_digit_classes_stay_unicode():
    patterns = CategoryPatterns((r"\w+_id", r"x\d"))
    assert patterns.fullmatch("用户_id") and patterns.fullmatch("x٣")  # Arabic-Indic digit three


@pytest.mark.parametrize("pattern", [r"(?<=a)b", r"a(?=b)", r"a(?!b)c", r"(a)\1", r"(?P<x>a)(?P=x)"])
def test_other_look_arounds_and_back_references_are_refused(pattern):
    with pytest.raises(ValueError):
        check(pattern)


def test_catastrophic_backtracking_runs_in_linear_time():
    patterns = CategoryPatterns(("(a+)+b",))
    started = time.process_time()
    assert not patterns.fullmatch("a" * 5_000 + "c")
    assert time.process_time() - started < 1


def test_a_lone_surrogate_in_a_name_is_matched_as_python_would():
    for pattern, name in ((r"\w*mail", "e\ud800mail"), (r".*mail", "e\ud800mail")):
        assert CategoryPatterns((pattern,)).fullmatch(name) == bool(re.fullmatch(pattern, name)), pattern
