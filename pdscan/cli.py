"""The command line: parse options, build a frozen config, run the phases, pick the exit code."""
from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from pdscan import __version__, reporters
from pdscan.catalog import Catalog, CatalogError, load_catalog
from pdscan.exit_codes import ExitCode

_DETECT_BATCH_LINES = 4096

# Version-control internals hold history, not data a team declares; scanning a checkout should not
# turn every git object into a "binary file" error. `--exclude ''` scans them too.
DEFAULT_EXCLUDES = (".git", ".hg", ".svn")


def _load_catalog(path: str | None) -> Catalog:
    try:
        return load_catalog(path)
    except CatalogError as exc:
        raise click.UsageError(f"catalog: {exc}") from exc


catalog_option = click.option("--catalog", "catalog_path", type=click.Path(dir_okay=True),
                              help="A catalog YAML file or directory instead of the built-in one.")
region_option = click.option("--region", "regions", multiple=True, metavar="CC", default=("CN",), show_default=True,
                             help="ISO country code whose national phone/ID/postcode formats count without a country prefix (repeatable).")
threshold_option = click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
                                help="Drop matches scored below this confidence.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pdscan")
def main() -> None:
    """Find personal data in logs, exports and databases, and check it against the privacy policies."""


@main.command("catalog")
@catalog_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def catalog_command(catalog_path: str | None, output_format: str) -> None:
    """Show the catalog: data categories, allowed purposes, retention rules and citations."""
    catalog = _load_catalog(catalog_path)
    if output_format == "json":
        from pdscan.reporters import catalog_json

        click.echo(catalog_json.render(catalog))
        return
    from rich.console import Console

    from pdscan.reporters import catalog_table

    catalog_table.render(catalog, Console())


def _line_batches(stream) -> Iterator[tuple[int, list[str]]]:
    """Lines in batches (first line number, lines): one engine call per batch, not per line."""
    batch: list[str] = []
    first = 1
    for number, raw in enumerate(stream, start=1):
        batch.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
        if len(batch) >= _DETECT_BATCH_LINES:
            yield first, batch
            first, batch = number + 1, []
    if batch:
        yield first, batch


@main.command("detect")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--format", "output_format", type=click.Choice(["text", "ndjson"]), default="text", show_default=True)
@click.option("--field", help="Field name the lines are values of (e.g. a column name): used as evidence.")
@click.option("--show-values", is_flag=True, help="Print raw values instead of masked ones.")
@region_option
@threshold_option
@catalog_option
def detect_command(file, output_format: str, field: str | None, show_values: bool, regions: tuple[str, ...],
                   threshold: float, catalog_path: str | None) -> None:
    """Print each personal-data match in FILE (or standard input), line by line.

    Exit status: 0 no match, 1 at least one match, 2 usage or catalog error.
    """
    from pdscan.detection.engine import Engine, EngineConfig
    from pdscan.reporters import matches as reporter

    engine = Engine(_load_catalog(catalog_path), EngineConfig(tuple(r.upper() for r in regions), threshold))
    render = reporter.render_ndjson if output_format == "ndjson" else reporter.render_text
    found = False
    for first_line, lines in _line_batches(file):
        text = "\n".join(lines)
        line_starts = [0]
        for line in lines[:-1]:
            line_starts.append(line_starts[-1] + len(line) + 1)
        for match in engine.scan(text, field=field):
            found = True
            column = match.start - line_starts[match.line - 1]
            click.echo(render(match, first_line + match.line - 1, column, show_values))
    sys.exit(ExitCode.FOUND if found else ExitCode.OK)


DATABASE_URL_ENV = "PDSCAN_DATABASE_URL"


