"""The pre-commit hook definition shipped at the repository root."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "pdscan"]
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert hook["entry"].split() == ["pdscan", "scan", "--fail-on", "violation"]
    assert {"id", "name", "entry", "language"} <= set(hook)
