"""``--scheduler``: run the scan's tasks (files, byte ranges, tables) on a Dask distributed cluster.

The scanner plans and merges exactly as in a local run; only the execution of the picklable tasks moves
to the cluster's workers (``cluster_worker`` holds what runs there). ``dask.distributed`` is an optional
extra, imported only when ``--scheduler`` is given.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from pdscan.catalog import Catalog
    from pdscan.scanner import ScanConfig, TaskResult
    from pdscan.sources.base import Task

NOT_INSTALLED = "--scheduler needs dask.distributed, which is not installed: pip install 'pdscan[dask]'"
LOCAL_PREFIX = "local:"


class ClusterError(Exception):
    """The cluster cannot be used (not installed, not reachable, bad address): exit status 2."""


# ---------------------------------------------------------------- on the client

@dataclass
class Cluster:
    """A connected client (and the local cluster it started, for ``local:N``)."""

    client: Any
    local: Any = None

    @property
    def threads(self) -> int:
        """Tasks the cluster runs at once: how many pieces a large file is cut into."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def execute(self, runs: list[tuple[int, Task]], config: ScanConfig, catalog: Catalog
                ) -> Iterator[tuple[int, Task, TaskResult]]:
        """Every run's result as it completes. A worker that dies costs nothing (the scheduler runs its
        tasks again elsewhere); a task that fails for good becomes its source's error, as locally."""
        from distributed import as_completed

        from pdscan.models import SourceError
        from pdscan.scanner import TaskResult

        from pdscan.cluster_worker import ScanPlugin, run_on_worker

        name = f"pdscan-scan-{uuid.uuid4().hex}"
        self.client.register_plugin(ScanPlugin(name, config, catalog), name=name)
        try:
            futures = {}
            for index, run in sorted(runs, key=lambda r: -r[1].size):  # the largest first, as locally
                future = self.client.submit(run_on_worker, run, name, pure=False,
                                            key=f"pdscan-task-{len(futures)}-{uuid.uuid4().hex}")
                futures[future] = (index, run)
            for future in as_completed(futures):
                index, run = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # e.g. KilledWorker after the task killed several workers
                    error = SourceError(run.source, run.container, f"worker failed: {type(exc).__name__}: {exc}")
                    result = TaskResult((), (error,), 0, 0)
                future.release()
                yield index, run, result
        finally:
            _unregister(self.client, name)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()


def _unregister(client: Any, name: str) -> None:
    try:
        client.unregister_worker_plugin(name)
    except Exception:  # noqa: BLE001 - a cluster lost at the end of the scan must not lose its report
        pass


def connect(address: str, timeout: float) -> Cluster:
    """A client of the scheduler at ``address``, or of a new local cluster for ``local:N``. Raises
    ``ClusterError`` within ``timeout`` seconds when it cannot be reached, before any source is read."""
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(NOT_INSTALLED) from None
    if address.startswith(LOCAL_PREFIX):
        count = address[len(LOCAL_PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--scheduler {address}: expected local:N with N worker processes (N >= 1)")
        import dask

        # One thread per process: the scan is CPU-bound Python, threads would share one core. The
        # workers' statistical profiler (a stack sample every 10 ms) is off: nobody reads it here. The
        # scheduler's HTTP server (Dask's dashboard, when bokeh is installed) takes a free loopback port
        # (None would still try 8787 and warn when another cluster has it).
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            local = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True, host="127.0.0.1",
                                 dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        try:
            return Cluster(Client(local, timeout=timeout), local)
        except Exception:
            local.close()
            raise
    try:
        client = Client(address, timeout=timeout)
    except Exception as exc:  # OSError (refused, timed out), ValueError (not an address), ...
        raise ClusterError(f"--scheduler {address}: cannot reach the scheduler within {timeout:g} s "
                           f"({type(exc).__name__}: {exc})") from None
    return Cluster(client)
