"""False tags and misses of `pdscan scan` on real public logs and exports, against hand labels.

The files are in ``tests/data/real/`` (each folder's SOURCE file names its repository, commit and
licence), plus a few read in place from ``../shared`` (loghub's research licence forbids copying
them; they are skipped, and the benchmark says so, when ``../shared`` is absent). The labels are in
``tests/data/real/labels.yaml``: per (file, field, category), ``find`` or ``not_find``, each with a
comment saying why.

The scan is the installed CLI, as a user runs it: ``pdscan scan FILE... --format json --fail-on never
--jobs 1 --quiet``, with no declarations (run from a temporary directory so that no ``pdscan.yaml``
is picked up).

Scoring, per finding (source file, field, category):
- it matches a ``find`` label (field glob and category): right;
- it matches a ``not_find`` label: a **false tag**;
- it matches no label: **unlabelled**, counted as a false tag as well (every file is labelled for
  what it holds, so a finding nobody expected is wrong until someone labels it ``find``); these are
  listed so that they can be labelled.
A ``find`` label that no finding meets is a **miss**.

Precision is over findings (right / all findings); recall over ``find`` labels (met / all).

Usage: python benchmarks/real_data.py [--pdscan PATH] [--shared ../shared] [--labels PATH] [--json OUT]
Prints tables; exits 0 always (figures, not pass/fail), 2 when pdscan could not be run.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "real"


@dataclass(frozen=True)
class Label:
    field: str
    category: str
    expect: str  # "find" | "not_find"

    def matches(self, field: str, category: str) -> bool:
        # fnmatchcase: pdscan's fields are case-sensitive (`PWD` and `pwd` are different keys).
        return category == self.category and fnmatch.fnmatchcase(field, self.field)


@dataclass(frozen=True)
class LabelledFile:
    name: str  # as printed: the path under tests/data/real, or shared:<path>
    path: Path
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Finding:
    field: str
    category: str
    count: int
    examples: tuple[str, ...]  # masked, as pdscan prints them


def load_labels(labels_path: Path, shared: Path) -> tuple[list[LabelledFile], list[str]]:
    """The labelled files that exist, and the names of those skipped (shared ones when ../shared is absent)."""
    doc = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    files, skipped = [], []
    for entry in doc["files"]:
        labels = tuple(Label(str(lab["field"]), lab["category"], lab["expect"]) for lab in entry["labels"])
        if "path" in entry:
            files.append(LabelledFile(entry["path"], labels_path.parent / entry["path"], labels))
        else:
            path = shared / entry["shared"]
            name = f"shared:{entry['shared']}"
            if path.is_file():
                files.append(LabelledFile(name, path, labels))
            else:
                skipped.append(name)
    return files, skipped


def run_scan(pdscan: str, files: list[LabelledFile]) -> dict:
    cmd = [pdscan, "scan", *(str(f.path.resolve()) for f in files),
           "--format", "json", "--fail-on", "never", "--jobs", "1", "--quiet"]
    # A temporary working directory: no ./pdscan.yaml may turn findings into declared ones.
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"pdscan scan failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def findings_by_file(report: dict, files: list[LabelledFile]) -> dict[str, list[Finding]]:
    by_path = {str(f.path.resolve()): f.name for f in files}
    out: dict[str, list[Finding]] = defaultdict(list)
    for item in report["findings"]:
        name = by_path.get(str(Path(item["container"]).resolve()))
        if name is None:
            continue
        out[name].append(Finding(item["field"], item["category"], item["count"], tuple(item["examples"])))
    return out


@dataclass(frozen=True)
class FileScore:
    name: str
    right: tuple[Finding, ...]
    false_tags: tuple[tuple[Finding, Label], ...]
    unlabelled: tuple[Finding, ...]
    misses: tuple[Label, ...]
    find_labels: int
    not_find_labels: int


def score(lf: LabelledFile, found: list[Finding]) -> FileScore:
    right, false_tags, unlabelled = [], [], []
    for f in found:
        if any(lab.expect == "find" and lab.matches(f.field, f.category) for lab in lf.labels):
            right.append(f)
            continue
        veto = next((lab for lab in lf.labels if lab.expect == "not_find" and lab.matches(f.field, f.category)), None)
        if veto is not None:
            false_tags.append((f, veto))
        else:
            unlabelled.append(f)
    misses = tuple(lab for lab in lf.labels if lab.expect == "find"
                   and not any(lab.matches(f.field, f.category) for f in found))
    return FileScore(lf.name, tuple(right), tuple(false_tags), tuple(unlabelled), misses,
                     sum(lab.expect == "find" for lab in lf.labels),
                     sum(lab.expect == "not_find" for lab in lf.labels))


def _finding(f: Finding) -> str:
    return f"field {f.field!r:32} {f.category:15} count {f.count:<5} e.g. {', '.join(f.examples[:2])}"


def report(scores: list[FileScore], skipped: list[str], scanned_errors: list[dict]) -> dict:
    print("pdscan scan on real public data against tests/data/real/labels.yaml\n")
    width = max(len(s.name) for s in scores)
    print(f"{'file':{width}}  findings  right  false  unlab.  misses  find-labels")
    for s in scores:
        n = len(s.right) + len(s.false_tags) + len(s.unlabelled)
        print(f"{s.name:{width}}  {n:8}  {len(s.right):5}  {len(s.false_tags):5}  {len(s.unlabelled):6}  "
              f"{len(s.misses):6}  {s.find_labels:11}")
    for name in skipped:
        print(f"{name:{width}}  skipped: ../shared is absent")

    print("\nFalse tags (a finding a `not_find` label forbids):")
    for s in scores:
        for f, lab in s.false_tags:
            print(f"  {s.name}: {_finding(f)}")
    print("\nUnlabelled findings (counted as false tags; label them `find` if they are right):")
    for s in scores:
        for f in s.unlabelled:
            print(f"  {s.name}: {_finding(f)}")
    print("\nMisses (a `find` label no finding meets):")
    for s in scores:
        for lab in s.misses:
            print(f"  {s.name}: field {lab.field!r} {lab.category}")
    if scanned_errors:
        print("\nSource errors reported by pdscan:")
        for err in scanned_errors:
            print(f"  {err}")

    findings = sum(len(s.right) + len(s.false_tags) + len(s.unlabelled) for s in scores)
    right = sum(len(s.right) for s in scores)
    false_tags = sum(len(s.false_tags) for s in scores)
    unlabelled = sum(len(s.unlabelled) for s in scores)
    find_labels = sum(s.find_labels for s in scores)
    misses = sum(len(s.misses) for s in scores)
    not_find_labels = sum(s.not_find_labels for s in scores)
    broken = len({(s.name, lab) for s in scores for _, lab in s.false_tags})
    totals = {
        "files": len(scores), "skipped": len(skipped), "findings": findings, "right": right,
        "false_tags": false_tags, "unlabelled": unlabelled, "misses": misses,
        "find_labels": find_labels, "not_find_labels": not_find_labels,
        "not_find_labels_broken": broken,
        "precision": right / findings if findings else 1.0,
        "recall": (find_labels - misses) / find_labels if find_labels else 1.0,
    }
    print(f"\nTotal: {totals['files']} files ({len(skipped)} skipped), {findings} findings: {right} right, "
          f"{false_tags} false tags + {unlabelled} unlabelled; {misses} misses of {find_labels} `find` labels; "
          f"{broken} of {not_find_labels} `not_find` labels broken")
    print(f"precision {totals['precision']:.3f} (right / findings), recall {totals['recall']:.3f} "
          f"(`find` labels met / `find` labels)")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdscan", default=shutil.which("pdscan") or "pdscan", help="the pdscan executable")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--labels", type=Path, default=DATA / "labels.yaml")
    parser.add_argument("--json", type=Path, help="also write the totals and per-file lists as JSON")
    args = parser.parse_args()

    files, skipped = load_labels(args.labels, args.shared)
    scan = run_scan(args.pdscan, files)
    found = findings_by_file(scan, files)
    scores = [score(lf, found.get(lf.name, [])) for lf in files]
    totals = report(scores, skipped, scan.get("errors", []))
    if args.json:
        args.json.write_text(json.dumps({
            "totals": totals,
            "files": {s.name: {
                "right": [f.__dict__ for f in s.right],
                "false_tags": [f.__dict__ for f, _ in s.false_tags],
                "unlabelled": [f.__dict__ for f in s.unlabelled],
                "misses": [lab.__dict__ for lab in s.misses],
            } for s in scores},
        }, indent=2, default=list), encoding="utf-8")


if __name__ == "__main__":
    main()
