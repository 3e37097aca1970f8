"""Shared by the key rotation tests: a database with some of every encrypted column, and a scan
of every LargeBinary column's header."""

from __future__ import annotations

from typing import Any

from sqlalchemy import LargeBinary, select, text

from caseintake.crypto.fields import FieldCipher
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.keys.rotation import ROTATED
from caseintake.store.models import Base
from tests.services.supervisor_fixtures import referrals, save_report

# LargeBinary columns that are not data-key fields: keys, MACs, signatures, sealed records.
NOT_FIELDS = {
    ("meta", "sealing_public_key"),
    ("users", "public_key"),
    ("key_slots", "nonce"),
    ("key_slots", "wrapped"),
    ("key_slots", "signing_key"),
    ("key_slots", "grant_public"),
    ("key_slots", "seal_sig"),
    ("audit_events", "mac"),
    ("audit_events", "states"),  # digests of rows (issue 20), not ciphertexts
    ("audit_events", "sig"),
    ("pending_auth_events", "sealed"),
    ("line_identity", "sign_public"),
    ("line_identity", "hpke_public"),
    ("line_identity", "card_signature"),
    ("line_identity", "sealed_keys"),  # sealed to the sealing key by migration 0018
    ("line_cards", "sign_public"),
    ("line_cards", "hpke_public"),
}
RING = {("data_keys", "wrapped")}
SCOPED = {("audit_events", "details")}


def binary_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, LargeBinary)
    }


def rotated_columns() -> set[tuple[str, str]]:
    return {(table, column) for table, columns in ROTATED for column in columns}


def field_versions(services: Any) -> dict[int, int]:
    """How many field values (every rotated column and the ring) are under each version."""
    counts: dict[int, int] = {}
    with services.db.read() as s:
        for table, column in sorted(rotated_columns() | RING):
            for (blob,) in s.execute(text(f"SELECT {column} FROM {table}")):
                if blob is not None:
                    version = FieldCipher.version_of(bytes(blob))
                    assert version is not None, (table, column)
                    counts[version] = counts.get(version, 0) + 1
    return counts


def detail_formats(services: Any) -> set[int]:
    with services.db.read() as s:
        return {bytes(b)[0] for (b,) in s.execute(text("SELECT details FROM audit_events"))}


def populate(services: Any, operator: Any, supervisor: Any, cases: int = 3) -> list[Any]:
    """Cases with children, perpetrators, contacts, referrals and their steps, notes and an
    escalation-free revocation: some value in every rotated column but drafts."""
    saved = []
    for i in range(cases):
        case = save_report(
            services,
            operator,
            narrative=f"Lời kể số {i}: bé bị đánh.",
            caller={"relationship": "neighbour", "phone": f"091234{5670 + i}", "name": "Chị Ba"},
            notes=f"Ghi chú cuộc gọi {i}",
        )
        refs = referrals(services, case.case_id)
        first = next(iter(refs.values()))
        services.referrals.record(
            operator, first.id, FollowUp("sent", via="phone", contacted="Chị Mai, cán bộ xã")
        )
        services.cases.add_note(operator, case.case_id, f"Ghi chú vụ việc {i}")
        saved.append(case)
    services.drafts.save(operator, "draft-1", {"narrative": "bản nháp"})
    return saved


def narrative_of(services: Any, principal: Any, case_id: str) -> str:
    return str(services.cases.detail(principal, case_id).narrative)


def meta_version(services: Any) -> int:
    from caseintake.store.models import Meta

    with services.db.read() as s:
        return int(s.execute(select(Meta.key_version)).scalar_one())
