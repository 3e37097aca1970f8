"""Issue 10 items 5 and 6: failed-login records sealed whole; a lockout that holds under
concurrency, ignores the caller's environment, and treats unknown names as real ones."""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import inspect, select, text, update

from caseintake.crypto import slots
from caseintake.crypto.sealing import seal
from caseintake.domain.errors import DomainError
from caseintake.services.access import auth as auth_module
from caseintake.services.access.auth import AuthError
from caseintake.services.access.security_settings import SecuritySettingsService
from caseintake.services.audit.details import open_details
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store.models import AuditEvent, Meta, PendingAuthEvent, SecuritySettings, User
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW


def chained(services: Services) -> list[tuple[str, str, int]]:
    with services.db.read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.at_us))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def key_of(err: pytest.ExceptionInfo[AuthError]) -> str:
    return err.value.key


# --- item 6: lockout ---------------------------------------------------------------------------


def test_forty_concurrent_attempts_cannot_bypass_lockout(
    services: Services, monkeypatch: Any
) -> None:
    """The attack: 40 attempts started together, each slow to derive; all ran before."""
    real = auth_module.unwrap_with_kek
    ran: list[str] = []

    def slow_unwrap(slot: Any, secret: str, slot_id: str, derived: Any = None) -> Any:
        ran.append(secret)
        time.sleep(0.15)  # the real derivation takes ~0.6 s: a wide window for the race
        return real(slot, secret, slot_id, derived)

    monkeypatch.setattr(auth_module, "unwrap_with_kek", slow_unwrap)
    guesses = [f"guess-{i:02d}-wrong" for i in range(40)]
    guesses[20] = OPERATOR_PW

    def attempt(pw: str) -> str:
        try:
            services.auth.login(OPERATOR, pw)
            return "ok"
        except AuthError as err:
            return err.key

    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(attempt, guesses))
    assert len(ran) <= 5, len(ran)  # at most the lockout budget ever reached the key slot
    assert answers.count("auth.locked") >= 35


def test_environment_cannot_raise_the_lockout(
    services: Services, settings: Settings, monkeypatch: Any
) -> None:
    monkeypatch.setenv("CASEINTAKE_LOCKOUT_FAILURES", "1000000")
    attacker = Services(Settings.from_env(settings.db_url, clock=settings.clock))
    try:
        keys = []
        for _ in range(5):
            with pytest.raises(AuthError) as err:
                attacker.auth.login(OPERATOR, "wrong-password")
            keys.append(key_of(err))
        assert keys[-1] == "auth.locked_now"
        with pytest.raises(AuthError) as err:
            attacker.auth.login(OPERATOR, OPERATOR_PW)
        assert key_of(err) == "auth.locked"
    finally:
        attacker.close()


def test_admin_sets_the_lockout_in_the_database_audited(
    services: Services, admin: Any, operator: Any
) -> None:
    policy = SecuritySettingsService(services.db, services.settings, services.audit_log)
    with pytest.raises(DomainError) as err:
        policy.change(operator, lockout_failures=100)
    assert err.value.key == "auth.forbidden"
    with pytest.raises(DomainError) as err:
        policy.change(admin, lockout_failures=1000000)
    assert err.value.key == "security.failures_out_of_bounds"
    assert policy.change(admin, lockout_failures=3)["lockout_failures"] == 3
    assert chained(services)[-1][:2] == ("security_settings_changed", ADMIN)
    for expected in ("auth.bad_credentials", "auth.bad_credentials", "auth.locked_now"):
        with pytest.raises(AuthError) as e:
            services.auth.login(OPERATOR, "wrong-password")
        assert key_of(e) == expected


def test_a_lockout_edited_in_the_file_is_clamped(services: Services) -> None:
    with services.db.write() as s:
        s.execute(update(SecuritySettings).values(lockout_failures=1000000))
    answers = []
    for _ in range(21):
        with pytest.raises(AuthError) as err:
            services.auth.login(OPERATOR, "wrong-password")
        answers.append(key_of(err))
    assert answers[19] == "auth.locked_now" and answers[20] == "auth.locked"


def test_unknown_name_is_answered_and_locked_like_a_real_one(services: Services) -> None:
    def five(name: str) -> list[str]:
        out = []
        for _ in range(6):
            with pytest.raises(AuthError) as err:
                services.auth.login(name, "wrong-password")
            out.append(err.value.message("en"))
        return out

    assert five("nobody-here") == five(OPERATOR)
    assert five("nobody-here")[-1].startswith("The account is locked")


