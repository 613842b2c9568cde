"""Values in every script are masked in every output format (nothing raw without --show-values)."""
from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from pdscan import reporters
from pdscan.cli import main

# Planted values, each in one script; none may appear in a report, nor half of it in one piece.
PLANTED = {
    "name": ["胡娜", "欧阳娜娜", "Владимир Путин", "محمد علي", "김민준", "Zoë Ångström", "José 😀 Núñez"],
    "address": ["北京市朝阳区建国路88号", "ул. Тверская, д. 7", "شارع الملك فهد 12", "서울특별시 중구 세종대로 110"],
    "email": ["欧阳娜娜@例子.中国", "zhang.wei@example.cn", "вова@пример.рф"],
}
FORMATS = list(reporters.FORMATS)  # a new format is checked here without being listed


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("scripts") / "customers.csv"
    rows = max(len(v) for v in PLANTED.values())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_name", "home_address", "email"])
        for i in range(rows):
            writer.writerow([PLANTED[k][i % len(PLANTED[k])] for k in ("name", "address", "email")])
    return path


def _pieces(value: str) -> list[str]:
    """Every run of letters of the value longer than half of it: what a mask must not show."""
    letters = value.replace(" ", "")
    size = max(2, len(letters) // 2 + 1)
    return [letters[i:i + size] for i in range(len(letters) - size + 1)]


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_script_is_shown_raw_in_any_format(export, tmp_path, output_format):
    out = tmp_path / f"report.{output_format}"
    result = CliRunner().invoke(main, ["scan", str(export), "--format", output_format, "--output", str(out), "-q",
                                       "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = out.read_text("utf-8")
    compact = report.replace(" ", "")
    assert "person_name" in report and "postal_address" in report
    for values in PLANTED.values():
        for value in values:
            assert value not in report
            for piece in _pieces(value):
                if "@" not in piece:  # an email keeps its domain by design
                    assert piece not in compact, (value, piece)


def test_show_values_shows_them(export, tmp_path):
    out = tmp_path / "raw.json"
    result = CliRunner().invoke(main, ["scan", str(export), "--format", "json", "--output", str(out), "-q",
                                       "--fail-on", "never", "--show-values"])
    assert result.exit_code == 0
    assert "胡娜" in out.read_text("utf-8")
