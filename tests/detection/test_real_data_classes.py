"""False-alarm and miss classes seen on real logs and exports; the cases are data in
tests/data/detection/real_data_classes.yaml, each labelled with its class."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "data/detection/real_data_classes.yaml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['class']}:{c['text'][:40]}" for c in CASES])
def test_real_data_class(engine, case):
    matches = [m for m in engine.scan(case["text"], field=case.get("field")) if m.category == case["category"] and not m.weak]
    shown = [(m.value, m.detector, m.reasons) for m in engine.scan(case["text"], field=case.get("field"))]
    assert bool(matches) == case["found"], shown
    if "count" in case:
        assert len(matches) == case["count"], shown
