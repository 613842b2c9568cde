"""The scan phase: plan tasks from the sources, read and detect in parallel, aggregate.

Each task (a file or rotation set, a database table) runs in a worker process that builds the
engine once; results come back as findings and errors, never as per-match objects.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

from pdscan.aggregate import Aggregator, Examined, merge, merge_pieces
from pdscan.catalog import Catalog
from pdscan.detection.engine import Engine, EngineConfig
from pdscan.models import ContainerKind, Finding, Scanned, ScanResult, ScanStats, SourceError
from pdscan.sources.base import ReadOptions, Task
from pdscan.sources.dispatch import plan_source
from pdscan.sources.files import FileTask
from pdscan.sources.ranges import RANGE_BYTES, ReadEnd, task_pieces
from pdscan.sources.urls import is_database_url, redact


@dataclass(frozen=True)
class ScanConfig:
    sources: tuple[str, ...]
    read: ReadOptions = ReadOptions()
    engine: EngineConfig = EngineConfig()
    jobs: int = 0  # 0: every core
    show_values: bool = False
    digest_key: bytes | None = None
    state_path: str | None = None  # --state: read only what is new since the run that wrote it
    rescan_tables: bool = False  # with a state: read tables again instead of giving their stored findings
    scheduler: str | None = None  # --scheduler: a Dask scheduler's address, or local:N
    scheduler_timeout: float = 10.0  # seconds to reach it before the run stops with exit status 2


@dataclass(frozen=True)
class TaskResult:
    findings: tuple[Finding, ...]
    errors: tuple[SourceError, ...]
    bytes: int
    values: int
    score_sums: tuple[float, ...] = ()  # per finding: pieces of one task merge confidences from them
    lines: int = 0  # lines a byte range read (the next range's line numbers count after them)
    examined: Examined = ()  # what was examined per field, before a finding's count raises it


Progress = Callable[[Task, TaskResult], None]

_worker_engine: Engine | None = None
_worker_config: ScanConfig | None = None


def _digest_function(key: bytes | None):
    if key is None:
        return None
    from pdscan.value_identity import value_digest

    return lambda category, kind, value: value_digest(key, category, kind, value)


def _init_worker(config: ScanConfig, catalog: Catalog) -> None:
    global _worker_engine, _worker_config
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's handler is for the main process only
    _worker_engine = Engine(catalog, config.engine)
    _worker_config = config


def run_task(task: Task, engine: Engine, config: ScanConfig) -> TaskResult:
    """Read one task and detect in its blocks; a reader that fails mid-way becomes an error."""
    aggregator = Aggregator(config.show_values, _digest_function(config.digest_key))
    errors: list[SourceError] = []
    values = lines = 0
    try:
        for item in task.read(config.read):
            if isinstance(item, SourceError):
                errors.append(item)
                continue
            if isinstance(item, ReadEnd):
                lines = item.lines
                continue
            values += item.examined
            matches = engine.scan(item.text, field=item.field or None, record=item.record)
            # 0.0.0.0, a broadcast MAC, a CIDR range: addresses, but nobody's; not findings.
            aggregator.add(item, [match for match in matches if not match.weak])
    except Exception as exc:  # a reader bug must cost one source, not the scan
        errors.append(SourceError(task.source, task.container, f"read failed: {type(exc).__name__}: {exc}"))
    size = task.size if task.kind is ContainerKind.FILE else 0  # a table's size counts rows, not bytes
    return TaskResult(tuple(aggregator.findings()), tuple(errors), size, values, tuple(aggregator.score_sums()), lines,
                      aggregator.examined_totals())


def _run_in_worker(task: Task) -> TaskResult:
    assert _worker_engine is not None and _worker_config is not None
    return run_task(task, _worker_engine, _worker_config)


def plan(config: ScanConfig) -> tuple[list[Task], list[SourceError]]:
    tasks: list[Task] = []
    errors: list[SourceError] = []
    for source in config.sources:
        try:
            for item in plan_source(source, config.read):
                (errors if isinstance(item, SourceError) else tasks).append(item)
        except Exception as exc:  # noqa: BLE001 - a planner bug must cost one source, not the scan
            errors.append(_planning_error(source, exc))
    return tasks, errors


def _planning_error(source: str, exc: Exception) -> SourceError:
    """A source that failed while being listed. A database URL's message is not quoted: a piece of
    its password (a raw ':' makes the rest of it a "port") could be in it."""
    if is_database_url(source):
        return SourceError(redact(source), "", f"cannot open the database: {type(exc).__name__} (check the URL: "
                                               "a raw '@' in the database name or query must be written %40)")
    return SourceError(source, "", f"cannot list: {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class Part:
    """What one file (or table) of a task contributes: results stored by an earlier run, and the
    pieces to read now (byte ranges in reading order, or the whole file); ``record`` keeps the part's
    merged result for the next run (``--state``)."""

    stored: TaskResult | None
    runs: tuple[Task, ...]
    record: Callable[[TaskResult], None] | None = None


def _parts(task: Task, jobs: int, range_bytes: int = RANGE_BYTES) -> list[Part]:
    """Without a state: the task whole, or (several jobs) its members and byte ranges."""
    if isinstance(task, FileTask):
        pieces = task_pieces(task, jobs, range_bytes)
    elif type(task).__name__ == "RemoteTask":  # imported only by scans of remote paths
        from pdscan.sources.remote import task_pieces as remote_pieces

        pieces = remote_pieces(task, jobs, range_bytes)
    else:
        pieces = None
    if pieces is None:
        return [Part(None, (task,))]
    by_member: dict[str, list[Task]] = {}
    for piece in pieces:
        by_member.setdefault(getattr(piece, "path", None) or piece.members[0], []).append(piece)
    return [Part(None, tuple(runs)) for runs in by_member.values()]


def _results(tasks: list[Task], config: ScanConfig, catalog: Catalog,
             planner: Callable[[Task, int], list[Part]] = _parts, cluster=None) -> Iterator[tuple[Task, TaskResult]]:
    """Every task's result; a task runs as its parts' pieces (in worker processes, or on the cluster's
    workers, when there are several), merged back in reading order as one task would have made them."""
    jobs = cluster.threads if cluster is not None else config.jobs or os.cpu_count() or 1
    plans = [(task, planner(task, jobs)) for task in tasks]
    runs = [(index, run) for index, (_, parts) in enumerate(plans) for part in parts for run in part.runs]
    waiting = {index: sum(len(part.runs) for part in parts) for index, (_, parts) in enumerate(plans)}
    results: dict[int, TaskResult] = {}
    for index, (task, parts) in enumerate(plans):
        if not waiting[index]:
            yield task, _assembled(parts, results)
    for index, run, result in _executed(runs, jobs, config, catalog, cluster):
        results[id(run)] = result
        waiting[index] -= 1
        if not waiting[index]:
            task, parts = plans[index]
            yield task, _assembled(parts, results)


def _executed(runs: list[tuple[int, Task]], jobs: int, config: ScanConfig, catalog: Catalog, cluster=None
              ) -> Iterator[tuple[int, Task, TaskResult]]:
    local = [r for r in runs if not r[1].picklable]
    remote = sorted((r for r in runs if r[1].picklable), key=lambda r: -r[1].size)
    if cluster is not None:  # asked for: every task that can leave this process goes to the cluster
        yield from _local_runs(local, config, catalog)
        yield from cluster.execute(remote, config, catalog)
        return
    if jobs == 1 or len(remote) <= 1:
        local, remote = local + remote, []
    yield from _local_runs(local, config, catalog)
    if remote:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only for several tasks: 8 ms to import

        pool = ProcessPoolExecutor(max_workers=min(jobs, len(remote)), initializer=_init_worker,
                                   initargs=(config, catalog))
        try:
            futures = {pool.submit(_run_in_worker, run): (index, run) for index, run in remote}
            for future in as_completed(futures):
                index, run = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # a crashed worker costs its task, not the scan
                    error = SourceError(run.source, run.container, f"worker failed: {type(exc).__name__}: {exc}")
                    result = TaskResult((), (error,), 0, 0)
                yield index, run, result
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM) or abandoned: waiting for the pool would wait for every
            # queued task (or forever, for a worker killed holding the queue's lock): stop the workers
            # and do not wait.
            import multiprocessing

            pool.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
            raise
        pool.shutdown()


def _local_runs(local: list[tuple[int, Task]], config: ScanConfig, catalog: Catalog
                ) -> Iterator[tuple[int, Task, TaskResult]]:
    if local:
        engine = Engine(catalog, config.engine)
        for index, run in local:
            yield index, run, run_task(run, engine, config)


def _assembled(parts: list[Part], results: dict[int, TaskResult]) -> TaskResult:
    merged_parts = []
    for part in parts:
        if part.stored is None and len(part.runs) == 1:
            result = results[id(part.runs[0])]
        else:
            pieces: list[tuple[TaskResult, int]] = [(part.stored, 0)] if part.stored is not None else []
            # Ranges count lines from their first (the first from its known line), the next ones after it.
            shift = 0
            for position, run in enumerate(part.runs):
                run_result = results[id(run)]
                pieces.append((run_result, shift if position else 0))
                shift = (getattr(run, "line_base", 0) if not position else shift) + run_result.lines
            result = _merged(pieces)
        if part.record is not None:
            part.record(result)
        merged_parts.append((result, 0))
    return merged_parts[0][0] if len(merged_parts) == 1 else _merged(merged_parts)


def _merged(parts: list[tuple[TaskResult, int]]) -> TaskResult:
    """One result from its pieces' (in reading order, each with the lines to add to its line numbers),
    as if it had been read in one piece."""
    findings, sums, examined = merge_pieces([(r.findings, r.score_sums, r.examined, shift) for r, shift in parts])
    errors = _counted_once(shift_error(error, shift) for r, shift in parts for error in r.errors)
    return TaskResult(tuple(findings), errors, sum(r.bytes for r, _ in parts), sum(r.values for r, _ in parts),
                      tuple(sums), sum(r.lines for r, _ in parts), examined)


def _kept_examples(catalog: Catalog, show_values: bool) -> Callable[[Finding], tuple[str, ...]]:
    """A finding's examples as a state file keeps them: masked, even when this run shows values."""
    if not show_values:
        return lambda finding: finding.examples
    from pdscan.masking import mask

    kinds = {c.id: c.value_kind for c in catalog.categories.values()}
    return lambda finding: tuple(mask(kinds.get(finding.category, "text"), e) for e in finding.examples)


