"""What must hold after the crash phase: every acknowledged save is in the file and decrypts to
what its writer typed, no case is half-written, and ``audit verify`` says intact on both paths."""

from __future__ import annotations

import shutil
import sqlite3
from typing import Any

from bench.chaos.crash import ADMIN, ADMIN_PW, ChaosDb, CrashResult

# Each counts rows that only a half-done save would leave behind.
PARTIAL = {
    "case_without_contact": "SELECT count(*) FROM cases WHERE id NOT IN "
    "(SELECT case_id FROM contacts WHERE case_id IS NOT NULL)",
    "case_without_child": "SELECT count(*) FROM cases WHERE id NOT IN (SELECT case_id FROM children)",
    "case_without_perpetrator": "SELECT count(*) FROM cases WHERE id NOT IN "
    "(SELECT case_id FROM perpetrators)",
    "case_without_concern": "SELECT count(*) FROM cases WHERE id NOT IN "
    "(SELECT case_id FROM case_concerns)",
    "case_without_event": "SELECT count(*) FROM cases WHERE id NOT IN "
    "(SELECT entity_id FROM audit_events WHERE action = 'case_opened')",
    "report_without_case": "SELECT count(*) FROM contacts "
    "WHERE contact_type = 'report' AND case_id IS NULL",
    "contact_without_event": "SELECT count(*) FROM contacts WHERE id NOT IN "
    "(SELECT entity_id FROM audit_events WHERE action = 'contact_created')",
    "referral_without_case": "SELECT count(*) FROM referrals WHERE case_id NOT IN "
    "(SELECT id FROM cases)",
    "child_without_case": "SELECT count(*) FROM children WHERE case_id NOT IN (SELECT id FROM cases)",
}


def check_saves(db: ChaosDb, result: CrashResult) -> dict[str, Any]:
    """Lost: acknowledged but absent. Garbled: present but not decrypting to what was typed."""
    from caseintake.crypto.errors import CryptoError
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    svc = Services(Settings(db_url=db.url, state_dir=db.state))
    keys = svc.auth.login(ADMIN, ADMIN_PW).keys
    svc.close()
    conn = sqlite3.connect(db.file)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    contacts = {
        row[0]: row[1:]
        for row in conn.execute("SELECT id, case_id, narrative, contact_type FROM contacts")
    }
    cases = dict(conn.execute("SELECT id, narrative FROM cases").fetchall())
    lost, garbled = [], []
    for contact_id, (case_id, narrative, kind) in result.acknowledged.items():
        row = contacts.get(contact_id)
        if row is None or row[0] != case_id or (case_id is not None and case_id not in cases):
            lost.append(contact_id)
            continue
        try:
            ok = narrative is None or (
                _reads_back(keys, contact_id, row[1], narrative)
                and _case_says(keys, str(case_id), cases[case_id], narrative, kind)
            )
        except (CryptoError, TypeError, ValueError):
            ok = False
        if not ok:
            garbled.append(contact_id)
    partial = {name: conn.execute(sql).fetchone()[0] for name, sql in PARTIAL.items()}
    conn.close()
    return {
        "integrity": integrity,
        "acknowledged": len(result.acknowledged),
        "contacts_in_file": len(contacts),
        "cases_in_file": len(cases),
        # Committed, then killed before the writer could say so: kept, never promised.
        "saved_unacknowledged": len(contacts.keys() - result.acknowledged.keys()),
        "lost": lost,
        "garbled": garbled,
        "partial": {k: v for k, v in partial.items() if v},
    }


def _reads_back(keys: Any, contact_id: str, blob: bytes, narrative: str) -> bool:
    return bool(keys.cipher.decrypt("contacts", "narrative", contact_id, blob) == narrative)


def _case_says(keys: Any, case_id: str, blob: bytes, narrative: str, kind: str) -> bool:
    """A report's case holds its narrative; a repeat call's words stay with its contact (the
    case's timeline reads them there), and the case it updated must still decrypt."""
    text = keys.cipher.decrypt("cases", "narrative", case_id, blob)
    return bool(text == narrative if kind == "report" else isinstance(text, str))


def check_trail(db: ChaosDb) -> dict[str, Any]:
    """``audit verify`` in one process, then split over two (the parallel path forced)."""
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    # On a copy: a passing verify signs a checkpoint (issue 20 item 4), and the tamper phase
    # needs the crash's own tail after the last one (the insider's window).
    folder = db.folder / "trail-check"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    source, copy = sqlite3.connect(db.file), sqlite3.connect(folder / db.file.name)
    source.backup(copy)
    source.close()
    copy.close()
    shutil.copytree(db.state, folder / "state")
    url = f"sqlite:///{folder / db.file.name}"
    svc = Services(Settings(db_url=url, state_dir=folder / "state"))
    admin = svc.auth.login(ADMIN, ADMIN_PW)
    serial = svc.audit.verify(admin, workers=1)
    svc.audit.parallel_from = 1
    parallel = svc.audit.verify(admin, workers=2)
    svc.close()
    return {
        "events": parallel.last_seq,
        "serial": {"ok": serial.ok, "problem": serial.problem, "seq": serial.first_bad_seq},
        "parallel": {"ok": parallel.ok, "problem": parallel.problem, "seq": parallel.first_bad_seq},
    }
