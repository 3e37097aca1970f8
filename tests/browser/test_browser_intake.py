"""The app in a real Chromium through ``caseintake serve``: an operator logs in on the page,
logs a silent call and a report with the keys of the terminal, and the rows are in the
database, encrypted, as if typed in a terminal. The server's log holds none of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.browser.conftest import Served, shots_dir
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.tui.test_tmux_e2e import NARRATIVE, log_reference_report

PHONE = "0912345678"


def test_an_operator_logs_a_silent_call_and_a_report_in_the_browser(
    served: Served, services: Any, operator: Any
) -> None:
    shots = shots_dir()
    tab = served.open_tab()
    tab.wait_for("Tên đăng nhập")
    tab.shot(shots, "browser-login.png")
    tab.login(OPERATOR, OPERATOR_PW)
    tab.wait_for("Cuộc gọi hôm nay của tôi (0)")
    tab.keys("n")
    tab.wait_for("Cuộc gọi im lặng")
    tab.keys("s")
    tab.wait_for("Cuộc gọi hôm nay của tôi (1)")
    log_reference_report(tab)  # the same keys as the tmux test, sent by the browser
    tab.wait_for("Hồ sơ đang mở của tôi (1)")
    tab.keys("C-q")
    tab.ended()  # the app exited; the server closed the tab's connection

    (case,) = services.cases.my_open(operator)
    detail = services.cases.detail(operator, case.id)
    assert detail.immediate_danger and detail.narrative == NARRATIVE
    assert (case.province_code, case.ward_code, case.concerns) == (79, 26743, ("violence",))
    assert [(c.age, c.sex) for c in detail.children] == [(9, "female")]
    assert detail.referrals
    with services.db.read() as s:
        rows = s.execute(text("select id, contact_type, narrative from contacts")).all()
        stored = s.execute(text("select narrative from contacts where narrative is not null"))
        raw = b"".join(bytes(r[0]) for r in stored)
    assert sorted(r.contact_type for r in rows) == ["report", "silent"]
    report = next(r for r in rows if r.contact_type == "report")
    cipher = operator.keys.cipher
    assert cipher.decrypt("contacts", "narrative", report.id, report.narrative) == NARRATIVE
    assert NARRATIVE.encode() not in raw  # stored encrypted, decrypted only with the keys

    log = served.log_text()
    assert "127.0.0.1" in log and "GET / " in log  # the log is written, and plain
    for secret in (NARRATIVE, "tiếng đánh", PHONE, OPERATOR_PW):
        assert secret not in log