def _counted_once(errors: Iterable[SourceError]) -> tuple[SourceError, ...]:
    """A problem counted in several pieces of one file, reported once: the counts added up, at the
    first piece's location (the pieces come in reading order)."""
    merged: list[SourceError] = []
    first: dict[tuple, int] = {}
    for error in errors:
        if error.counted is None:
            merged.append(error)
            continue
        path = error.location.path if error.location else None
        key = (error.source, error.container, path, error.severity, error.counted[0])
        if key not in first:
            first[key] = len(merged)
            merged.append(error)
            continue
        kept = merged[first[key]]
        template, count = kept.counted[0], kept.counted[1] + error.counted[1]
        merged[first[key]] = replace(kept, reason=template.format(count=count), counted=(template, count))
    return tuple(merged)


def shift_error(error: SourceError, shift: int) -> SourceError:
    if not shift or error.location is None or error.location.line is None:
        return error
    return replace(error, location=replace(error.location, line=error.location.line + shift))


def scan(config: ScanConfig, catalog: Catalog, on_planned: Callable[[list[Task]], None] | None = None,
         on_done: Progress | None = None) -> ScanResult:
    """Plan, read and aggregate with the catalog the caller loaded (workers get it, they do not load it again).
    With ``config.scheduler``, the cluster is reached first: ``cluster.ClusterError`` before any source is read."""
    started = time.perf_counter()
    cluster = None
    if config.scheduler:
        from pdscan.cluster import connect

        cluster = connect(config.scheduler, config.scheduler_timeout)
    try:
        return _scan(config, catalog, on_planned, on_done, cluster, started)
    finally:
        if cluster is not None:
            cluster.close()


