"""Issue 24: each package a receiving line must refuse, refused in one sentence with nothing
stored (no hand-off row, no audit event): a changed byte, a replay, another line's package, an
unknown sender, a retired card, an expired package, an oversize file; and a receipt for a
package this line never sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select

from caseintake.crypto.handoff import MAX_FILE, party, seal
from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.header import Header
from caseintake.store.models import AuditEvent, HandoffRow
from tests.crypto.handoff_vectors import RawLine, package_body
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template

__all__ = ["lines", "pair_template"]


def _sent(a: Line) -> Path:
    out = a.path("to-hn.cih")
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", out)
    return out


def _state(line: Line) -> tuple[int, int]:
    with line.services.db.read() as s:
        rows = s.execute(select(func.count()).select_from(HandoffRow)).scalar_one()
        return rows, s.execute(select(func.max(AuditEvent.seq))).scalar_one()


def _refused(line: Line, act: Callable[[], object], key: str) -> str:
    before = _state(line)
    with pytest.raises(DomainError) as err:
        act()
    assert err.value.key == key
    assert _state(line) == before  # nothing stored, nothing audited
    message = err.value.message("en")
    assert message.endswith(".") and ". " not in message and "\n" not in message
    return message


def test_a_changed_byte_anywhere_is_refused(lines: tuple[Line, Line]) -> None:
    a, b = lines
    data = _sent(a).read_bytes()
    keys = set()
    for at in (0, 5, 40, len(data) // 2, len(data) - 20, len(data) - 1):
        changed = bytearray(data)
        changed[at] ^= 0x20
        path = b.path(f"changed-{at}.cih")
        path.write_bytes(bytes(changed))
        before = _state(b)
        with pytest.raises(DomainError) as err:
            b.services.handoffs.receive(b.supervisor, path)
        assert _state(b) == before
        keys.add(err.value.key)
    assert "handoff.error.tampered" in keys


def test_a_replayed_package_is_refused(lines: tuple[Line, Line]) -> None:
    a, b = lines
    package = _sent(a)
    b.services.handoffs.receive(b.supervisor, package)
    message = _refused(
        b, lambda: b.services.handoffs.receive(b.supervisor, package), "handoff.error.replay"
    )
    assert "already" in message


def test_a_package_for_another_line_is_refused(lines: tuple[Line, Line]) -> None:
    a, _ = lines
    package = _sent(a)
    _refused(
        a,
        lambda: a.services.handoffs.receive(a.supervisor, package),
        "handoff.error.wrong_recipient",
    )


def test_a_package_from_an_unknown_sender_is_refused(lines: tuple[Line, Line], clock) -> None:  # type: ignore[no-untyped-def]
    """Anyone can seal to HN's public card and call themselves 111; their key is not pinned."""
    _, b = lines
    forger = RawLine("111", "0000 1111 2222 3333 4444 5555", Ed25519PrivateKey.generate(),
                     X25519PrivateKey.generate())  # fmt: skip
    card = b.services.line.card()
    header = Header.new("package", forger.party, party(card), clock())
    body = {**package_body(), "performer": {"directory_id": "line-hn", "line": "HN"}}
    path = b.path("forged.cih")
    path.write_bytes(seal(header, body, forger, card))
    _refused(
        b, lambda: b.services.handoffs.receive(b.supervisor, path), "handoff.error.unknown_sender"
    )


def test_a_package_signed_by_a_retired_card_is_refused(lines: tuple[Line, Line]) -> None:
    a, b = lines
    package = _sent(a)
    b.services.line_cards.retire_card(b.admin, "line-111")
    _refused(
        b,
        lambda: b.services.handoffs.receive(b.supervisor, package),
        "handoff.error.retired_sender",
    )


def test_an_expired_package_is_refused(lines: tuple[Line, Line], clock) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    package = _sent(a)
    clock.advance(days=8)
    _refused(b, lambda: b.services.handoffs.receive(b.supervisor, package), "handoff.error.expired")


def test_an_oversize_file_is_refused_unread(lines: tuple[Line, Line]) -> None:
    _, b = lines
    path = b.path("big.cih")
    path.write_bytes(b"CIH1" + b"\x00" * MAX_FILE)
    _refused(b, lambda: b.services.handoffs.receive(b.supervisor, path), "handoff.error.too_large")


def test_a_receipt_is_taken_once_and_only_for_a_package_sent_to_its_line(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    handoff = b.services.handoffs.receive(b.supervisor, _sent(a))
    receipt = b.path("r.cir")
    b.services.handoffs.reject(b.supervisor, handoff, "Trẻ không ở Hà Nội", receipt)
    assert a.services.handoffs.take_receipt(a.supervisor, receipt)[1] == "rejected"
    with a.services.db.read() as s:
        from caseintake.store.models import Referral

        ref = s.execute(
            select(Referral).where(Referral.directory_entry_id == "line-hn")
        ).scalar_one()
        assert ref.status == "declined"
    _refused(
        a, lambda: a.services.handoffs.take_receipt(a.supervisor, receipt), "handoff.error.replay"
    )
    _refused(
        b,
        lambda: b.services.handoffs.take_receipt(b.supervisor, receipt),
        "handoff.error.wrong_recipient",
    )


def test_steps_out_of_order_and_wrong_roles_are_refused(lines: tuple[Line, Line]) -> None:
    a, b = lines
    _refused(a, lambda: a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "consent",
                                                 a.path("c.cih")), "handoff.error.consent_representative")  # fmt: skip
    assert not a.path("c.cih").exists()
    handoff = b.services.handoffs.receive(b.supervisor, _sent(a))
    _refused(b, lambda: b.services.handoffs.update(b.supervisor, handoff, "in_progress", None,
                                                   b.path("r.cir")), "handoff.error.bad_step")  # fmt: skip
    assert not b.path("r.cir").exists()
    _refused(b, lambda: b.services.handoffs.reject(b.supervisor, handoff, "  ", b.path("r.cir")),
             "handoff.error.reason_required")  # fmt: skip
    with pytest.raises(DomainError):
        b.services.handoffs.accept(b.admin, handoff, b.path("r.cir"))  # an admin reads no cases
    _refused(a, lambda: a.services.handoffs.send(a.supervisor, case_number(a), "line-hn",
                                                 "legal_duty", a.path("again.cih")),
             "handoff.error.already_sent")  # fmt: skip
