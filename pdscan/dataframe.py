"""A library entry point for data already in a data frame: ``scan_dataframe(df)``.

A pandas or Dask DataFrame is read as a database table is: column by column, a row named by its
number (``row=17``), values written as every source writes them (``sources.values``), so that the
findings are those a scan of the same rows in a table gives. With declarations, each finding gets
its verdict as in ``pdscan scan``. Neither pandas nor Dask is imported here: the frame brings them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar, Iterator

from pdscan.aggregate import merge
from pdscan.catalog import Catalog, load_catalog
from pdscan.models import Block, ContainerKind, Finding, Scanned, SourceError, StaleDeclaration, Verdict
from pdscan.sources.base import ReadOptions
# The reading of rows that a table and a data frame share: same blocks, row keys and JSON paths.
from pdscan.sources.database import _age_column as age_column, _blocks as column_blocks


@dataclass(frozen=True)
class DataFrameResult:
    findings: tuple[Finding, ...]
    errors: tuple[SourceError, ...] = ()
    verdicts: tuple[Verdict, ...] = ()  # only given declarations
    stale: tuple[StaleDeclaration, ...] = ()


@dataclass(frozen=True, eq=False)
class DataFrameTask:
    """A frame as one table to read; it stays in this process (``picklable`` False)."""

    frame: Any = field(repr=False)
    source: str
    container: str
    size: int = 0
    kind: ClassVar[ContainerKind] = ContainerKind.TABLE
    picklable: ClassVar[bool] = False

    @property
    def name(self) -> str:  # the table name that declarations' age columns (``table.column``) refer to
        return self.container

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        columns = [str(c) for c in self.frame.columns]
        yield from column_blocks(self, _rows(self.frame, options.block_lines), (), False, columns,
                                 [False] * len(columns), age_column(self, columns, options.age_columns), options)


def _partitions(frame) -> Iterator[Any]:
    """A pandas frame is one partition; a Dask one is computed one partition at a time, so that a
    frame larger than memory is read in pieces, in order."""
    if hasattr(frame, "to_delayed") and hasattr(frame, "npartitions"):
        for part in frame.to_delayed():
            yield part.compute()
    else:
        yield frame


def _rows(frame, size: int) -> Iterator[list[tuple]]:
    size = max(1, size)
    for part in _partitions(frame):
        # Missing values (None, NaN, NaT, pd.NA) are NULL, as in a table; the rest keep their type.
        cells = part.astype(object).where(part.notna(), None)
        for start in range(0, len(cells), size):
            yield list(cells.iloc[start:start + size].itertuples(index=False, name=None))


def scan_dataframe(df, catalog: Catalog | str | Path | None = None, declarations=None,
                   source: str = "dataframe", *, regions: tuple[str, ...] = ("CN",), threshold: float = 0.5,
                   show_values: bool = False, now: datetime | None = None) -> DataFrameResult:
    """Scan ``df`` (pandas or Dask) column by column; the findings name ``source`` as their table.

    ``catalog``: a loaded catalog or a catalog path (default: the built-in one). ``declarations``: a
    loaded ``Declarations`` or a path to a ``pdscan.yaml``; with them, the result has a verdict per
    finding and the declarations of ``source`` nothing was found for (``stale``). Examples are masked
    unless ``show_values``.
    """
    from pdscan.detection.engine import Engine, EngineConfig
    from pdscan.scanner import ScanConfig, run_task

    if not isinstance(catalog, Catalog):
        catalog = load_catalog(None if catalog is None else str(catalog))
    if isinstance(declarations, (str, Path)):
        from pdscan.run import load_declarations

        declarations = load_declarations(Path(declarations), catalog)
    # Declared columns that date a row make its age, for retention verdicts, as in `pdscan scan`.
    read = ReadOptions(age_columns=tuple(getattr(declarations, "age_columns", ()) or ()))
    config = ScanConfig(sources=(source,), read=read, show_values=show_values,
                        engine=EngineConfig(regions=tuple(r.upper() for r in regions), threshold=threshold))
    result = run_task(DataFrameTask(df, source, source), Engine(catalog, config.engine), config)
    findings = tuple(merge(result.findings))
    if declarations is None:
        return DataFrameResult(findings, result.errors)
    from pdscan.declarations.verdicts import judge

    scanned = () if any(e.incomplete for e in result.errors) else (Scanned(source, source, ContainerKind.TABLE),)
    verdicts, stale = judge(findings, declarations, catalog, now or datetime.now(timezone.utc), scanned)
    return DataFrameResult(findings, result.errors, verdicts, stale)
