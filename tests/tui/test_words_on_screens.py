"""No English codes on Vietnamese screens (issue 19, item 13): the audit viewer names actions
and objects in words and filters by those words; a refusal names states and roles in words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select

from caseintake.domain.referrals.states import TransitionRefused
from caseintake.services.access.auth import AuthError
from caseintake.tui.texts import describe
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR
from tests.tui.conftest import login, settle, sql
from tests.tui.test_audit_viewer import open_viewer
from tests.tui.test_referral_queue import save

CODE = re.compile(r"[a-z]+(_[a-z]+)*")


def column(table: DataTable, key: str) -> list[str]:  # type: ignore[type-arg]
    return [str(table.get_cell(row, key)) for row in table.rows]


async def test_the_audit_viewer_says_actions_and_objects_in_words(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthError):
        services.auth.login(OPERATOR, "not the password")
    save(services, operator)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_viewer(pilot)
        table = screen.query_one("#events", DataTable)
        actions, entities = column(table, "action"), column(table, "entity")
        assert "đăng nhập sai" in actions and "đăng nhập" in actions and "mở hồ sơ" in actions
        assert "hồ sơ" in entities and "người dùng" in entities
        assert [a for a in actions + entities if CODE.fullmatch(a)] == []
        field = screen.query_one("#a-action", Input)
        field.value = "Đăng nhập sai"  # the words the viewer shows filter the trail
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = column(table, "action")
        assert shown and set(shown) == {"đăng nhập sai"}
    assert sql(services, "select count(*) from audit_events where action = 'login_failed'")[0][0]


def test_a_refused_move_names_states_and_roles_in_words() -> None:
    final = describe(TransitionRefused("state.error.final", "referral", "done", "revoked"))
    assert final == "“Hoàn thành” là trạng thái cuối: không thể chuyển sang “Đã thu hồi”."
    only = describe(
        TransitionRefused(
            "state.error.supervisor_only", "referral", "sent", "revoked", role="operator"
        )
    )
    assert "vai trò hiện tại: tư vấn viên" in only and "operator" not in only


def footer_words(screen: Any) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [str(key.description) for key in screen.query(FooterKey)]


async def test_an_open_menu_says_how_to_close_it_in_vietnamese(app, services) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one("#dir-body", Select).focus()
        await pilot.press("enter")  # the list of bodies opens
        await settle(pilot)
        words = footer_words(screen)
        assert "Đóng danh sách" in words and "Dismiss menu" not in words, words


async def test_the_retention_field_wants_no_english_word(app, services) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static, TabbedContent

    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "tab-retention"
        await settle(pilot)
        field = screen.query_one("#ret-days", Input)
        assert "none" not in field.placeholder
        field.value = "mãi"
        screen.query_one("#ret-set").press()
        await settle(pilot)
        refusal = str(screen.query_one("#ret-status", Static).render())
        assert "để trống" in refusal and "none" not in refusal
        assert sql(services, "SELECT count(*) FROM retention_policy") == [(0,)]
        field.value = "30"
        screen.query_one("#ret-set").press()
        await settle(pilot)
        field.value = ""  # empty: keep for ever
        screen.query_one("#ret-set").press()
        await settle(pilot)
    assert sql(services, "SELECT days_after_closure FROM retention_policy") == [(None,)]
