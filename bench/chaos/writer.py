"""One operator process of the chaos run: log in, then save until killed, acknowledging each
save on a pipe only after the service's commit has returned.

Runs in a child of a forkserver that imported the services once (``bench/chaos/crash.py``), so
restarting a killed writer costs a fork and a login, not a Python start.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import event

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings


def report(name: str, narrative: str, i: int) -> dict[str, object]:
    return {
        "received_at": datetime.now(UTC).isoformat(),
        "contact_type": "report",
        "caller": {"relationship": "neighbour", "phone": f"09{i % 100_000_000:08d}"},
        "children": [{"age": 4 + i % 12, "sex": "female" if i % 2 else "male"}],
        "location": {"province_code": 79, "ward_code": 26740},
        "concerns": ["violence.physical"],
        "setting": "family",
        "perpetrators": [{"relationship": "parent"}],
        "immediate_danger": i % 3 == 0,
        "narrative": narrative,
    }


def send(conn: Connection, *message: object) -> None:
    # One short write (< PIPE_BUF): a kill leaves a message whole or absent, never half.
    conn.send_bytes(json.dumps(message).encode())


def watch_write_lock(engine: Any, flags: Any, index: int) -> None:
    """``flags[index]`` is 1 from the moment ``BEGIN IMMEDIATE`` has returned (this listener
    runs after the store's own, which issues it) until the connection goes back to the pool,
    after its COMMIT or ROLLBACK: a kill seen with 1 interrupted a write transaction."""

    def begun(conn: Any) -> None:
        if conn.get_execution_options().get("caseintake_write", False):
            flags[index] = 1

    def returned(*_: Any) -> None:
        flags[index] = 0

    event.listen(engine, "begin", begun)
    event.listen(engine, "checkin", returned)


def write_until_killed(
    conn: Connection,
    url: str,
    state: str,
    name: str,
    password: str,
    seed: int,
    flags: Any,
    index: int,
) -> None:
    """Saves reports (each opens a case), repeat calls linked to one of this process's cases
    (the case is updated in the same transaction) and silent calls; ``ACK`` follows each
    commit with what the checker needs: contact, case, the narrative typed, the kind."""
    svc = Services(Settings(db_url=url, state_dir=Path(state)))
    watch_write_lock(svc.db.engine, flags, index)
    principal = svc.auth.login(name, password)
    send(conn, "READY")
    rng = random.Random(seed)
    cases: list[str] = []
    i = 0
    while True:
        i += 1
        narrative = f"{name} chaos {seed}-{i}"
        draw = rng.random()
        try:
            if draw < 0.55 or (draw < 0.75 and not cases):
                saved = svc.intake.save(principal, parse_intake(report(name, narrative, i)))
                cases.append(str(saved.case_id))
                send(conn, "ACK", saved.contact_id, saved.case_id, narrative, "report")
            elif draw < 0.75:
                data = report(name, narrative, i) | {
                    "contact_type": "follow_up",
                    "case_id": rng.choice(cases),
                }
                saved = svc.intake.save(principal, parse_intake(data))
                send(conn, "ACK", saved.contact_id, saved.case_id, narrative, "follow_up")
            else:
                now = datetime.now(UTC)
                saved = svc.intake.log_non_data(principal, "silent", now, rng.randint(1, 90))
                send(conn, "ACK", saved.contact_id, None, None, "silent")
        except Exception as err:  # counted by the driver: a save that failed cleanly is no loss
            send(conn, "ERR", f"{type(err).__name__}: {err}")
