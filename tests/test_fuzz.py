"""Fuzzing (hypothesis): the engine (`pdscan detect`), the declaration loader and the baseline loader
never raise anything but their documented errors, whatever the input, and take time linear in its size.

``PDSCAN_FUZZ_EXAMPLES`` sets the number of examples per test (200 by default, so that the default run
stays fast); a campaign runs e.g. ``PDSCAN_FUZZ_EXAMPLES=25000 pytest -m fuzz tests/test_fuzz.py``.
"""
from __future__ import annotations

import json
import os
import time

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from pdscan.declarations.baseline import load_baseline  # noqa: E402
from pdscan.declarations.loader import DeclarationError, parse_declarations  # noqa: E402

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("PDSCAN_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

# Text shaped like what pdscan reads: personal-data-like pieces, separators, keys, controls and
# lone surrogates mixed with anything Unicode has.
_PIECES = st.sampled_from(["a.person@example.net", "+86 138 1234 5678", "13812345678", "192.168.1.1", "::1",
                           "password=", "user=", "phone:", "身份证", "110101199003074578", "4111 1111 1111 1111",
                           "\x1b[2J", "\ud800", "\udcff", "\n", "\t", "=", "@", "\"", "{", "}", "[", "]", ":", ","])
TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=30).map("".join)


@FUZZ
@given(text=TEXT, field=st.one_of(st.none(), TEXT))
def test_the_engine_never_raises_and_its_offsets_hold(engine, text, field):
    from pdscan.printable import without_surrogates

    clean = without_surrogates(text)
    for match in engine.scan(text, field=field or None):
        assert 0 <= match.start <= match.end <= len(text)
        assert clean[match.start:match.end] == match.value


@FUZZ
@given(text=st.one_of(TEXT, st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=20).map(lambda data: json.dumps({"version": 1, "sources": data}))))
def test_the_declaration_loader_raises_only_declaration_errors(catalog, text):
    try:
        parse_declarations(text, "fuzz.yaml", catalog)
    except DeclarationError:
        pass


@FUZZ
@given(document=st.one_of(TEXT, st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=20).map(lambda data: json.dumps({"version": 1, "entries": data if isinstance(data, list) else [data]}))))
def test_the_baseline_loader_raises_only_value_errors(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    path.write_text(document, encoding="utf-8", errors="surrogatepass")
    try:
        load_baseline(path)
    except ValueError:
        pass


def _cpu(function, argument) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(argument)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", ["a" * 30 + "@", "+86 138 ", "1" * 40 + " ", "password=" * 3, "\ud800x@y.z "])
def test_engine_time_is_linear_in_the_input(engine, unit):
    small, large = unit * 2_000, unit * 16_000
    ratio = _cpu(engine.scan, large) / max(_cpu(engine.scan, small), 1e-3)
    assert ratio < 8 * 3, ratio  # 8 times the input; 3x room for a shared machine's noise


def test_declaration_loading_time_is_linear_in_the_number_of_sources(catalog):
    def document(count: int) -> str:
        rows = ["version: 1", "sources:"]
        for i in range(count):
            rows += [f"  - name: s{i}", f"    paths: [\"logs/{i}/*.log\"]",
                     "    categories: {email: {purposes: [account_creation], legal_basis: contract, retention: 3y}}"]
        return "\n".join(rows) + "\n"

    small, large = document(250), document(2_000)
    ratio = _cpu(lambda t: parse_declarations(t, "f.yaml", catalog), large) / _cpu(
        lambda t: parse_declarations(t, "f.yaml", catalog), small)
    assert ratio < 8 * 3, ratio
