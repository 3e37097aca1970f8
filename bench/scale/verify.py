"""``audit verify`` on a generated database against a bare loop doing the same cryptography
over the same events (DESIGN §8: ≥ 0.5×): one HMAC per event and, since per-user event
signatures (issue 10 item 2), one Ed25519 verification per signed append, and since the records
are bound (issue 20) one BLAKE2b digest per bound row. The loop gets the
canonical bytes, signatures and keys ready in memory; verify reads them from the file and
checks sequence numbers, signers and actors too. Both sides on one worker (DESIGN §8: the same
workers; ``audit verify`` uses every core by default). Ratio: bare seconds / verify seconds.
The HMAC loop alone is reported beside it."""

from __future__ import annotations

import sqlite3
import statistics
from typing import Any

from bench.build_db import BenchDb
from bench.common import min_median, timed


def measure(db: BenchDb, rounds: int = 3) -> dict[str, Any]:
    return compare(db.settings(), sqlite3.connect(db.path), rounds)


def compare(settings: Any, conn: Any, rounds: int = 3) -> dict[str, Any]:
    """Verify against the bare loop on the database behind ``settings``, whose events ``conn``
    (a sqlite3 or psycopg connection to the same database) reads for the loop; closes ``conn``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from caseintake.crypto.audit_chain import ChainKey, canonical, genesis_mac
    from caseintake.crypto.event_sigs import payload
    from caseintake.crypto.record_states import row_digest
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services
    from caseintake.store.records import BOUND, CODE, select_sql

    svc = Services(settings)
    admin = svc.auth.login("quantri", NATIONAL_PASSWORD)
    db_id, signed_from = conn.execute("SELECT db_id, audit_signed_from FROM meta").fetchone()
    signed_from = signed_from or 1
    bodies = [
        canonical(
            seq,
            at_us,
            actor,
            action,
            entity,
            entity_id,
            bytes(details),
            None if states is None else bytes(states),
        )
        for seq, at_us, actor, action, entity, entity_id, details, states in conn.execute(
            "SELECT seq, at_us, actor, action, entity, entity_id, details, states"
            " FROM audit_events ORDER BY seq"
        )
    ]
    publics = {
        uid: Ed25519PublicKey.from_public_bytes(bytes(pk))
        for uid, pk in conn.execute("SELECT id, public_key FROM users")
        if pk is not None
    }
    signed = [
        (publics[signer], bytes(sig), payload(db_id, signed_from, seq, signer, bytes(mac)))
        for seq, signer, sig, mac in conn.execute(
            "SELECT seq, signer, sig, mac FROM audit_events WHERE sig IS NOT NULL ORDER BY seq"
        )
    ]
    # Issue 20: every bound record's digest (the rows in memory, as the driver gives them).
    sqlite = isinstance(conn, sqlite3.Connection)
    records = [(CODE[name], conn.execute(select_sql(name, sqlite)).fetchall()) for name in BOUND]
    conn.close()
    key = admin.keys.audit_key

    def digests_only() -> None:
        for code, rows in records:
            for row in rows:
                row_digest(code, row[0], row[1:])

    def hmac_only() -> None:
        prev, mac = genesis_mac(key, db_id), ChainKey(key).mac
        for body in bodies:
            prev = mac(prev, body)

    def bare() -> None:
        hmac_only()
        for public, sig, message in signed:
            public.verify(sig, message)
        digests_only()

    workers = 1  # the bare loop runs in one process: the same workers on both sides (issue 23)

    def verify() -> None:
        result = svc.audit.verify(admin, workers=workers)
        assert result.ok, result

    ours, base, macs, recs = [], [], [], []
    for _ in range(rounds):
        base.append(timed(bare))
        macs.append(timed(hmac_only))
        recs.append(timed(digests_only))
        ours.append(timed(verify))
    svc.close()
    return {
        "events": len(bodies),
        "signatures": len(signed),
        "bare_hmac_only": min_median(macs),
        "records": sum(len(rows) for _, rows in records),
        "bare_record_digests_only": min_median(recs),
        "workers": workers,
        "rounds": rounds,
        "verify": min_median(ours),
        "bare_crypto_loop": min_median(base),
        "ratio": statistics.median(base) / statistics.median(ours),
    }
