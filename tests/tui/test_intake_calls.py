"""Every call keeps what it can (issue 7, items 1, 2 and 4): a phone on any contact, silent calls
counted for a number, a counselling call's words and its caller's age group and sex, and a
repeat call that starts from the case it links."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from caseintake.tui.screens.operator.home_screen import HomeScreen
from caseintake.tui.screens.operator.non_data_dialog import NonDataDialog
from tests.tui.conftest import login, settle
from tests.tui.intake_helpers import (
    REFERENCE_PHONE,
    IntakeHost,
    pick,
    routed,
    set_text,
    sql,
    wait_until,
)


def decrypt(principal, table: str, column: str, row_id: str, blob: bytes) -> str:  # type: ignore[no-untyped-def]
    return principal.keys.cipher.decrypt(table, column, row_id, blob)


async def test_a_silent_call_keeps_the_phone_typed_in_the_quick_log(app, services, operator):
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("n", *REFERENCE_PHONE, "s")  # "0" starts the number, "s" logs it
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    rows = sql(services, "select contact_type, caller_phone_index is not null from contacts")
    assert rows == [("silent", 1)]
    history = services.callers.history(operator, REFERENCE_PHONE)
    assert history.silent_count == 1


async def test_a_wrong_number_in_the_quick_log_is_said_and_nothing_is_logged(app, services):
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("n", "0", "9", "1", "h")  # a half number, then "h" (hang-up)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NonDataDialog)  # still open, saying why
        assert str(dialog.query_one("#phone-error", Static).render())
        assert dialog.query_one("#quick-phone", Input).value == "091"
        await pilot.press("backspace", "backspace", "backspace", "h")  # no number: fine
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert sql(services, "select contact_type, caller_phone_index from contacts") == [
        ("hang_up", None)
    ]


async def test_the_caller_history_counts_silent_calls(services, operator, clock):
    for _ in range(3):
        services.intake.log_non_data(operator, "silent", clock(), 20, phone=REFERENCE_PHONE)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        panel = screen.query_one("#caller-history")
        set_text(screen, "#caller-phone", REFERENCE_PHONE)
        await wait_until(pilot, lambda: panel.display)
        title = str(panel.query_one("#history-title").render())
        assert "3 lần" in title and "3 cuộc gọi im lặng" in title


async def test_counselling_keeps_the_words_and_the_callers_age_group_and_sex(services, operator):
    app = IntakeHost(services, operator, contact_type=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        await pilot.press("t", "u", "enter")  # Tư vấn
        assert not screen.query_one("#perpetrators").display  # no perpetrator in counselling
        await pilot.press("c", "h", "i", "n", "h", "enter")  # the caller: Chính trẻ em (self)
        await pilot.press("enter", "enter")  # no name, no phone
        assert app.focused is screen.query_one("#caller-age-group")  # on the way of Enter
        await pilot.press("3")  # the third: 11–15, and on by itself to the sex
        assert app.focused is screen.query_one("#caller-sex")
        await pilot.press("1")  # Nữ
        screen.query_one("#topics").value = ("education",)
        set_text(screen, "#narrative", "Em lo thi cử, mất ngủ cả tuần.")
        set_text(screen, "#perp-name", "typed before the type changed")  # hidden: not saved
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    [(contact_id, age_group, sex, blob)] = sql(
        services, "select id, caller_age_group, caller_sex, narrative from contacts"
    )
    assert (age_group, sex) == ("11-15", "female")
    assert decrypt(operator, "contacts", "narrative", contact_id, blob) == (
        "Em lo thi cử, mất ngủ cả tuần."
    )
    assert sql(services, "select count(*) from perpetrators") == [(0,)]
    assert sql(services, "select count(*) from cases") == [(0,)]


async def test_a_report_reaches_the_callers_age_and_sex_by_tab_only(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.query_one("#caller-phone").focus()
        await pilot.press("enter")
        assert app.focused is screen.query_one("#age")  # Enter: straight to the child
        screen.query_one("#caller-phone").focus()
        await pilot.press("tab")
        assert app.focused is screen.query_one("#caller-age-group")


async def test_linking_the_case_starts_the_form_from_it(services, operator, report_case):
    """A repeat call: what the operator already typed stays; the case fills the rest."""
    app = IntakeHost(services, operator, contact_type="follow_up")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        set_text(screen, "#caller-name", "Cô Hạnh")
        set_text(screen, "#narrative", "Cháu chạy sang nhà hàng xóm, mặt sưng.")
        set_text(screen, "#caller-phone", REFERENCE_PHONE)
        pick(screen, "#concerns", ("violence",))  # re-entered before linking, as in issue 7
        panel = screen.query_one("#caller-history")
        await wait_until(pilot, lambda: panel.display)
        await routed(pilot)
        assert "Chưa biết tuổi" in screen.query_one("#routing").render_notes().plain
        panel.query_one("#history-cases").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_one("#age", Input).value == "9")

        assert screen.query_one("#sex").value == "female"
        assert screen.query_one("#ethnicity").value == "kinh"
        assert screen.query_one("#concerns").value == ("violence",)
        assert screen.query_one("#setting").value == "family"
        assert (screen.query_one("#province").value, screen.query_one("#ward").value) == (
            79,
            26740,
        )
        assert screen.query_one("#relationship").value == "step_parent"
        assert screen.query_one("#caller-name", Input).value == "Cô Hạnh"  # kept
        assert screen.query_one("#narrative", TextArea).text.startswith("Cháu chạy sang")
        assert screen.form.case_id == report_case.case_id
        await routed(pilot)
        assert "Chưa biết tuổi" not in screen.query_one("#routing").render_notes().plain

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert sql(services, "select count(*) from cases") == [(1,)]
    assert sql(services, "select count(*) from children") == [(1,)]
    rows = sql(
        services,
        "select id, contact_type, case_id, narrative from contacts order by received_at, id",
    )
    follow_up = next(r for r in rows if r[1] == "follow_up")
    assert follow_up[2] == report_case.case_id
    assert decrypt(operator, "contacts", "narrative", follow_up[0], follow_up[3]) == (
        "Cháu chạy sang nhà hàng xóm, mặt sưng."
    )


@pytest.mark.parametrize("history", ["ctrl+t", "f8"])  # F8 where a browser keeps Ctrl+T
async def test_a_repeat_call_links_its_case_by_keys_and_types_on(
    services, operator, report_case, history
):
    """ctrl+t goes to the number's earlier cases (only shown in the footer when there are
    some), Enter links one, the form fills in from it and the cursor waits in the narrative."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        assert "intake.history" not in {
            b.binding.id for b in screen.active_bindings.values() if b.enabled
        }
        await pilot.press(history)  # no number yet: nothing happens
        assert app.focused is screen.query_one("#caller-relationship")
        set_text(screen, "#caller-phone", REFERENCE_PHONE)
        panel = screen.query_one("#caller-history")
        await wait_until(pilot, lambda: panel.display)
        await pilot.press(history, "enter")
        narrative = screen.query_one("#narrative", TextArea)
        await wait_until(pilot, lambda: app.focused is narrative)
        assert screen.query_one("#concerns").value == ("violence",)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert app.result is not None and app.result.case_id == report_case.case_id
    assert sql(services, "select count(*) from cases") == [(1,)]
    twice = "select body, ward_code from referrals group by body, ward_code having count(*) > 1"
    assert sql(services, twice) == []  # the same desk is never referred twice
