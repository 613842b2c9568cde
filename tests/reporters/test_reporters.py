"""The scan reporters: one hand-built report through every format, checked for what each promises."""
from __future__ import annotations

import csv
import hashlib
import inspect
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from pdscan import __version__, reporters
from pdscan.catalog import (AllowedPurpose, Catalog, CatalogError, Category, Citation, Examples, Purpose,
                            load_catalog)
from pdscan.models import (Finding, Location, Report, ScanResult, ScanStats, SourceError, StaleDeclaration,
                           Verdict)
from pdscan.reporters import (csv_report, json_report, markdown_report, ndjson_report, sarif_report,
                              table_report)
from pdscan.reporters.redact import redact_tree, redact_url

DATA = Path(__file__).resolve().parents[1] / "data"
PASSWORD = "S3cretPw"
DB_URL = f"postgresql://alice:{PASSWORD}@db.example:5432/shop"
REDACTED_DB_URL = "postgresql://alice:***@db.example:5432/shop"
TEXT_FORMATS = ("json", "ndjson", "csv", "sarif", "markdown")
FINDING_KEYS = {"source", "container", "field", "category", "count", "examined", "confidence", "evidence",
                "examples", "location", "verdict", "reason"}


def _minimal_catalog() -> Catalog:
    def category(ident: str, name: str, sensitivity: str) -> Category:
        return Category(ident, name, f"{name} of a person.", "contact", sensitivity, f"user.contact.{ident}",
                        (Citation("Test policy", "1.2", "we collect"),),
                        (AllowedPurpose("order_fulfilment", ()),), (), (), Examples())
    purpose = Purpose("order_fulfilment", "Order fulfilment", "", ("contract",), False, ())
    categories = {c.id: c for c in (category("phone", "Phone number", "high"),
                                    category("email", "Email address", "medium"),
                                    category("cn_id_card", "Chinese ID card number", "critical"))}
    return Catalog(1, ("test",), (), {}, {purpose.id: purpose}, categories, {}, ())


@pytest.fixture(scope="module")
def report_catalog() -> Catalog:
    """The shipped catalog when it loads and has the categories used here; a minimal one otherwise."""
    try:
        catalog = load_catalog()
    except (CatalogError, OSError):
        return _minimal_catalog()
    if not {"phone", "email", "cn_id_card"} <= set(catalog.categories):
        return _minimal_catalog()
    return catalog


def _finding(**changes) -> Finding:
    base = Finding(source="sample_data", container="sample_data/logs/app 1.log", field="phone", category="phone",
                   count=3, examined=120, confidence=0.95, evidence="value",
                   examples=("+86 138****5678", "a|b`c", "[bold]x"),
                   location=Location(path="sample_data/logs/app 1.log", line=12), detectors=("cn_mobile",))
    return replace(base, **changes)


VIOLATION = Verdict(_finding(), "undeclared", "phone is not declared for sample_data")
DECLARED = Verdict(
    _finding(source=DB_URL, container="public.customers", field="email", category="email", count=40,
             examined=50, confidence=0.99, evidence="both", examples=("j***@example.com",),
             location=Location(table="public.customers", column="email", row_key="id=7"), detectors=("email",)),
    "declared", "declared for order_fulfilment", declaration="shop/public.customers.email",
    purposes=("order_fulfilment",))
SUPPRESSED = Verdict(
    _finding(container="sample_data/users.csv", field="=1+1", category="cn_id_card", count=2, examined=10,
             confidence=0.9, evidence="field+value", examples=("11**************1X",),
             location=Location(path="sample_data/users.csv", line=2)),
    "undeclared", "cn_id_card is not declared", suppressed="pdscan-baseline.yaml#1: legacy export")
ERROR = SourceError(DB_URL, "public.audit",
                    f"permission denied for table audit (while reading {DB_URL})", Location(table="public.audit"))
STALE = StaleDeclaration("shop/public.customers.phone", DB_URL, "phone", "phone",
                         "phone is declared (pdscan.yaml:12) but was not found")


