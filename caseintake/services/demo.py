"""A demo database: users with known passwords, the seed directory and a few hundred contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.container import Services

# Demo logins, printed by ``caseintake demo`` and listed in the README. Never for real data.
DEMO_USERS = (
    ("quantri", "admin", "demo-quantri-2026"),
    ("tuvan1", "operator", "demo-tuvan1-2026"),
    ("tuvan2", "operator", "demo-tuvan2-2026"),
    ("giamsat", "supervisor", "demo-giamsat-2026"),
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
    cases = 0
    # The last 30 days, ending a few minutes ago so that today's shift already has contacts.
    for intake in synthetic_intakes(
        rng, contacts, now - timedelta(days=30), now - timedelta(minutes=5)
    ):
        saved = services.intake.save(rng.choice(operators), intake)
        cases += saved.case_id is not None
    return DemoResult(DEMO_USERS, contacts, cases, recovery)
