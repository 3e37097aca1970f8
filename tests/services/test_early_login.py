"""A password typed before the services are built starts its key derivation at once
(services/access/early_login.py, issue 23 item 3): the login still admits and counts the
attempt first, uses the early key only for the slot and password it was derived for, and
answers exactly as without it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from caseintake.crypto import slots
from caseintake.services.access import LoginGate
from caseintake.services.access.auth import AuthError
from caseintake.services.container import Services
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each key derivation the login itself runs (the early one is not counted here)."""
    calls: list[object] = []
    real = slots.derive_key

    def counted(password: str, params: object) -> bytes:
        calls.append(params)
        return real(password, params)  # type: ignore[arg-type]

    monkeypatch.setattr(slots, "derive_key", counted)
    return calls


def gate(services: Services) -> LoginGate:
    found = LoginGate.open(services.settings.db_url)
    assert found is not None
    return found


def test_the_early_key_is_the_login_s_derivation(services: Services, derivations: list) -> None:
    early = gate(services).derive(OPERATOR, OPERATOR_PW)
    assert early is not None
    principal = services.auth.login(OPERATOR, OPERATOR_PW, early)
    assert principal.name == OPERATOR and derivations == []  # not derived a second time


def test_an_early_key_never_opens_for_another_password(services: Services) -> None:
    """The attack: the right password's early key handed in with a wrong password typed."""
    early = gate(services).derive(OPERATOR, OPERATOR_PW)
    with pytest.raises(AuthError) as refused:
        services.auth.login(OPERATOR, "wrong-password", early)
    assert refused.value.key == "auth.bad_credentials"


def test_an_early_key_for_another_slot_is_derived_again(
    services: Services, derivations: list
) -> None:
    early = gate(services).derive(ADMIN, ADMIN_PW)  # another user's slot parameters
    assert services.auth.login(OPERATOR, OPERATOR_PW, early).name == OPERATOR
    assert len(derivations) == 1


def test_an_unknown_name_burns_once_and_gets_the_same_answer(
    services: Services, derivations: list
) -> None:
    early = gate(services).derive("nobody", "whatever-pass")
    assert early is not None
    with pytest.raises(AuthError) as unknown:
        services.auth.login("nobody", "whatever-pass", early)
    assert unknown.value.key == "auth.bad_credentials" and derivations == []


def test_the_throttle_still_refuses_a_right_early_key(services: Services) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            services.auth.login(OPERATOR, "wrong-password")
    early = gate(services).derive(OPERATOR, OPERATOR_PW)
    with pytest.raises(AuthError) as locked:
        services.auth.login(OPERATOR, OPERATOR_PW, early)
    assert locked.value.key == "auth.locked"


def test_no_gate_on_a_file_this_program_does_not_know(services: Services, tmp_path: Path) -> None:
    assert LoginGate.open(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert LoginGate.open("postgresql://u@localhost/x") is None
    path = services.settings.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    assert LoginGate.open(services.settings.db_url) is None  # nothing derived on it
