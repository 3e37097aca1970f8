"""TUI fixtures: the app on the shared test database, with helpers that wait for workers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import OPERATOR, OPERATOR_PW


@pytest.fixture(autouse=True)
def vietnamese_first() -> Any:
    """The login screen can switch the process's language; every test starts in Vietnamese."""
    from caseintake.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def make_app(services):  # type: ignore[no-untyped-def]
    """Build the app on the fixture's services (the factory hands back the same object)."""
    from caseintake.tui.app import CaseIntakeApp

    def build(**overrides: Any) -> CaseIntakeApp:
        settings = replace(services.settings, **overrides)
        return CaseIntakeApp(settings, lambda: services)

    return build


@pytest.fixture
def app(make_app):  # type: ignore[no-untyped-def]
    return make_app()


@pytest.fixture
def quick_lock_app(make_app):  # type: ignore[no-untyped-def]
    # Long enough that logging in and opening home (a loaded CI box) is not itself "idle".
    return make_app(idle_lock=timedelta(seconds=1.5))


async def settle(pilot: Any) -> None:
    """Let workers finish and their messages land: quiet for three rounds in a row."""
    from contextlib import suppress

    from textual.worker import WorkerCancelled

    quiet = 0
    for _ in range(200):
        with suppress(WorkerCancelled):  # an exclusive worker replaced it: that is the design
            await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.01)
        quiet = 0 if any(w.is_running for w in pilot.app.workers) else quiet + 1
        if quiet == 3:
            return


async def login(pilot: Any, name: str = OPERATOR, password: str = OPERATOR_PW) -> None:
    """Type the credentials (values set directly: each key press costs time) and submit."""
    from textual.widgets import Input

    screen = pilot.app.screen
    screen.query_one("#user", Input).value = name
    screen.query_one("#password", Input).value = password
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def sql(services: Any, query: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    with services.db.read() as s:
        return [tuple(row) for row in s.execute(text(query), params)]


def report_json(**overrides: Any) -> dict[str, Any]:
    """The reference report of DESIGN §6: violence at home, one child, immediate danger."""
    data: dict[str, Any] = {
        "received_at": "2026-03-02T08:15:00+07:00",
        "contact_type": "report",
        "caller": {"relationship": "neighbour", "phone": "0912345678"},
        "children": [{"age": 9, "age_basis": "stated", "sex": "female", "ethnicity": "kinh"}],
        "location": {"province_code": 79, "ward_code": 26740},
        "concerns": ["violence"],
        "setting": "family",
        "perpetrators": [{"relationship": "step_parent"}],
        "immediate_danger": True,
        "narrative": "Hàng xóm nghe tiếng bé khóc [to] và tiếng đánh.",
    }
    return data | overrides


@pytest.fixture
def report_case(services, operator):  # type: ignore[no-untyped-def]
    """A saved report with its routed referrals, assigned to the operator ``lan``."""
    from caseintake.domain.intake.validation import parse_intake

    return services.intake.save(operator, parse_intake(report_json()))
