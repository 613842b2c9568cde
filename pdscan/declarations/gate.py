"""The one function that decides the exit status of ``pdscan scan``.

``--fail-on`` says which findings fail the build (findings suppressed by the baseline never do):

- ``violation`` (default): any verdict in ``VIOLATIONS`` (everything but ``declared``);
- ``undeclared``: any ``undeclared`` or ``not_in_policy`` finding (a category no policy names is
  never covered, declared or not: it comes before ``undeclared`` in precedence, so a gate on
  undeclared data that let it through would be weaker than before the verdict existed);
- ``any``: any finding at all (a directory that must hold no personal data);
- ``never``: none (a report only).

``--fail-on-stale`` also fails on a stale declaration, whatever ``--fail-on`` says.

Precedence when several apply: USAGE (2) > FOUND (1) > INCOMPLETE (3) > OK (0). A usage or
configuration error means nothing could be judged. Failing findings come before an incomplete scan:
CI must fail on undeclared data even if one file was unreadable, 1 is the status a team can act on,
and the unreadable sources are listed in the report either way; 3 means "a source could not be
read and nothing else failed" (README, "Exit codes").

An interrupted scan (Ctrl-C, SIGTERM) never reaches this function: the CLI exits with
``ExitCode.INTERRUPTED`` (130, as shells report SIGINT) and writes no report, since a report of half
the sources would pass for a whole one.
"""
from __future__ import annotations

from typing import Iterable

from pdscan.exit_codes import ExitCode
from pdscan.models import VIOLATIONS, SourceError, StaleDeclaration, Verdict, VerdictKind

FAIL_ON_CHOICES = ("violation", "undeclared", "any", "never")


def fails(verdict: Verdict, fail_on: str) -> bool:
    """Whether one verdict fails the build under ``fail_on``."""
    if verdict.suppressed is not None or fail_on == "never":
        return False
    if fail_on == "violation":
        return verdict.verdict in VIOLATIONS
    if fail_on == "undeclared":
        return verdict.verdict in (VerdictKind.NOT_IN_POLICY, VerdictKind.UNDECLARED)
    return fail_on == "any"


def exit_code(verdicts: Iterable[Verdict], stale: Iterable[StaleDeclaration], errors: Iterable[SourceError],
              fail_on: str = "violation", fail_on_stale: bool = False) -> ExitCode:
    if fail_on not in FAIL_ON_CHOICES:
        return ExitCode.USAGE
    if any(fails(v, fail_on) for v in verdicts) or (fail_on_stale and any(True for _ in stale)):
        return ExitCode.FOUND
    if any(error.incomplete for error in errors):  # warnings (all data scanned) do not make a scan incomplete
        return ExitCode.INCOMPLETE
    return ExitCode.OK