def test_unknown_name_costs_the_same_derivation(services: Services, monkeypatch: Any) -> None:
    seen: list[tuple[int, int, int]] = []
    real = slots.derive_key

    def spy(password: str, params: Any) -> bytes:
        seen.append((params.cost.memory_kib, params.cost.iterations, params.cost.lanes))
        return real(password, params)

    monkeypatch.setattr(slots, "derive_key", spy)
    for name in ("nobody-here", OPERATOR):
        with pytest.raises(AuthError):
            services.auth.login(name, "wrong-password")
    assert len(seen) == 2 and seen[0] == seen[1]


def test_unknown_name_takes_as_long_as_a_wrong_password(settings: Settings) -> None:
    """Measured with a real (if modest) derivation, medians of 5 each; loose bounds for CI."""
    from caseintake.crypto.kdf import KdfCost

    svc = Services(settings)
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW, kdf=KdfCost(16384, 2))
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    policy = SecuritySettingsService(svc.db, svc.settings, svc.audit_log)
    policy.change(admin, lockout_failures=20)

    def timed(name: str) -> float:
        start = time.perf_counter()
        with pytest.raises(AuthError):
            svc.auth.login(name, "wrong-password")
        return time.perf_counter() - start

    unknown = statistics.median(timed("nobody-here") for _ in range(5))
    wrong = statistics.median(timed(OPERATOR) for _ in range(5))
    svc.close()
    assert 0.5 < unknown / wrong < 2.0, (unknown, wrong)


# --- item 5: failed-login records ----------------------------------------------------------------


def test_failed_login_record_keeps_nothing_in_the_clear(services: Services) -> None:
    with pytest.raises(AuthError):
        services.auth.login(OPERATOR, "wrong-password")
    columns = {c["name"] for c in inspect(services.db.engine).get_columns("pending_auth_events")}
    assert columns == {"id", "sealed"}
    with services.db.read() as s:
        blob = s.execute(select(PendingAuthEvent.sealed)).scalar_one()
        user_id = s.execute(select(User.id).where(User.name == OPERATOR)).scalar_one()
    for clear in (OPERATOR.encode(), user_id.encode(), b"login_failed", b"2026"):
        assert clear not in blob


def test_forged_backdated_record_is_dated_when_chained(services: Services, clock: Any) -> None:
    """The attack: a 'recovery_failed' for another user, dated months ago, added with the file."""
    with services.db.write() as s:
        public = s.execute(select(Meta.sealing_public_key)).scalar_one()
        victim = s.execute(select(User.id).where(User.name == OPERATOR)).scalar_one()
        forged = {"action": "recovery_failed", "user_id": victim, "at": "2025-06-01T00:00:00+00:00"}
        s.add(
            PendingAuthEvent(
                sealed=seal(public, json.dumps(forged).encode(), "caseintake/pending-auth/2")
            )
        )
        s.add(
            PendingAuthEvent(
                sealed=seal(public, b'{"action": "case_closed"}', "caseintake/pending-auth/2")
            )
        )
        s.add(PendingAuthEvent(sealed=b"\x00" * 80))
    clock.advance(minutes=5)
    admin = services.auth.login(ADMIN, ADMIN_PW)
    from caseintake.crypto.audit_chain import to_micros

    events = chained(services)
    assert [e[0] for e in events[-4:]] == [
        "recovery_failed",
        "pending_auth_unrecognised",
        "pending_auth_unrecognised",
        "login",
    ]
    assert all(at == to_micros(clock.now) for _, _, at in events[-4:])  # never back-dated
    assert all(actor == "-" for _, actor, _ in events[-4:-1])
    with services.db.read() as s:
        blob = s.execute(
            select(AuditEvent.details).where(AuditEvent.action == "recovery_failed")
        ).scalar_one()
        seq = s.execute(
            select(AuditEvent.seq).where(AuditEvent.action == "recovery_failed")
        ).scalar_one()
    with services.db.read() as s:
        details = json.loads(open_details(s, admin.keys, seq, blob) or "")
    assert details["unauthenticated"] is True and details["claimed"]["at"].startswith("2025-06-01")
    assert services.audit.verify(admin).ok


def test_recovery_key_failure_is_sealed_whole(services: Services) -> None:
    with pytest.raises(AuthError):
        services.auth.recover("AAAA-BBBB-CCCC-DDDD")
    with services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM pending_auth_events")).scalar_one() == 1
    services.auth.login(ADMIN, ADMIN_PW)
    assert chained(services)[-2][0] == "recovery_failed"