def _sources(given: tuple[str, ...]) -> tuple[str, ...]:
    """SOURCES as given; without any, the database URL in ``PDSCAN_DATABASE_URL`` (a password kept
    out of the command line, where ``ps`` and shell histories would show it)."""
    if given:
        return given
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return (url,)
    raise click.UsageError(f"Missing argument 'SOURCES...': name files, directories, - or database URLs, "
                           f"or set {DATABASE_URL_ENV}.")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is."""


@contextmanager
def _interruptible(what: str):
    """Ctrl-C or SIGTERM: a one-line message, no traceback, no report written (a report of half the
    sources would pass for a whole one), exit status 130 (``ExitCode.INTERRUPTED``)."""
    def on_term(signum, frame):
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except KeyboardInterrupt as exc:
        signal_name = "SIGTERM" if isinstance(exc, _Terminated) else "SIGINT"
        import multiprocessing

        # Workers still waiting for tasks would outlive us (holding our stderr open); then exit without
        # the interpreter's clean-up, which joins the pool's threads that an interrupted pool may never
        # end. Temporary files were removed while the exception unwound.
        for child in multiprocessing.active_children():
            child.terminate()
        click.echo(f"pdscan: interrupted ({signal_name}): {what}", err=True)
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _declarations_path(explicit: str | None, quiet: bool = False) -> Path | None:
    """``--declarations`` must exist; without it, ``pdscan.yaml`` is looked for from the working
    directory up (``loader.find``), and stderr says which file was used, or where none was found."""
    from pdscan.declarations import loader

    if explicit is not None:
        if not Path(explicit).is_file():
            raise click.UsageError(f"declarations: {explicit}: no such file")
        return Path(explicit)
    search = loader.find()
    if search.found is not None:
        if not quiet:
            click.echo(f"pdscan: declarations: {_shown(search.found)}", err=True)
        return search.found
    top = search.searched[-1] if search.searched else Path.cwd()
    limit = "the repository root" if search.stopped_at_repository else "the file system root"
    click.echo(f"pdscan: no {loader.DEFAULT_FILE} in {Path.cwd()} or any directory above it (looked up to {limit}, "
               f"{top}): every finding is `undeclared` (or `not_in_policy`, for data no policy names). Draft one with "
               f"`pdscan init SOURCE...`, or name one with --declarations FILE.", err=True)
    return None


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        return str(path.absolute().relative_to(Path.cwd())) if path.absolute() != Path.cwd() else "."
    except ValueError:
        return str(path)


def _scan_config(sources: tuple[str, ...], regions: tuple[str, ...], threshold: float, jobs: int, sample_rows: int,
                 show_values: bool = False, include: tuple[str, ...] = (), exclude: tuple[str, ...] = DEFAULT_EXCLUDES,
                 max_depth: int | None = None, seed: int = 0, table_timeout: float = 60.0):
    """The scan phase's frozen config from the options of `scan` and `init` (`init` has fewer)."""
    from pdscan.detection.engine import EngineConfig
    from pdscan.scanner import ScanConfig
    from pdscan.sources.base import ReadOptions

    read = ReadOptions(include=tuple(include), exclude=tuple(e for e in exclude if e), max_depth=max_depth,
                       sample_rows=sample_rows, seed=seed, table_timeout_s=table_timeout)
    return ScanConfig(sources=tuple(sources), read=read,
                      engine=EngineConfig(regions=tuple(r.upper() for r in regions), threshold=threshold),
                      jobs=jobs, show_values=show_values)


def _scheduled(config, state_path: str | None, rescan_tables: bool, max_bytes: int | None, sample_lines: int | None,
               decompression_limit: bool = True, scheduler: str | None = None, scheduler_timeout: float = 10.0):
    """The options of scheduled runs, quick looks, decompression limits and cluster runs, on the scan config."""
    from dataclasses import replace

    if state_path and (max_bytes or sample_lines):
        raise click.UsageError("--state records whole files: it cannot be used with --max-bytes-per-file "
                               "or --sample-lines")
    read = replace(config.read, max_bytes_per_file=max_bytes, sample_lines=sample_lines)
    if not decompression_limit:
        read = replace(read, max_decompressed_bytes=0, max_ratio=0)
    return replace(config, read=read, state_path=state_path, rescan_tables=rescan_tables, scheduler=scheduler,
                   scheduler_timeout=scheduler_timeout)


