"""The hand labels of benchmarks/real_data.py are well-formed: every labelled file is there with its
SOURCE, every category is in the catalog, every label says why. Whether pdscan meets the labels is
what the benchmark prints, not something tested here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REAL = Path(__file__).resolve().parent / "data" / "real"
LABELS = REAL / "labels.yaml"
EXPECT = {"find", "not_find"}


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    doc = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert doc["files"], "no labelled file"
    return doc["files"]


def test_each_entry_names_one_file_and_has_labels(entries):
    for entry in entries:
        assert ("path" in entry) != ("shared" in entry), entry
        assert set(entry) <= {"path", "shared", "labels"}, entry
        assert entry["labels"], entry


def test_local_files_exist_with_their_source(entries):
    for entry in entries:
        if "path" not in entry:
            continue
        path = REAL / entry["path"]
        assert path.is_file(), f"labelled file missing: {entry['path']}"
        source = path.parent / "SOURCE"
        assert source.is_file(), f"{entry['path']}: no SOURCE file beside it"
        text = source.read_text(encoding="utf-8")
        assert re.search(r"(?m)^Licence:", text), f"{source}: no Licence line"
        assert re.search(r"(?m)^(Repository|Upstream path):", text), f"{source}: no repository"


def test_every_data_file_is_labelled(entries):
    labelled = {entry["path"] for entry in entries if "path" in entry}
    present = {
        p.relative_to(REAL).as_posix() for p in REAL.rglob("*")
        if p.is_file() and p.name not in {"SOURCE", "labels.yaml"}
    }
    assert present - labelled == set(), "data files nobody labelled"


def test_shared_files_exist_when_shared_is_there(entries, shared):
    # `shared` (conftest) skips this test when ../shared is absent.
    for entry in entries:
        if "shared" in entry:
            assert (shared / entry["shared"]).is_file(), entry["shared"]


def test_labels_use_catalog_categories_and_known_expectations(entries, catalog):
    for entry in entries:
        name = entry.get("path") or entry["shared"]
        seen = set()
        for label in entry["labels"]:
            assert set(label) == {"field", "category", "expect"}, (name, label)
            assert isinstance(label["field"], str), (name, label)
            assert label["category"] in catalog.categories, f"{name}: unknown category {label['category']!r}"
            assert label["expect"] in EXPECT, (name, label)
            key = (label["field"], label["category"])
            assert key not in seen, f"{name}: {key} labelled twice"
            seen.add(key)


def test_every_label_says_why():
    lines = [line for line in LABELS.read_text(encoding="utf-8").splitlines()
             if line.lstrip().startswith("- {field:")]
    assert lines
    for line in lines:
        assert re.search(r"\}\s+#\s*\S", line), f"label without a comment: {line.strip()}"
