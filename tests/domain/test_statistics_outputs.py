"""Tables with margins, their display order, and the three output formats."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.indicators import IDS, indicator
from caseintake.domain.statistics.output import (
    check_format,
    csv_rows,
    file_name,
    render,
    sheet_name,
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


def test_files_are_made_whole_in_memory() -> None:
    made = {fmt: render(report(), check_format(fmt), "en") for fmt in ("json", "csv", "xlsx")}
    assert json.loads(made["json"])["threshold"] == 10
    assert len(list(csv.reader(io.StringIO(made["csv"].decode())))) == 5
    with zipfile.ZipFile(io.BytesIO(made["xlsx"])) as book:
        names = book.namelist()
        shared = book.read("xl/sharedStrings.xml").decode()
    assert sum(1 for n in names if n.startswith("xl/worksheets/sheet")) == 3
    assert "Suppression threshold: 10" in shared and "(hidden)" in shared
    assert file_name(report().period, "xlsx") == "thong-ke-2026-01-01-2026-06-30.xlsx"


def test_xlsx_headers_are_vietnamese_by_default() -> None:
    with zipfile.ZipFile(io.BytesIO(render(report(), "xlsx", "vi"))) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
    assert "Loại liên hệ" in shared and "Ngưỡng ẩn số liệu: 10" in shared


@pytest.mark.parametrize(
    ("lang", "name"), [("vi", "01 Liên hệ theo loại"), ("en", "01 Contacts by type")]
)
def test_xlsx_sheets_are_named_in_the_readers_language(lang: str, name: str) -> None:
    """Issue 19, item 10: no English id ("01 contacts_by_type") on a Vietnamese sheet."""
    with zipfile.ZipFile(io.BytesIO(render(report(), "xlsx", lang))) as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert f'name="{name}"' in workbook
    assert "contacts_by_type" not in workbook


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_indicator_has_a_sheet_name_excel_takes(lang: str) -> None:
    for n, ind in enumerate(IDS, start=1):
        name = sheet_name(n, ind, lang)
        assert ind not in name and len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    assert len({sheet_name(1, i, lang) for i in IDS}) == len(IDS)


def test_a_bad_format_is_refused() -> None:
    with pytest.raises(DomainError) as err:
        check_format("pdf")
    assert err.value.key == "stats.bad_format"


FORMULAS = ('=HYPERLINK("http://evil.example","Call here")', "@SUM(1)", "+1+1", "-2+3", "\tx")


def formula_report() -> StatisticsReport:
    """Codes no taxonomy has, as a row edited behind the app's back would carry them."""
    codes = [f.replace("\\t", "\t") for f in FORMULAS] + ["\rcmd"]
    table = build_table(["contact_type"], {(code,): 20 for code in codes})
    it = IndicatorTable(
        indicator("contacts_by_type"), publish(table, 10), tuple(ordered_keys(table, {}))
    )
    return StatisticsReport(Period.six_months(2026, 1), 10, (it,), (), False)


def test_no_csv_cell_can_be_a_formula() -> None:
    """The attack: formula-looking codes. Every cell starting with = + - @ tab or CR is written
    with a leading apostrophe (OWASP), so a spreadsheet shows it as text."""
    rows = list(csv.reader(io.StringIO(render(formula_report(), "csv").decode())))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Call here")' in cells
    assert "'@SUM(1)" in cells and "'\rcmd" in cells and "'\tx" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert csv_rows(formula_report()) == rows


def test_no_xlsx_cell_is_a_formula() -> None:
    """No ``<f>`` element anywhere: every text is a shared string, the formula-looking ones
    with Excel's quote prefix (so editing the cell cannot make it one either)."""
    with zipfile.ZipFile(io.BytesIO(render(formula_report(), "xlsx", "en"))) as book:
        sheets = [book.read(n).decode() for n in book.namelist() if "worksheets/sheet" in n]
        shared = book.read("xl/sharedStrings.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    assert '<t>=HYPERLINK("http://evil.example","Call here")</t>' in shared
    xfs = re.findall(r"<xf [^>]*/>", re.search(r"<cellXfs.*</cellXfs>", styles, re.S)[0])
    prefixed = {str(i) for i, xf in enumerate(xfs) if 'quotePrefix="1"' in xf}
    cells = dict(re.findall(r'<c r="(A\d+)" s="(\d+)" t="s">', sheets[0]))
    assert [cells[f"A{row}"] in prefixed for row in range(6, 13)] == [True] * 6 + [False]
    assert 't="str"' not in sheets[0]  # no formula-string cell either


def test_labels() -> None:
    assert code_label("province", "79", "vi") == "Hồ Chí Minh"
    assert code_label("age_group", "16-17", "en").startswith("16–17")
    assert code_label("sex", "*", "en") == "Total"
    assert code_label("on_time", "pending", "en") == "Pending"
    assert cell_text(None, "en") == "(hidden)"
    assert cell_text(1503, "en") == "1.503"
