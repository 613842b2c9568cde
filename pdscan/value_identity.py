"""Value identity: how a found value is normalised and turned into a keyed digest, and the key.

Aggregation (when values are first kept) and baselines (when they are compared) both name values
this way, so that neither phase imports the other. A digest is HMAC-SHA-256 with a per-project key,
truncated to 128 bits, of the category and the normalised value: never a plain hash (a phone
number's plain SHA-256 is brute-forced in minutes), never the value.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from pathlib import Path

KEY_ENV = "PDSCAN_BASELINE_KEY"
KEY_FILE = ".pdscan.key"
MIN_KEY_BYTES = 16
DIGEST_HEX = 32
# Value kinds (the catalog's `value_kind`) written with optional separators: spaces, dashes, dots,
# brackets, '+' and ':' are formatting, so "+86 138 1234 5678" and "+8613812345678" are one value.
# Not IP addresses, emails or text, where separators matter.
SEPARATED_KINDS = frozenset({"number", "code"})
_HEX_KEY = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
_SEPARATORS = re.compile(r"[\W_]+")


def normalise(kind: str, value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    if kind in SEPARATED_KINDS:
        text = _SEPARATORS.sub("", text)
    return text


def value_digest(key: bytes, category: str, kind: str, value: str) -> str:
    """The keyed digest of one value of one category (of value kind ``kind``): 32 hex digits."""
    message = f"{category}\x00{normalise(kind, value)}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:DIGEST_HEX]


# ---------------------------------------------------------------- the key

def _parse_key(text: str, where: str) -> bytes:
    text = text.strip()
    key = bytes.fromhex(text) if _HEX_KEY.fullmatch(text) else text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"{where}: the HMAC key is too short: use at least {MIN_KEY_BYTES} bytes "
                         f"(32 hex digits or 16 characters)")
    return key


def load_key(explicit_path: str | None = None, anchor: str | None = None) -> bytes:
    """The project's HMAC key for value digests.

    From ``explicit_path`` (a key file) if given; else ``PDSCAN_BASELINE_KEY`` (hex, or any text of
    16+ bytes); else ``.pdscan.key`` beside ``anchor`` (the baseline file), else in the working
    directory. ``FileNotFoundError`` when there is none, ``ValueError`` when it is unusable (a
    directory or a dangling link in its place, not UTF-8, too short), ``OSError`` when unreadable.
    """
    if explicit_path:
        path = Path(explicit_path)
        return _parse_key(path.read_text(encoding="utf-8"), str(path))
    env = os.environ.get(KEY_ENV)
    if env:
        return _parse_key(env, KEY_ENV)
    candidates = ([Path(anchor).resolve().parent / KEY_FILE] if anchor else []) + [Path.cwd() / KEY_FILE]
    for path in candidates:
        if path.is_file():
            return _parse_key(path.read_text(encoding="utf-8"), str(path))
        if path.is_symlink() or path.exists():  # a directory, a dangling link: not "no key", a broken one
            raise ValueError(f"{path}: the HMAC key file is {'a directory' if path.is_dir() else 'not a readable file'}")
    raise FileNotFoundError(f"no HMAC key: set {KEY_ENV} or create {candidates[0]} (--write-baseline creates one)")


def create_key(path: str | Path) -> bytes:
    """Write a new random 32-byte key (hex) to ``path``, readable by the owner only; never overwrites."""
    import secrets  # only when a key is made: it is not worth its import to every scan

    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (key.hex() + "\n").encode("ascii"))
    finally:
        os.close(fd)
    return key


def key_id(key: bytes) -> str:
    """A short, non-reversible name for the key, stored in the baseline to detect a different key."""
    return hmac.new(key, b"pdscan baseline key id", hashlib.sha256).hexdigest()[:16]