def _report(verdicts=(VIOLATION, DECLARED, SUPPRESSED), errors=(ERROR,), stale=(STALE,), exit_code=1) -> Report:
    stats = ScanStats(sources=2, files=3, tables=2, bytes=123_456, values=999, seconds=1.2345)
    result = ScanResult(tuple(v.finding for v in verdicts), tuple(errors), stats)
    return Report(result, tuple(verdicts), tuple(stale), ("baseline entry #2 expired on 2024-01-01",), exit_code)


@pytest.fixture(scope="module")
def report() -> Report:
    return _report()


def _table_text(report: Report, catalog: Catalog) -> str:
    console = Console(file=io.StringIO(), record=True, width=160, color_system=None)
    table_report.print_report(report, catalog, console)
    return console.export_text()


# --- registry and redaction ------------------------------------------------------------------------------

def test_registry_names_every_format_and_rejects_others():
    assert set(reporters.FORMATS) == {"table", "json", "ndjson", "csv", "sarif", "markdown", "html"}
    for name in reporters.FORMATS:
        assert callable(reporters.get(name).render)
    with pytest.raises(ValueError, match="unknown report format 'xml'.*json"):
        reporters.get("xml")


def test_every_reporter_takes_the_same_arguments_and_returns_text(report, report_catalog):
    signatures = {name: list(inspect.signature(reporters.get(name).render).parameters) for name in reporters.FORMATS}
    assert all(parameters == ["report", "catalog", "stdout"] for parameters in signatures.values()), signatures
    for name in reporters.FORMATS:
        assert isinstance(reporters.get(name).render(report, report_catalog), str)


def test_the_scan_command_offers_the_registrys_formats():
    from pdscan.cli import scan_command

    option = next(p for p in scan_command.params if p.name == "output_format")
    assert list(option.type.choices) == list(reporters.FORMATS)


def test_table_for_a_file_is_200_columns_of_plain_text(report_catalog):
    deep = replace(VIOLATION, short="x" * 400)  # a reason longer than any line: the table folds it at the width
    text = table_report.render(_report((deep, DECLARED)), report_catalog)
    assert "\x1b[" not in text and text.endswith("\n")
    assert max(len(line) for line in text.splitlines()) == 200


def test_only_the_table_format_imports_rich():
    code = ("import sys; from pdscan import reporters\n"
            "for name in ('json', 'ndjson', 'csv', 'sarif', 'markdown'): reporters.get(name)\n"
            "assert not any(m == 'rich' or m.startswith('rich.') for m in sys.modules), 'rich imported'\n"
            "reporters.get('table'); assert 'rich' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.parametrize("text, expected", [
    (DB_URL, REDACTED_DB_URL),
    (f"error: cannot connect to {DB_URL} (timeout)", f"error: cannot connect to {REDACTED_DB_URL} (timeout)"),
    ("mysql://bob:p@ss/w:rd@h/db", "mysql://bob:***@h/db"),
    ("postgresql://bob@h/db", "postgresql://bob@h/db"),
    ("postgresql://h/db?password=x1&sslmode=require", "postgresql://h/db?password=***&sslmode=require"),
    ("sample_data/users.csv", "sample_data/users.csv"),
])
def test_redact_url(text, expected):
    assert redact_url(text) == expected


def test_redact_tree_reaches_nested_strings_and_keeps_numbers():
    assert redact_tree({"a": [DB_URL, 1, None], "b": {"c": DB_URL}}) == \
        {"a": [REDACTED_DB_URL, 1, None], "b": {"c": REDACTED_DB_URL}}


@pytest.mark.parametrize("name", TEXT_FORMATS + ("table",))
def test_no_password_in_any_format(name, report, report_catalog):
    output = (_table_text(report, report_catalog) if name == "table"
              else reporters.get(name).render(report, report_catalog))
    assert PASSWORD not in output
    assert "alice:***@db.example" in output or name == "table" and "alice:***@" in output.replace("\n", "")


