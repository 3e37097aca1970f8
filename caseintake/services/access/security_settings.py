"""Security settings live in the database, set at ``init`` and changed only by an admin, each
change audited; nothing here is read from the caller's environment (issue 10 items 6, 7).

Values read back are clamped to sane bounds, so a file edited to ``lockout_failures =
1000000`` still locks after at most ``MAX_FAILURES``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.kdf import STRONG, KdfCost
from caseintake.domain.errors import DomainError
from caseintake.services.audit.cadence import EVENTS_RANGE, SECONDS_RANGE, cadence_of
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store.db import Database
from caseintake.store.models import SecuritySettings

MAX_FAILURES = 20
MIN_MINUTES, MAX_MINUTES = 1, 24 * 60


@dataclass(frozen=True)
class SecurityPolicy:
    lockout_failures: int = 5  # DESIGN §4: 5 failures in 15 minutes
    lockout_window: timedelta = timedelta(minutes=15)
    lockout_duration: timedelta = timedelta(minutes=15)
    kdf: KdfCost = STRONG


DEFAULT_POLICY = SecurityPolicy()


def _minutes(seconds: object) -> timedelta:
    n = seconds if isinstance(seconds, int) else 15 * 60
    return timedelta(seconds=min(max(n, MIN_MINUTES * 60), MAX_MINUTES * 60))


def read_policy(s: Session) -> SecurityPolicy:
    row = s.get(SecuritySettings, 1)
    if row is None:
        return DEFAULT_POLICY
    failures = row.lockout_failures if isinstance(row.lockout_failures, int) else 5
    try:
        kdf = KdfCost(row.kdf_memory_kib, row.kdf_iterations, row.kdf_lanes)
    except CryptoError:
        kdf = STRONG  # a tampered cost falls back to the strong default, never below it
    return SecurityPolicy(
        min(max(failures, 1), MAX_FAILURES),
        _minutes(row.lockout_window_s),
        _minutes(row.lockout_duration_s),
        kdf,
    )


def write_policy(s: Session, policy: SecurityPolicy, now: datetime) -> None:
    row = s.get(SecuritySettings, 1) or SecuritySettings(id=1)
    row.lockout_failures = policy.lockout_failures
    row.lockout_window_s = int(policy.lockout_window.total_seconds())
    row.lockout_duration_s = int(policy.lockout_duration.total_seconds())
    row.kdf_memory_kib = policy.kdf.memory_kib
    row.kdf_iterations = policy.kdf.iterations
    row.kdf_lanes = policy.kdf.lanes
    row.updated_at = now
    s.add(row)


def _described(p: SecurityPolicy) -> dict[str, int]:
    return {
        "lockout_failures": p.lockout_failures,
        "lockout_window_minutes": int(p.lockout_window.total_seconds() // 60),
        "lockout_duration_minutes": int(p.lockout_duration.total_seconds() // 60),
        "kdf_memory_kib": p.kdf.memory_kib,
        "kdf_iterations": p.kdf.iterations,
        "kdf_lanes": p.kdf.lanes,
    }


def _cadence(db: Database) -> dict[str, int]:
    events, seconds = cadence_of(db)
    return {"checkpoint_every_events": events, "checkpoint_every_minutes": seconds // 60}


class SecuritySettingsService:
    def __init__(self, db: Database, settings: Settings, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    def show(self, principal: Principal) -> dict[str, int]:
        principal.require("admin", "supervisor")
        with self._db.read() as s:
            described = _described(read_policy(s))
        return {**described, **_cadence(self._db)}

    def change(
        self,
        admin: Principal,
        *,
        lockout_failures: int | None = None,
        lockout_window_minutes: int | None = None,
        lockout_duration_minutes: int | None = None,
        kdf_memory_kib: int | None = None,
        kdf_iterations: int | None = None,
        checkpoint_every_events: int | None = None,
        checkpoint_every_minutes: int | None = None,
    ) -> dict[str, int]:
        """An admin changes the policy; the change and its before/after are audited."""
        admin.require("admin")
        lo, hi = EVENTS_RANGE
        if checkpoint_every_events is not None and not lo <= checkpoint_every_events <= hi:
            raise DomainError("access_checks.cadence_events_bounds", lo=lo, hi=hi)
        lo_m, hi_m = SECONDS_RANGE[0] // 60 or 1, SECONDS_RANGE[1] // 60
        if checkpoint_every_minutes is not None and not lo_m <= checkpoint_every_minutes <= hi_m:
            raise DomainError("access_checks.cadence_minutes_bounds", lo=lo_m, hi=hi_m)
        cadence_before = _cadence(self._db)
        for minutes in (lockout_window_minutes, lockout_duration_minutes):
            if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
                raise DomainError("security.minutes_out_of_bounds", lo=MIN_MINUTES, hi=MAX_MINUTES)
        if lockout_failures is not None and not 1 <= lockout_failures <= MAX_FAILURES:
            raise DomainError("security.failures_out_of_bounds", hi=MAX_FAILURES)
        now = self._settings.clock()
        with self._db.write() as s:
            before = read_policy(s)
            kdf = before.kdf
            if kdf_memory_kib is not None or kdf_iterations is not None:
                try:
                    kdf = KdfCost(
                        kdf_memory_kib if kdf_memory_kib is not None else kdf.memory_kib,
                        kdf_iterations if kdf_iterations is not None else kdf.iterations,
                        kdf.lanes,
                    )
                except CryptoError:
                    raise DomainError("crypto.kdf_out_of_bounds") from None
            after = replace(
                before,
                lockout_failures=lockout_failures or before.lockout_failures,
                lockout_window=timedelta(minutes=lockout_window_minutes)
                if lockout_window_minutes
                else before.lockout_window,
                lockout_duration=timedelta(minutes=lockout_duration_minutes)
                if lockout_duration_minutes
                else before.lockout_duration,
                kdf=kdf,
            )
            write_policy(s, after, now)
            row = s.get(SecuritySettings, 1)
            assert row is not None
            if checkpoint_every_events is not None:
                row.checkpoint_every_events = checkpoint_every_events
            if checkpoint_every_minutes is not None:
                row.checkpoint_every_s = checkpoint_every_minutes * 60
            cadence_after = {
                "checkpoint_every_events": row.checkpoint_every_events
                or cadence_before["checkpoint_every_events"],
                "checkpoint_every_minutes": (row.checkpoint_every_s or 0) // 60
                or cadence_before["checkpoint_every_minutes"],
            }
            self._audit.append(
                s,
                admin.keys,
                admin.name,
                "security_settings_changed",
                "database",
                "-",
                {
                    "before": {**_described(before), **cadence_before},
                    "after": {**_described(after), **cadence_after},
                },
            )
        return {**_described(after), **cadence_after}
