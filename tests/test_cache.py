"""The cache directory: atomic entries, records that cannot run code, and no harm when it is unusable."""
from __future__ import annotations

import os
import pickle

from pdscan import cache
from pdscan.catalog import Citation


def test_entries_round_trip_in_the_configured_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(tmp_path / "c"))
    assert cache.read("x.bin") is None
    assert cache.write("x.bin", b"payload") is True
    assert cache.read("x.bin") == b"payload"
    assert os.listdir(tmp_path / "c") == ["x.bin"]  # no temporary file left behind


def test_xdg_cache_home_is_used_without_pdscan_cache_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("PDSCAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "pdscan"


def test_an_unusable_directory_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot be created, even by root
    assert cache.write("x.bin", b"payload") is False
    assert cache.read("x.bin") is None
    assert cache.store_records("y.pickle", Citation("p.txt", "1", "q")) is False
    assert cache.load_records("y.pickle", (Citation,), Citation) is None


def test_records_load_only_as_the_named_classes(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(tmp_path))
    citation = Citation("004.txt", "1.1", "a phrase")
    assert cache.store_records("ok.pickle", citation)
    assert cache.load_records("ok.pickle", (Citation,), Citation) == citation
    # Another class than the expected one, or a global outside the list (here os.getcwd), is refused.
    assert cache.load_records("ok.pickle", (Citation,), dict) is None
    (tmp_path / "evil.pickle").write_bytes(pickle.dumps(os.getcwd))
    assert cache.load_records("evil.pickle", (Citation,), Citation) is None
    (tmp_path / "junk.pickle").write_bytes(b"\x80\x05not a pickle")
    assert cache.load_records("junk.pickle", (Citation,), Citation) is None


def test_code_digest_changes_with_the_code(tmp_path):
    source = tmp_path / "module.py"
    source.write_text("A = 1\n", encoding="utf-8")
    first = cache.code_digest(source)
    assert cache.code_digest(source) == first
    source.write_text("A = 2\n", encoding="utf-8")
    assert cache.code_digest(source) != first
    assert cache.code_digest(tmp_path / "missing.py") != first


def test_each_write_keeps_only_the_most_recently_used_entries_of_its_kind(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(tmp_path))
    for n in range(40):  # older entries first, as a long-used cache has them
        (tmp_path / f"catalog-{n:02d}.pickle").write_bytes(b"x")
        os.utime(tmp_path / f"catalog-{n:02d}.pickle", (1_000_000 + n, 1_000_000 + n))
    (tmp_path / "declarations-a.pickle").write_bytes(b"d")
    (tmp_path / "notes.txt").write_bytes(b"n")
    assert cache.read("catalog-00.pickle") == b"x"  # the oldest, used now
    assert cache.write("catalog-new.pickle", b"y")
    kept = sorted(p.name for p in tmp_path.glob("catalog-*"))
    assert len(kept) == 32
    assert "catalog-new.pickle" in kept and "catalog-00.pickle" in kept and "catalog-39.pickle" in kept
    assert "catalog-01.pickle" not in kept  # the least recently used went
    assert (tmp_path / "declarations-a.pickle").exists() and (tmp_path / "notes.txt").exists()


def test_compiled_databases_are_kept_three_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(tmp_path))
    for n in range(5):
        assert cache.write(f"hyperscan-{n}.db", b"db")
    assert sorted(p.name for p in tmp_path.glob("hyperscan-*")) == ["hyperscan-2.db", "hyperscan-3.db", "hyperscan-4.db"]
