"""The data map (``--format html``) as text: layout, self-containment, escaping. In a browser: test_html_browser.py."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pdscan.models import (Finding, Location, Report, ScanResult, ScanStats, SourceError, StaleDeclaration, Verdict,
                           VerdictKind)
from pdscan.reporters import html_report

PASSWORD = "S3cretPw"
DB_URL = f"postgresql://alice:{PASSWORD}@db.example:5432/shop"
HOSTILE_SCRIPT = "<script>window.pwned=1</script>"
HOSTILE_IMG = '"><img src=x onerror=window.pwned=1>'


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def named(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def with_class(self, tag: str, cls: str) -> list[dict]:
        return [attrs for attrs in self.named(tag) if cls in (attrs.get("class") or "").split()]


def _finding(**changes) -> Finding:
    base = Finding(source="shop/", container="shop/logs/app.log", field="phone", category="phone", count=3,
                   examined=120, confidence=0.95, evidence="value", examples=("+86 138****5678",),
                   location=Location(path="shop/logs/app.log", line=12), detectors=("cn_mobile",))
    return replace(base, **changes)


def _table(table: str, field: str, category: str, count: int = 5) -> Finding:
    return _finding(source=DB_URL, container=table, field=field, category=category, count=count,
                    location=Location(table=table, column=field, row_key="id=1"))


def _report(verdicts, errors=(), stale=(), show_values=False, exit_code=1) -> Report:
    stats = ScanStats(sources=2, files=3, tables=2, bytes=123_456, values=999, seconds=1.25)
    result = ScanResult(tuple(v.finding for v in verdicts), tuple(errors), stats)
    return Report(result, tuple(verdicts), tuple(stale), (), exit_code, show_values)


MIXED = (
    Verdict(_finding(), VerdictKind.UNDECLARED, "phone is not declared"),
    Verdict(_finding(field="email", category="email", count=4), VerdictKind.DECLARED, "declared for support",
            declaration="app log: fields.email.email", purposes=("customer_support",)),
    Verdict(_table("public.customers", "email", "email", 40), VerdictKind.DECLARED, "declared"),
    Verdict(_table("public.customers", "contact", "email", 2), VerdictKind.RETENTION_EXCEEDED,
            "the oldest record is 900 days old, beyond the declared retention 1y"),
    Verdict(_finding(container="shop/exports/users.csv.gz", field="mobile", location=Location(path="x", line=2)),
            VerdictKind.UNDECLARED, "phone is not declared", suppressed="baseline#1: legacy"),
)


@pytest.fixture(scope="module")
def mixed(report_catalog):
    return html_report.render(_report(MIXED, errors=(SourceError(DB_URL, "public.audit", "permission denied"),),
                                      stale=(StaleDeclaration("app log: fields.sid", "app log", "sid", "session_id",
                                                              "declared but not found"),)), report_catalog)


@pytest.fixture(scope="module")
def report_catalog(catalog):
    return catalog


@pytest.mark.parametrize("container, table, group", [
    ("shop/logs/nginx/access.log.2.gz", False, "logs"),
    ("shop/logs/app/app.jsonl", False, "logs"),
    ("/var/log/messages", False, "logs"),
    ("shop/app.log-20240101", False, "logs"),
    ("shop/exports/customers.csv.gz", False, "export"),
    ("orders.tsv", False, "export"),
    ("dump/users.parquet", False, "export"),
    ("shop/blob.bin", False, "other"),
    ("-", False, "other"),
    ("public.customers", True, "database"),
])
def test_rows_are_grouped_as_databases_log_sets_exports(container, table, group):
    location = Location(table=container, column="c") if table else Location(path=container, line=1)
    verdict = Verdict(_finding(container=container, location=location), VerdictKind.UNDECLARED, "")
    assert html_report.container_group(verdict) == group


def test_matrix_rows_columns_and_cells(mixed, catalog):
    page = Elements(mixed)
    groups = [attrs["data-group"] for attrs in page.with_class("tbody", "rowgroup")]
    assert groups == ["database", "logs", "export"]
    rows = page.with_class("tr", "row")
    assert [r["data-name"] for r in rows] == ["public.customers", "shop/logs/app.log", "shop/exports/users.csv.gz"]
    assert [r["data-violations"] for r in rows] == ["1", "1", "0"]  # the suppressed finding is no violation
    columns = page.with_class("th", "cat")
    assert [c["data-category"] for c in columns] == ["email", "phone"]
    assert [c["data-group"] for c in columns] == [catalog.categories[c].group for c in ("email", "phone")]
    cells = page.with_class("td", "cell")
    # public.customers × email: 40 declared + 2 retention_exceeded values, coloured as the worse verdict
    customers_email = cells[0]
    assert customers_email["data-verdict"] == "retention_exceeded"
    assert customers_email["data-counts"] == "retention_exceeded:2 declared:40"
    assert html_report.COLOURS["retention_exceeded"] in customers_email["style"]
    suppressed = cells[-1]
    assert "suppressed" in suppressed["class"] and suppressed["data-counts"] == "suppressed:3"


def test_every_cell_links_to_its_drill_down(mixed):
    page = Elements(mixed)
    links = [a["href"] for a in page.named("a") if a.get("href", "").startswith("#d-")]
    drills = [attrs["id"] for attrs in page.with_class("section", "drill")]
    assert links and sorted(links) == sorted(f"#{ident}" for ident in drills)
    assert "the oldest record is 900 days old" in mixed and "customer_support" in mixed


def test_summary_comes_first_with_violations_stale_errors_and_what_was_scanned(mixed):
    assert mixed.index('id="summary"') < mixed.index('id="map"') < mixed.index('id="findings"')
    page = Elements(mixed)
    by_verdict = {li["data-verdict"] for li in page.named("li") if "data-verdict" in li}
    assert by_verdict == {str(kind) for kind in VerdictKind if kind != VerdictKind.DECLARED}
    text = " ".join(" ".join(page.text).split())
    assert "2 violations" in text and "declared but not found" in text and "permission denied" in text
    for fact in ("files 3", "tables 2", "120.6 KB", "values 999", "1.2 s"):
        assert fact in text


def test_legend_and_filters_come_from_the_verdict_enum(mixed):
    boxes = [attrs["data-verdict"] for attrs in Elements(mixed).named("input") if "data-verdict" in attrs]
    assert boxes == [str(kind) for kind in VerdictKind] + ["suppressed"]


def test_a_verdict_without_a_colour_is_neutral(catalog):
    odd = Verdict(_finding(), "some_future_verdict", "a verdict this module has no colour for")
    page = Elements(html_report.render(_report((odd,)), catalog))
    cell = page.with_class("td", "cell")[0]
    assert cell["data-verdict"] == "some_future_verdict" and html_report.NEUTRAL in cell["style"]


def test_self_contained_nothing_loaded_from_anywhere(mixed):
    page = Elements(mixed)
    assert not page.named("link") and not page.named("img") and not page.named("iframe")
    assert all("src" not in attrs for _, attrs in page.tags)
    assert all(a["href"].startswith("#") for a in page.named("a"))
    csp = next(m["content"] for m in page.named("meta") if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert len(page.named("script")) == 1
    assert "http://" not in mixed and "https://" not in mixed


def test_no_password(mixed):
    assert PASSWORD not in mixed and "alice:***@db.example" in mixed


def test_hostile_names_keys_and_values_stay_text(catalog):
    hostile = Verdict(
        _finding(source=f"shop/{HOSTILE_IMG}", container=f"shop/{HOSTILE_SCRIPT}.log", field=HOSTILE_IMG,
                 examples=(HOSTILE_SCRIPT, "a\x1b[31mred\u202etxt.exe"),
                 location=Location(path=f"shop/{HOSTILE_SCRIPT}.log", line=1)),
        VerdictKind.UNDECLARED, f"reason with {HOSTILE_SCRIPT}", declaration=HOSTILE_IMG, purposes=(HOSTILE_SCRIPT,))
    text = html_report.render(_report((hostile,), show_values=True), catalog)
    page = Elements(text)
    assert len(page.named("script")) == 1 and not page.named("img")
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in text and "&#34;&gt;&lt;img" in text
    assert "\x1b" not in text and "\u202e" not in text and "a\\x1b[31mred\\u202etxt.exe" in text
    assert "raw values shown" in text


def test_examples_are_shown_as_the_finding_holds_them_and_raw_ones_are_flagged(mixed):
    assert "+86 138****5678" in mixed and "raw values shown" not in mixed


def test_an_empty_scan(catalog):
    text = html_report.render(_report((), exit_code=0), catalog)
    assert "No personal data found" in text and "No violations" in text and 'id="matrix"' not in text


def test_jinja2_is_imported_only_to_render():
    code = ("import sys; from pdscan import reporters; import pdscan.cli\n"
            "module = reporters.get('html'); assert 'jinja2' not in sys.modules, 'jinja2 imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_the_template_and_script_are_installed():
    from importlib.resources import files

    templates = files("pdscan.reporters") / "templates"
    assert (templates / "report.html.j2").is_file() and (templates / "report.js").is_file()
