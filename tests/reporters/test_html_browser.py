"""The data map in a real browser: headless Chromium (scripts/chromium.sh installs it) opens the report of
sample_data/, and the DOM is checked against the JSON report of the same scan; a real mouse click drills
down into a cell; the screenshot of what a reader sees first is saved in the test's temporary directory.

Deselect with ``-m "not browser"``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from browser import Browser, find_chromium

from pdscan.models import VerdictKind

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
READY = "document.documentElement.dataset.ready === 'true'"


def _pdscan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pdscan.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("needs Chromium: `bash scripts/chromium.sh` installs Debian's chromium package "
                    "(apt-get was not available to scripts/test.sh), or set PDSCAN_CHROMIUM")
    return found


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    with Browser(chromium, tmp_path_factory.mktemp("chromium")) as opened:
        yield opened


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory) -> tuple[Path, dict]:
    """The README's main command on sample_data/ as HTML, and as JSON for what the page must show."""
    directory = tmp_path_factory.mktemp("data-map")
    html, document = directory / "report.html", directory / "report.json"
    for path, output_format in ((html, "html"), (document, "json")):
        done = _pdscan("scan", "sample_data/", "--declarations", "sample_data/pdscan.yaml", "--quiet",
                       "--format", output_format, "-o", str(path))
        assert done.returncode == 1, done.stderr  # the sample data has violations
    return html, json.loads(document.read_text(encoding="utf-8"))


