"""Start-up cost of the installed `pdscan`: CPU time (user+sys) of commands that do almost no work.

Pre-commit hooks run `pdscan scan` on every commit, on a few small files: what it costs there is
start-up (imports, the catalog, the declarations, the compiled detectors), not reading. Each
command runs as a subprocess in a scratch directory, `--runs` times; the figure is the median CPU
time of the child (from `os.wait4`), so the machine's other load barely moves it.

- `pdscan --help`
- `pdscan scan tiny.log` with an empty cache directory (`PDSCAN_CACHE_DIR`): the first run on a
  machine, or after pdscan or its catalog changed (it compiles the hyperscan database)
- the same with that cache filled (every later run)
- the same with a `pdscan.yaml` beside the file, found by walking up (the pre-commit case)

Usage: python benchmarks/startup.py [--pdscan PATH] [--runs 15]
       python benchmarks/startup.py --pdscan /old/venv/bin/pdscan --pdscan .venv/bin/pdscan   # two builds, one run
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# Invented values (no one's data): one phone, one email, one IP address, in a key=value log line.
TINY_LOG = ("2026-11-02T10:00:00Z level=info msg=\"login\" user=u1001 ip=203.0.113.9 "
            "phone=+8613912345678 email=lin.wei@example.com\n"
            "2026-11-02T10:00:01Z level=info msg=\"logout\" user=u1001\n")
DECLARATIONS = """version: 1
sources:
  - name: service log
    paths: ["tiny.log"]
    fields:
      ip:
        ip_address: {purposes: [operation_logs], legal_basis: legitimate_interests, retention: 90d}
"""


def cpu_seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """User+sys CPU time of one run of ``command`` (its exit status does not matter: 1 means findings)."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped by wait4
    return usage.ru_utime + usage.ru_stime


def median_cpu(command: list[str], cwd: Path, env: dict[str, str], runs: int, before=None) -> tuple[float, float]:
    """Median and minimum CPU seconds over ``runs`` runs; ``before`` is called before each run."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        samples.append(cpu_seconds(command, cwd, env))
    return statistics.median(samples), min(samples)


def measure(pdscan: str, runs: int) -> list[tuple[str, tuple[float, float]]]:
    with tempfile.TemporaryDirectory(prefix="pdscan-startup-") as scratch:
        root = Path(scratch)
        plain, declared, cache = root / "plain", root / "declared", root / "cache"
        for directory in (plain, declared):
            directory.mkdir()
            (directory / "tiny.log").write_text(TINY_LOG, encoding="utf-8")
            (directory / ".git").mkdir()  # the walk for pdscan.yaml stops here, not at the machine's /tmp
        (declared / "pdscan.yaml").write_text(DECLARATIONS, encoding="utf-8")
        env = {**os.environ, "PDSCAN_CACHE_DIR": str(cache), "COLUMNS": "100"}
        scan = [pdscan, "scan", "tiny.log", "--format", "json", "--quiet"]

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        return [
            ("pdscan --help", median_cpu([pdscan, "--help"], plain, env, runs)),
            ("pdscan scan tiny.log, cold cache", median_cpu(scan, plain, env, max(3, runs // 3), empty_cache)),
            ("pdscan scan tiny.log, warm cache", median_cpu(scan, plain, env, runs)),
            ("  ... with pdscan.yaml, warm cache", median_cpu(scan, declared, env, runs)),
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdscan", action="append", help="a pdscan executable to measure (repeatable; default: the one on PATH)")
    parser.add_argument("--runs", type=int, default=15, help="runs per command (cold: a third of them)")
    args = parser.parse_args()
    executables = [os.path.abspath(shutil.which(p) or p) for p in (args.pdscan or ["pdscan"])]
    results = [measure(executable, args.runs) for executable in executables]
    print(f"CPU seconds (user+sys of the child process), median and minimum of {args.runs} runs (cold: {max(3, args.runs // 3)})")
    for index, executable in enumerate(executables):
        print(f"  [{index}] {executable}")
    header = f"{'command':36}" + "".join(f" {f'[{i}] median':>11} {'min':>6}" for i in range(len(executables)))
    if len(executables) > 1:
        header += f" {'[0]/[' + str(len(executables) - 1) + ']':>8}"
    print(header)
    for row, name in enumerate(name for name, _ in results[0]):
        line = f"{name:36}" + "".join(f" {r[row][1][0]:11.3f} {r[row][1][1]:6.3f}" for r in results)
        if len(executables) > 1:
            line += f" {results[0][row][1][0] / results[-1][row][1][0]:7.1f}x"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
