"""Children's personal identification numbers (issue 24 item 6): encrypted in ``child_pins``
(one row per child of a case or of a contact without one, keyed by the child's id), with a
blind index so that a number can be matched without being readable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseintake.crypto.blind_index import personal_id_index
from caseintake.domain.intake.record import Child as ChildIn
from caseintake.services.core.principal import Keys
from caseintake.store.models import ChildPin

TABLE, COLUMN = "child_pins", "pin"


def pin_rows(
    keys: Keys, rows: Sequence[dict[str, Any]], children: Sequence[ChildIn]
) -> list[dict[str, Any]]:
    """The ``child_pins`` rows for children about to be inserted (``rows``, their columns)."""
    return [
        pin_values(keys, row["id"], child.personal_id)
        for row, child in zip(rows, children, strict=True)
        if child.personal_id is not None
    ]


def pin_values(keys: Keys, child_id: str, pin: str) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "pin": keys.cipher.encrypt(TABLE, COLUMN, child_id, pin),
        "pin_index": personal_id_index(keys.blind_key, pin),
    }


def put_pin(s: Session, keys: Keys, child_id: str, pin: str | None) -> bool:
    """Set a child's number when one is given and differs; True if it changed. A number
    left out keeps the one saved (nothing already saved is lost)."""
    if pin is None:
        return False
    row = s.get(ChildPin, child_id)
    if row is not None and keys.cipher.decrypt(TABLE, COLUMN, child_id, row.pin) == pin:
        return False
    values = pin_values(keys, child_id, pin)
    if row is None:
        s.add(ChildPin(**values))
    else:
        row.pin, row.pin_index = values["pin"], values["pin_index"]
    return True


def pins_of(s: Session, keys: Keys, child_ids: Iterable[str]) -> dict[str, str]:
    ids = list(child_ids)
    if not ids:
        return {}
    rows = s.execute(select(ChildPin).where(ChildPin.child_id.in_(ids))).scalars()
    return {r.child_id: keys.cipher.decrypt(TABLE, COLUMN, r.child_id, r.pin) for r in rows}


def children_with_pin(s: Session, keys: Keys, pin: str) -> list[str]:
    """The ids of children (of cases or contacts) saved with this number, by its blind index."""
    index = personal_id_index(keys.blind_key, pin)
    return list(s.execute(select(ChildPin.child_id).where(ChildPin.pin_index == index)).scalars())


def erase_pins(s: Session, child_ids: Iterable[str]) -> int:
    ids = list(child_ids)
    if not ids:
        return 0
    done = s.execute(delete(ChildPin).where(ChildPin.child_id.in_(ids)))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]
