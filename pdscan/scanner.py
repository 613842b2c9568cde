"""The scan phase: plan tasks from the sources, read and detect in parallel, aggregate.

Each task (a file or rotation set, a database table) runs in a worker process that builds the
engine once; results come back as findings and errors, never as per-match objects.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from pdscan.aggregate import Aggregator, Examined, merge, merge_pieces
from pdscan.catalog import Catalog
from pdscan.detection.engine import Engine, EngineConfig
from pdscan.models import ContainerKind, Finding, Scanned, ScanResult, ScanStats, SourceError
from pdscan.sources.base import ReadOptions, Task
from pdscan.sources.dispatch import plan_source
from pdscan.sources.files import FileTask
from pdscan.sources.ranges import RANGE_BYTES, ReadEnd, task_pieces


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
        for item in plan_source(source, config.read):
            (errors if isinstance(item, SourceError) else tasks).append(item)
    return tasks, errors


def _results(tasks: list[Task], config: ScanConfig, catalog: Catalog) -> Iterator[tuple[Task, TaskResult]]:
    jobs = config.jobs or os.cpu_count() or 1
    local = [t for t in tasks if not t.picklable]
    remote = sorted((t for t in tasks if t.picklable), key=lambda t: -t.size)
    if jobs == 1 or not remote or (len(remote) == 1 and remote[0].size < 2 * RANGE_BYTES):  # nothing to share out
        local, remote = local + remote, []
    if local:
        engine = Engine(catalog, config.engine)
        for task in local:
            yield task, run_task(task, engine, config)
    if remote:
        yield from _in_workers(remote, jobs, config, catalog)


def _in_workers(tasks: list[Task], jobs: int, config: ScanConfig, catalog: Catalog
                ) -> Iterator[tuple[Task, TaskResult]]:
    """Tasks in a pool of worker processes; a large file or rotation set runs as pieces (byte ranges,
    members) whose results are merged, in order, into the task's."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only for several tasks: 8 ms to import

    pieces = {id(task): task_pieces(task, jobs) if isinstance(task, FileTask) else None for task in tasks}
    units = [(task, piece) for task in tasks for piece in (pieces[id(task)] or (task,))]
    units.sort(key=lambda unit: -unit[1].size)
    done: dict[int, dict[int, TaskResult]] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), initializer=_init_worker,
                             initargs=(config, catalog)) as pool:
        futures = {pool.submit(_run_in_worker, piece): (task, piece) for task, piece in units}
        for future in as_completed(futures):
            task, piece = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a crashed worker costs its task, not the scan
                error = SourceError(task.source, task.container, f"worker failed: {type(exc).__name__}: {exc}")
                result = TaskResult((), (error,), 0, 0)
            if pieces[id(task)] is None:
                yield task, result
                continue
            results = done.setdefault(id(task), {})
            results[id(piece)] = result
            if len(results) == len(pieces[id(task)]):
                yield task, _merged([(piece, results[id(piece)]) for piece in pieces[id(task)]])


def _merged(parts: list[tuple[Task, TaskResult]]) -> TaskResult:
    """One task's result from its pieces' (in reading order), as if it had been read in one piece."""
    merged_parts, errors = [], []
    lines_before: dict[str, int] = {}
    for piece, result in parts:
        path = getattr(piece, "path", None)
        shift = lines_before.get(path, 0) if path else 0
        if path:
            lines_before[path] = shift + result.lines
        merged_parts.append((result.findings, result.score_sums, result.examined, shift))
        errors.extend(shift_error(error, shift) for error in result.errors)
    findings, sums, examined = merge_pieces(merged_parts)
    return TaskResult(tuple(findings), tuple(errors), sum(r.bytes for _, r in parts), sum(r.values for _, r in parts),
                      tuple(sums), sum(r.lines for _, r in parts), examined)


def shift_error(error: SourceError, shift: int) -> SourceError:
    if not shift or error.location is None or error.location.line is None:
        return error
    return replace(error, location=replace(error.location, line=error.location.line + shift))


def scan(config: ScanConfig, catalog: Catalog, on_planned: Callable[[list[Task]], None] | None = None,
         on_done: Progress | None = None) -> ScanResult:
    """Plan, read and aggregate with the catalog the caller loaded (workers get it, they do not load it again)."""
    started = time.perf_counter()
    tasks, errors = plan(config)
    if on_planned is not None:
        on_planned(tasks)
    findings: list[Finding] = []
    scanned: list[Scanned] = []
    files = tables = size = values = 0
    for task, result in _results(tasks, config, catalog):
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
    stats = ScanStats(sources=len(config.sources), files=files, tables=tables, bytes=size, values=values,
                      seconds=round(time.perf_counter() - started, 3))
    return ScanResult(tuple(merge(findings)), tuple(errors), stats, tuple(scanned))