@main.command("scan")
@click.argument("sources", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(tuple(reporters.FORMATS)),
              default=None, help="Output format [default: table on a terminal, json otherwise].")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--show-values", is_flag=True, help="Show raw example values instead of masked ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", "-j", type=click.IntRange(0), default=0, show_default=True, help="Worker processes (0: all cores).")
@click.option("--include", multiple=True, metavar="GLOB", help="Only scan files matching this glob (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", default=DEFAULT_EXCLUDES, show_default=True,
              help="Skip files and directories matching this glob (repeatable; giving any replaces the default).")
@click.option("--max-depth", type=click.IntRange(0), default=None, help="How deep to walk directories (0: top level only).")
@click.option("--sample-rows", type=click.IntRange(0), default=10_000, show_default=True,
              help="Rows sampled per database table (0: all rows).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the repeatable row sample.")
@click.option("--table-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, metavar="SECONDS",
              help="Longest wait for one database statement; a slower table is reported and skipped.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False),
              help="Scheduled runs: read only files and bytes new since the run that wrote this state file, "
                   "and report the stored findings with the new ones (created when missing).")
@click.option("--rescan-tables", is_flag=True,
              help="With --state: read database tables again (default: their stored findings).")
@click.option("--max-bytes-per-file", type=click.IntRange(1), default=None, metavar="BYTES",
              help="Quick look: read at most this many bytes of each file (the report says which files were cut).")
@click.option("--sample-lines", type=click.IntRange(1), default=None, metavar="N",
              help="Quick look: read only the first N lines of each file (the report says which files were cut).")
@click.option("--no-decompression-limit", "decompression_limit", is_flag=True, flag_value=False, default=True,
              help="Read compressed files whole, however much they expand (default: stop at 16 GiB, or at 100 "
                   "times the compressed size past the first 64 MiB).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the scan's tasks on a Dask cluster: a scheduler's address (tcp://host:8786), or local:N "
                   "for N local worker processes (needs pdscan[dask]).")
@click.option("--scheduler-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Longest wait to reach the --scheduler; an unreachable one stops the run with exit 2.")
@click.option("--declarations", "declarations_path", type=click.Path(dir_okay=False),
              help="Declaration file [default: pdscan.yaml here or in the nearest directory above, if any].")
@click.option("--fail-on", type=click.Choice(["violation", "undeclared", "any", "never"]), default="violation",
              show_default=True, help="Which findings make the exit status 1.")
@click.option("--fail-on-stale", is_flag=True, help="Also exit 1 when a declared category was not found.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Suppress the findings recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record the current findings as a baseline file (and create the HMAC key if missing).")
@region_option
@threshold_option
@catalog_option
def scan_command(sources, output_format, output_path, show_values, quiet, jobs, include, exclude, max_depth,
                 sample_rows, seed, table_timeout, state_path, rescan_tables, max_bytes_per_file, sample_lines,
                 decompression_limit, scheduler, scheduler_timeout, declarations_path, fail_on, fail_on_stale,
                 baseline_path, write_baseline_path,
                 regions, threshold, catalog_path) -> None:
    """Scan SOURCES (files, directories, - for stdin, database URLs) for personal data.

    Without SOURCES, the database URL in the environment variable PDSCAN_DATABASE_URL is scanned.

    Exit status: 0 nothing to report, 1 findings that fail under --fail-on, 2 usage or
    configuration error, 3 the scan was incomplete (a source could not be read) and nothing else failed,
    130 interrupted (Ctrl-C, SIGTERM: no report is written).
    """
    from pdscan import run

    sources = _sources(sources)
    catalog = _load_catalog(catalog_path)
    config = run.RunConfig(
        scan=_scheduled(_scan_config(sources, regions, threshold, jobs, sample_rows, show_values, include, exclude,
                                     max_depth, seed, table_timeout),
                        state_path, rescan_tables, max_bytes_per_file, sample_lines, decompression_limit,
                        scheduler, scheduler_timeout),
        declarations_path=_declarations_path(declarations_path, quiet),
        baseline=run.BaselineConfig(read_path=baseline_path, write_path=write_baseline_path),
        gate=run.GateConfig(fail_on=fail_on, fail_on_stale=fail_on_stale),
        report=run.ReportConfig(output_format=output_format, output_path=output_path),
        quiet=quiet,
    )
    try:
        with _interruptible("no report written"):
            code = run.scan_and_report(config, catalog)
    except run.ConfigurationError as exc:
        raise click.UsageError(str(exc)) from exc
    sys.exit(code)


