"""Login, lockout (kept across restarts), unknown users, one-time passwords, recovery."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseintake.domain.errors import DomainError
from caseintake.services.access.auth import AuthError
from caseintake.services.access.login_throttle import name_digest
from caseintake.services.container import Services
from caseintake.store.models import AuditEvent, LoginThrottle, Meta, PendingAuthEvent
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW


def audit_actions(svc: Services) -> list[str]:
    with svc.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def counts(svc: Services) -> tuple[int, int]:
    with svc.db.read() as s:
        audit = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        pending = s.execute(select(func.count()).select_from(PendingAuthEvent)).scalar_one()
    return audit, pending


def test_login_returns_role_and_keys(services: Services) -> None:
    p = services.auth.login(OPERATOR, OPERATOR_PW)
    assert (p.name, p.role, p.must_change_password) == (OPERATOR, "operator", False)
    assert audit_actions(services)[-1] == "login"


def test_unknown_user_gets_the_same_answer(services: Services) -> None:
    with pytest.raises(AuthError) as unknown:
        services.auth.login("nobody", "whatever-pass")
    with pytest.raises(AuthError) as wrong:
        services.auth.login(OPERATOR, "wrong-password")
    assert unknown.value.message() == wrong.value.message()
    assert unknown.value.message("en") == "The user name or password is wrong."


def test_wrong_password_writes_only_the_attempt(services: Services) -> None:
    before = counts(services)
    with pytest.raises(AuthError):
        services.auth.login(OPERATOR, "wrong-password")
    audit, pending = counts(services)
    assert (audit, pending) == (before[0], before[1] + 1)  # nothing but the sealed attempt
    services.auth.login(ADMIN, ADMIN_PW)
    assert counts(services)[1] == 0  # the next login chains it into the trail
    actions = audit_actions(services)
    assert actions[-2:] == ["login_failed", "login"]


def test_lockout_after_five_failures_survives_restart(services: Services, settings, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        with pytest.raises(AuthError) as err:
            services.auth.login(OPERATOR, "wrong-password")
        assert err.value.key == "auth.bad_credentials"
    with pytest.raises(AuthError) as err:
        services.auth.login(OPERATOR, "wrong-password")
    assert err.value.key == "auth.locked_now"
    services.close()
    restarted = Services(settings)  # a new process: the lock lives in the database
    with pytest.raises(AuthError) as err:
        restarted.auth.login(OPERATOR, OPERATOR_PW)  # even the right password is refused
    assert err.value.key == "auth.locked"
    clock.advance(minutes=16)
    assert restarted.auth.login(OPERATOR, OPERATOR_PW).name == OPERATOR
    restarted.auth.login(ADMIN, ADMIN_PW)
    assert {"login_failed", "lockout", "login_refused_locked"} <= set(audit_actions(restarted))
    restarted.close()


def test_failures_outside_the_window_do_not_add_up(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        with pytest.raises(AuthError):
            services.auth.login(OPERATOR, "wrong-password")
    clock.advance(minutes=16)
    with pytest.raises(AuthError) as err:
        services.auth.login(OPERATOR, "wrong-password")
    assert err.value.key == "auth.bad_credentials"
    with services.db.read() as s:
        digest = name_digest(s.execute(select(Meta.db_id)).scalar_one(), OPERATOR)
        assert s.get(LoginThrottle, digest).failed_count == 1  # the window closed before


def test_one_time_password_must_be_changed(services: Services, admin) -> None:  # type: ignore[no-untyped-def]
    services.users.add(admin, "hoa", "operator", "first-time-pass")
    assert services.auth.login("hoa", "first-time-pass").must_change_password
    with pytest.raises(DomainError) as err:
        services.auth.change_password("hoa", "first-time-pass", "short")
    assert err.value.key == "auth.password_short"
    p = services.auth.change_password("hoa", "first-time-pass", "a-better-pass-1")
    assert not p.must_change_password
    assert not services.auth.login("hoa", "a-better-pass-1").must_change_password


def test_roles_are_checked_in_services(services: Services, operator, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        services.users.add(operator, "x1", "operator")
    assert err.value.key == "auth.forbidden"
    with pytest.raises(DomainError):
        services.cases.my_open(admin)  # an admin does not read case content


def test_disabled_user_cannot_log_in(services: Services, admin) -> None:  # type: ignore[no-untyped-def]
    services.users.disable(admin, OPERATOR)
    with pytest.raises(AuthError) as err:
        services.auth.login(OPERATOR, OPERATOR_PW)
    assert err.value.key == "auth.disabled"


def test_recovery_key(settings) -> None:  # type: ignore[no-untyped-def]
    svc = Services(settings)
    _admin, recovery = svc.setup.init(ADMIN, ADMIN_PW)
    before = counts(svc)
    with pytest.raises(AuthError) as err:
        svc.auth.recover("AAAA-BBBB-CCCC-DDDD")
    assert err.value.message("en") == "The recovery key is wrong."
    assert counts(svc) == (before[0], before[1] + 1)
    p = svc.auth.recover(recovery)
    otp = svc.users.reset_with_recovery(p, ADMIN)
    assert svc.auth.login(ADMIN, otp).must_change_password
    svc.close()
