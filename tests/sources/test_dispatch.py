"""Which source plans an argument: database URLs, SQLite files by content, paths."""
from __future__ import annotations

import sqlite3

from pdscan.models import ContainerKind, SourceError
from pdscan.sources.base import ReadOptions
from pdscan.sources.database import TableTask
from pdscan.sources.dispatch import SOURCE_KINDS, plan_source
from pdscan.sources.files import FileTask


def test_every_source_kind_claims_arguments_or_files():
    assert all(kind.claims is not None or kind.magic for kind in SOURCE_KINDS)
    assert len({kind.name for kind in SOURCE_KINDS}) == len(SOURCE_KINDS)


def test_sqlite_file_found_in_a_directory_is_planned_as_tables(tmp_path):
    path = tmp_path / "app.data"  # no SQLite extension: found by its content
    connection = sqlite3.connect(path)
    connection.execute("create table t (email text)")
    connection.commit()
    connection.close()
    (tmp_path / "app.log").write_text("x\n")
    items = list(plan_source(str(tmp_path), ReadOptions()))
    assert not [i for i in items if isinstance(i, SourceError)]
    tables = [i for i in items if isinstance(i, TableTask)]
    assert [(t.name, t.source, t.kind) for t in tables] == [("t", str(path), ContainerKind.TABLE)]  # the file, not the walk's root
    assert [(i.kind, i.picklable) for i in items if isinstance(i, FileTask)] == [(ContainerKind.FILE, True)]
    (table,) = [i for i in plan_source(str(path), ReadOptions()) if isinstance(i, TableTask)]
    assert table.source == str(path) and table.container == "t"


def test_database_url_is_planned_by_the_database_source(tmp_path):
    items = list(plan_source(f"sqlite:///{tmp_path}/missing.db", ReadOptions()))
    assert [(type(i), i.reason) for i in items] == [(SourceError, f"no such SQLite file: {tmp_path}/missing.db")]
