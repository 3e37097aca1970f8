"""Adding a referral to a case after intake: a re-referral or a confirmed escalation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from caseintake.store.models import Referral


@dataclass(frozen=True)
class NewReferral:
    case_id: str
    body: str
    entry_id: str | None
    province_code: int | None
    ward_code: int | None
    due_spec: str
    due_at: datetime
    rule_ids: tuple[str, ...]
    basis: tuple[str, ...]


def add_referral(s: Session, new: NewReferral, now: datetime) -> str:
    """A pending referral; the caller audits it in the same transaction."""
    rid = str(uuid.uuid4())
    s.add(
        Referral(
            id=rid,
            case_id=new.case_id,
            body=new.body,
            directory_entry_id=new.entry_id,
            province_code=new.province_code,
            ward_code=new.ward_code,
            due_spec=new.due_spec,
            due_at=new.due_at,
            rule_ids=",".join(new.rule_ids),
            basis="\n".join(new.basis),
            added_by_operator=False,
            status="pending",
            created_at=now,
        )
    )
    s.flush()
    return rid
