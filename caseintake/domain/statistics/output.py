"""Writing a statistics report as JSON, one long CSV table, or an XLSX workbook.

Each file is written beside its target and moved into place at the end, so a failed export
leaves nothing behind. The XLSX has one sheet per indicator with Vietnamese headers (English on
request), the period and the threshold on each sheet, and a sheet explaining the suppression.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from caseintake.domain.errors import DomainError
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


def check_writable(path: Path) -> None:
    """Refuse, before any work, a target that cannot be written (one sentence, nothing made)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DomainError("stats.out_is_dir", path=str(path))
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise DomainError("stats.out_unwritable", path=str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise DomainError("stats.out_unwritable", path=str(path))


def write(report: StatisticsReport, fmt: Format, path: Path, lang: str | None = None) -> None:
    writers: dict[Format, Callable[[StatisticsReport, Path, str | None], None]] = {
        "json": _write_json,
        "csv": _write_csv,
        "xlsx": _write_xlsx,
    }
    tmp = path.with_name(f".{path.name}.partial")
    try:
        writers[fmt](report, tmp, lang)
        os.replace(tmp, path)
    except Exception as err:  # nothing half-written stays behind, whatever failed
        tmp.unlink(missing_ok=True)
        # XlsxWriter wraps the OSError of a file it cannot create in its own FileCreateError.
        if isinstance(err, OSError) or type(err).__name__ == "FileCreateError":
            raise DomainError("stats.out_unwritable", path=str(path)) from None
        raise


def to_text(report: StatisticsReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def _write_json(report: StatisticsReport, path: Path, lang: str | None) -> None:
    path.write_text(to_text(report), encoding="utf-8")


def csv_rows(report: StatisticsReport) -> list[list[str]]:
    """One long table: a row per cell, up to three dimension name/code pairs."""
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
            rows.append([*base, it.indicator.id, it.indicator.unit, *dims, shown, flag])
    return rows


def _write_csv(report: StatisticsReport, path: Path, lang: str | None) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(csv_rows(report))


_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(n: int, indicator_id: str, lang: str | None) -> str:
    """``01 Liên hệ theo loại``: numbered, in the reader's language (issue 19, item 10),
    within Excel's 31 characters and without the characters it refuses."""
    words = t(f"stats.sheet_name.{indicator_id}", lang).translate(_NOT_IN_SHEET_NAMES)
    return f"{n:02d} {words}"[:31].strip()


def _write_xlsx(report: StatisticsReport, path: Path, lang: str | None) -> None:
    import xlsxwriter

    book: Any = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    mark = book.add_format({"italic": True, "align": "right"})
    period = t(
        "stats.sheet.period",
        lang,
        start=report.period.start.strftime("%d/%m/%Y"),
        end=report.period.end.strftime("%d/%m/%Y"),
        threshold=report.threshold,
    )
    for n, it in enumerate(report.tables, start=1):
        sheet = book.add_worksheet(sheet_name(n, it.indicator.id, lang))
        sheet.write(0, 0, t(it.indicator.title_key, lang), bold)
        sheet.write(1, 0, period)
        sheet.write(2, 0, t(it.indicator.note_key, lang))
        dims = it.indicator.dimensions
        for c, dim in enumerate(dims):
            sheet.write(4, c, dimension_label(dim, lang), bold)
        sheet.write(4, len(dims), t("stats.dimension.value", lang), bold)
        for r, (key, value) in enumerate(it.cells(), start=5):
            for c, (dim, code) in enumerate(zip(dims, key, strict=True)):
                sheet.write(r, c, code_label(dim, code, lang))
            if value is None:
                sheet.write(r, len(dims), t("stats.suppressed_mark", lang), mark)
            else:
                sheet.write_number(r, len(dims), value)
        sheet.set_column(0, len(dims), 24)
    if report.median_asked:
        sheet = book.add_worksheet(t("stats.sheet.medians", lang)[:31])
        sheet.write(0, 0, t("stats.indicator.median_hours_to_acknowledgement", lang), bold)
        sheet.write(1, 0, period)
        sheet.write(3, 0, dimension_label("body", lang), bold)
        sheet.write(3, 1, t("stats.dimension.hours", lang), bold)
        for r, m in enumerate(report.medians, start=4):
            sheet.write(r, 0, code_label("body", m.body, lang))
            if m.hours is None:
                sheet.write(r, 1, t("stats.suppressed_mark", lang), mark)
            else:
                sheet.write_number(r, 1, round(m.hours, 1))
        sheet.set_column(0, 1, 28)
    rule = book.add_worksheet(t("stats.sheet.rule", lang)[:31])
    for r, part in enumerate(("title", "primary", "secondary", "mark", "mentions", "basis")):
        text = t(f"stats.rule.{part}", lang, threshold=report.threshold, less=report.threshold - 1)
        rule.write(r, 0, text, bold if part == "title" else None)
    rule.set_column(0, 0, 110)
    book.close()
