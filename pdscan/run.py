"""The phases of ``pdscan scan``: initialize → scan → judge → report → exit status.

Kept apart from the click layer so that the phases can be called (and tested) as functions.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pdscan.catalog import Catalog
from pdscan import identity
from pdscan.models import Report, ScanResult


# Version-control internals hold history, not data a team declares; scanning a checkout should not
# turn every git object into a "binary file" error. `--exclude ''` scans them too.
DEFAULT_EXCLUDES = (".git", ".hg", ".svn")


class ConfigurationError(ValueError):
    """A declaration, baseline or key file that cannot be used: exit status 2."""


@dataclass(frozen=True)
class Options:
    sources: tuple[str, ...]
    output_format: str | None = None
    output_path: str | None = None
    show_values: bool = False
    quiet: bool = False
    jobs: int = 0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    max_depth: int | None = None
    sample_rows: int = 10_000
    seed: int = 0
    table_timeout: float = 60.0
    declarations_path: Path | None = None
    fail_on: str = "violation"
    fail_on_stale: bool = False
    baseline_path: str | None = None
    write_baseline_path: str | None = None
    regions: tuple[str, ...] = ("CN",)
    threshold: float = 0.5
    catalog_path: str | None = None


def _load_declarations(options: Options, catalog: Catalog):
    if options.declarations_path is None:
        return None
    from pdscan.declarations.loader import DeclarationError, load_declarations

    try:
        return load_declarations(options.declarations_path, catalog)
    except DeclarationError as exc:
        raise ConfigurationError(f"declarations: {exc}") from exc


def _digest_key(options: Options) -> bytes | None:
    """Values are digested only when a baseline is read or written; the key never leaves this run."""
    if not (options.baseline_path or options.write_baseline_path):
        return None
    from pdscan.declarations import baseline

    anchor = options.baseline_path or options.write_baseline_path
    try:
        return baseline.load_key(None, anchor)
    except FileNotFoundError:
        if options.write_baseline_path:
            return baseline.create_key(Path(options.write_baseline_path).with_name(".pdscan.key"))
        raise ConfigurationError(
            "baseline: no HMAC key: set PDSCAN_BASELINE_KEY or put .pdscan.key beside the baseline") from None
    except ValueError as exc:
        raise ConfigurationError(f"baseline: {exc}") from exc


def _progress_callbacks(options: Options):
    """A rich progress bar on stderr, only for a terminal and without --quiet."""
    if options.quiet or not sys.stderr.isatty():
        return None, None, None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("[bold]scanning"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[done]}"),
                        TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    state = {}

    def on_planned(tasks):
        progress.start()
        state["id"] = progress.add_task("scan", total=sum(max(t.size, 1) for t in tasks) or 1, done="")
        state["total"], state["done"] = len(tasks), 0

    def on_done(task, result):
        state["done"] += 1
        progress.update(state["id"], advance=max(task.size, 1), done=f"{state['done']}/{state['total']} files/tables")

    return on_planned, on_done, progress


def _scan(options: Options, catalog: Catalog | None = None, key: bytes | None = None,
          age_columns: tuple[str, ...] = ()) -> ScanResult:
    # Imported here, not at the top: `pdscan --help` and `pdscan catalog` need none of the detection code.
    from pdscan.detection.engine import EngineConfig
    from pdscan.scanner import ScanConfig, scan
    from pdscan.sources.base import ReadOptions

    config = ScanConfig(
        sources=options.sources,
        read=ReadOptions(include=options.include, exclude=tuple(e for e in options.exclude if e), max_depth=options.max_depth,
                         sample_rows=options.sample_rows, seed=options.seed, age_columns=age_columns,
                         table_timeout_s=options.table_timeout),
        engine=EngineConfig(regions=options.regions, threshold=options.threshold),
        catalog_path=options.catalog_path, jobs=options.jobs, show_values=options.show_values, digest_key=key,
    )
    on_planned, on_done, progress = _progress_callbacks(options)
    try:
        return scan(config, on_planned, on_done, catalog)
    finally:
        if progress is not None:
            progress.stop()


def scan_only(options: Options, catalog: Catalog | None = None) -> ScanResult:
    return _scan(options, catalog)


def scan_and_report(options: Options, catalog: Catalog) -> int:
    from pdscan.declarations.gate import exit_code
    from pdscan.declarations.verdicts import judge

    declarations = _load_declarations(options, catalog)
    key = _digest_key(options)
    result = _scan(options, catalog, key, tuple(getattr(declarations, "age_columns", ()) or ()))
    verdicts, stale = judge(result.findings, declarations, catalog, datetime.now(timezone.utc), scanned=result.scanned)
    notes: list[str] = []
    if options.baseline_path:
        from pdscan.declarations import baseline

        try:
            loaded = baseline.load_baseline(options.baseline_path)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"baseline: {exc}") from exc
        verdicts, baseline_notes = baseline.apply_baseline(verdicts, loaded, datetime.now(timezone.utc).date(), key=key,
                                                           root=identity.anchor(options.declarations_path))
        notes.extend(baseline_notes)
    if options.write_baseline_path:
        from pdscan.declarations import baseline

        baseline.write_baseline(options.write_baseline_path, verdicts, key, root=identity.anchor(options.declarations_path))
        notes.append(f"baseline written to {options.write_baseline_path} ({len(verdicts)} entries)")
    code = exit_code(verdicts, stale, result.errors, options.fail_on, options.fail_on_stale)
    report = Report(result, tuple(verdicts), tuple(stale), tuple(notes), int(code), options.show_values)
    _write_report(report, catalog, options)
    return int(code)


def _write_report(report: Report, catalog: Catalog, options: Options) -> None:
    from pdscan import reporters

    output_format = options.output_format or ("table" if sys.stdout.isatty() and not options.output_path else "json")
    text = reporters.get(output_format).render(report, catalog, stdout=not options.output_path)
    if not text.endswith("\n"):
        text += "\n"
    if options.output_path:
        Path(options.output_path).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
