"""Issue 2 figures: key derivation, field cipher throughput, audit append, audit verify.

Goal: ``audit verify`` runs at ≥ 0.5× the speed of a bare loop doing the same cryptography over
the same events: one HMAC per event and one Ed25519 check per signed append (the verifier also
reads every row from SQLite and checks sequence numbers, signers and actors).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import best_of, report
from caseintake.crypto.audit_chain import ChainKey, canonical, genesis_mac, next_mac, to_micros
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.kdf import KdfParams, derive_key
from caseintake.crypto.keys import DataKey

EVENTS = 100_000


def _fill_audit(path: Path, keys: Any, db_id: str) -> tuple[list[bytes], list[Any]]:
    """Write EVENTS chained events straight into the table, signed by their writer in appends
    of two events (issue 10 item 2); returns their canonical bytes and (key, sig, payload)."""
    from caseintake.crypto.event_sigs import payload, sign_event

    keys_audit, cipher = keys.audit_key, keys.cipher
    public = keys.signing.public_key()
    signed = []
    conn = sqlite3.connect(path)
    # Restart the chain so the table holds exactly the events of the baseline.
    conn.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    conn.execute("DELETE FROM audit_events")
    mac = genesis_mac(keys_audit, db_id)
    bodies = []
    rows = []
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for seq in range(1, EVENTS + 1):
        at = t0 + timedelta(seconds=seq)
        details = cipher.encrypt("audit_events", "details", str(seq), '{"type": "silent"}')
        at_us = to_micros(at)
        body = canonical(seq, at_us, "root", "contact_created", "contact", f"c{seq}", details)
        mac = next_mac(keys_audit, mac, body)
        bodies.append(body)
        sig = None
        if seq % 2 == 0 or seq == EVENTS:
            sig = sign_event(keys.signing, db_id, 1, seq, keys.signer, mac)
            signed.append((public, sig, payload(db_id, 1, seq, keys.signer, mac)))
        row = (seq, at_us, "root", "contact_created", "contact", f"c{seq}", details, mac)
        rows.append((*row, keys.signer, sig))
    conn.executemany(
        "INSERT INTO audit_events (seq, at_us, actor, action, entity, entity_id, details, mac,"
        " signer, sig) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.commit()
    conn.close()
    return bodies, signed


def main() -> None:
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    figures: dict[str, object] = {}
    params = KdfParams.fresh()
    figures["kdf_argon2id_seconds"] = best_of(lambda: derive_key("a password", params), 5)

    key = DataKey.generate()
    cipher = FieldCipher(key)
    text = "Bé gái 9 tuổi bị cha dượng đánh nhiều lần, hàng xóm nghe tiếng khóc. " * 3
    n = 20_000
    blobs = [cipher.encrypt("cases", "narrative", str(i), text) for i in range(n)]
    enc = best_of(lambda: [cipher.encrypt("cases", "narrative", str(i), text) for i in range(n)], 3)
    dec = best_of(
        lambda: [cipher.decrypt("cases", "narrative", str(i), b) for i, b in enumerate(blobs)], 3
    )
    figures["field_encrypt_per_s"] = n / enc
    figures["field_decrypt_per_s"] = n / dec

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/bench.db", state_dir=Path(tmp) / "state")
        svc = Services(settings)
        admin, _ = svc.setup.init("root", "amber-violet-72")
        appends = 500
        start = time.perf_counter()
        for i in range(appends):
            with svc.db.write() as s:
                svc.audit_log.append(s, admin.keys, "root", "bench", "bench", str(i))
        figures["audit_append_per_s_own_txn_full_sync"] = appends / (time.perf_counter() - start)

        db_id = svc.audit_log.db_id_cached()
        bodies, signed = _fill_audit(Path(tmp) / "bench.db", admin.keys, db_id)
        audit_key = admin.keys.audit_key

        def hmac_loop() -> bytes:
            # The same pre-keyed HMAC the verifier uses, over bytes already in memory.
            prev = genesis_mac(audit_key, db_id)
            mac = ChainKey(audit_key).mac
            for body in bodies:
                prev = mac(prev, body)
            return prev

        def bare_loop() -> None:  # the same cryptography verify does: MACs, then signatures
            hmac_loop()
            for public, sig, message in signed:
                public.verify(sig, message)

        def verify_one_core() -> None:
            result = svc.audit.verify(admin)
            assert result.ok and result.checked >= EVENTS, result

        def verify() -> None:  # as ``caseintake audit verify`` runs it: every core
            result = svc.audit.verify(admin, workers=os.cpu_count() or 1)
            assert result.ok and result.checked >= EVENTS, result

        baseline = best_of(bare_loop, 3)
        verify_time = best_of(verify, 3)
        figures["audit_verify_one_core_seconds"] = best_of(verify_one_core, 3)
        figures["cores"] = os.cpu_count()
        figures["audit_events"] = EVENTS
        figures["bare_hmac_loop_seconds"] = best_of(hmac_loop, 3)
        figures["bare_crypto_loop_seconds"] = baseline
        figures["audit_signatures"] = len(signed)
        figures["audit_verify_seconds"] = verify_time
        figures["audit_verify_speed_vs_bare_crypto"] = baseline / verify_time
        figures["goal_audit_verify_ratio_min"] = 0.5
        svc.close()
    report("crypto", figures)


if __name__ == "__main__":
    main()
