"""End-to-end throughput of `pdscan scan` on a log directory, and its peak memory.

Builds a directory of synthetic logs (make_corpus.py; plain and gzip-rotated files) of the
requested size when missing, then runs the installed `pdscan scan DIR --format json --quiet`
as a subprocess with `/usr/bin/time -v` when available (peak RSS), for each --jobs value.

Usage: python benchmarks/scan_speed.py [--size-mb 200] [--files 20] [--jobs 1 --jobs 2]
       python benchmarks/scan_speed.py --single-file-mb 1024     # peak RSS on one 1 GB log
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate  # noqa: E402


def build_directory(root: Path, size_mb: float, files: int) -> Path:
    marker = root / ".complete"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    (root / "app").mkdir(parents=True)
    per_file = size_mb / files
    for index in range(files):
        path = root / "app" / f"service{index // 3}.log" if index % 3 == 0 else root / "app" / f"service{index // 3}.log.{index % 3}"
        generate(path, per_file, seed=index)
        if index % 3 == 2:  # every third member of a rotation set is compressed
            with path.open("rb") as source, gzip.open(f"{path}.gz", "wb", compresslevel=1) as target:
                shutil.copyfileobj(source, target)
            path.unlink()
    marker.touch()
    return root


def measured_run(arguments: list[str]) -> tuple[float, int | None, dict]:
    if shutil.which("pdscan") is None:
        raise SystemExit("pdscan is not on PATH: install it (python -m pip install .) or activate .venv")
    command = ["pdscan", "scan", *arguments, "--format", "json", "--quiet"]
    time_binary = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if time_binary:
        command = [time_binary, "-v", *command]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = None
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
    if found:
        peak = int(found.group(1))
    report = json.loads(completed.stdout) if completed.stdout.strip().startswith("{") else {}
    if completed.returncode not in (0, 1, 3):
        # A failed run has no throughput: say so rather than print a figure for it.
        raise SystemExit(f"pdscan scan exited {completed.returncode}:\n{completed.stderr[-2000:]}")
    return elapsed, peak, report


def input_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--jobs", type=int, action="append", default=None)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--single-file-mb", type=float, default=None, help="measure one plain log of this size instead")
    args = parser.parse_args()
    if args.single_file_mb:
        target = Path(f"/tmp/pdscan-single-{args.single_file_mb:g}mb.log")
        if not target.exists():
            generate(target, args.single_file_mb)
    else:
        target = build_directory(args.dir or Path(f"/tmp/pdscan-logs-{args.size_mb:g}mb"), args.size_mb, args.files)
    size = input_bytes(target)
    print(f"input {target}: {size / 1e6:.1f} MB on disk")
    for jobs in args.jobs or [1, os.cpu_count() or 1]:
        elapsed, peak, report = measured_run([str(target), "--jobs", str(jobs)])
        summary = report.get("summary", {})
        scanned = summary.get("bytes") or size
        peak_text = f"{peak / 1024:.0f} MB" if peak else "n/a"
        print(f"--jobs {jobs}: {elapsed:.1f} s, {scanned / 1e6 / elapsed:.1f} MB/s of input read, peak RSS {peak_text}, "
              f"{len(report.get('findings', []))} findings, {len(report.get('errors', []))} errors")


if __name__ == "__main__":
    main()