def test_sample_data_map_in_chromium(browser, sample_reports):
    html, document = sample_reports
    browser.open(html.as_uri(), READY)
    findings = document["findings"]

    # The summary first: the violation count of the JSON summary, and its first screen is saved.
    status = browser.evaluate("document.getElementById('status').textContent")
    assert f"{document['summary']['violations']} violations" in status
    top = browser.evaluate("document.getElementById('summary').getBoundingClientRect().top")
    assert top < browser.evaluate("document.getElementById('matrix').getBoundingClientRect().top")
    screenshot = browser.screenshot(html.parent / "data-map.png")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000

    # The matrix: one row per container, one column per category, a cell for each pair the JSON has.
    matrix = browser.evaluate("""(() => {
        const columns = [...document.querySelectorAll('#matrix th.cat')].map(th => th.dataset.category);
        return [...document.querySelectorAll('#matrix tr.row')].map(tr => ({
            name: tr.dataset.name, group: tr.closest('tbody').dataset.group, visible: !tr.hidden,
            cells: [...tr.querySelectorAll('td.cell')].map(td => ({
                category: columns[+td.dataset.col], verdict: td.dataset.verdict,
                text: td.textContent.trim(), colour: getComputedStyle(td).backgroundColor})) }));
    })()""")
    expected: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        expected[finding["container"]][finding["category"]].append(finding)
    assert {row["name"] for row in matrix} == set(expected) and all(row["visible"] for row in matrix)
    groups = {row["name"]: row["group"] for row in matrix}
    assert {groups[name] for name in expected if "/logs/" in name} == {"logs"}
    assert {groups[name] for name in expected if "/exports/" in name} == {"export"}
    assert {groups[f["container"]] for f in findings if "table" in f["location"]} == {"database"}
    order = [str(kind) for kind in VerdictKind]
    for row in matrix:
        assert {c["category"] for c in row["cells"]} == set(expected[row["name"]])
        for cell in row["cells"]:
            behind = expected[row["name"]][cell["category"]]
            assert cell["verdict"] == min((f["verdict"] for f in behind), key=order.index)
            assert cell["text"] == str(sum(f["count"] for f in behind))
    legend = browser.evaluate("Object.fromEntries([...document.querySelectorAll('#verdict-filter input')]"
                              ".map(i => [i.dataset.verdict, getComputedStyle(i.nextElementSibling).backgroundColor]))")
    for row in matrix:
        for cell in row["cells"]:
            assert cell["colour"] == legend[cell["verdict"]]

    # A drill-down: click the cell of the first violation in an export, as a reader would.
    target = next(f for f in findings if f["verdict"] != "declared" and groups[f["container"]] == "export")
    cell = browser.evaluate(f"""(() => {{
        const column = document.querySelector('#matrix th.cat[data-category={json.dumps(target["category"])}]').dataset.col;
        const row = [...document.querySelectorAll('#matrix tr.row')].find(tr => tr.dataset.name === {json.dumps(target["container"])});
        return row.id + ' td.cell[data-col="' + column + '"] a';
    }})()""")
    assert not browser.evaluate("[...document.querySelectorAll('section.drill')].some(s => s.offsetParent !== null)")
    browser.click(f"#{cell}")
    browser.wait_for("location.hash !== ''")
    drill = browser.evaluate("""(() => {
        const section = document.getElementById(location.hash.slice(1));
        return {visible: section.offsetParent !== null, selected: document.querySelector('td.cell.selected') !== null,
                title: section.querySelector('h3').textContent,
                rows: [...section.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.textContent.trim()))};
    })()""")
    assert drill["visible"] and drill["selected"] and target["container"] in drill["title"]
    behind = expected[target["container"]][target["category"]]
    assert sorted(row[0] for row in drill["rows"]) == sorted(f["field"] or "free text" for f in behind)
    field, verdict, _, reason, _, examples, location, oldest, newest = next(
        row for row in drill["rows"] if row[0] == target["field"])
    assert verdict == target["verdict"] and reason == target["reason"] and "§" in reason
    assert examples.split() == target["examples"] and all("*" in e for e in target["examples"])
    assert location.endswith(f":{target['location']['line']}")
    assert oldest.startswith(target["oldest"][:19]) and newest.startswith(target["newest"][:19])

    # Filters: without `declared`, the rows with nothing else are hidden; sorted by violations, the
    # databases start with the table that has the most.
    browser.click('#verdict-filter input[data-verdict="declared"]')
    hidden = set(browser.evaluate("[...document.querySelectorAll('#matrix tr.row')].filter(tr => tr.hidden)"
                                  ".map(tr => tr.dataset.name)"))
    assert hidden == {name for name, by_category in expected.items()
                      if all(f["verdict"] == "declared" for fs in by_category.values() for f in fs)}
    browser.evaluate("(() => { const s = document.getElementById('sort-rows'); s.value = 'violations';"
                     " s.dispatchEvent(new Event('change')); })()")
    first = browser.evaluate("document.querySelector('tbody[data-group=database] tr.row').dataset.name")
    violations = defaultdict(int)
    for finding in findings:
        violations[finding["container"]] += finding["verdict"] != "declared" and finding["suppressed"] is None
    assert violations[first] == max(violations[name] for name in expected if groups[name] == "database")
    print(f"\ndata map: {len(matrix)} rows, {len({c['category'] for r in matrix for c in r['cells']})} columns, "
          f"{sum(len(r['cells']) for r in matrix)} cells; drilled into {target['container']} × {target['category']} "
          f"({target['verdict']}); html {html.stat().st_size:,} bytes; screenshot {screenshot} "
          f"({screenshot.stat().st_size:,} bytes)")


def test_hostile_file_name_key_and_value_do_not_run_in_chromium(browser, tmp_path):
    data = tmp_path / "<script>window.pwned=1<"  # with the file below: <script>window.pwned=1</script>.jsonl
    data.mkdir()
    hostile = data / 'script>"><img src=x onerror=window.pwned=2>.jsonl'
    lines = [{"<script>window.pwned=3</script>": "+86 138 0013 8000",
              '"><img src=x onerror=window.pwned=4>': "alice@example.com",
              "full_name": '"><img src=x onerror=window.pwned=5><script>window.pwned=6</script>'}] * 20
    hostile.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = tmp_path / "hostile.html"
    done = _pdscan("scan", str(tmp_path), "--show-values", "--quiet", "--format", "html", "-o", str(report))
    assert done.returncode in (0, 1), done.stderr
    text = report.read_text(encoding="utf-8")
    assert "window.pwned=1&lt;/script&gt;" in text and "&lt;script&gt;window.pwned=3" in text
    assert "onerror=window.pwned=5" in text  # the raw value is shown (--show-values), as text
    browser.open(report.as_uri(), READY)
    assert browser.evaluate("window.pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.scripts.length") == 1
    assert browser.evaluate("document.querySelectorAll('#matrix tr.row').length") == 1