# --- JSON and ndjson -------------------------------------------------------------------------------------

def test_json_document(report, report_catalog):
    document = json.loads(json_report.render(report, report_catalog))
    assert list(document)[:3] == ["version", "tool", "summary"]
    assert document["version"] == 1
    assert document["tool"] == {"name": "pdscan", "version": __version__}
    summary = document["summary"]
    assert (summary["findings"], summary["violations"], summary["suppressed"], summary["errors"],
            summary["stale"]) == (3, 1, 1, 1, 1)
    assert summary["by_verdict"] == {"declared": 1, "undeclared": 2}
    assert summary["by_category"] == {"cn_id_card": 1, "email": 1, "phone": 1}
    assert (summary["sources"], summary["files"], summary["tables"], summary["bytes"]) == (2, 3, 2, 123_456)
    assert summary["seconds"] == 1.234 or summary["seconds"] == 1.235
    assert summary["exit_code"] == 1
    assert document["categories"]["phone"]["sensitivity"] == report_catalog.categories["phone"].sensitivity
    findings = document["findings"]
    assert len(findings) == 3 and all(FINDING_KEYS <= set(f) for f in findings)
    assert findings[0]["verdict"] == "undeclared" and findings[0]["examples"] == list(VIOLATION.finding.examples)
    assert findings[0]["location"] == {"path": "sample_data/logs/app 1.log", "line": 12}
    assert findings[1]["source"] == REDACTED_DB_URL and findings[1]["purposes"] == ["order_fulfilment"]
    assert findings[2]["suppressed"] == "pdscan-baseline.yaml#1: legacy export"
    assert "value_digests" not in findings[0]
    assert document["errors"] == [{"source": REDACTED_DB_URL, "container": "public.audit",
                                   "reason": f"permission denied for table audit (while reading {REDACTED_DB_URL})",
                                   "location": {"table": "public.audit"}, "severity": "error"}]
    assert document["stale"][0]["declaration"] == "shop/public.customers.phone"
    assert document["notes"] == ["baseline entry #2 expired on 2024-01-01"]


def test_json_of_an_empty_scan(report_catalog):
    document = json.loads(json_report.render(_report((), (), (), 0), report_catalog))
    assert document["findings"] == [] and document["errors"] == [] and document["stale"] == []
    assert document["summary"]["findings"] == 0 and document["summary"]["exit_code"] == 0


def test_ndjson_lines(report, report_catalog):
    output = ndjson_report.render(report, report_catalog)
    assert output.endswith("\n")
    lines = [json.loads(line) for line in output.splitlines()]
    assert [line["type"] for line in lines] == ["finding"] * 3 + ["error", "stale", "summary"]
    assert all(FINDING_KEYS <= set(line) for line in lines[:3])
    assert lines[0]["category"] == "phone" and lines[1]["verdict"] == "declared"
    assert lines[3]["reason"].startswith("permission denied")
    assert lines[4]["category"] == "phone" and lines[4]["field"] == "phone"
    summary = lines[-1]
    assert summary["findings"] == 3 and summary["violations"] == 1 and summary["exit_code"] == 1
    assert summary["tool"]["name"] == "pdscan" and summary["notes"]


# --- CSV -------------------------------------------------------------------------------------------------

def test_csv_rows_parse_back(report, report_catalog):
    rows = list(csv.DictReader(io.StringIO(csv_report.render(report, report_catalog))))
    assert tuple(rows[0]) == csv_report.COLUMNS
    assert [row["verdict"] for row in rows] == ["undeclared", "declared", "undeclared", "error", "stale"]
    first = rows[0]
    assert (first["source"], first["container"], first["field"], first["category"]) == \
        ("sample_data", "sample_data/logs/app 1.log", "phone", "phone")
    assert (first["count"], first["examined"], first["share"], first["confidence"]) == ("3", "120", "0.025", "0.95")
    assert first["location"] == "sample_data/logs/app 1.log:12"
    assert rows[1]["location"] == "public.customers.email [id=7]"
    assert rows[2]["suppressed"] == "pdscan-baseline.yaml#1: legacy export"
    assert rows[3]["reason"].startswith("permission denied") and rows[3]["source"] == REDACTED_DB_URL
    assert rows[4]["declaration"] == "shop/public.customers.phone"


