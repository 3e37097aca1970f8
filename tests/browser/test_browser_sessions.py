"""Each browser tab is its own session: two tabs are two users with their own audit events; a
closed tab keeps the open form as a draft the next login restores; an idle tab locks as the
terminal does and is ended after the server's session time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from tests.browser.conftest import Served, shots_dir
from tests.browser.tab import Tab
from tests.conftest import OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW

PHONE = "0912345678"


def events_since(services: Any, seq: int) -> list[tuple[str, str]]:
    with services.db.read() as s:
        rows = s.execute(
            text("select actor, action from audit_events where seq > :seq order by seq"),
            {"seq": seq},
        )
        return [(r.actor, r.action) for r in rows]


def last_seq(services: Any) -> int:
    with services.db.read() as s:
        return int(s.execute(text("select coalesce(max(seq), 0) from audit_events")).scalar_one())


def wait_until(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def start_report(tab: Tab) -> None:
    """A report with the caller's relationship, phone, the child's age and sex typed."""
    tab.keys("t")
    tab.wait_for("Loại liên hệ")
    tab.keys("h", "Enter", "Enter", PHONE)
    tab.wait_for(PHONE)
    tab.keys("Enter", "9", "Enter", "1")


def fill_place(tab: Tab) -> None:
    """Then the child's name and address left empty (Enter passes the personal ID of a child
    with no name), the concern, the province and ward."""
    tab.keys("Enter", "Enter", "1", "Enter", "1")  # no name, address; concern 1, setting 1
    tab.wait_for("Gia đình")
    tab.keys("hcm")
    tab.wait_for("1 Thành phố Hồ Chí Minh")
    tab.keys("Enter", "ben th")
    tab.wait_for("1 Phường Bến Thành")
    tab.keys("Enter")
    tab.wait_gone("gõ để tìm")  # the ward is chosen, the picker closed


def draft_rows(services: Any, user: str) -> int:
    query = "select count(*) from drafts d join users u on u.id = d.user_id where u.name = :u"
    with services.db.read() as s:
        return int(s.execute(text(query), {"u": user}).scalar_one())


def test_two_tabs_are_two_users_with_their_own_audit_events(
    served: Served, services: Any, operator: Any, supervisor: Any
) -> None:
    from caseintake.domain.intake.validation import parse_intake
    from tests.tui.conftest import report_json

    services.intake.save(operator, parse_intake(report_json()))  # the supervisor's queue
    before = last_seq(services)
    first, second = served.open_tab(), served.open_tab()
    first.login(OPERATOR, OPERATOR_PW)
    second.login(SUPERVISOR, SUPERVISOR_PW)
    first.wait_for("Cuộc gọi hôm nay của tôi")
    # The supervisor's desk, in the other tab: its title gives way to the counts once loaded.
    second.wait_for("minh · giám sát viên")
    second.wait_for("Chờ gửi")  # the report's referrals, listed
    second.shot(shots_dir(), "browser-queue.png")
    first.keys("n")
    first.wait_for("Cuộc gọi im lặng")
    first.keys("s")
    first.wait_for("Cuộc gọi hôm nay của tôi (1)")
    assert "Cuộc gọi hôm nay" not in second.screen()  # each tab shows its own session
    first.keys("C-q")
    second.keys("C-q")
    first.ended()
    second.ended()

    events = events_since(services, before)
    assert {a for a, action in events if action == "login"} == {OPERATOR, SUPERVISOR}
    logouts = sorted(a for a, action in events if action == "logout")
    assert logouts == sorted([OPERATOR, SUPERVISOR])  # once each: Ctrl+Q, then the tab closed
    assert [a for a, action in events if action == "contact_created"] == [OPERATOR]
    assert services.audit.verify(supervisor).ok  # one chain, written by three processes


def test_a_closed_tab_leaves_a_draft_the_next_login_restores(
    served: Served, services: Any, operator: Any
) -> None:
    tab = served.open_tab()
    tab.login(OPERATOR, OPERATOR_PW)
    tab.wait_for("Cuộc gọi hôm nay của tôi (0)")
    start_report(tab)
    fill_place(tab)
    tab.shot(shots_dir(), "browser-intake.png")
    before = last_seq(services)
    tab.close()  # no Ctrl+Q, no question: the browser tab is simply closed

    wait_until(lambda: (OPERATOR, "logout") in events_since(services, before), "logout")
    assert draft_rows(services, OPERATOR) == 1
    with services.db.read() as s:
        assert not s.execute(text("select count(*) from contacts")).scalar_one()  # nothing saved

    again = served.open_tab()
    again.login(OPERATOR, OPERATOR_PW)
    shown = again.wait_for(PHONE)  # the form is back, with what was typed
    assert "Loại liên hệ" in shown and "Bến Thành" in shown and "Bạo lực" in shown
    assert (OPERATOR, "draft_restored") in events_since(services, before)


def test_an_idle_tab_locks_then_ends_keeping_its_form(
    serve: Callable[..., Served], services: Any, operator: Any
) -> None:
    # Lock after 3 s, end after 6 s idle: logging in on a loaded machine is not itself idle.
    served = serve(idle_lock=3, session_minutes=0.1)
    tab = served.open_tab()
    tab.login(OPERATOR, OPERATOR_PW)
    tab.wait_for("Cuộc gọi hôm nay của tôi (0)")
    start_report(tab)
    before = last_seq(services)
    tab.wait_for("Màn hình đã khóa", timeout=10)  # as in the terminal
    assert PHONE not in tab.screen()  # the lock hides the form
    tab.ended(timeout=15)  # then the server closes the session

    events = events_since(services, before)
    assert (OPERATOR, "logout") in events
    assert draft_rows(services, OPERATOR) == 1
    draft = services.drafts.latest(operator)
    assert draft is not None and PHONE in str(draft[1])
    assert PHONE not in served.log_text()
