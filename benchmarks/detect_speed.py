"""Detection throughput of the engine alone on a synthetic log slice (MB/s, one core).

Generates the slice with make_corpus.py when it is missing, then scans it in 1 MB blocks
twice: "cold" (empty validation cache, as at the start of a scan) and "warm" (as a long scan
runs after its first files). Prints the figures and the matches per category.

The synthetic slice is dense (an item every three lines, every value distinct), so it is the
pessimistic figure; the same is then measured on the real logs in ``../shared/corpora`` (the 16
loghub systems and the Apache access log, concatenated: 6.8 MB), where values repeat as they do.

Usage: python benchmarks/detect_speed.py [--size-mb 20] [--slice PATH] [--catalog PATH] [--shared PATH]
"""
from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from make_corpus import generate

from pdscan.catalog import load_catalog
from pdscan.detection.engine import Engine

BLOCK = 1 << 20


def blocks(text: str):
    position = 0
    while position < len(text):
        end = text.find("\n", position + BLOCK)
        end = len(text) if end < 0 else end + 1
        yield text[position:end]
        position = end


def timed_pass(engine: Engine, text: str) -> tuple[float, collections.Counter]:
    counts: collections.Counter = collections.Counter()
    started = time.perf_counter()
    for block in blocks(text):
        for match in engine.scan(block):
            counts[match.category] += 1
    return time.perf_counter() - started, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=20)
    parser.add_argument("--slice", type=Path, default=None)
    parser.add_argument("--catalog", default=None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    args = parser.parse_args()
    path = args.slice or Path(f"/tmp/pdscan-slice-{args.size_mb:g}mb.log")
    if not path.exists():
        generate(path, args.size_mb)
    text = path.read_text(encoding="utf-8")
    size_mb = len(text.encode()) / 1e6
    started = time.perf_counter()
    engine = Engine(load_catalog(args.catalog))
    print(f"engine ready in {time.perf_counter() - started:.2f} s (compiled database cached on disk after the first run)")
    cold, counts = timed_pass(engine, text)
    warm, _ = timed_pass(engine, text)
    print(f"slice {path} {size_mb:.1f} MB, {text.count(chr(10))} lines")
    print(f"cold: {cold:.2f} s  {size_mb / cold:.1f} MB/s")
    print(f"warm: {warm:.2f} s  {size_mb / warm:.1f} MB/s")
    print("matches: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    real_logs = sorted((args.shared / "corpora/loghub_2k").glob("*/*_2k.log"))
    real_logs += [args.shared / "corpora/elastic_examples_weblogs/apache_logs"]
    if all(p.exists() for p in real_logs):
        real = "".join(p.read_text(encoding="utf-8", errors="replace") for p in real_logs)
        real_mb = len(real.encode()) / 1e6
        engine = Engine(load_catalog(args.catalog))
        cold, counts = timed_pass(engine, real)
        warm, _ = timed_pass(engine, real)
        print(f"real logs ({len(real_logs)} files) {real_mb:.1f} MB: cold {real_mb / cold:.1f} MB/s, warm {real_mb / warm:.1f} MB/s")
        print("matches: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))


if __name__ == "__main__":
    main()
