"""The validated catalog is cached by content: the same catalog back, a changed file re-read, errors never cached."""
from __future__ import annotations

import shutil

import pytest

from pdscan import catalog as catalog_module
from pdscan.catalog import CatalogError, default_catalog_path, load_catalog


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def catalog_copy(tmp_path):
    copy = tmp_path / "catalogs"
    shutil.copytree(default_catalog_path(), copy)
    return copy


def _entries(cache_dir):
    return sorted(p.name for p in cache_dir.glob("catalog-*.pickle"))


def test_second_load_comes_from_the_cache_unchanged(cache_dir, catalog_copy, monkeypatch):
    first = load_catalog(catalog_copy)
    assert len(_entries(cache_dir)) == 1

    def no_parsing(*_args):
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(catalog_module, "_parse", no_parsing)
    second = load_catalog(catalog_copy)
    assert second == first
    assert second.detectors and second.categories["email"].allowed_purposes


def test_a_changed_file_is_read_again(cache_dir, catalog_copy):
    load_catalog(catalog_copy)
    policies = catalog_copy / "policies.yaml"
    text = policies.read_text(encoding="utf-8")
    marker = text.index("  - id: email\n")
    name_at = text.index("name:", marker)
    line_end = text.index("\n", name_at)
    policies.write_text(text[:name_at] + 'name: "E-mail (edited)"' + text[line_end:], encoding="utf-8")
    assert load_catalog(catalog_copy).categories["email"].name == "E-mail (edited)"
    assert len(_entries(cache_dir)) == 2


def test_a_damaged_entry_is_rebuilt(cache_dir, catalog_copy):
    expected = load_catalog(catalog_copy)
    entry, = cache_dir.glob("catalog-*.pickle")
    entry.write_bytes(b"garbage")
    assert load_catalog(catalog_copy) == expected
    assert entry.read_bytes() != b"garbage"


def test_an_invalid_catalog_is_never_cached(cache_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncategories:\n  - id: x\n    name: X\n    sensitivity: extreme\n    fideslang: user\n",
                   encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError, match="sensitivity"):
            load_catalog(bad)
    assert _entries(cache_dir) == []


def test_an_unwritable_cache_still_loads(tmp_path, monkeypatch, catalog_copy):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(blocker / "cache"))
    assert load_catalog(catalog_copy) == load_catalog(catalog_copy)
