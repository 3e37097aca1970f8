"""A stolen database file (and its WAL) reveals no names, phones, addresses or narratives."""

from __future__ import annotations

import glob
from pathlib import Path

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services

CANARIES = {
    "caller_name": "CANARYCALLERNAME",
    "child_name": "CANARYCHILDNAME",
    "address": "CANARYADDRESS",
    "perp_name": "CANARYPERPNAME",
    "narrative": "CANARYNARRATIVE bé bị đánh",
    "note": "CANARYNOTE",
    "phone": "0912345678",
}


def report() -> dict:  # type: ignore[type-arg]
    return {
        "received_at": "2026-03-02T08:15:00+07:00",
        "contact_type": "report",
        "caller": {
            "relationship": "neighbour",
            "name": CANARIES["caller_name"],
            "phone": CANARIES["phone"],
        },
        "children": [
            {
                "age": 9,
                "age_basis": "stated",
                "sex": "female",
                "ethnicity": "kinh",
                "name": CANARIES["child_name"],
                "address": CANARIES["address"],
            }
        ],
        "location": {"province_code": 79, "ward_code": 26740},
        "concerns": ["violence"],
        "setting": "family",
        "perpetrators": [{"relationship": "step_parent", "name": CANARIES["perp_name"]}],
        "immediate_danger": True,
        "narrative": CANARIES["narrative"],
    }


def test_no_plaintext_in_file_or_wal(services: Services, operator, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(report()))
    services.cases.add_note(operator, saved.case_id, CANARIES["note"])
    services.drafts.save(operator, "draft-1", {"narrative": CANARIES["narrative"]})
    services.cases.detail(operator, saved.case_id)  # reading must not leave plaintext behind either
    files = [Path(p) for p in glob.glob(f"{db_path}*") if Path(p).is_file()]
    files += Path(f"{db_path}-sessions").glob("*.session")  # who has it open: names only
    assert any(p.name.endswith("-wal") for p in files)
    blob = b"".join(p.read_bytes() for p in files)
    for canary in CANARIES.values():
        for form in (canary, canary.upper(), "+84912345678"):
            assert form.encode("utf-8") not in blob, form
            assert form.encode("utf-16-le") not in blob, form
    # ... while the coded fields stay plain so queues and statistics run in SQL.
    assert b"violence" in blob and b"step_parent" in blob