def _scan(config: ScanConfig, catalog: Catalog, on_planned, on_done, cluster, started: float) -> ScanResult:
    tasks, errors = plan(config)
    if on_planned is not None:
        on_planned(tasks)
    findings: list[Finding] = []
    scanned: list[Scanned] = []
    files = tables = size = values = 0
    state, planner = None, _parts
    if config.state_path:
        from pdscan import state as states

        state, problem = states.State.load(config.state_path)
        if problem is not None:
            errors.append(problem)
        planner = states.planner(state, config.rescan_tables, _kept_examples(catalog, config.show_values))
    for task, result in _results(tasks, config, catalog, planner, cluster):
        findings.extend(result.findings)
        errors.extend(result.errors)
        if not any(e.container == task.container and e.incomplete for e in result.errors):
            scanned.append(Scanned(task.source, task.container, task.kind))
        size += result.bytes
        values += result.values
        tables += task.kind is ContainerKind.TABLE
        files += task.kind is ContainerKind.FILE
        if on_done is not None:
            on_done(task, result)
    if state is not None:
        try:
            state.save()
        except OSError as exc:
            errors.append(SourceError(config.state_path, config.state_path,
                                      f"cannot write the state file: {exc.strerror or type(exc).__name__}"))
    stats = ScanStats(sources=len(config.sources), files=files, tables=tables, bytes=size, values=values,
                      seconds=round(time.perf_counter() - started, 3))
    return ScanResult(tuple(merge(findings)), tuple(errors), stats, tuple(scanned))
