"""The hand-off loop in a real Chromium (issue 24f item 2): two ``caseintake serve`` servers,
line 111 and line HN, each its own database, state and export folder. 111's supervisor sends
the case's package from its case detail: it downloads in the browser (nothing written on 111's
server); carried into HN's server folder (the browser cannot upload: the inbox reads the
server's folder), HN's supervisor receives and accepts it in the browser, the receipt
downloads; carried back into 111's folder, 111 records it and its hand-off shows accepted."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import VIEWPORT, start_server, stop_server
from tests.browser.tab import Tab
from tests.conftest import SUPERVISOR, SUPERVISOR_PW
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template
from tests.tui.conftest import sql

__all__ = ["lines", "pair_template"]


@pytest.fixture
def tabs(browser: Any, lines: tuple[Line, Line]) -> Iterator[tuple[Tab, Tab]]:
    """A logged-in supervisor's tab on each line's server; both servers start, and stop, side
    by side."""
    for line in lines:
        (line.folder / "exports").mkdir()

    def start(line: Line) -> tuple[Any, int]:
        exports = ("--export-dir", str(line.folder / "exports"))
        return start_server(
            line.services.settings.db_url, line.folder / "state", line.folder / "serve.log",
            extra=exports,
        )  # fmt: skip

    with ThreadPoolExecutor(2) as pool:  # both servers start side by side
        started = [pool.submit(start, line) for line in lines]
    servers = [future.result() for future in started]
    # Playwright's sync API stays on this thread
    running = [(p, browser.new_context(viewport=VIEWPORT, locale="vi-VN"), port)
               for p, port in servers]  # fmt: skip
    try:
        made = [Tab.open(context, f"http://127.0.0.1:{port}/") for _, context, port in running]
        for tab in made:
            tab.login(SUPERVISOR, SUPERVISOR_PW)
        yield made[0], made[1]
    finally:
        for process, context, _port in running:
            context.close()
            process.terminate()  # both end at once; then each is waited for
        for process, _context, _port in running:
            stop_server(process)


def download(tab: Tab, *keys: str) -> Any:
    with tab.page.expect_download(timeout=30_000) as info:
        tab.keys(*keys)
    return info.value


def carry(got: Any, line: Line, name: str | None = None) -> str:
    """A downloaded file into the other line's server folder, as on a USB stick."""
    name = name or str(got.suggested_filename)
    shutil.copy(got.path(), line.folder / "exports" / name)
    return name


def type_in_field(tab: Tab, name: str) -> None:
    """Type ``name`` (starting with "q", a letter nowhere else on the dialog) into the field
    that takes the focus after Enter: the first letter is pressed until it shows (a key
    pressed before the field has the focus goes to the list, which ignores it), the rest once
    it has."""
    assert name.startswith("q") and "q" not in tab.screen()
    deadline = time.monotonic() + 20
    while "q" not in tab.screen():
        assert time.monotonic() < deadline, tab.screen()
        tab.keys("q")
        time.sleep(0.2)
    tab.keys(name[1:], literal=True)
    tab.wait_for(name)


def test_send_receive_accept_and_the_receipt_back_in_two_browsers(
    lines: tuple[Line, Line], tabs: tuple[Tab, Tab]
) -> None:
    a, b = lines
    at_a, at_b = tabs
    number = case_number(a)

    at_a.wait_for(number)  # the queue, on the case's referral
    at_a.keys("Enter")
    at_a.wait_for("Gửi gói")  # the case detail
    at_a.keys("h")
    at_a.wait_for("Chọn đường dây nhận")
    at_a.keys("Enter")  # HN, the only line with a card
    at_a.wait_for("Nghĩa vụ pháp lý")
    package = download(at_a, "Enter")  # legal duty, the first basis
    assert package.suggested_filename == f"chuyen-tuyen-{number}-HN.cih"
    at_a.wait_for("đã tải về trình duyệt")
    assert not any((a.folder / "exports").iterdir())  # nothing written on 111's server
    assert sql(a.services, "select direction, status from handoffs") == [("out", "sent")]
    carry(package, b)

    at_b.wait_for("Chuyển giao")  # the queue's footer
    at_b.keys("h")
    at_b.wait_for("đến và đi")  # the inbox
    at_b.keys("i")
    at_b.wait_for("Mọi gói .cih")
    at_b.page.keyboard.press("ArrowDown")  # every package in the folder
    at_b.keys("Enter")
    at_b.wait_for("Đã nhận 1 gói")
    at_b.keys("Enter")  # the received row: accept or reject
    at_b.wait_for("Chấp nhận")
    receipt = download(at_b, "Enter")
    at_b.wait_for("Đã chấp nhận, mở hồ sơ")
    assert receipt.suggested_filename.endswith("-accepted.cir")
    assert sql(b.services, "select status from handoffs") == [("accepted",)]
    [(local,)] = sql(b.services, "select number from cases")
    assert local.startswith("PL-")
    name = carry(receipt, a, "qz-receipt.cir")  # named so, to see it typed

    at_a.keys("Escape")  # back to the queue
    at_a.wait_for("Chuyển giao")
    at_a.keys("h")
    at_a.wait_for("đến và đi")
    at_a.keys("b")
    at_a.wait_for("Ghi nhận biên nhận")
    at_a.keys("Enter")  # one file, by name
    type_in_field(at_a, name)
    at_a.keys("Enter")
    at_a.wait_for("đã chấp nhận")
    assert sql(a.services, "select status from handoffs") == [("accepted",)]
    query = "select status from referrals where directory_entry_id = 'line-hn'"
    assert sql(a.services, query) == [("acknowledged",)]
