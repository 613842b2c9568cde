"""End-to-end speed of `pdscan scan` on a log directory, in CPU time (user+sys), as ratios in one run.

Builds a directory of synthetic logs (make_corpus.py: plain and gzip-rotated files, every value
distinct: the worst case) of the requested size when missing, with the generator's count of planted
values per category beside it, then prints:

- MB per CPU-second of the installed `pdscan scan DIR --format json --quiet` for each --jobs value
  (CPU of pdscan and its worker processes), wall time and the speed-up over --jobs 1 (wall);
- the same files through a plain Python line read and through `rg -o` with six candidate patterns
  (when ripgrep is installed), and pdscan as a percentage of each;
- the same for the shared real logs (loghub 2k and the Apache access log), where values repeat;
- per-stage CPU (read, candidate pass, candidate handling, validation, timestamps, aggregation,
  start-up), from cProfile on a slice of the corpus (cProfile slows Python code more than C code:
  read the shares, not the seconds);
- peak RSS (the largest process), and the re-run times with --state (unchanged, then 10 MB appended);
- found against planted values per category (found counts every match, so a value matched under two
  fields or categories counts twice; 10/8 client addresses of the access lines are planted too).

Measure on a quiet machine or compare ratios from one run: absolute figures move ±20 % with load.

Usage: python benchmarks/scan_speed.py [--size-mb 100] [--files 20] [--jobs 1 --jobs 2]
       python benchmarks/scan_speed.py --single-file-mb 2048 --jobs 1 --jobs 2   # one big file
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# What the six plain candidate patterns of PERF-NOTES look for: the ripgrep reference.
RG_PATTERNS = [r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", r"\+?\d[\d -]{9,18}\d",
               r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}",
               r"\d{17}[\dXx]", r"\d{15}"]


# ---------------------------------------------------------------- corpus

def build_directory(root: Path, size_mb: float, files: int) -> tuple[Path, Counter]:
    truth_path = root.with_name(root.name + ".planted.json")
    marker = root / ".complete"
    if marker.exists() and truth_path.exists():
        return root, Counter(json.loads(truth_path.read_text()))
    shutil.rmtree(root, ignore_errors=True)
    (root / "app").mkdir(parents=True)
    planted: Counter = Counter()
    per_file = size_mb / files
    for index in range(files):
        path = root / "app" / f"service{index // 3}.log" if index % 3 == 0 else root / "app" / f"service{index // 3}.log.{index % 3}"
        generate(path, per_file, seed=index, planted=planted)
        if index % 3 == 2:  # every third member of a rotation set is compressed
            with path.open("rb") as source, gzip.open(f"{path}.gz", "wb", compresslevel=1) as target:
                shutil.copyfileobj(source, target)
            path.unlink()
    truth_path.write_text(json.dumps(planted))
    marker.touch()
    return root, planted


def build_single(size_mb: float) -> tuple[Path, Counter]:
    target = Path(f"/tmp/pdscan-single-{size_mb:g}mb.log")
    truth_path = target.with_name(target.name + ".planted.json")
    if not (target.exists() and truth_path.exists()):
        planted: Counter = Counter()
        generate(target, size_mb, planted=planted)
        truth_path.write_text(json.dumps(planted))
    return target, Counter(json.loads(truth_path.read_text()))


def corpus_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))


def content_bytes(files: list[Path]) -> int:
    """Bytes of text the scan reads (compressed members counted decompressed)."""
    total = 0
    for path in files:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
        else:
            total += path.stat().st_size
    return total


# ---------------------------------------------------------------- measuring

def measured(command: list[str], stdin: bytes | None = None) -> dict:
    """Run ``command`` through this script's --measure helper: its CPU (with every descendant
    process), wall time, the peak RSS of its largest process, and its standard output."""
    helper = [sys.executable, str(Path(__file__).resolve()), "--measure", "--", *command]
    completed = subprocess.run(helper, capture_output=True, input=stdin)
    try:
        result = json.loads(completed.stdout.decode().splitlines()[-1])
    except (IndexError, ValueError):
        raise SystemExit(f"measuring {command[:3]} failed:\n{completed.stderr.decode()[-2000:]}") from None
    return result


def measure_helper(command: list[str]) -> None:
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mb": usage.ru_maxrss / 1024,
                      "returncode": completed.returncode, "stdout": completed.stdout.decode("utf-8", "replace"),
                      "stderr": completed.stderr.decode("utf-8", "replace")[-3000:]}))


def pdscan_run(pdscan: str, arguments: list[str]) -> tuple[dict, dict]:
    result = measured([pdscan, "scan", *arguments, "--format", "json", "--quiet", "--fail-on", "never"])
    if result["returncode"] not in (0, 1, 3):
        raise SystemExit(f"pdscan scan exited {result['returncode']}:\n{result['stderr']}")
    report = json.loads(result["stdout"]) if result["stdout"].strip().startswith("{") else {}
    return result, report


def python_line_read(files: list[Path]) -> float:
    """CPU seconds of iterating every line as bytes (decompressing .gz members)."""
    started = time.process_time()
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            for _ in handle:
                pass
    return time.process_time() - started


def ripgrep(files: list[Path]) -> dict | None:
    rg = shutil.which("rg")
    if rg is None:
        return None
    command = [rg, "-o", "-a", "-z", "--no-filename", "--no-line-number", "-j1", "--no-ignore", "--hidden"]
    for pattern in RG_PATTERNS:
        command += ["-e", pattern]
    return measured(command + [str(p) for p in files])


# ---------------------------------------------------------------- per-stage profile

_STAGE_BY_FILE = (
    ("/phonenumbers/", "validation"), ("/email_validator/", "validation"), ("/stdnum/", "validation"),
    ("/idna/", "validation"), ("detection/validators.py", "validation"), ("detection/regional.py", "validation"),
    ("detection/fast_validators.py", "validation"),
    ("sources/timestamps.py", "timestamps"),
    ("pdscan/aggregate.py", "aggregation"), ("pdscan/masking.py", "aggregation"),
    ("pdscan/value_identity.py", "aggregation"),
    ("detection/engine.py", "candidate handling"), ("detection/prefilter.py", "candidate handling"),
    ("detection/hints.py", "validation"),
    ("sources/formats/", "read"), ("sources/compression.py", "read"), ("sources/readers.py", "read"),
    ("sources/files.py", "read"), ("sources/ranges.py", "read"), ("/gzip.py", "read"), ("/_compression.py", "read"),
)


def _stage_of(function: tuple) -> str | None:
    filename, _, name = function
    if name in ("on_match",) or "method 'scan' of 'hyperscan" in name:
        return "candidate pass"
    for fragment, stage in _STAGE_BY_FILE:
        if fragment in filename:
            return stage
    return None


def stage_profile(pdscan_args: list[str]) -> dict[str, float]:
    """Own CPU time per stage; a C function (a regex search, a decoder) counts in the stage of its caller."""
    profile_path = Path(tempfile.mkdtemp()) / "scan.prof"
    code = ("import cProfile, sys; from pdscan.cli import main; sys.argv = ['pdscan'] + sys.argv[1:];\n"
            f"cProfile.run('\\ntry:\\n    main()\\nexcept SystemExit:\\n    pass', {str(profile_path)!r})")
    subprocess.run([sys.executable, "-c", code, "scan", *pdscan_args, "--format", "json", "--quiet", "--jobs", "1"],
                   capture_output=True, check=False)
    stats = pstats.Stats(str(profile_path)).stats  # type: ignore[attr-defined]
    stages: dict[str, float] = defaultdict(float)
    for function, (_, _, own, _, callers) in stats.items():
        stage = _stage_of(function)
        if stage is not None or function[0] != "~":
            stages[stage or "other (start-up, planning, report)"] += own
            continue
        for caller, numbers in callers.items():  # a builtin: in its caller's stage
            stages[_stage_of(caller) or "other (start-up, planning, report)"] += numbers[2]
    shutil.rmtree(profile_path.parent, ignore_errors=True)
    return dict(stages)


def _one_line_file() -> Path:
    path = Path(tempfile.gettempdir()) / "pdscan-bench-one-line.log"
    path.write_text("login from 10.1.2.3 user=alice email=alice@example.com\n")
    return path


def cold_start(pdscan: str) -> dict:
    cache = Path(tempfile.mkdtemp(prefix="pdscan-cold-cache-"))
    try:
        environment = dict(os.environ, PDSCAN_CACHE_DIR=str(cache))
        helper = [sys.executable, str(Path(__file__).resolve()), "--measure", "--",
                  pdscan, "scan", str(_one_line_file()), "--format", "json", "--quiet", "--fail-on", "never"]
        completed = subprocess.run(helper, capture_output=True, env=environment)
        return json.loads(completed.stdout.decode().splitlines()[-1])
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def warm_start(pdscan: str) -> dict:
    pdscan_run(pdscan, [str(_one_line_file())])  # fills the cache, whatever state it was in
    return pdscan_run(pdscan, [str(_one_line_file())])[0]


# ---------------------------------------------------------------- state re-runs

def state_reruns(pdscan: str, target: Path, jobs: int) -> list[str]:
    help_text = subprocess.run([pdscan, "scan", "--help"], capture_output=True, text=True).stdout
    if "--state" not in help_text:
        return ["  this pdscan has no --state"]
    work = Path(tempfile.mkdtemp(prefix="pdscan-rerun-"))
    try:
        copy = work / "logs"
        shutil.copytree(target, copy) if target.is_dir() else (copy.mkdir(), shutil.copy(target, copy / target.name))
        state = work / "state.json"
        lines = []
        for label in ("first run", "unchanged"):
            result, report = pdscan_run(pdscan, [str(copy), "--jobs", str(jobs), "--state", str(state)])
            lines.append(_rerun_line(label, result, report))
        appended = next(p for p in corpus_files(copy) if p.suffix != ".gz")
        extra = appended.with_name("extra.tmp")
        generate(extra, 10, seed=99)
        with appended.open("ab") as out, extra.open("rb") as source:
            shutil.copyfileobj(source, out)
        extra.unlink()
        result, report = pdscan_run(pdscan, [str(copy), "--jobs", str(jobs), "--state", str(state)])
        lines.append(_rerun_line("10 MB appended", result, report))
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rerun_line(label: str, result: dict, report: dict) -> str:
    summary = report.get("summary", {})
    read = summary.get("bytes_read", summary.get("bytes", 0))
    return (f"  --state, {label}: {result['cpu']:.2f} s CPU, {result['wall']:.2f} s wall, "
            f"{read / 1e6:.1f} MB read, {len(report.get('findings', []))} findings")


# ---------------------------------------------------------------- report

def found_by_category(report: dict) -> Counter:
    found: Counter = Counter()
    for finding in report.get("findings", []):
        found[finding["category"]] += finding["count"]
    return found


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure_helper(sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--jobs", type=int, action="append", default=None)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--single-file-mb", type=float, default=None, help="one plain log of this size instead")
    parser.add_argument("--pdscan", default=shutil.which("pdscan") or "pdscan")
    parser.add_argument("--profile-mb", type=float, default=10, help="slice profiled per stage (0: no profile)")
    parser.add_argument("--rerun-size-mb", type=float, default=200,
                        help="directory the --state re-runs are timed on (0: none)")
    args = parser.parse_args()
    if args.single_file_mb:
        target, planted = build_single(args.single_file_mb)
    else:
        target, planted = build_directory(args.dir or Path(f"/tmp/pdscan-logs-{args.size_mb:g}mb"), args.size_mb,
                                          args.files)
    files = corpus_files(target)
    size = content_bytes(files)
    load = os.getloadavg()
    print(f"input {target}: {size / 1e6:.1f} MB of text in {len(files)} files; {os.cpu_count()} cores, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start")

    line_cpu = python_line_read(files)
    rg = ripgrep(files)
    print(f"python line read: {size / 1e6 / line_cpu:.0f} MB per CPU-second")
    if rg is not None:
        print(f"rg -o, 6 candidate patterns, 1 thread: {size / 1e6 / rg['cpu']:.0f} MB per CPU-second")
    else:
        print("rg: not installed")

    # The first run after an install compiles the candidate database and parses the catalog; both are
    # cached (pdscan/cache.py). Measured apart, on a tiny file, so the throughput figures are warm ones.
    cold = cold_start(args.pdscan)
    print(f"first run after install (empty cache, a 1-line file): {cold['cpu']:.2f} s CPU, "
          f"peak RSS {cold['peak_mb']:.0f} MB; warm: {warm_start(args.pdscan)['cpu']:.2f} s CPU")

    first_report: dict = {}
    wall_one = None
    for jobs in args.jobs or [1, 2]:
        result, report = pdscan_run(args.pdscan, [str(target), "--jobs", str(jobs)])
        first_report = first_report or report
        mbps = size / 1e6 / result["cpu"]
        wall_one = wall_one or (result["wall"] if jobs == 1 else None)
        speedup = f", {wall_one / result['wall']:.2f}x wall over --jobs 1" if wall_one and jobs != 1 else ""
        ratios = f"{100 * line_cpu / result['cpu']:.2f} % of the line read"
        if rg is not None:
            ratios += f", {100 * rg['cpu'] / result['cpu']:.1f} % of rg"
        print(f"pdscan --jobs {jobs}: {mbps:.2f} MB per CPU-second ({result['cpu']:.1f} s CPU, "
              f"{result['wall']:.1f} s wall{speedup}); {ratios}; peak RSS {result['peak_mb']:.0f} MB "
              f"(largest process); {len(report.get('findings', []))} findings, {len(report.get('errors', []))} errors")

    real = sorted((SHARED / "corpora/loghub_2k").glob("*/*_2k.log"))
    real += [SHARED / "corpora/elastic_examples_weblogs/apache_logs"]
    if all(p.exists() for p in real):
        real_size = content_bytes(real)
        real_line = python_line_read(real)
        result, _ = pdscan_run(args.pdscan, [*map(str, real), "--jobs", "1"])
        print(f"real logs ({len(real)} files, {real_size / 1e6:.1f} MB): pdscan --jobs 1 "
              f"{real_size / 1e6 / result['cpu']:.2f} MB per CPU-second ({result['cpu']:.2f} s CPU, start-up "
              f"included); {100 * real_line / result['cpu']:.2f} % of the line read")

    if args.profile_mb:
        slice_path = Path(f"/tmp/pdscan-profile-slice-{args.profile_mb:g}mb.log")
        if not slice_path.exists():
            generate(slice_path, args.profile_mb, seed=7)
        stages = stage_profile([str(slice_path)])
        total = sum(stages.values())
        print(f"per-stage CPU, cProfile on a {args.profile_mb:g} MB slice, --jobs 1 (shares; cProfile inflates Python code):")
        for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            print(f"  {stage:<38} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")

    if args.rerun_size_mb:
        rerun_target, _ = build_directory(Path(f"/tmp/pdscan-logs-{args.rerun_size_mb:g}mb"), args.rerun_size_mb,
                                          args.files)
        print(f"re-runs with --state on {rerun_target} ({args.rerun_size_mb:g} MB), --jobs {max(args.jobs or [2])}:")
        for line in state_reruns(args.pdscan, rerun_target, max(args.jobs or [2])):
            print(line)

    found = found_by_category(first_report)
    print("found / planted per category (--jobs %d run):" % (args.jobs or [1])[0])
    for category in sorted(set(planted) | set(found)):
        print(f"  {category:<16} {found.get(category, 0):>9} / {planted.get(category, 0):>9}")


if __name__ == "__main__":
    main()
