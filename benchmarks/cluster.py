"""`pdscan scan --scheduler local:N` against a plain local run, in CPU time (user+sys) and wall time.

Builds (or reuses) the synthetic log directory of scan_speed.py, then runs the installed pdscan on it
with --jobs 1, --jobs N and --scheduler local:N for each N asked for; prints MB per CPU-second (pdscan
and every process it started, the cluster's included), wall time, the overhead of the cluster against
--jobs with the same worker count, and whether each report's findings are the --jobs 1 run's.
A local cluster's start-up (~2 s of worker processes) is part of its time, as it is for a user.

    python benchmarks/cluster.py --pdscan .venv/bin/pdscan --size-mb 50 --workers 1 --workers 2
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_speed import build_directory, content_bytes, corpus_files, pdscan_run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--workers", type=int, action="append", default=None)
    parser.add_argument("--pdscan", default=shutil.which("pdscan") or "pdscan")
    args = parser.parse_args()
    target, _ = build_directory(Path(f"/tmp/pdscan-logs-{args.size_mb:g}mb"), args.size_mb, args.files)
    size = content_bytes(corpus_files(target)) / 1e6
    load = os.getloadavg()
    print(f"input {target}: {size:.1f} MB of text; {os.cpu_count()} cores, load average {load[0]:.2f} at start")
    baseline = None
    for label, options in [("--jobs 1", ["--jobs", "1"])] + [
            pair for n in args.workers or [1, 2] for pair in ((f"--jobs {n}", ["--jobs", str(n)]),
                                                              (f"--scheduler local:{n}", ["--scheduler", f"local:{n}"]))]:
        if label == "--jobs 1" and baseline is not None:
            continue
        result, report = pdscan_run(args.pdscan, [str(target), *options])
        findings = report.get("findings", [])
        baseline = baseline if baseline is not None else findings
        print(f"{label:24} {size / result['cpu']:5.2f} MB per CPU-second ({result['cpu']:6.1f} s CPU, "
              f"{result['wall']:5.1f} s wall); {len(findings)} findings, same as --jobs 1: {findings == baseline}")


if __name__ == "__main__":
    main()
