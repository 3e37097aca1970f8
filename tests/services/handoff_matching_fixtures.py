"""Helpers of the hand-off matching tests (issue 24 item 4), for the services, the command
line and the TUI alike: a case line HN opened itself, and packages from line 111."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from caseintake.domain.intake.validation import parse_intake
from caseintake.store.models import Case
from tests.samples import design_example
from tests.services.handoff_fixtures import PHONE, Line, case_number

SIBLING_PIN = "079221004321"  # Hồ Chí Minh City, a boy born in 2021
__all__ = [
    "OTHER_PHONE",
    "PHONE",
    "SIBLING_PIN",
    "local_case",
    "number_of",
    "package_with_phone",
    "sent_package",
]

OTHER_PHONE = "0987654321"


def local_case(line: Line, *, pin: str | None, phone: str, name: str | None = "Bé Na") -> str:
    """A case HN opened itself from a call: one child, the number given or not."""
    data = design_example(
        caller={"relationship": "parent", "phone": phone},
        line="provincial",
        concerns=["neglect"],
        immediate_danger=False,
        narrative="Lời kể của đường dây HN.",
    )
    data["children"][0].update({"name": name, "personal_id": pin})
    saved = line.services.intake.save(line.supervisor, parse_intake(data))
    return str(saved.case_id)


def number_of(line: Line, case_id: str) -> str:
    with line.services.db.read() as s:
        return str(s.execute(select(Case.number).where(Case.id == case_id)).scalar_one())


def sent_package(a: Line, path: Path) -> Path:
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", path)
    return path


def package_with_phone(a: Line, path: Path, now: datetime | None = None) -> Path:
    """A package from 111 whose subject carries the caller's phone and a second child: what a
    partner whose profile sends the phone (none of ours does) would send. Really signed by
    111's line key and sealed to HN's card."""
    from caseintake.crypto.handoff import party, seal
    from caseintake.domain.handoff.header import Header
    from caseintake.services.handoffs.partners import ThisLineKeys, card_for_entry

    sent = [r.id for r in a.services.handoffs.rows(a.supervisor)] or [
        a.services.handoffs.send(
            a.supervisor, case_number(a), "line-hn", "legal_duty", path.with_suffix(".real")
        ).handoff_id
    ]
    body = a.services.handoffs.show(a.supervisor, sent[0])["package"]
    body["subject"]["caller"]["phone"] = PHONE
    sibling = {"age": 5, "age_basis": "stated", "sex": "male", "name": "Em Trai Canary",
               "personal_id": SIBLING_PIN}  # fmt: skip
    body["subject"]["children"].append(sibling)
    me = ThisLineKeys(a.services.line.identity(a.supervisor))
    with a.services.db.read() as s:
        card = card_for_entry(s, "line-hn").card
    header = Header.new("package", party(me), party(card), now or a.services.settings.clock())
    path.write_bytes(seal(header, body, me, card))
    return path
