"""This line's keys and the partner lines' cards, as the hand-off format needs them: the
identity lends its two private operations, the directory's pinned cards their public ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.line_identity import LineCard
from caseintake.domain.handoff.header import HandoffRefused, Party
from caseintake.services.line import LineIdentity
from caseintake.services.line.cards import PartnerCard, partner_of
from caseintake.store.models import LineCardRow


@dataclass(frozen=True)
class ThisLineKeys:
    """``crypto.handoff.ThisLine`` over the line identity (no private bytes leave it)."""

    identity: LineIdentity

    @property
    def code(self) -> str:
        return self.identity.code

    @property
    def fingerprint(self) -> str:
        return self.identity.card.fingerprint

    def sign(self, message: bytes) -> bytes:
        return self.identity.sign(message)

    def open_hpke(self, sealed: bytes, info: bytes) -> bytes:
        return self.identity.open_hpke(sealed, info)


def card_for_entry(s: Session, directory_id: str) -> PartnerCard:
    """The active card pinned to a directory entry: a body without one gets a slip."""
    rows = s.execute(
        select(LineCardRow).where(
            LineCardRow.directory_id == directory_id, LineCardRow.retired_at.is_(None)
        )
    ).scalars()
    row = next(iter(rows), None)
    if row is None:
        raise HandoffRefused("handoff.error.no_card", entry=directory_id)
    return partner_of(row)


def card_for_party(s: Session, sender: Party) -> PartnerCard:
    """The card that signed a file, by the line code and fingerprint its header names;
    refused when the directory has none, or only a retired one."""
    rows = s.execute(
        select(LineCardRow).where(
            LineCardRow.code == sender.line, LineCardRow.fingerprint == sender.key
        )
    ).scalars()
    found = [partner_of(row) for row in rows]
    active = [p for p in found if not p.retired]
    if active:
        return active[0]
    if found:
        raise HandoffRefused("handoff.error.retired_sender", line=sender.line)
    raise HandoffRefused("handoff.error.unknown_sender", line=sender.line)


def card_of_partner(s: Session, line: str, fingerprint: str) -> LineCard:
    """The partner a hand-off was made with, to seal a receipt to: still active."""
    return card_for_party(s, Party(line, fingerprint)).card
