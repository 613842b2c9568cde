"""CPU time of what a scan does outside the detection engine: reading files into blocks, and turning
matches into findings (keys of free text, record times, tallies), per match.

The engine runs once to get each block's matches; then, min of --rounds: the blocks are read again
(timed: "read") and an Aggregator takes the stored matches (timed: "aggregate"), so that the
figures do not move with the engine's speed. CPU time (process_time) of this one process; compare
two trees by running this script under each (PYTHONPATH=<tree>) in turns, in one sitting.

Usage: python benchmarks/aggregate_speed.py PATH... [--rounds 5]
"""
from __future__ import annotations

import argparse
import time

from pdscan.aggregate import Aggregator
from pdscan.catalog import load_catalog
from pdscan.detection.engine import Engine
from pdscan.models import Block
from pdscan.scanner import ScanConfig, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    config = ScanConfig(sources=tuple(args.paths))
    tasks, errors = plan(config)
    engine = Engine(load_catalog(), config.engine)

    def blocks() -> list[Block]:
        return [item for task in tasks for item in task.read(config.read) if isinstance(item, Block)]

    read = blocks()
    matches = [[m for m in engine.scan(b.text, field=b.field or None, record=b.record) if not m.weak] for b in read]
    count = sum(map(len, matches))
    read_times, aggregate_times = [], []
    for _ in range(args.rounds):
        started = time.process_time()
        read = blocks()  # fresh blocks: record times are cached per block
        read_times.append(time.process_time() - started)
        started = time.process_time()
        aggregator = Aggregator()
        for block, found in zip(read, matches):
            aggregator.add(block, found)
        findings = aggregator.findings()
        aggregate_times.append(time.process_time() - started)
    size = sum(task.size for task in tasks)
    print(f"{len(tasks)} tasks ({size / 1e6:.1f} MB on disk), {len(read)} blocks, {count} matches, "
          f"{len(findings)} findings, {len(errors)} planning errors")
    print(f"read {1e3 * min(read_times):.1f} ms, aggregate {1e3 * min(aggregate_times):.1f} ms "
          f"({1e6 * min(aggregate_times) / max(count, 1):.2f} us per match); min of {args.rounds} rounds")


if __name__ == "__main__":
    main()
