"""The national plan replayed through the services, one call at a time, as operators would.

The reference the bulk build (``bulk_demo``) is held to, and the way to build a small database
whose every row went through ``IntakeService.save``, ``ReferralService.transition`` and
``CaseService.transition``. The clock is moved to each step's moment by ``set_now``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from caseintake.domain.national.life import OUTCOME, STEP_REASON
from caseintake.domain.national.plan import SAVED_AFTER, PlannedContact
from caseintake.services.bulk.rows import close_reason, life_of
from caseintake.services.container import Services
from caseintake.services.core.principal import Principal
from caseintake.store.models import AuditEvent

NATIONAL_PASSWORD = "national-demo-2026"  # a synthetic database's logins, never real


def national_users(
    services: Services, operators: int
) -> tuple[Principal, list[Principal], Principal]:
    """An admin, ``operators`` operators (tv001...) and one supervisor, each with a password."""
    services.cadence.paused = True  # as the bulk builder: no checkpoint mid-build
    admin, _ = services.setup.init("quantri", NATIONAL_PASSWORD)
    people = []
    for name, role in [(f"tv{i + 1:03d}", "operator") for i in range(operators)] + [
        ("giamsat", "supervisor")
    ]:
        services.users.add(admin, name, role, "one-time-" + NATIONAL_PASSWORD)
        people.append(
            services.auth.change_password(name, "one-time-" + NATIONAL_PASSWORD, NATIONAL_PASSWORD)
        )
    return admin, people[:-1], people[-1]


def replay(
    services: Services,
    plan: Iterable[PlannedContact],
    operators: list[Principal],
    supervisor: Principal,
    set_now: Callable[[datetime], None],
) -> tuple[int, int]:
    """Returns (contacts, cases) saved."""
    services.cadence.paused = True  # the bulk builder signs no checkpoint mid-build
    contacts = cases = 0
    for planned in plan:
        intake, who = planned.intake, operators[planned.operator]
        set_now(intake.received_at + SAVED_AFTER)
        saved = services.intake.save(who, intake)
        contacts += 1
        if saved.case_id is None:
            continue
        cases += 1
        with services.db.read() as s:
            created = s.execute(
                select(AuditEvent.entity_id)
                .where(AuditEvent.action == "referral_created")
                .order_by(AuditEvent.seq.desc())
                .limit(saved.referral_count)
            ).scalars()
            refs = list(reversed(list(created))) if saved.referral_count else []
        for step in life_of(planned, len(refs)):
            set_now(step.at)
            if step.kind == "referral":
                actor = supervisor if step.state == "revoked" else who
                note = OUTCOME if step.state == "done" else STEP_REASON.get(step.state)
                services.referrals.transition(actor, refs[step.index], step.state, note)
            elif step.kind == "call":
                call, operator = planned.repeats[step.index]
                services.intake.save(operators[operator], replace(call, case_id=saved.case_id))
                contacts += 1
            else:
                actor = supervisor if step.state == "closed" else who
                services.cases.transition(
                    actor, saved.case_id, step.state, close_reason(step.state)
                )
    return contacts, cases
