"""Paths named the same however they were typed: relative to an anchor, normalised, absolute outside it."""
from __future__ import annotations

from pathlib import Path

from pdscan.identity import anchor, local_path, source_key

ROOT = "/srv/shop"


def test_every_spelling_of_a_directory_is_one_name():
    spellings = ["sample_data/", "./sample_data", "sample_data", "sample_data//", "/srv/shop/sample_data",
                 "logs/../sample_data", "./sample_data/."]
    assert {local_path(s, ROOT, cwd=ROOT) for s in spellings} == {"sample_data"}


def test_a_path_typed_below_the_root_is_named_from_the_root():
    assert local_path("app.log", ROOT, cwd="/srv/shop/logs") == "logs/app.log"
    assert local_path(".", ROOT, cwd="/srv/shop/logs") == "logs"
    assert local_path("..", ROOT, cwd="/srv/shop/logs") == "."


def test_a_path_outside_the_root_stays_absolute():
    assert local_path("../other/app.log", ROOT, cwd=ROOT) == "/srv/other/app.log"
    assert local_path("/var/log/syslog", ROOT, cwd=ROOT) == "/var/log/syslog"
    assert local_path("/srv/shopping/x", ROOT, cwd=ROOT) == "/srv/shopping/x"  # a prefix of the name is not a parent


def test_urls_and_stdin_are_names_already():
    assert source_key("postgresql://app:***@db:5432/shop", ROOT, cwd=ROOT) == "postgresql://app:***@db:5432/shop"
    assert source_key("sqlite:///data/app.db", ROOT, cwd=ROOT) == "sqlite:///data/app.db"
    assert source_key("-", ROOT, cwd=ROOT) == "-"
    assert source_key("./data/app.db", ROOT, cwd=ROOT) == "data/app.db"


def test_anchor_is_the_declaration_files_directory_else_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert anchor(None) == tmp_path
    assert anchor("conf/pdscan.yaml") == tmp_path / "conf"
    assert anchor(Path("/etc/pdscan/pdscan.yaml")) == Path("/etc/pdscan")
