"""Issue 21 item 2, in a real Chromium through ``caseintake serve``: a supervisor's referral slip
and statistics workbook arrive in the browser as downloads, with the right name and bytes, and
no file appears on the server (not in the export folder, not beside the database)."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from caseintake.domain.statistics.output import render
from caseintake.domain.statistics.periods import Period
from caseintake.services.referrals.slip_pdf import find_font
from caseintake.services.supervisor_desk import SupervisorDesk
from caseintake.store.presence import presence_dir
from tests.browser.conftest import Served
from tests.conftest import SUPERVISOR, SUPERVISOR_PW, FrozenClock
from tests.tui.test_referral_queue import ref_id, save


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def ready(tab: Any, texts: tuple[str, ...], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in tab.screen() for text in texts):
        assert time.monotonic() < deadline, tab.screen()
        time.sleep(0.1)


def download(tab: Any, *keys: str) -> Any:
    with tab.page.expect_download(timeout=30_000) as info:
        tab.keys(*keys)
    return info.value


def test_a_slip_and_a_workbook_download_and_nothing_is_written_on_the_server(
    served: Served, services: Any, operator: Any, supervisor: Any, tmp_path: Path,
    export_folder: Path, clock: FrozenClock, db_path: Path,
) -> None:  # fmt: skip
    save(services, operator)
    referral = ref_id(services, "commune_committee")
    before = files_under(tmp_path)
    tab = served.open_tab()
    tab.login(SUPERVISOR, SUPERVISOR_PW)
    tab.wait_for("111-2026-000001")
    tab.keys("p")
    tab.wait_for("Phiếu chuyển tuyến")
    slip = download(tab, "Enter")  # plain text; no name asked: it is a download
    tab.wait_for("Đã gửi phieu-chuyen-111-2026-000001.txt")
    assert slip.suggested_filename == "phieu-chuyen-111-2026-000001.txt"
    got = Path(slip.path()).read_bytes().decode("utf-8")
    _slip, name, expected = SupervisorDesk(services).slips.deliver(supervisor, referral, "text")
    assert name == slip.suggested_filename
    differ = [
        (a, b)
        for a, b in zip(got.splitlines(), expected.decode().splitlines(), strict=True)
        if a != b
    ]
    assert len(differ) <= 1  # at most the minute it was written at
    assert "111-2026-000001" in got

    pdfs = 0
    if find_font() is not None:  # fonts-dejavu: without it a PDF is refused (services tests)
        tab.keys("p")
        tab.wait_for("Phiếu chuyển tuyến")
        tab.page.keyboard.press("ArrowDown")  # PDF
        pdf = download(tab, "Enter")
        assert pdf.suggested_filename == "phieu-chuyen-111-2026-000001.pdf"
        assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
        tab.wait_for("Đã gửi phieu-chuyen-111-2026-000001.pdf")
        pdfs = 1

    tab.keys("s")
    tab.wait_for("Thống kê ẩn danh")
    ready(tab, ("ô bị ẩn", "Không có số liệu"))  # the first table is shown
    book = download(tab, "C-e")
    name = book.suggested_filename
    assert name.startswith("thong-ke-") and name.endswith(".xlsx")
    start, end = date.fromisoformat(name[9:19]), date.fromisoformat(name[20:30])
    # The screen opens on the month of the latest contact (issue 19 item 9), so the workbook
    # has data, and whether a referral's first step is on time is read at "now": the server
    # reads the real clock, so the workbook to compare is counted at the real clock too.
    clock.now = datetime.now(UTC)
    report = services.statistics.compute(supervisor, Period(start, end))
    with (
        zipfile.ZipFile(io.BytesIO(Path(book.path()).read_bytes())) as got_book,
        zipfile.ZipFile(io.BytesIO(render(report, "xlsx"))) as want_book,
    ):
        parts = [n for n in want_book.namelist() if n != "docProps/core.xml"]  # its clock
        assert sorted(got_book.namelist()) == sorted(want_book.namelist())
        assert all(got_book.read(n) == want_book.read(n) for n in parts)
    tab.wait_for("Đã gửi thong-ke-")

    assert not export_folder.exists()  # nothing written in the export folder
    new = files_under(tmp_path) - before
    # checkpoints, the log, and the running server's presence marker beside the database
    # (issue 20 item 5: it says who has the database open, and goes when the server stops)
    kept = ("state/", "serve-", f"{presence_dir(db_path).name}/")
    assert all(n.startswith(kept) for n in new), new
    with services.db.read() as s:
        from sqlalchemy import text

        details = s.execute(
            text("select action from audit_events where action in "
                 "('referral_slip_written', 'statistics_exported') order by seq")
        ).scalars().all()  # fmt: skip
    # the browser's text slip, the one made here to compare, the browser's PDF and workbook
    assert details == ["referral_slip_written"] * (2 + pdfs) + ["statistics_exported"]
