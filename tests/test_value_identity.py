"""Value identity: normalisation, keyed digests and the project key."""
from __future__ import annotations

import os
import stat

import pytest

from pdscan import value_identity as vi

KEY = bytes(range(32))


def test_value_digest_is_keyed_normalised_and_never_plain():
    a = vi.value_digest(KEY, "phone", "number", "+86 138 1234 5678")
    assert a == vi.value_digest(KEY, "phone", "number", "+8613812345678") == vi.value_digest(KEY, "phone", "number", " +86-138-1234-5678 ")
    assert a != vi.value_digest(bytes(32), "phone", "number", "+8613812345678")  # another key, another digest
    assert vi.value_digest(KEY, "email", "email", " Bob@Example.COM ") == vi.value_digest(KEY, "email", "email", "bob@example.com")
    assert vi.value_digest(KEY, "ip_address", "ip_address", "10.0.0.1") != vi.value_digest(KEY, "ip_address", "ip_address", "100.0.1")
    assert vi.value_digest(KEY, "credit_card", "number", "4111 1111 1111 1111") == vi.value_digest(KEY, "credit_card", "number", "4111111111111111")
    import hashlib
    assert a not in (hashlib.sha256(b"+8613812345678").hexdigest()[:32], hashlib.sha256(b"8613812345678").hexdigest()[:32])
    assert len(a) == 32 and int(a, 16) >= 0


def test_codes_are_compared_without_their_separators_and_text_with_them():
    assert vi.normalise("code", "GB82 WEST 1234 5698 7654 32") == vi.normalise("code", "gb82west12345698765432")
    assert vi.normalise("code", "00:1A:2B:3C:4D:5E") == vi.normalise("code", "001a2b3c4d5e")
    assert vi.normalise("text", "Anna-Maria") != vi.normalise("text", "Anna Maria")


def test_key_from_env_file_and_creation(tmp_path, monkeypatch):
    monkeypatch.delenv(vi.KEY_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError):
        vi.load_key(None, str(tmp_path / "sub" / "b.json"))
    key_path = tmp_path / vi.KEY_FILE
    created = vi.create_key(key_path)
    assert len(created) == 32 and stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert vi.load_key(None, str(tmp_path / "b.json")) == created
    assert vi.load_key(None, str(tmp_path / "sub" / "b.json")) == created  # falls back to the working directory
    assert vi.load_key(str(key_path)) == created
    with pytest.raises(FileExistsError):
        vi.create_key(key_path)
    monkeypatch.setenv(vi.KEY_ENV, "00" * 32)
    assert vi.load_key(None, str(tmp_path / "b.json")) == bytes(32)
    monkeypatch.setenv(vi.KEY_ENV, "a long enough project secret")
    assert vi.load_key() == b"a long enough project secret"
    monkeypatch.setenv(vi.KEY_ENV, "short")
    with pytest.raises(ValueError, match="too short"):
        vi.load_key()
