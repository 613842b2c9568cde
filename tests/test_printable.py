"""The one escaping rule of every format (pdscan.printable)."""
import os

import pytest

from pdscan.printable import printable, replace_unprintable, without_surrogates


@pytest.mark.parametrize("text, shown", [
    ("plain text, 胡娜 and émile", "plain text, 胡娜 and émile"),
    ("clear\x1b[2Jscreen", "clear\\x1b[2Jscreen"),
    ("tab\there\nnewline\x7f\x85", "tab\\x09here\\x0anewline\\x7f\\x85"),
    (os.fsdecode(b"bad\xff.log"), "bad\\xff.log"),
    ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
    ("evil\u202etxt.exe\u2028", "evil\\u202etxt.exe\\u2028"),
])
def test_printable(text, shown):
    assert printable(text) == shown
    shown.encode("utf-8")  # always encodable


def test_a_glob_character_replaces_what_cannot_be_printed():
    assert replace_unprintable(os.fsdecode(b"a\xffb\x1bc.log"), "?") == "a?b?c.log"


def test_surrogates_become_one_replacement_character_each():
    assert without_surrogates("a\ud800b\udcffc") == "a\ufffdb\ufffdc"
    assert without_surrogates("plain") == "plain"
