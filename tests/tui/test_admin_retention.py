"""The admin desk's retention tab, asserted on the database: the period set and audited, an
erasure only once confirmed, refusals inline."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Static, TabbedContent

from tests.conftest import ADMIN, ADMIN_PW
from tests.services.test_retention import ciphertexts, closed_case, number_of
from tests.tui.conftest import login, settle, sql


def status(screen: Any) -> str:
    return str(screen.query_one("#ret-status", Static).render())


async def test_period_and_erasure_from_the_desk(
    app: Any, services: Any, operator: Any, supervisor: Any
) -> None:
    case = closed_case(services, operator, supervisor)
    number = number_of(services, case.case_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await login(pilot, ADMIN, ADMIN_PW)
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "tab-retention"
        await settle(pilot)
        screen.query_one("#ret-days", Input).value = "abc"
        screen.query_one("#ret-set").press()
        await settle(pilot)
        assert screen.query_one("#ret-status").has_class("admin-error")
        assert sql(services, "SELECT count(*) FROM retention_policy") == [(0,)]
        screen.query_one("#ret-days", Input).value = "90"
        screen.query_one("#ret-set").press()
        await settle(pilot)
        assert sql(services, "SELECT days_after_closure FROM retention_policy") == [(90,)]
        assert "90" in str(screen.query_one("#ret-period", Static).render())
        # Not confirmed: nothing erased.
        screen.query_one("#ret-number", Input).value = number
        screen.query_one("#ret-erase").press()
        await settle(pilot)
        assert screen.query_one("#ret-status").has_class("admin-error")
        assert ciphertexts(services, case.case_id)
        screen.query_one("#ret-confirm", Checkbox).value = True
        screen.query_one("#ret-erase").press()
        await settle(pilot)
        assert number in status(screen) and not screen.query_one("#ret-status").has_class(
            "admin-error"
        )
        assert ciphertexts(services, case.case_id) == []
        assert not screen.query_one("#ret-confirm", Checkbox).value  # one confirmation, one erasure
        screen.query_one("#ret-confirm", Checkbox).value = True
        screen.query_one("#ret-erase").press()  # again: already erased, one sentence
        await settle(pilot)
        assert screen.query_one("#ret-status").has_class("admin-error") and number in status(screen)
        actions = [a for (a,) in sql(services, "SELECT action FROM audit_events ORDER BY seq")]
        assert actions.count("case_erased") == 1 and "retention_set" in actions
