"""``audit verify`` on a generated database against a bare HMAC loop over the same events
(DESIGN §8: ≥ 0.5×). The loop gets the canonical bytes ready in memory; verify reads them from
the file and checks sequence numbers too. Ratio: bare seconds / verify seconds."""

from __future__ import annotations

import os
import sqlite3
import statistics
from typing import Any

from bench.build_db import BenchDb
from bench.common import min_median, timed


def measure(db: BenchDb, rounds: int = 3) -> dict[str, Any]:
    from caseintake.crypto.audit_chain import ChainKey, canonical, genesis_mac
    from caseintake.services.container import Services
    from caseintake.services.demo_replay import NATIONAL_PASSWORD

    svc = Services(db.settings())
    admin = svc.auth.login("quantri", NATIONAL_PASSWORD)
    conn = sqlite3.connect(db.path)
    db_id = conn.execute("SELECT db_id FROM meta").fetchone()[0]
    bodies = [
        canonical(*row)
        for row in conn.execute(
            "SELECT seq, at_us, actor, action, entity, entity_id, details FROM audit_events"
            " ORDER BY seq"
        )
    ]
    conn.close()
    key = admin.keys.audit_key

    def bare() -> None:
        prev, mac = genesis_mac(key, db_id), ChainKey(key).mac
        for body in bodies:
            prev = mac(prev, body)

    workers = os.cpu_count() or 1

    def verify() -> None:
        result = svc.audit.verify(admin, workers=workers)
        assert result.ok, result

    ours, base = [], []
    for _ in range(rounds):
        base.append(timed(bare))
        ours.append(timed(verify))
    svc.close()
    return {
        "events": len(bodies),
        "workers": workers,
        "rounds": rounds,
        "verify": min_median(ours),
        "bare_hmac_loop": min_median(base),
        "ratio": statistics.median(base) / statistics.median(ours),
    }
