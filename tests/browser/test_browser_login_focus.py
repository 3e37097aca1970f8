"""Issue 19 item 1: the login page takes the keyboard as soon as it loads, so a person who
types name, Tab, password at once logs in, and nothing typed lands in the wrong field."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.browser.conftest import Served
from tests.browser.tab import Tab, _keep_terminal
from tests.browser.test_browser_sessions import wait_until
from tests.conftest import OPERATOR, OPERATOR_PW


def test_name_tab_password_typed_at_once_logs_in(served: Served, services: Any) -> None:
    context = services  # the database, to look at what was stored
    page = served_page(served)
    # No click: a person starts typing the moment the page shows.
    page.wait_for_selector(".xterm-helper-textarea", state="attached")
    page.keyboard.type(OPERATOR)
    page.keyboard.press("Tab")
    page.keyboard.type(OPERATOR_PW)
    page.keyboard.press("Enter")
    tab = Tab(page)
    tab.wait_for("Cuộc gọi hôm nay của tôi", timeout=40)

    def logged_in() -> bool:
        with context.db.read() as s:
            actions = s.execute(text("select actor, action from audit_events")).all()
        return (OPERATOR, "login") in [tuple(a) for a in actions]

    wait_until(logged_in, "the operator's login in the audit trail")
    with context.db.read() as s:
        failed = s.execute(text("select count(*) from pending_auth_events")).scalar_one()
    assert failed == 0  # no failed attempt with the password as a name


def served_page(served: Served) -> Any:
    tab = served.open_tab()  # opens and clicks; a fresh page without the click is below
    context = tab.page.context
    tab.close()
    page = context.new_page()
    page.route("**/static/js/textual.js", _keep_terminal)
    page.goto(served.url)
    return page
