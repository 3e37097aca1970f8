"""The directory knows other lines (issue 24 item 2): a partner's card is pinned only when the
fingerprint read out by phone matches; every refusal stores nothing; a retired card stays as
history and is marked for receiving to refuse; the card rows are bound to the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.line_identity import LineKeys, make_card
from caseintake.domain.errors import DomainError

HN_KEYS = LineKeys.generate()
HN = make_card("HN", "Đường dây Hà Nội", HN_KEYS)


def counts(services: Any) -> tuple[int, int, int]:
    with services.db.read() as s:
        return tuple(  # type: ignore[return-value]
            s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("line_cards", "directory_entries", "audit_events")
        )


def test_add_a_line_with_its_fingerprint(services: Any, admin: Any) -> None:
    typed = HN.fingerprint.replace(" ", "-")  # as an admin might type it
    directory_id = services.line_cards.add_line(admin, HN.to_bytes(), typed, province_code=1)
    assert directory_id == "line-hn"
    entry = next(e for e in services.directory.list() if e.id == directory_id)
    assert (entry.body, entry.name, entry.province_code) == ("hotline_111", HN.name, 1)
    partner = services.line_cards.partner(directory_id)
    assert partner is not None and partner.card == HN and not partner.retired
    assert services.line_cards.partner_by_sign_key(HN.sign_public) == partner
    assert services.line_cards.partner_by_sign_key(bytes(32)) is None  # unknown sender
    with services.db.read() as s:
        action = s.execute(text("SELECT action FROM audit_events ORDER BY seq DESC")).first()
    assert action is not None and action[0] == "directory_line_added"
    assert services.audit.verify(admin).ok  # the card row is bound to its event


def test_attach_to_an_existing_entry_and_retire(services: Any, admin: Any) -> None:
    directory_id = services.line_cards.add_line(
        admin, HN.to_bytes(), HN.fingerprint, entry_id="vn-hotline-111"
    )
    assert directory_id == "vn-hotline-111"
    other = make_card("HN2", "Đường dây khác", LineKeys.generate())
    with pytest.raises(DomainError) as err:
        services.line_cards.add_line(
            admin, other.to_bytes(), other.fingerprint, entry_id="vn-hotline-111"
        )
    assert err.value.key == "line.entry_has_card"
    retired = services.line_cards.retire_card(admin, directory_id)
    assert retired.retired
    # The history stays; the sender's key is still known, and known as retired.
    found = services.line_cards.partner_by_sign_key(HN.sign_public)
    assert found is not None and found.retired and found.retired_at is not None
    assert services.line_cards.partner(directory_id).retired
    with pytest.raises(DomainError) as err:
        services.line_cards.retire_card(admin, directory_id)
    assert err.value.key == "line.no_card"
    # A new card for the entry (the partner's new keys) is the one in use from then on.
    services.line_cards.add_line(admin, other.to_bytes(), other.fingerprint, entry_id=directory_id)
    assert services.line_cards.partner(directory_id).card == other
    assert len(services.line_cards.cards()) == 2
    assert [p.code for p in services.line_cards.cards(include_retired=False)] == ["HN2"]
    assert services.audit.verify(admin).ok


def _flip(data: bytes) -> bytes:
    return data.replace("Hà".encode(), b"Ha")


@pytest.mark.parametrize(
    ("card", "fingerprint", "key"),
    [
        (HN.to_bytes(), "0000 0000 0000 0000 0000 0000", "line.fingerprint_mismatch"),
        (HN.to_bytes(), "", "line.fingerprint_mismatch"),
        (_flip(HN.to_bytes()), HN.fingerprint, "line.card_signature"),
        (b"not a card", HN.fingerprint, "line.card_not_json"),
    ],
    ids=["wrong-fingerprint", "no-fingerprint", "changed-card", "not-a-card"],
)
def test_refusals_store_nothing(
    services: Any, admin: Any, card: bytes, fingerprint: str, key: str
) -> None:
    before = counts(services)
    with pytest.raises((DomainError, CryptoError)) as err:
        services.line_cards.add_line(admin, card, fingerprint)
    assert err.value.key == key and "\n" not in err.value.message()
    assert counts(services) == before


def refused(key: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)
    assert err.value.key == key


def test_own_card_known_card_and_roles(services: Any, admin: Any, operator: Any) -> None:
    own = services.line.card()
    add = services.line_cards.add_line
    refused("line.own_card", add, admin, own.to_bytes(), own.fingerprint)
    refused("auth.forbidden", add, operator, HN.to_bytes(), HN.fingerprint)
    add(admin, HN.to_bytes(), HN.fingerprint)
    before = counts(services)
    refused("line.card_known", add, admin, HN.to_bytes(), HN.fingerprint, entry_id="vn-police-113")
    other = make_card("DN", "Đà Nẵng", LineKeys.generate())
    refused(
        "admin.directory.no_entry", add, admin, other.to_bytes(), other.fingerprint, entry_id="x"
    )
    refused("auth.forbidden", services.line_cards.retire_card, operator, "line-hn")
    assert counts(services) == before


def test_a_card_swapped_in_the_file_is_caught_by_audit_verify(services: Any, admin: Any) -> None:
    # The attack: someone with the file replaces the partner's pinned card with their own
    # (validly self-signed) card, to have packages from them accepted as the partner's.
    services.line_cards.add_line(admin, HN.to_bytes(), HN.fingerprint)
    assert services.audit.verify(admin).ok
    forged = make_card("HN", "Đường dây Hà Nội", LineKeys.generate())
    with services.db.write() as s:
        s.execute(
            text("UPDATE line_cards SET card = :c, sign_public = :s, hpke_public = :h"),
            {"c": forged.to_bytes().decode(), "s": forged.sign_public, "h": forged.hpke_public},
        )
    result = services.audit.verify(admin)
    assert not result.ok
