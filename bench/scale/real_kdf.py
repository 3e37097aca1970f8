"""The real key-derivation cost on a copy of a bench database (issue 23, DESIGN §8).

The cached databases are built with the users' slots at the test cost (``build_db``: 51 logins
at the real cost would take minutes). Here the admin raises the database's cost to the default
(``crypto.kdf.STRONG``: 64 MiB, 14 passes) through the security settings, as an admin would,
and the user's next login re-wraps their slot at it (issue 10 item 7); later logins, and the
memory bench's, then derive at the real cost. The logins are timed (wall and CPU).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.build_db import BenchDb


def raise_to_default(db: BenchDb, user: str = "tv001", logins: int = 3) -> dict[str, Any]:
    from caseintake.crypto.kdf import STRONG
    from caseintake.services.access.security_settings import SecuritySettingsService
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services

    svc = Services(db.settings())
    try:
        admin = svc.auth.login("quantri", NATIONAL_PASSWORD)
        SecuritySettingsService(svc.db, svc.settings, svc.audit_log).change(
            admin, kdf_memory_kib=STRONG.memory_kib, kdf_iterations=STRONG.iterations
        )
        svc.auth.login(user, NATIONAL_PASSWORD)  # re-wraps the slot at the real cost
        walls, cpus = [], []
        for _ in range(logins):
            wall, cpu = time.perf_counter(), time.process_time()
            svc.auth.login(user, NATIONAL_PASSWORD)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    finally:
        svc.close()
    return {
        "kdf_memory_kib": STRONG.memory_kib,
        "kdf_iterations": STRONG.iterations,
        "login_s": statistics.median(walls),
        "login_cpu_s": statistics.median(cpus),
    }
