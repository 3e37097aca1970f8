"""F7, F8 and F9 do what Ctrl+N, Ctrl+T and Ctrl+B do in the intake form: a browser keeps
Ctrl+N and Ctrl+T for itself (``caseintake serve``) and tmux takes Ctrl+B, so an operator there
still adds a child, links an earlier case and adds a perpetrator from the keyboard."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.tui.conftest import sql
from tests.tui.intake_helpers import REFERENCE_PHONE, IntakeHost, fill, routed, set_text, wait_until


async def test_f7_and_f9_add_a_child_and_a_perpetrator(services, operator):  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        fill(app.intake, danger=False)
        await pilot.press("f7", "1", "2", "enter", "2")  # a boy of 12
        await pilot.press("f9", "n", "g", "u", "o", "i", "space", "l", "enter")  # Người lạ
        await routed(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    children = sql(services, "select position, age, sex from children order by position")
    assert children == [(0, 9, "female"), (1, 12, "male")]
    perpetrators = sql(services, "select relationship from perpetrators order by position")
    assert perpetrators == [("parent",), ("stranger",)]


async def test_f8_links_the_numbers_earlier_case(services, operator, report_case):  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        await pilot.press("f8")  # no number yet: nothing happens, the cursor stays
        assert app.focused is screen.query_one("#caller-relationship")
        set_text(screen, "#caller-phone", REFERENCE_PHONE)
        panel = screen.query_one("#caller-history")
        await wait_until(pilot, lambda: panel.display)
        await pilot.press("f8", "enter")
        narrative = screen.query_one("#narrative", TextArea)
        await wait_until(pilot, lambda: app.focused is narrative)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert app.result is not None and app.result.case_id == report_case.case_id
    assert sql(services, "select count(*) from cases") == [(1,)]
