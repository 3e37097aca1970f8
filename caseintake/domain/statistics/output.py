"""A statistics report as JSON, one long CSV table, or an XLSX workbook, made in memory as
bytes: the service writes them the one way files leave (``services.core.new_files``), or the
browser downloads them. No text cell is ever a formula (``spreadsheet_text``).

The XLSX has one sheet per indicator with Vietnamese headers (English on request), the period
and the threshold on each sheet, and a sheet explaining the suppression.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any, Literal

from caseintake.domain.errors import DomainError
from caseintake.domain.spreadsheet_text import as_text_cell, looks_like_formula
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import (
    StatisticsReport,
    code_label,
    dimension_label,
)
from caseintake.i18n import t

Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("json", "csv", "xlsx")
MAX_DIMENSIONS = 3


def check_format(value: str) -> Format:
    for fmt in FORMATS:
        if value == fmt:
            return fmt
    raise DomainError("stats.bad_format", value=value[:20], known=", ".join(FORMATS))


def render(report: StatisticsReport, fmt: Format, lang: str | None = None) -> bytes:
    """The file's bytes in ``fmt``."""
    makers: dict[Format, Callable[[StatisticsReport, str | None], bytes]] = {
        "json": lambda r, _lang: to_text(r).encode("utf-8"),
        "csv": _csv_bytes,
        "xlsx": _xlsx_bytes,
    }
    return makers[fmt](report, lang)


def file_name(period: Period, fmt: Format) -> str:
    """The name a downloaded export gets: the period, never anything typed."""
    start, end = period.start.isoformat(), period.end.isoformat()
    return f"thong-ke-{start}-{end}.{fmt}"


def to_text(report: StatisticsReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def csv_rows(report: StatisticsReport) -> list[list[str]]:
    """One long table: a row per cell, up to three dimension name/code pairs; no cell a
    formula."""
    header = ["from", "to", "threshold", "indicator", "unit"]
    for i in range(1, MAX_DIMENSIONS + 1):
        header += [f"dimension_{i}", f"code_{i}"]
    rows = [[*header, "value", "suppressed"]]
    base = [report.period.start.isoformat(), report.period.end.isoformat(), str(report.threshold)]
    for it in report.tables:
        for key, value in it.cells():
            dims: list[str] = []
            for dim, code in zip(it.indicator.dimensions, key, strict=True):
                dims += [dim, code]
            dims += [""] * (2 * MAX_DIMENSIONS - len(dims))
            shown = "" if value is None else str(value)
            flag = "true" if value is None else "false"
            row = [*base, it.indicator.id, it.indicator.unit, *dims, shown, flag]
            rows.append([as_text_cell(cell) for cell in row])
    return rows


def _csv_bytes(report: StatisticsReport, lang: str | None) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(csv_rows(report))
    return out.getvalue().encode("utf-8")


_STYLES: dict[str, dict[str, object]] = {
    "plain": {},
    "bold": {"bold": True},
    "mark": {"italic": True, "align": "right"},
}
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(n: int, indicator_id: str, lang: str | None) -> str:
    """``01 Liên hệ theo loại``: numbered, in the reader's language (issue 19, item 10),
    within Excel's 31 characters and without the characters it refuses."""
    words = t(f"stats.sheet_name.{indicator_id}", lang).translate(_NOT_IN_SHEET_NAMES)
    return f"{n:02d} {words}"[:31].strip()


class _Book:
    """A workbook whose text cells are always strings; a formula-like one also carries Excel's
    quote prefix, so editing the cell cannot turn it into a formula either."""

    def __init__(self, out: io.BytesIO) -> None:
        import xlsxwriter

        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        self.book: Any = xlsxwriter.Workbook(out, options)
        self._formats = {
            (name, quoted): self.book.add_format(props | ({"quote_prefix": True} if quoted else {}))
            for name, props in _STYLES.items()
            for quoted in (False, True)
        }
        self.sheet: Any = None

    def add_sheet(self, name: str) -> Any:
        self.sheet = self.book.add_worksheet(name[:31])
        return self.sheet

    def text(self, row: int, col: int, value: str, style: str = "plain") -> None:
        self.sheet.write_string(row, col, value, self._formats[(style, looks_like_formula(value))])


def _xlsx_bytes(report: StatisticsReport, lang: str | None) -> bytes:
    out = io.BytesIO()
    book = _Book(out)
    period = t(
        "stats.sheet.period",
        lang,
        start=report.period.start.strftime("%d/%m/%Y"),
        end=report.period.end.strftime("%d/%m/%Y"),
        threshold=report.threshold,
    )
    for n, it in enumerate(report.tables, start=1):
        sheet = book.add_sheet(sheet_name(n, it.indicator.id, lang))
        book.text(0, 0, t(it.indicator.title_key, lang), "bold")
        book.text(1, 0, period)
        book.text(2, 0, t(it.indicator.note_key, lang))
        dims = it.indicator.dimensions
        for c, dim in enumerate(dims):
            book.text(4, c, dimension_label(dim, lang), "bold")
        book.text(4, len(dims), t("stats.dimension.value", lang), "bold")
        for r, (key, value) in enumerate(it.cells(), start=5):
            for c, (dim, code) in enumerate(zip(dims, key, strict=True)):
                book.text(r, c, code_label(dim, code, lang))
            if value is None:
                book.text(r, len(dims), t("stats.suppressed_mark", lang), "mark")
            else:
                sheet.write_number(r, len(dims), value)
        sheet.set_column(0, len(dims), 24)
    if report.median_asked:
        sheet = book.add_sheet(t("stats.sheet.medians", lang))
        book.text(0, 0, t("stats.indicator.median_hours_to_acknowledgement", lang), "bold")
        book.text(1, 0, period)
        book.text(3, 0, dimension_label("body", lang), "bold")
        book.text(3, 1, t("stats.dimension.hours", lang), "bold")
        for r, m in enumerate(report.medians, start=4):
            book.text(r, 0, code_label("body", m.body, lang))
            if m.hours is None:
                book.text(r, 1, t("stats.suppressed_mark", lang), "mark")
            else:
                sheet.write_number(r, 1, round(m.hours, 1))
        sheet.set_column(0, 1, 28)
    rule = book.add_sheet(t("stats.sheet.rule", lang))
    for r, part in enumerate(("title", "primary", "secondary", "mark", "mentions", "basis")):
        text = t(f"stats.rule.{part}", lang, threshold=report.threshold, less=report.threshold - 1)
        book.text(r, 0, text, "bold" if part == "title" else "plain")
    rule.set_column(0, 0, 110)
    book.book.close()
    return out.getvalue()
