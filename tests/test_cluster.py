"""`pdscan scan --scheduler`: the scan's tasks on a real dask.distributed cluster (worker processes on
loopback), whose report must be the local run's, also when a worker is killed mid-scan."""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import random
import signal
import socket
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan import cluster, scanner
from pdscan.cli import main
from pdscan.scanner import ScanConfig

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
HAS_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="needs dask.distributed: pip install 'pdscan[dask]'")


def _log_lines(rng: random.Random, count: int) -> list[str]:
    """Log lines where some carry an e-mail address, a client IP or a phone number (and most nothing)."""
    lines = []
    for n in range(count):
        kind = rng.randrange(6)
        if kind == 0:
            lines.append(f"2024-03-{1 + n % 28:02d}T10:00:{n % 60:02d}Z INFO signup email=user{rng.randrange(500)}"
                         f"@example.org plan=basic")
        elif kind == 1:
            lines.append(f"203.0.113.{rng.randrange(1, 255)} - - [01/Mar/2024:10:00:{n % 60:02d} +0000] "
                         f"\"GET /account HTTP/1.1\" 200 {rng.randrange(100, 9000)}")
        elif kind == 2:
            lines.append(f"2024-03-01T10:00:00Z INFO sms sent to phone=+86 138 {rng.randrange(1000, 9999)} "
                         f"{rng.randrange(1000, 9999)}")
        else:
            lines.append(f"2024-03-01T10:00:00Z DEBUG cache hit key=item:{rng.randrange(10**6)} took {n % 97}ms")
    return lines


def _log_dir(root: Path, files: int, lines: int) -> Path:
    rng = random.Random(17)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        (root / f"app-{n:02d}.log").write_text("\n".join(_log_lines(rng, lines)) + "\n", encoding="utf-8")
    with gzip.open(root / "app-old.log.gz", "wt", encoding="utf-8") as gz:  # a compressed log: one task, whole
        gz.write("\n".join(_log_lines(rng, lines)) + "\n")
    return root


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> Path:
    return _log_dir(tmp_path_factory.mktemp("cluster") / "logs", files=8, lines=400)


def _local_cluster(workers: int):
    import logging

    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)


@pytest.fixture(scope="module")
def address():
    """A scheduler and two worker processes on loopback, as a real cluster would be reached: by address."""
    if not HAS_DASK:
        pytest.skip("needs dask.distributed: pip install 'pdscan[dask]'")
    local = _local_cluster(2)
    try:
        yield local.scheduler_address
    finally:
        local.close()


def _report(*args) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "--quiet",
                                       "--declarations", str(SAMPLE / "pdscan.yaml")])
    assert result.exit_code in (0, 1, 3), result.output
    report = json.loads(result.stdout)
    report["summary"].pop("seconds")  # the one thing a cluster changes
    return result.exit_code, report


@pytest.mark.dask
@needs_dask
def test_cluster_report_is_the_local_report(address, logs):
    code, local = _report(str(SAMPLE), str(logs))
    cluster_code, on_cluster = _report(str(SAMPLE), str(logs), "--scheduler", address)
    assert local["findings"], "the data must have findings for the comparison to mean something"
    assert on_cluster == local
    assert cluster_code == code == 1  # sample_data has violations


@pytest.mark.dask
@needs_dask
def test_local_n_starts_its_own_cluster():
    assert _report(str(SAMPLE), "--scheduler", "local:1") == _report(str(SAMPLE))


@pytest.mark.dask
@needs_dask
def test_each_worker_builds_its_engine_once(address, logs, catalog):
    from distributed import Client

    from pdscan.cluster_worker import engines_built

    with Client(address) as client:
        before = client.run(engines_built)
        result = scanner.scan(ScanConfig(sources=(str(logs),), scheduler=address), catalog)
        after = client.run(engines_built)
    assert len(result.scanned) == 9  # more tasks than workers
    built = {worker: after[worker] - before.get(worker, 0) for worker in after}
    assert all(count <= 1 for count in built.values()), built
    assert sum(built.values()) >= 1


