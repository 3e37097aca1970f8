"""Issue 20 item 7: a session whose user was disabled, or whose role changed, while it was open
is refused at its next service call, in one sentence, and stays refused (the TUI then locks).
The answer may be cached at most ``Standing.MAX_AGE`` seconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from caseintake.services.core.standing import SessionEnded, Standing
from tests.conftest import OPERATOR, OPERATOR_PW, SUPERVISOR
from tests.services.supervisor_fixtures import actions

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _past_cache() -> None:
    time.sleep(Standing.MAX_AGE + 0.1)


def test_a_disabled_users_open_session_is_refused_at_its_next_action(
    services: Any, admin: Any, operator: Any
) -> None:
    services.cases.my_open(operator)  # the session works
    services.users.disable(admin, OPERATOR)
    _past_cache()
    before = actions(services)
    for call in (
        lambda: services.cases.my_open(operator),
        lambda: services.drafts.latest(operator),
        lambda: services.contacts.today(operator),
        lambda: services.intake.log_non_data(operator, "silent", NOW, 30),
    ):
        with pytest.raises(SessionEnded) as err:
            call()
        assert err.value.key == "access_checks.session_disabled"
        assert "\n" not in err.value.message() and err.value.message().endswith(".")
    assert operator.standing.ended is not None
    assert actions(services) == before  # nothing written for the refused calls


def test_a_role_change_ends_the_open_session_even_when_the_new_role_could_act(
    services: Any, admin: Any, supervisor: Any
) -> None:
    services.users.change_role(admin, SUPERVISOR, "operator")
    _past_cache()
    with pytest.raises(SessionEnded) as err:
        services.cases.my_open(supervisor)  # allowed for both roles, still refused
    assert err.value.key == "access_checks.session_role_changed"
    # Enabling or changing back does not revive it: the user logs in again.
    services.users.change_role(admin, SUPERVISOR, "supervisor")
    _past_cache()
    with pytest.raises(SessionEnded):
        services.cases.my_open(supervisor)


def test_unlocking_a_disabled_session_is_refused(services: Any, admin: Any, operator: Any) -> None:
    services.users.disable(admin, OPERATOR)
    _past_cache()
    with pytest.raises(SessionEnded):
        services.auth.verify_password(operator, OPERATOR_PW)


def test_the_answer_is_cached_briefly_not_for_ever(
    services: Any, admin: Any, operator: Any
) -> None:
    services.cases.my_open(operator)
    services.users.disable(admin, OPERATOR)
    started = time.monotonic()
    while True:
        try:
            services.cases.my_open(operator)
        except SessionEnded:
            break
        assert time.monotonic() - started < Standing.MAX_AGE + 1
        time.sleep(0.05)


def test_session_ended_is_a_domain_error(services: Any, admin: Any, operator: Any) -> None:
    services.users.disable(admin, OPERATOR)
    _past_cache()
    with pytest.raises(DomainError):
        services.intake.log_non_data(operator, "silent", NOW, 30)
