"""The shift home: a silent call in two keys, the other non-data calls, today's contacts, my
open cases with their next deadline, logout with a checkpoint."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.cases.case_list_screen import CaseListScreen
from caseintake.tui.screens.operator.home_screen import HomeScreen
from caseintake.tui.screens.operator.non_data_dialog import NonDataDialog
from caseintake.tui.screens.session.login_screen import LoginScreen
from tests.tui.conftest import login, settle, sql


async def test_silent_call_in_two_keys_from_home(app, services, clock) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        opened_at = clock.now
        presses = 0
        for key in ("n", "s"):
            await pilot.press(key)
            presses += 1
            await settle(pilot)
            if key == "n":
                assert isinstance(app.screen, NonDataDialog)
                clock.advance(seconds=42)  # the caller stays silent for 42 s
        assert presses <= 3
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#contacts", DataTable).row_count == 1
    rows = sql(
        services,
        "select c.contact_type, c.duration_seconds, c.received_at, u.name, c.case_id "
        "from contacts c join users u on u.id = c.operator_id",
    )
    assert len(rows) == 1
    kind, duration, received_at, operator, case_id = rows[0]
    assert (kind, duration, operator, case_id) == ("silent", 42, "lan", None)
    assert str(received_at).startswith(opened_at.strftime("%Y-%m-%d %H:%M"))
    audited = sql(services, "select count(*) from audit_events where action = 'contact_created'")
    assert audited[0][0] == 1


@pytest.mark.parametrize(
    ("key", "kind"),
    [("2", "hang_up"), ("p", "prank_abusive"), ("4", "wrong_number"), ("t", "thanks")],
)
async def test_each_non_data_call_has_its_key(app, services, key, kind) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("n", key)
        await settle(pilot)
    assert sql(services, "select contact_type from contacts") == [(kind,)]


async def test_escape_logs_nothing(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("n", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert sql(services, "select count(*) from contacts") == [(0,)]


async def test_mouse_picks_a_kind_too(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.click("#kinds", offset=(4, 1))  # the first option: silent
        await settle(pilot)
    assert sql(services, "select contact_type from contacts") == [("silent",)]


async def test_home_lists_my_cases_with_the_next_deadline(app, services, report_case) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        cases = app.screen.query_one("#cases", DataTable)
        assert cases.row_count == 1
        row = cases.get_row_at(0)
        assert row[0] == report_case.case_number
        assert str(row[3]) != "–"  # the next referral deadline
        contacts = app.screen.query_one("#contacts", DataTable)
        assert contacts.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)


async def test_f_opens_the_case_list_and_escape_returns(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_logout_writes_a_checkpoint(app, services, settings) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.principal is None
    actions = [a for (a,) in sql(services, "select action from audit_events order by seq")]
    assert actions[-2:] == ["checkpoint_written", "logout"]
    assert list((settings.state_dir / "checkpoints").rglob("*.json"))


async def test_command_palette_offers_the_footer_actions(app) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.bindings import BindingCommands

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        provider = BindingCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Tiếp nhận mới" in names and "Ghi nhanh" in names and "Đăng xuất" in names


async def test_t_opens_a_report_and_c_a_contact_of_any_type(app) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.screens.operator.intake_screen import IntakeScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "caller-relationship"
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "contact-type"


async def test_an_unsaved_form_comes_back_at_login(app, services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    from caseintake.tui.form_state import draft_payload, empty_values
    from caseintake.tui.screens.operator.intake_screen import IntakeScreen

    values = empty_values("report") | {"narrative": "Cháu kể bị đánh."}
    services.drafts.save(operator, "draft-1", draft_payload(values, clock.now, 30))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await login(pilot)
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.draft_id == "draft-1"
        assert app.screen.query_one("#narrative", TextArea).text == "Cháu kể bị đánh."
    restored = sql(services, "select count(*) from audit_events where action = 'draft_restored'")
    assert restored == [(1,)]
