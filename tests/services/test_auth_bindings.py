"""Issue 10 item 3: role, disabled flag and slot owner changed in the file are refused at login
and named by ``audit verify``; a swapped trust anchor disagrees with the pinned one."""

from __future__ import annotations

import stat
from typing import Any

import pytest
from sqlalchemy import select, update

from caseintake.crypto.user_certs import RECOVERY_SIGNER, certify
from caseintake.crypto.user_certs import public_bytes as key_public
from caseintake.domain.errors import DomainError
from caseintake.services.access.auth import AuthError
from caseintake.services.audit.trust import Anchor, anchor_file, identity, new_signing_key
from caseintake.services.container import Services
from caseintake.store.models import KeySlotRow, Meta, User
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW


def user_id(services: Services, name: str) -> str:
    with services.db.read() as s:
        return str(s.execute(select(User.id).where(User.name == name)).scalar_one())


def refused(services: Services, name: str, password: str) -> str:
    with pytest.raises(AuthError) as err:
        services.auth.login(name, password)
    return err.value.key


def test_role_raised_in_the_file_is_refused_and_named(services: Services, admin: Any) -> None:
    with services.db.write() as s:
        s.execute(update(User).where(User.name == OPERATOR).values(role="admin"))
    assert refused(services, OPERATOR, OPERATOR_PW) == "auth.account_tampered"
    result = services.audit.verify(admin)
    assert (result.ok, result.problem, result.detail) == (False, "audit.user_tampered", OPERATOR)


def test_disabled_flag_cleared_in_the_file_is_refused(services: Services, admin: Any) -> None:
    services.users.disable(admin, OPERATOR)
    assert refused(services, OPERATOR, OPERATOR_PW) == "auth.disabled"  # signed as disabled
    with services.db.write() as s:
        s.execute(update(User).where(User.name == OPERATOR).values(disabled=False))
    assert refused(services, OPERATOR, OPERATOR_PW) == "auth.account_tampered"
    assert services.audit.verify(admin).detail == OPERATOR


def test_swapped_slot_owner_does_not_log_in_as_another(services: Services, admin: Any) -> None:
    """The attack: the operator's slot moved to the admin, so the operator's password opens
    the admin's account."""
    op_id, admin_id = user_id(services, OPERATOR), user_id(services, ADMIN)
    with services.db.write() as s:
        s.execute(update(KeySlotRow).where(KeySlotRow.user_id == admin_id).values(user_id=None))
        s.execute(update(KeySlotRow).where(KeySlotRow.user_id == op_id).values(user_id=admin_id))
    assert refused(services, ADMIN, OPERATOR_PW) in (
        "auth.account_tampered",
        "auth.bad_credentials",
    )


def test_self_made_certificate_with_own_key_is_refused(services: Services, admin: Any) -> None:
    """An operator holding the data key writes themselves a new key and signs their own row."""
    key = new_signing_key()
    with services.db.write() as s:
        user = s.execute(select(User).where(User.name == OPERATOR)).scalar_one()
        slot = s.execute(select(KeySlotRow.id).where(KeySlotRow.user_id == user.id)).scalar_one()
        user.role, user.public_key = "admin", key_public(key)
        db_id = s.execute(select(Meta.db_id)).scalar_one()
        user.certificate = certify(identity(db_id, user, slot), user.id, key)
    assert refused(services, OPERATOR, OPERATOR_PW) == "auth.account_tampered"
    assert services.audit.verify(admin).problem == "audit.user_tampered"


def test_swapped_anchor_disagrees_with_the_pinned_one(services: Services, admin: Any) -> None:
    """The whole trust rewritten in the file: a new anchor and every row re-signed with it."""
    forged = new_signing_key()
    with services.db.write() as s:
        meta = s.execute(select(Meta)).scalar_one()
        old = Anchor.from_json(meta.trust_anchor)
        assert old is not None
        op = s.execute(select(User).where(User.name == OPERATOR)).scalar_one()
        meta.trust_anchor = Anchor(op.id, key_public(forged), old.recovery_public).to_json()
    with pytest.raises(DomainError) as err:
        services.auth.login(ADMIN, ADMIN_PW)
    assert err.value.key == "security.anchor_mismatch"
    result = services.audit.verify(admin)
    assert (result.ok, result.problem) == (False, "security.anchor_mismatch")


def test_honest_flows_keep_working(services: Services, admin: Any) -> None:
    services.users.add(admin, "hoa", "supervisor", "first-time-pass")
    assert services.auth.login("hoa", "first-time-pass").role == "supervisor"
    assert services.auth.login(SUPERVISOR, SUPERVISOR_PW).role == "supervisor"
    services.users.disable(admin, "hoa")
    assert refused(services, "hoa", "first-time-pass") == "auth.disabled"
    assert services.audit.verify(admin).ok


def test_recovery_reset_is_signed_by_the_recovery_key(settings: Any) -> None:
    svc = Services(settings)
    admin, recovery = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    otp = svc.users.reset_with_recovery(svc.auth.recover(recovery), OPERATOR)
    assert svc.auth.login(OPERATOR, otp).must_change_password
    with svc.db.read() as s:
        cert = s.execute(select(User.certificate).where(User.name == OPERATOR)).scalar_one()
    assert cert.startswith(RECOVERY_SIGNER + ":")
    assert svc.audit.verify(svc.auth.login(ADMIN, ADMIN_PW)).ok
    svc.close()


def test_init_pins_the_anchor_and_gives_its_fingerprint(services: Services) -> None:
    fp = services.setup.anchor_fingerprint
    assert fp is not None and len(fp.split(":")) == 8
    pinned = anchor_file(services.settings.state_dir, services.audit_log.db_id_cached())
    assert stat.S_IMODE(pinned.stat().st_mode) == 0o600
    assert Anchor.from_json(pinned.read_text()).fingerprint == fp  # type: ignore[union-attr]