def test_csv_guards_against_formula_injection(report, report_catalog):
    rows = list(csv.DictReader(io.StringIO(csv_report.render(report, report_catalog))))
    assert rows[0]["examples"] == "'+86 138****5678 | a|b`c | [bold]x"  # would run as a formula in Excel
    assert rows[2]["field"] == "'=1+1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert csv_report.guard("@SUM(A1)") == "'@SUM(A1)" and csv_report.guard("-2") == "'-2"
    assert csv_report.guard(3) == 3 and csv_report.guard("plain") == "plain"


# --- SARIF -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def _sarif(report: Report, catalog: Catalog) -> dict:
    return json.loads(sarif_report.render(report, catalog))


def _results(log: dict, rule: str) -> list[dict]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule]


def test_sarif_is_valid_against_the_official_schema(report, report_catalog, sarif_validator):
    log = _sarif(report, report_catalog)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_schema_rejects_what_sarif_forbids(report, report_catalog, sarif_validator):
    """The vendored schema really checks: a level outside the enum and a missing message fail."""
    log = _sarif(report, report_catalog)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][1]["message"]
    messages = [e.message for e in sarif_validator.iter_errors(log)]
    assert any("fatal" in m for m in messages) and any("message" in m for m in messages)


@pytest.mark.parametrize("verdicts, errors, stale", [((), (), ()), ((DECLARED,), (), ()), ((), (ERROR,), (STALE,))])
def test_sarif_of_smaller_scans_is_valid(verdicts, errors, stale, report_catalog, sarif_validator):
    log = _sarif(_report(verdicts, errors, stale, 0), report_catalog)
    assert not list(sarif_validator.iter_errors(log))
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is (not errors)


def test_sarif_tool_and_rules(report, report_catalog):
    driver = _sarif(report, report_catalog)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "pdscan" and driver["version"] == __version__
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert list(rules) == ["phone", "email", "cn_id_card", "pdscan-source-error", "pdscan-stale-declaration"]
    phone = report_catalog.categories["phone"]
    assert rules["phone"]["shortDescription"]["text"] == phone.name
    assert rules["phone"]["fullDescription"]["text"] == (phone.description or phone.name)
    assert rules["phone"]["properties"]["sensitivity"] == phone.sensitivity
    assert rules["phone"]["properties"]["fideslang"] == phone.fideslang
    assert "personal-data" in rules["phone"]["properties"]["tags"]
    results = _sarif(report, report_catalog)["runs"][0]["results"]
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_levels_suppressions_and_properties(report, report_catalog):
    log = _sarif(report, report_catalog)
    violation, = _results(log, "phone")
    declared, = _results(log, "email")
    suppressed, = _results(log, "cn_id_card")
    assert (violation["level"], declared["level"], suppressed["level"]) == ("error", "note", "note")
    assert "suppressions" not in violation and "suppressions" not in declared
    assert suppressed["suppressions"] == [{"kind": "external", "status": "accepted",
                                           "justification": "baseline entry pdscan-baseline.yaml#1: legacy export"}]
    assert violation["message"]["text"].startswith("undeclared: ")
    assert "3 of 120" in violation["message"]["text"] and "+86 138****5678" in violation["message"]["text"]
    props = violation["properties"]
    assert (props["verdict"], props["count"], props["examined"], props["confidence"], props["evidence"]) == \
        ("undeclared", 3, 120, 0.95, "value")


