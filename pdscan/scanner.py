"""The scan phase: plan tasks from the sources, read and detect in parallel, aggregate.

Each task (a file or rotation set, a database table) runs in a worker process that builds the
engine once; results come back as findings and errors, never as per-match objects.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from typing import Callable, Iterator

from pdscan.aggregate import Aggregator, merge
from pdscan.catalog import Catalog
from pdscan.detection.engine import Engine, EngineConfig
from pdscan.models import Finding, ScanResult, ScanStats, SourceError
from pdscan.sources.base import ReadOptions, Task
from pdscan.sources.dispatch import plan_source
from pdscan.sources.urls import is_database_url, redact


@dataclass(frozen=True)
class ScanConfig:
    sources: tuple[str, ...]
    read: ReadOptions = ReadOptions()
    engine: EngineConfig = EngineConfig()
    jobs: int = 0  # 0: every core
    show_values: bool = False
    digest_key: bytes | None = None


@dataclass(frozen=True)
class TaskResult:
    findings: tuple[Finding, ...]
    errors: tuple[SourceError, ...]
    bytes: int
    values: int
    table: bool


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
    values = 0
    try:
        for item in task.read(config.read):
            if isinstance(item, SourceError):
                errors.append(item)
                continue
            values += item.examined
            matches = engine.scan(item.text, field=item.field or None, record=item.record)
            # 0.0.0.0, a broadcast MAC, a CIDR range: addresses, but nobody's; not findings.
            aggregator.add(item, [match for match in matches if not match.weak])
    except Exception as exc:  # a reader bug must cost one source, not the scan
        errors.append(SourceError(task.source, task.container, f"read failed: {type(exc).__name__}: {exc}"))
    is_table = getattr(task, "table", None) is not None
    return TaskResult(tuple(aggregator.findings()), tuple(errors), 0 if is_table else task.size, values, is_table)


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


def _results(tasks: list[Task], config: ScanConfig, catalog: Catalog) -> Iterator[tuple[Task, TaskResult]]:
    jobs = config.jobs or os.cpu_count() or 1
    local = [t for t in tasks if not getattr(t, "picklable", True)]
    remote = sorted((t for t in tasks if getattr(t, "picklable", True)), key=lambda t: -t.size)
    if jobs == 1 or len(remote) <= 1:
        local, remote = local + remote, []
    if local:
        engine = Engine(catalog, config.engine)
        for task in local:
            yield task, run_task(task, engine, config)
    if remote:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only for several tasks: 8 ms to import

        pool = ProcessPoolExecutor(max_workers=min(jobs, len(remote)), initializer=_init_worker,
                                   initargs=(config, catalog))
        try:
            futures = {pool.submit(_run_in_worker, task): task for task in remote}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    yield task, future.result()
                except Exception as exc:  # a crashed worker costs its task, not the scan
                    error = SourceError(task.source, task.container, f"worker failed: {type(exc).__name__}: {exc}")
                    yield task, TaskResult((), (error,), 0, 0, False)
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


def scan(config: ScanConfig, catalog: Catalog, on_planned: Callable[[list[Task]], None] | None = None,
         on_done: Progress | None = None) -> ScanResult:
    """Plan, read and aggregate with the catalog the caller loaded (workers get it, they do not load it again)."""
    started = time.perf_counter()
    tasks, errors = plan(config)
    if on_planned is not None:
        on_planned(tasks)
    findings: list[Finding] = []
    scanned: list[tuple[str, str, bool]] = []
    files = tables = size = values = 0
    for task, result in _results(tasks, config, catalog):
        findings.extend(result.findings)
        errors.extend(result.errors)
        if not any(e.container == task.container and e.incomplete for e in result.errors):
            scanned.append((task.source, task.container, result.table))
        size += result.bytes
        values += result.values
        tables += result.table
        files += not result.table
        if on_done is not None:
            on_done(task, result)
    stats = ScanStats(sources=len(config.sources), files=files, tables=tables, bytes=size, values=values,
                      seconds=round(time.perf_counter() - started, 3))
    return ScanResult(tuple(merge(findings)), tuple(errors), stats, tuple(scanned))
