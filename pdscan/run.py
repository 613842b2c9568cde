"""The phases of ``pdscan scan``: initialize → scan → judge → apply baseline → gate → report.

Each phase is a function of what the phases before it returned and of its own frozen config, which
the CLI builds once from its options; ``scan_and_report`` only calls them in order. Kept apart from
the click layer so that the phases can be called (and tested) as functions.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pdscan.catalog import Catalog
from pdscan import identity
from pdscan.models import Report, ScanResult, StaleDeclaration, Verdict

if TYPE_CHECKING:  # the scan phase's modules are imported when it runs: `pdscan --help` needs none of them
    from pdscan.declarations.baseline import Baseline
    from pdscan.declarations.model import Declarations
    from pdscan.scanner import ScanConfig


class ConfigurationError(ValueError):
    """A declaration, baseline or key file that cannot be used: exit status 2."""


@dataclass(frozen=True)
class BaselineConfig:
    read_path: str | None = None  # --baseline: suppress the findings it records
    write_path: str | None = None  # --write-baseline: record the findings (creating the key if missing)


@dataclass(frozen=True)
class GateConfig:
    fail_on: str = "violation"
    fail_on_stale: bool = False


@dataclass(frozen=True)
class ReportConfig:
    output_format: str | None = None  # None: table on a terminal, json otherwise
    output_path: str | None = None  # None: standard output


@dataclass(frozen=True)
class RunConfig:
    """Everything ``pdscan scan`` was asked to do, one frozen config per phase."""

    scan: ScanConfig
    declarations_path: Path | None = None
    baseline: BaselineConfig = BaselineConfig()
    gate: GateConfig = GateConfig()
    report: ReportConfig = ReportConfig()
    quiet: bool = False  # no progress bar


@dataclass(frozen=True)
class Setup:
    """What ``initialize`` read for the later phases: the declarations and the key of value digests."""

    declarations: Declarations | None = None
    digest_key: bytes | None = None
    baseline: Baseline | None = None  # --baseline, read before the scan


# ---------------------------------------------------------------- initialize

def initialize(config: RunConfig, catalog: Catalog) -> Setup:
    """Read the declarations, the baseline and the digest key, and check that the report and the
    baseline can be written, before the scan: a file that cannot be used stops the run
    (``ConfigurationError``) before any source is read."""
    check_outputs(config)
    declarations = load_declarations(config.declarations_path, catalog)
    key = digest_key(config.baseline)
    return Setup(declarations, key, load_baseline(config.baseline.read_path))


def check_outputs(config: RunConfig) -> None:
    """The files this run will write, checked now: a missing directory is known before the scan."""
    if not (config.report.output_path or config.baseline.write_path):
        return
    from pdscan.output_file import OutputError, check_writable

    try:
        if config.report.output_path:
            check_writable(config.report.output_path, "--output")
        if config.baseline.write_path:
            check_writable(config.baseline.write_path, "--write-baseline")
    except OutputError as exc:
        raise ConfigurationError(str(exc)) from None


def load_baseline(path: str | None) -> Baseline | None:
    if not path:
        return None
    from pdscan.declarations import baseline

    try:
        return baseline.load_baseline(path)
    except OSError as exc:
        raise ConfigurationError(f"baseline: {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigurationError(f"baseline: {exc}") from exc


def load_declarations(path: Path | None, catalog: Catalog) -> Declarations | None:
    if path is None:
        return None
    from pdscan.declarations.loader import DeclarationError, load_declarations as load

    try:
        return load(path, catalog)
    except DeclarationError as exc:
        raise ConfigurationError(f"declarations: {exc}") from exc


def digest_key(config: BaselineConfig) -> bytes | None:
    """The HMAC key of value digests: needed only when a baseline is read or written, and it never
    leaves this run. The scan digests values as it keeps them, so this is read before the scan."""
    if not (config.read_path or config.write_path):
        return None
    from pdscan import value_identity

    anchor = config.read_path or config.write_path
    try:
        try:
            return value_identity.load_key(None, anchor)
        except FileNotFoundError:
            if not config.write_path:
                raise ConfigurationError("baseline: no HMAC key: set PDSCAN_BASELINE_KEY or put .pdscan.key beside "
                                         "the baseline") from None
            path = Path(config.write_path).with_name(value_identity.KEY_FILE)
            try:
                return value_identity.create_key(path)
            except OSError as exc:
                raise ConfigurationError(f"baseline: cannot create the HMAC key {path}: {exc.strerror or exc} (or set "
                                         f"{value_identity.KEY_ENV})") from None
    except OSError as exc:  # a key file that exists but cannot be read
        raise ConfigurationError(f"baseline: HMAC key {exc.filename or ''}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigurationError(f"baseline: {exc}") from exc


# ---------------------------------------------------------------- scan

def scan(config: ScanConfig, catalog: Catalog, setup: Setup = Setup(), quiet: bool = False) -> ScanResult:
    """Read every source and detect, with a progress bar on a terminal. The declarations add the
    columns that date a row (retention), the setup the key values are digested with."""
    from pdscan.scanner import scan as scan_sources

    age_columns = tuple(getattr(setup.declarations, "age_columns", ()) or ())
    config = replace(config, read=replace(config.read, age_columns=age_columns), digest_key=setup.digest_key)
    on_planned, on_done, progress = _progress_callbacks(quiet)
    try:
        return scan_sources(config, catalog, on_planned, on_done)
    except Exception as exc:
        if type(exc).__name__ == "ClusterError":  # --scheduler: not installed or not reachable, nothing read
            raise ConfigurationError(str(exc)) from exc
        raise
    finally:
        if progress is not None:
            progress.stop()


def _progress_callbacks(quiet: bool):
    """A rich progress bar on stderr, only for a terminal and without --quiet."""
    if quiet or not sys.stderr.isatty():
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


# ---------------------------------------------------------------- judge

def judge(result: ScanResult, setup: Setup, catalog: Catalog,
          now: datetime) -> tuple[tuple[Verdict, ...], tuple[StaleDeclaration, ...]]:
    """A verdict per finding from the declarations, and the declarations nothing was found for."""
    from pdscan.declarations.verdicts import judge as judge_findings

    verdicts, stale = judge_findings(result.findings, setup.declarations, catalog, now, scanned=result.scanned)
    return tuple(verdicts), tuple(stale)


# ---------------------------------------------------------------- apply baseline

def apply_baseline(verdicts: tuple[Verdict, ...], config: BaselineConfig, key: bytes | None, root: Path,
                   today: date, loaded: Baseline | None = None) -> tuple[tuple[Verdict, ...], tuple[str, ...]]:
    """``--baseline`` (``loaded`` by ``initialize``, else read now) marks the findings it records as
    suppressed; ``--write-baseline`` then records every finding. Returns the verdicts and the notes."""
    if not (config.read_path or config.write_path):
        return verdicts, ()
    from pdscan.declarations import baseline
    from pdscan.output_file import OutputError

    notes: list[str] = []
    if config.read_path:
        if loaded is None:
            loaded = load_baseline(config.read_path)
        verdicts, read_notes = baseline.apply_baseline(verdicts, loaded, today, key=key, root=root)
        notes.extend(read_notes)
    if config.write_path:
        try:
            baseline.write_baseline(config.write_path, verdicts, key, root=root)
        except OutputError as exc:
            raise ConfigurationError(str(exc)) from None
        notes.append(f"baseline written to {config.write_path} ({len(verdicts)} entries)")
    return tuple(verdicts), tuple(notes)


# ---------------------------------------------------------------- report

def write_report(report: Report, catalog: Catalog, config: ReportConfig) -> None:
    """Render in the chosen format to the output file or standard output, ending with a newline."""
    from pdscan import reporters

    output_format = config.output_format or ("table" if sys.stdout.isatty() and not config.output_path else "json")
    text = reporters.get(output_format).render(report, catalog, stdout=not config.output_path)
    if not text.endswith("\n"):
        text += "\n"
    if config.output_path:
        from pdscan.output_file import OutputError, write_text

        try:
            write_text(config.output_path, text, "the report")
        except OutputError as exc:
            raise ConfigurationError(str(exc)) from None
    else:
        # The text is printable (pdscan.printable); a standard output that cannot encode a character
        # (PYTHONIOENCODING=ascii) gets it as an escape rather than a crash that loses the report.
        stream = sys.stdout
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # `> /dev/full`
            raise ConfigurationError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- all of them

def scan_and_report(config: RunConfig, catalog: Catalog) -> int:
    """The phases in order; returns the exit status (``declarations.gate.exit_code`` decides it)."""
    from pdscan.declarations.gate import exit_code

    setup = initialize(config, catalog)
    result = scan(config.scan, catalog, setup, config.quiet)
    now = datetime.now(timezone.utc)
    verdicts, stale = judge(result, setup, catalog, now)
    verdicts, notes = apply_baseline(verdicts, config.baseline, setup.digest_key,
                                     identity.anchor(config.declarations_path), now.date(), setup.baseline)
    code = int(exit_code(verdicts, stale, result.errors, config.gate.fail_on, config.gate.fail_on_stale))
    write_report(Report(result, verdicts, stale, notes, code, config.scan.show_values), catalog, config.report)
    return code
