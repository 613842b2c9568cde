"""exit_code(): --fail-on modes, --fail-on-stale, and precedence 2 > 1 > 3 > 0."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pdscan.declarations.gate import FAIL_ON_CHOICES, exit_code
from pdscan.exit_codes import ExitCode
from pdscan.models import SourceError, StaleDeclaration, Verdict

ERROR = SourceError("logs/", "logs/broken.log", "permission denied")
STALE = StaleDeclaration("web: categories.email", "web", None, "email", "not found")


@pytest.fixture
def verdict(make_finding):
    def make(kind: str, suppressed: str | None = None) -> Verdict:
        return Verdict(make_finding("email"), kind, "because", suppressed=suppressed)

    return make


@pytest.mark.parametrize("kinds, fail_on, expected", [
    ([], "violation", ExitCode.OK),
    (["declared"], "violation", ExitCode.OK),
    (["declared", "retention_exceeded"], "violation", ExitCode.FOUND),
    (["no_purpose"], "violation", ExitCode.FOUND),
    (["undeclared"], "violation", ExitCode.FOUND),
    (["no_purpose", "consent_required"], "undeclared", ExitCode.OK),
    (["declared", "undeclared"], "undeclared", ExitCode.FOUND),
    (["declared"], "any", ExitCode.FOUND),
    ([], "any", ExitCode.OK),
    (["undeclared", "purpose_not_allowed"], "never", ExitCode.OK),
    # data no policy names fails the default gate and the undeclared one: it is never covered
    (["not_in_policy"], "violation", ExitCode.FOUND),
    (["declared", "not_in_policy"], "undeclared", ExitCode.FOUND),
    (["not_in_policy"], "never", ExitCode.OK),
])
def test_fail_on_modes(verdict, kinds, fail_on, expected):
    assert exit_code([verdict(k) for k in kinds], (), (), fail_on) == expected


@pytest.mark.parametrize("fail_on", FAIL_ON_CHOICES)
def test_suppressed_never_fails(verdict, fail_on):
    assert exit_code([verdict("undeclared", suppressed="b.json#1")], (), (), fail_on) == ExitCode.OK


def test_default_is_violation(verdict):
    assert exit_code([verdict("declared")], (), ()) == ExitCode.OK
    assert exit_code([verdict("undeclared")], (), ()) == ExitCode.FOUND


@pytest.mark.parametrize("fail_on", FAIL_ON_CHOICES)
def test_fail_on_stale(fail_on):
    assert exit_code([], [STALE], (), fail_on, fail_on_stale=False) == ExitCode.OK
    assert exit_code([], [STALE], (), fail_on, fail_on_stale=True) == ExitCode.FOUND
    assert exit_code([], [], (), fail_on, fail_on_stale=True) == ExitCode.OK


def test_found_wins_over_incomplete(verdict):
    assert exit_code([verdict("undeclared")], (), [ERROR]) == ExitCode.FOUND
    assert exit_code([], [STALE], [ERROR], fail_on_stale=True) == ExitCode.FOUND


def test_incomplete_when_nothing_else_fails(verdict):
    assert exit_code([verdict("declared")], (), [ERROR]) == ExitCode.INCOMPLETE
    assert exit_code([verdict("undeclared")], [STALE], [ERROR], "never") == ExitCode.INCOMPLETE
    assert exit_code([], (), iter([ERROR])) == ExitCode.INCOMPLETE


def test_usage_wins_over_everything(verdict):
    assert exit_code([verdict("undeclared")], [STALE], [ERROR], "sometimes", True) == ExitCode.USAGE


def test_exit_code_values_are_the_documented_contract():
    assert (int(ExitCode.OK), int(ExitCode.FOUND), int(ExitCode.USAGE), int(ExitCode.INCOMPLETE)) == (0, 1, 2, 3)
    assert FAIL_ON_CHOICES == ("violation", "undeclared", "any", "never")


def test_is_violation_matches_gate(verdict):
    v = verdict("consent_required")
    assert v.is_violation and not replace(v, suppressed="x").is_violation
