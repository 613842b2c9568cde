"""What runs on the workers of a ``--scheduler`` scan (imported there, and by the client only once
dask.distributed is known to be installed).

A worker plugin carries the scan's config and catalog to every worker once, rather than with every
task; workers that join or restart during the scan get it too. Each worker thread builds its engine
from them on its first task and keeps it for the scan: Hyperscan's scratch space may not be shared
between threads (``local:N`` runs one thread per worker process).
"""
from __future__ import annotations

import threading

from distributed.diagnostics.plugin import WorkerPlugin

from pdscan.catalog import Catalog
from pdscan.detection.engine import Engine
from pdscan.scanner import ScanConfig, TaskResult, run_task
from pdscan.sources.base import Task

_scans: dict[str, tuple[ScanConfig, Catalog]] = {}  # plugin name -> what that scan's tasks need
_thread = threading.local()
_built = 0  # engines this worker process built: the tests check one per worker thread, not per task


class ScanPlugin(WorkerPlugin):
    def __init__(self, name: str, config: ScanConfig, catalog: Catalog) -> None:
        self.name = name
        self.config = config
        self.catalog = catalog

    def setup(self, worker) -> None:
        _scans[self.name] = (self.config, self.catalog)

    def teardown(self, worker) -> None:
        _scans.pop(self.name, None)
        if getattr(_thread, "engine", (None,))[0] == self.name:
            del _thread.engine


def _engine(name: str) -> Engine:
    global _built
    cached = getattr(_thread, "engine", None)
    if cached is not None and cached[0] == name:
        return cached[1]
    config, catalog = _scans[name]
    engine = Engine(catalog, config.engine)
    _built += 1
    _thread.engine = (name, engine)  # one scan at a time: an earlier scan's engine is dropped
    return engine


def run_on_worker(task: Task, name: str) -> TaskResult:
    return run_task(task, _engine(name), _scans[name][0])


def engines_built() -> int:
    return _built
