"""A demo database: users with known passwords, the seed directory and a few hundred contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.container import Services
from caseintake.services.core.principal import Principal

# Demo logins, printed by ``caseintake demo`` and listed in the README. Never for real data.
DEMO_USERS = (
    ("quantri", "admin", "demo-hoa-sen-2026"),
    ("tuvan1", "operator", "demo-mai-vang-2026"),
    ("tuvan2", "operator", "demo-lua-xanh-2026"),
    ("giamsat", "supervisor", "demo-tre-xanh-2026"),
)


@dataclass(frozen=True)
class DemoResult:
    users: tuple[tuple[str, str, str], ...]
    contacts: int
    cases: int
    recovery_key: str


def build_demo(services: Services, contacts: int = 400, seed: int = 111) -> DemoResult:
    admin_name, _, admin_pw = DEMO_USERS[0]
    admin, recovery = services.setup.init(admin_name, admin_pw)
    principals = []
    for name, role, password in DEMO_USERS[1:]:
        services.users.add(admin, name, role, "one-time-" + password)
        principals.append(services.auth.change_password(name, "one-time-" + password, password))
    operators = [p for p in principals if p.role == "operator"]
    rng = random.Random(seed)
    now = services.settings.clock()
    supervisor = next(p for p in principals if p.role == "supervisor")
    cases = 0
    # The last 30 days, ending a few minutes ago so that today's shift already has contacts.
    for intake in synthetic_intakes(
        rng, contacts, now - timedelta(days=30), now - timedelta(minutes=5)
    ):
        operator = rng.choice(operators)
        saved = services.intake.save(operator, intake)
        if saved.case_id is not None:
            cases += 1
            if now - intake.received_at > timedelta(days=2):
                _follow_up(services, rng, operator, supervisor, saved.case_id)
    return DemoResult(DEMO_USERS, contacts, cases, recovery)


_PROGRESS = ("sent", "acknowledged", "in_progress", "done")
_OUTCOME = "Đã xác minh, trẻ được hỗ trợ tại địa phương (demo)."


def _follow_up(
    services: Services, rng: random.Random, operator: Principal, supervisor: Principal, case_id: str
) -> None:
    """Older cases have moved on, as in a real queue: most referrals sent and acknowledged, some
    done, a few still waiting (overdue), and some cases closed by the supervisor."""
    detail = services.cases.detail(operator, case_id)
    finished = True
    for ref in detail.referrals:
        steps = rng.choice((0, 1, 2, 3, 4, 4))
        for state in _PROGRESS[:steps]:
            outcome = _OUTCOME if state == "done" else None  # done says what the body did
            services.referrals.transition(operator, ref.id, state, outcome)
        finished = finished and steps == 4
    if finished and rng.random() < 0.6:
        services.cases.transition(operator, case_id, "in_support")
        services.cases.transition(operator, case_id, "monitoring")
        services.cases.transition(supervisor, case_id, "closed", "Trẻ đã an toàn, ổn định (demo).")
