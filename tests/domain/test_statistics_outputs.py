"""Tables with margins, their display order, and the three output formats."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.indicators import IDS, indicator
from caseintake.domain.statistics.output import (
    check_format,
    check_writable,
    csv_rows,
    sheet_name,
    write,
)
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import (
    IndicatorTable,
    MedianCell,
    StatisticsReport,
    cell_text,
    code_label,
)
from caseintake.domain.statistics.suppression import publish
from caseintake.domain.statistics.tables import build_table, equations, ordered_keys


def report() -> StatisticsReport:
    table = build_table(
        ["contact_type"], {("silent",): 412, ("report",): 4, ("counselling",): 1087}
    )
    it = IndicatorTable(
        indicator("contacts_by_type"),
        publish(table, 10),
        tuple(ordered_keys(table, {"contact_type": ("report", "counselling", "silent")})),
    )
    return StatisticsReport(
        Period.six_months(2026, 1), 10, (it,), (MedianCell("commune_police", 1.5),), True
    )


def test_margins_and_equations_of_a_two_way_table() -> None:
    table = build_table(["a", "b"], {("x", "m"): 3, ("x", "f"): 4, ("y", "f"): 5})
    assert table.values[("x", "*")] == 7
    assert table.values[("*", "f")] == 9
    assert table.grand_total == 12
    assert ("y", "m") not in table.values  # absent combinations are not cells
    sums = {(e.total, e.parts) for e in equations(table)}
    assert (("*", "*"), (("x", "*"), ("y", "*"))) in sums
    assert (("y", "*"), (("y", "f"),)) in sums
    order = ordered_keys(table, {"a": ("y", "x"), "b": ("m", "f")})
    assert order[:3] == [("y", "f"), ("x", "m"), ("x", "f")]
    assert order[-1] == ("*", "*")


def test_json_is_the_issue_contract() -> None:
    data = report().to_json()
    assert (data["from"], data["to"], data["threshold"]) == ("2026-01-01", "2026-06-30", 10)
    ind = data["indicators"][0]
    assert ind["id"] == "contacts_by_type" and ind["dimensions"] == ["contact_type"]
    cells = {c["contact_type"]: c for c in ind["cells"]}
    assert cells["report"] == {"contact_type": "report", "value": None, "suppressed": True}
    assert cells["silent"] == {"contact_type": "silent", "value": None, "suppressed": True}
    assert cells["counselling"]["value"] == 1087
    assert cells["*"] == {"contact_type": "*", "value": 1503, "suppressed": False}
    assert data["medians"][0]["cells"] == [
        {"body": "commune_police", "value": 1.5, "suppressed": False}
    ]


def test_csv_is_one_long_table_with_suppressed_cells_blank_not_zero() -> None:
    rows = csv_rows(report())
    assert rows[0][:5] == ["from", "to", "threshold", "indicator", "unit"]
    by_code = {r[6]: r for r in rows[1:]}
    assert by_code["report"][-2:] == ["", "true"]
    assert by_code["*"][-2:] == ["1503", "false"]


def test_files_are_written_whole(tmp_path: Path) -> None:
    for fmt in ("json", "csv", "xlsx"):
        out = tmp_path / f"stats.{fmt}"
        write(report(), check_format(fmt), out, "en")
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "stats.json").read_text())["threshold"] == 10
    assert len(list(csv.reader((tmp_path / "stats.csv").open()))) == 5
    with zipfile.ZipFile(tmp_path / "stats.xlsx") as book:
        names = book.namelist()
        shared = book.read("xl/sharedStrings.xml").decode()
    assert sum(1 for n in names if n.startswith("xl/worksheets/sheet")) == 3
    assert "Suppression threshold: 10" in shared and "(hidden)" in shared
    assert not list(tmp_path.glob(".*partial"))


def test_xlsx_headers_are_vietnamese_by_default(tmp_path: Path) -> None:
    write(report(), "xlsx", tmp_path / "vi.xlsx", "vi")
    with zipfile.ZipFile(tmp_path / "vi.xlsx") as book:
        shared = book.read("xl/sharedStrings.xml").decode()
    assert "Loại liên hệ" in shared and "Ngưỡng ẩn số liệu: 10" in shared


@pytest.mark.parametrize(
    ("lang", "name"), [("vi", "01 Liên hệ theo loại"), ("en", "01 Contacts by type")]
)
def test_xlsx_sheets_are_named_in_the_readers_language(
    tmp_path: Path, lang: str, name: str
) -> None:
    """Issue 19, item 10: no English id ("01 contacts_by_type") on a Vietnamese sheet."""
    write(report(), "xlsx", tmp_path / "out.xlsx", lang)
    with zipfile.ZipFile(tmp_path / "out.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert f'name="{name}"' in workbook
    assert "contacts_by_type" not in workbook


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_indicator_has_a_sheet_name_excel_takes(lang: str) -> None:
    for n, ind in enumerate(IDS, start=1):
        name = sheet_name(n, ind, lang)
        assert ind not in name and len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    assert len({sheet_name(1, i, lang) for i in IDS}) == len(IDS)


def test_bad_format_and_unwritable_targets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError):
        check_format("pdf")
    with pytest.raises(DomainError):
        check_writable(tmp_path / "missing" / "x.json")
    with pytest.raises(DomainError):
        check_writable(tmp_path)


def test_labels() -> None:
    assert code_label("province", "79", "vi") == "Hồ Chí Minh"
    assert code_label("age_group", "16-17", "en").startswith("16–17")
    assert code_label("sex", "*", "en") == "Total"
    assert code_label("on_time", "pending", "en") == "Pending"
    assert cell_text(None, "en") == "(hidden)"
    assert cell_text(1503, "en") == "1.503"


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_write_that_fails_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    # The folder vanished after the check: one sentence, and no partial file anywhere.
    out = tmp_path / "gone" / f"stats.{fmt}"
    with pytest.raises(DomainError) as err:
        write(report(), check_format(fmt), out, "en")
    assert err.value.key == "stats.out_unwritable"
    assert not list(tmp_path.rglob("*"))