@pytest.mark.dask
@needs_dask
def test_byte_ranges_of_a_large_file_merge_as_one_read(address, tmp_path, catalog):
    log = tmp_path / "big.log"
    log.write_text("\n".join(_log_lines(random.Random(3), 3000)) + "\n", encoding="utf-8")
    config = ScanConfig(sources=(str(log),), jobs=1)
    tasks, _ = scanner.plan(config)
    whole = [result for _, result in scanner._results(tasks, config, catalog)]
    with cluster.connect(address, 10) as connected:
        ranges = lambda task, jobs: scanner._parts(task, jobs, range_bytes=16 << 10)  # noqa: E731
        assert len(ranges(tasks[0], connected.threads)[0].runs) >= 4  # the file is read as byte ranges
        merged = [result for _, result in scanner._results(tasks, config, catalog, ranges, connected)]
    assert whole[0].findings
    # a merge of pieces orders findings by field (as test_ranges shows); the report sorts them anyway
    assert merged[0].findings == tuple(sorted(whole[0].findings, key=lambda f: (f.field, f.category)))
    assert (merged[0].errors, merged[0].bytes, merged[0].values) == (whole[0].errors, whole[0].bytes, whole[0].values)


@pytest.mark.dask
@needs_dask
def test_a_worker_killed_mid_scan_costs_nothing(tmp_path, catalog):
    logs = _log_dir(tmp_path / "logs", files=12, lines=3000)
    local = scanner.scan(ScanConfig(sources=(str(logs),), jobs=1), catalog)
    killed = []
    with _local_cluster(2) as dask_cluster:
        # The worker processes' ids from the nannies that started them: no second client in this
        # process (two clients' event loops, one of them called from the scan's callback, clash).
        pids = [nanny.pid for nanny in dask_cluster.workers.values()]
        assert len(pids) == 2 and all(pids)

        def kill_a_worker(task, result):
            # After the first of 13 tasks is done, both workers have tasks running or waiting: the
            # killed one's are lost with it and must run again on the other or on its replacement.
            if not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        on_cluster = scanner.scan(ScanConfig(sources=(str(logs),), scheduler=dask_cluster.scheduler_address),
                                  catalog, on_done=kill_a_worker)
    assert killed
    assert not on_cluster.errors
    assert on_cluster.findings == local.findings
    assert set(on_cluster.scanned) == set(local.scanned) and len(on_cluster.scanned) == len(local.scanned) == 13
    assert on_cluster.stats.bytes == local.stats.bytes and on_cluster.stats.values == local.stats.values


@pytest.mark.dask
@needs_dask
def test_unreachable_scheduler_is_exit_2_before_anything_is_read(catalog):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    planned = []
    started = time.monotonic()
    with pytest.raises(cluster.ClusterError, match="cannot reach the scheduler within 1 s"):
        scanner.scan(ScanConfig(sources=(str(SAMPLE),), scheduler=f"tcp://127.0.0.1:{port}", scheduler_timeout=1),
                     catalog, on_planned=planned.append)
    assert not planned and time.monotonic() - started < 8
    result = CliRunner().invoke(main, ["scan", str(SAMPLE), "--scheduler", f"tcp://127.0.0.1:{port}",
                                       "--scheduler-timeout", "1", "--quiet"])
    assert result.exit_code == 2 and "cannot reach the scheduler" in result.output


def test_local_cluster_needs_a_worker_count():
    result = CliRunner().invoke(main, ["scan", str(SAMPLE), "--scheduler", "local:0", "--quiet"])
    assert result.exit_code == 2
    assert "local:N" in result.output or "not installed" in result.output


def test_without_dask_the_error_says_what_to_install(monkeypatch, catalog):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(cluster.ClusterError, match=r"pip install 'pdscan\[dask\]'"):
        scanner.scan(ScanConfig(sources=(str(SAMPLE),), scheduler="local:1"), catalog)