def test_sarif_locations(report, report_catalog):
    log = _sarif(report, report_catalog)
    file_location, = _results(log, "phone")[0]["locations"]
    assert file_location["physicalLocation"] == {"artifactLocation": {"uri": "sample_data/logs/app%201.log"},
                                                 "region": {"startLine": 12}}
    db_location, = _results(log, "email")[0]["locations"]
    assert "physicalLocation" not in db_location
    assert db_location["logicalLocations"] == [{"name": "email", "fullyQualifiedName": "public.customers.email",
                                                "kind": "member"}]
    error, = _results(log, "pdscan-source-error")
    assert error["level"] == "warning" and error["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == \
        "public.audit"
    stale, = _results(log, "pdscan-stale-declaration")
    assert stale["level"] == "note" and "phone" in stale["message"]["text"]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert log["runs"][0]["invocations"][0]["exitCode"] == 1


@pytest.mark.parametrize("path, uri", [
    ("sample_data/a b.csv", "sample_data/a%20b.csv"),
    ("./logs/app.log", "logs/app.log"),
    ("logs\\app.log", "logs/app.log"),
    ("/var/log/app.log", "file:///var/log/app.log"),
    ("C:\\data\\x.csv", "file:///C:/data/x.csv"),
    ("data/#1?.csv", "data/%231%3F.csv"),
])
def test_sarif_artifact_uri(path, uri):
    assert sarif_report.artifact_uri(path) == uri


def test_sarif_fingerprint_is_identity_without_values_or_lines(report, report_catalog):
    result, = _results(_sarif(report, report_catalog), "email")
    expected = hashlib.sha256(f"{REDACTED_DB_URL}|public.customers|email|email".encode()).hexdigest()
    assert result["partialFingerprints"] == {"pdscan/v1": expected}
    moved = replace(VIOLATION, finding=replace(VIOLATION.finding, location=Location(path="sample_data/logs/app 1.log",
                                                                                     line=99), examples=("x",)))
    before, = _results(_sarif(report, report_catalog), "phone")
    after, = _results(_sarif(_report((moved,), (), (), 1), report_catalog), "phone")
    assert before["partialFingerprints"] == after["partialFingerprints"]
    assert "138" not in json.dumps(before["partialFingerprints"])


# --- Markdown --------------------------------------------------------------------------------------------

def test_markdown_status_and_sections(report, report_catalog):
    output = markdown_report.render(report, report_catalog)
    lines = output.splitlines()
    assert lines[0] == "## pdscan: ❌ 1 violation"
    assert output.index("### Violations") < output.index("<details>") < output.index("### Errors") \
        < output.index("### Stale declarations")
    assert "| Source | Field | Category | Verdict | Count | Examples |" in lines
    violation_rows = lines[lines.index("### Violations") + 4:]
    assert violation_rows[0].startswith("| `sample_data` | `sample_data/logs/app 1.log` › `phone` |")
    assert "| 3/120 |" in violation_rows[0]
    assert "<summary>Declared and suppressed findings (2)</summary>" in output
    assert "expired on 2024-01-01" in output


def test_markdown_escapes_pipes_and_backticks(report, report_catalog):
    output = markdown_report.render(report, report_catalog)
    assert "``a\\|b`c``" in output
    row = next(line for line in output.splitlines() if "a\\|b" in line)
    assert row.replace("\\|", "").count("|") == 7  # six cells: no pipe from a value splits the row
    assert markdown_report.code("x`y") == "``x`y``"
    assert markdown_report.code("`x") == "`` `x ``"
    assert markdown_report.text("a|b <b>*c*</b>") == "a\\|b \\<b\\>\\*c\\*\\</b\\>"


def test_markdown_without_violations(report_catalog):
    assert markdown_report.render(_report((DECLARED,), (), (), 0), report_catalog).startswith(
        "## pdscan: ✅ no violations")
    incomplete = markdown_report.render(_report((DECLARED,), (ERROR,), (), 3), report_catalog)
    assert incomplete.startswith("## pdscan: ⚠️") and "### Errors" in incomplete


def test_markdown_stays_under_the_comment_limit(report_catalog):
    many = tuple(replace(VIOLATION, finding=replace(VIOLATION.finding, container=f"logs/app-{i:05}.log"))
                 for i in range(3000))
    output = markdown_report.render(_report(many, (ERROR,), (STALE,), 1), report_catalog)
    assert markdown_report.size(output) <= markdown_report.LIMIT
    assert output.startswith("## pdscan: ❌ 3000 violations")
    shown = sum(1 for line in output.splitlines() if line.startswith("| `sample_data` |"))
    assert 100 < shown < 3000
    left_out = 3000 - shown + 2  # the error and the stale declaration come after the violations
    assert f"_{left_out} more rows left out" in output


# --- terminal table --------------------------------------------------------------------------------------

def test_table_shows_findings_errors_stale_and_summary(report, report_catalog):
    text = _table_text(report, report_catalog)
    assert "sample_data — 2 findings, 1 violation" in text
    assert "table public.customers" in text and "j***@example.com" in text
    assert "+86 138****5678 (+2)" in text  # the first example and how many more
    assert "Could not read (1)" in text and "permission denied" in text
    assert "Stale declarations (1)" in text
    assert "undeclared (suppressed:" in text and "legacy export)" in text
    summary = " ".join(text.split())
    assert "3 findings in 2 sources, 1 violation, 1 error, 1 stale declaration." in summary
    assert "Read 3 files, 2 tables, 120.6 KB from 2 sources in 1.23 s." in summary
    assert "Exit code 1: personal data found" in summary


def test_table_prints_values_as_text_never_markup(report_catalog):
    odd = replace(VIOLATION, finding=replace(VIOLATION.finding, field="[red]f", examples=("[bold]x",)),
                  short="not declared by '[blue]web'")
    text = _table_text(_report((odd,), (), ()), report_catalog)
    assert "[red]f" in text and "[bold]x" in text and "'[blue]web'" in text


def _table_at(report: Report, catalog: Catalog, width: int) -> str:
    console = Console(file=io.StringIO(), record=True, width=width, color_system=None)
    table_report.print_report(report, catalog, console)
    return console.export_text()


def test_table_at_80_columns_is_readable(report_catalog):
    deep = replace(VIOLATION, finding=replace(
        VIOLATION.finding, container="sample_data/" + "/".join(["very-long-directory-name"] * 4) + "/access.log"),
        short="not declared by 'web logs'")
    text = _table_at(_report((deep, DECLARED, SUPPRESSED), (ERROR,), (STALE,)), report_catalog, 80)
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    header = next(line for line in lines if "category" in line)
    assert header.split() == ["field", "category", "verdict:", "why"]  # whole words, on one line
    place = next(line for line in lines if line.endswith("access.log"))
    assert place.startswith("…/very-long-directory-name/") and len(place) <= 80  # abbreviated from the left
    assert "undeclared: not declared by 'web logs'" in text  # the verdict and why
    assert "count" not in header and "examples" not in header


def test_table_adds_columns_as_the_terminal_widens(report, report_catalog):
    def header(width):
        return next(line for line in _table_at(report, report_catalog, width).splitlines() if "category" in line).split()

    assert header(100) == ["field", "category", "verdict:", "why", "count"]
    assert header(120)[-1] == "examples"
    assert header(140)[-3:] == ["examples", "conf.", "evidence"]
    assert header(180)[-2:] == ["first", "location"]


def test_abbreviate_left_keeps_whole_components_when_it_can():
    assert table_report.abbreviate_left("logs/nginx/access.log", 40) == "logs/nginx/access.log"
    assert table_report.abbreviate_left("logs/nginx/access.log", 18) == "…/nginx/access.log"
    assert table_report.abbreviate_left("logs/nginx/access.log", 12) == "…/access.log"
    assert table_report.abbreviate_left("logs/nginx/access.log", 8) == "…ess.log"


def test_table_colours_verdicts(report, report_catalog):
    console = Console(file=io.StringIO(), record=True, width=160, color_system="truecolor", force_terminal=True)
    table_report.print_report(report, report_catalog, console)
    styled = console.export_html(inline_styles=True)
    assert "color: #800000" in styled or "color: #ff0000" in styled  # red for the violation
    assert "color: #008000" in styled  # green for the declared finding


def test_table_of_an_empty_scan(report_catalog):
    text = _table_text(_report((), (), (), 0), report_catalog)
    assert "No personal data found." in text and "Exit code 0: nothing to report" in " ".join(text.split())


# --- data no policy names (not_in_policy) --------------------------------------------------------------

NOT_IN_POLICY = Verdict(
    _finding(container="sample_data/exports/delivery_requests.csv", field="medical_condition", category="health_data",
             count=12, examined=12, evidence="name", examples=("wh******* user",),
             location=Location(path="sample_data/exports/delivery_requests.csv", line=3), detectors=()),
    "not_in_policy", "health_data (Health data, defined in GDPR Art. 9(1)) is named by no policy: the data is held, but no "
    "policy says the company collects it; declaring it does not make it declared",
    declaration="deliveries: fields.medical_condition.health_data", purposes=("purchase_fulfilment",),
    short="no policy names it (GDPR Art. 9(1)), declared or not")


@pytest.fixture(scope="module")
def shipped_catalog() -> Catalog:
    return load_catalog()


def test_not_in_policy_in_json_names_where_the_category_is_defined(shipped_catalog):
    document = json.loads(json_report.render(_report((NOT_IN_POLICY, VIOLATION)), shipped_catalog))
    assert document["summary"]["by_verdict"] == {"not_in_policy": 1, "undeclared": 1}
    assert document["summary"]["violations"] == 2
    health = document["categories"]["health_data"]
    assert health["in_policy"] is False and health["fideslang"] == "user.health_and_medical"
    assert health["defined_by"] == [{"document": "GDPR", "section": "Art. 9(1)",
                                     "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"}]
    assert document["categories"]["phone"]["in_policy"] is True and document["categories"]["phone"]["defined_by"] == []
    assert document["findings"][0]["verdict"] == "not_in_policy"


def test_not_in_policy_in_sarif_is_an_error_with_a_tagged_rule(shipped_catalog, sarif_validator):
    log = _sarif(_report((NOT_IN_POLICY, DECLARED)), shipped_catalog)
    assert not list(sarif_validator.iter_errors(log))
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    health = rules["health_data"]
    assert "not-in-policy" in health["properties"]["tags"] and health["properties"]["inPolicy"] is False
    assert health["properties"]["definedBy"][0]["section"] == "Art. 9(1)"
    assert "No policy names this category" in health["help"]["text"] and "GDPR Art. 9(1)" in health["help"]["text"]
    assert "not-in-policy" not in rules["email"]["properties"]["tags"] and "definedBy" not in rules["email"]["properties"]
    (result,) = _results(log, "health_data")
    assert result["level"] == "error" and result["properties"]["verdict"] == "not_in_policy"


def test_not_in_policy_in_markdown_comes_first_in_a_section_of_its_own(shipped_catalog):
    output = markdown_report.render(_report((VIOLATION, NOT_IN_POLICY, DECLARED)), shipped_catalog)
    assert output.splitlines()[0] == "## pdscan: ❌ 2 violations"
    assert output.index("### Data no policy names (not\\_in\\_policy)") < output.index("### Violations")
    section = output[output.index("### Data no policy names"):output.index("### Violations")]
    assert "`health_data`: GDPR Art. 9(1)" in section and "`medical_condition`" in section
    assert "`phone`" not in section


def test_not_in_policy_in_the_table_and_csv(shipped_catalog):
    report = _report((NOT_IN_POLICY,))
    text = _table_text(report, shipped_catalog)
    assert "not_in_policy: no policy names it (GDPR Art. 9(1))" in " ".join(text.split())
    rows = list(csv.DictReader(io.StringIO(csv_report.render(report, shipped_catalog))))
    assert rows[0]["verdict"] == "not_in_policy" and "GDPR Art. 9(1)" in rows[0]["reason"]