@main.command("init")
@click.argument("sources", nargs=-1)
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False), default="pdscan.yaml", show_default=True,
              help="Where to write the draft declaration file.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", "-j", type=click.IntRange(0), default=0, show_default=True, help="Worker processes (0: all cores).")
@click.option("--sample-rows", type=click.IntRange(0), default=10_000, show_default=True)
@region_option
@threshold_option
@catalog_option
def init_command(sources, output_path, force, quiet, jobs, sample_rows, regions, threshold, catalog_path) -> None:
    """Scan SOURCES and write a draft declaration file listing what was found.

    Purposes are left empty, with the purposes the policies allow for each category (and their
    citations) as comments: `pdscan scan` reports `no_purpose` until the team fills them in.
    """
    from pdscan import run
    from pdscan.declarations.init_draft import dataset_count, render_draft

    from pdscan.output_file import OutputError, check_writable, write_text

    if Path(output_path).exists() and not force:
        raise click.UsageError(f"{output_path} exists; pass --force to overwrite it")
    try:
        check_writable(output_path, "--output")
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None
    catalog = _load_catalog(catalog_path)
    with _interruptible(f"{output_path} not written"):
        result = run.scan(_scan_config(_sources(sources), regions, threshold, jobs, sample_rows), catalog, quiet=quiet)
    from pdscan.identity import anchor

    root = str(anchor(output_path))
    try:
        write_text(output_path, render_draft(result.findings, catalog, root=root), "the draft")
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {output_path}: {len(result.findings)} findings in {dataset_count(result.findings, root)} sources; "
               f"{len(result.errors)} sources could not be read fully", err=True)
    sys.exit(ExitCode.INCOMPLETE if result.errors else ExitCode.OK)


@main.group("export")
def export_group() -> None:
    """Export the declarations to other tools' formats."""


@export_group.command("fides")
@click.option("--declarations", "declarations_path", type=click.Path(dir_okay=False),
              help="Declaration file [default: pdscan.yaml here or in the nearest directory above].")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@catalog_option
def export_fides_command(declarations_path, output_path, catalog_path) -> None:
    """Write the declarations as fideslang `system` and `dataset` manifests (YAML)."""
    import yaml

    from pdscan.declarations import loader
    from pdscan.declarations.fides import export_fides
    from pdscan.declarations.loader import DeclarationError, load_declarations

    catalog = _load_catalog(catalog_path)
    if declarations_path is not None:
        path = _declarations_path(declarations_path)
    else:
        path = loader.find().found
    if path is None:
        raise click.UsageError(f"no {loader.DEFAULT_FILE} in this directory or any directory above it: "
                               "pass --declarations or draft one with `pdscan init`")
    try:
        declarations = load_declarations(path, catalog)
    except DeclarationError as exc:
        raise click.UsageError(f"declarations: {exc}") from exc
    text = yaml.safe_dump(export_fides(declarations, catalog), sort_keys=False, allow_unicode=True)
    if output_path:
        from pdscan.output_file import OutputError, write_text

        try:
            write_text(output_path, text, "the export")
        except OutputError as exc:
            raise click.UsageError(str(exc)) from None
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":
    main()
