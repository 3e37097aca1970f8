"""Enable and change role through UserService: signed so login accepts the change, audited,
and refused for oneself, an unknown user or role, a non-admin, or no change."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from tests.conftest import ADMIN, OPERATOR, OPERATOR_PW
from tests.services.supervisor_fixtures import actions


def test_role_change_and_enable_are_signed_and_audited(services: Any, admin: Any) -> None:
    services.users.change_role(admin, OPERATOR, "supervisor")
    assert services.auth.login(OPERATOR, OPERATOR_PW).role == "supervisor"
    services.users.disable(admin, OPERATOR)
    with pytest.raises(DomainError):
        services.auth.login(OPERATOR, OPERATOR_PW)
    services.users.enable(admin, OPERATOR)
    assert services.auth.login(OPERATOR, OPERATOR_PW).role == "supervisor"
    done = [a for a in actions(services) if a.startswith("user_")]
    assert done[-3:] == ["user_role_changed", "user_disabled", "user_enabled"]
    assert services.audit.verify(admin).ok


def test_refusals(services: Any, admin: Any, operator: Any) -> None:
    for call, key in (
        (lambda: services.users.change_role(admin, ADMIN, "operator"), "admin.users.not_self"),
        (lambda: services.users.enable(admin, ADMIN), "admin.users.not_self"),
        (lambda: services.users.change_role(admin, OPERATOR, "root"), "auth.bad_role"),
        (lambda: services.users.change_role(admin, OPERATOR, "operator"), "admin.users.no_change"),
        (lambda: services.users.enable(admin, OPERATOR), "admin.users.no_change"),
        (lambda: services.users.enable(admin, "nobody"), "auth.no_such_user"),
        (lambda: services.users.change_role(operator, OPERATOR, "admin"), "auth.forbidden"),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.key == key
    assert services.auth.login(OPERATOR, OPERATOR_PW).role == "operator"
