"""Issue 24: a case crosses from line 111 to line HN and the answers come back, two real
databases with their own keys; what each side stores, audits and shows."""

from __future__ import annotations

import json

from sqlalchemy import select

from caseintake.store.models import AuditEvent, Case, HandoffRow, Referral
from tests.services.handoff_fixtures import (
    NAME,
    NARRATIVE,
    PIN,
    Line,
    case_number,
    lines,
    pair_template,
)

__all__ = ["lines", "pair_template"]


def _actions(line: Line) -> list[str]:
    with line.services.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def _referral_status(line: Line) -> str:
    with line.services.db.read() as s:
        return str(
            s.execute(
                select(Referral.status).where(Referral.directory_entry_id == "line-hn")
            ).scalar()
        )


def test_the_whole_loop(lines: tuple[Line, Line], clock) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    number = case_number(a)
    package = a.path("to-hn.cih")
    sent = a.services.handoffs.send(a.supervisor, number, "line-hn", "legal_duty", package)
    assert _referral_status(a) == "sent"
    assert "handoff_sent" in _actions(a)

    clock.advance(hours=1)
    handoff_id = b.services.handoffs.receive(b.supervisor, package)
    [incoming] = b.services.handoffs.rows(b.supervisor)
    assert (incoming.direction, incoming.partner, incoming.status) == ("in", "111", "received")
    assert incoming.partner_case_number == number and incoming.case_number is None

    shown = b.services.handoffs.show(b.supervisor, handoff_id)  # read before accepting
    package = shown["package"]
    assert package["basis"]["code"] == "legal_duty" and package["routing"]["due"]
    assert package["requester"] == {"case_number": number, "line": "111"}
    assert "phone" not in json.dumps(package["subject"]["caller"])  # never the caller's phone
    assert _actions(b)[-1] == "handoff_viewed" and shown["matches"] == []
    accepted = b.services.handoffs.accept(b.supervisor, handoff_id, b.path("r1.cir"))
    assert accepted.case_number and accepted.case_number.startswith("PL-")
    with b.services.db.read() as s:
        case = s.execute(select(Case).where(Case.number == accepted.case_number)).scalar_one()
        row = s.get(HandoffRow, handoff_id)
        assert row is not None and row.case_id == case.id
    detail = b.services.cases.detail(b.supervisor, case.id)
    assert detail.children[0].name == NAME  # nothing typed again
    assert detail.children[0].personal_id == PIN
    # The same child's number now finds that case: a second package would be asked about.
    [match] = b.services.handoffs.show(b.supervisor, handoff_id)["matches"]
    assert (match["case_number"], match["matched_by"]) == (accepted.case_number, ["personal_id"])
    assert detail.narrative == NARRATIVE and detail.summary.status == "assessed"

    clock.advance(hours=1)
    assert a.services.handoffs.take_receipt(a.supervisor, b.path("r1.cir"))[1] == "accepted"
    assert _referral_status(a) == "acknowledged"
    b.services.handoffs.update(b.supervisor, handoff_id, "in_progress", None, b.path("r2.cir"))
    a.services.handoffs.take_receipt(a.supervisor, b.path("r2.cir"))
    assert _referral_status(a) == "in_progress"
    b.services.handoffs.update(b.supervisor, handoff_id, "done", "Trẻ đã an toàn", b.path("r3.cir"))
    assert a.services.handoffs.take_receipt(a.supervisor, b.path("r3.cir"))[1] == "done"
    assert _referral_status(a) == "done"
    [out] = a.services.handoffs.rows(a.supervisor)
    assert (out.id, out.direction, out.partner, out.status) == (
        sent.handoff_id,
        "out",
        "HN",
        "done",
    )
    assert out.partner_case_number == accepted.case_number
    assert _actions(a).count("handoff_receipt") == 3
    assert {"handoff_received", "handoff_accepted", "handoff_in_progress", "handoff_done"} <= set(
        _actions(b)
    )
    for line in (a, b):
        assert line.services.audit.verify(line.admin).ok


def test_a_drop_folder_takes_each_good_package_and_names_each_refused_one(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    folder = b.path("drop")
    folder.mkdir()
    good = folder / "1-good.cih"
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", good)
    (folder / "0-changed.cih").write_bytes(good.read_bytes()[:-1] + b"\x00")
    (folder / "note.txt").write_text("not a package")
    results = b.services.handoffs.receive_folder(b.supervisor, folder)
    assert [(p.name, ok) for p, _, ok in results] == [
        ("0-changed.cih", False),
        ("1-good.cih", True),
    ]
    assert results[0][1].endswith(".") and "\n" not in results[0][1]
    [row] = b.services.handoffs.rows(b.supervisor)
    assert row.id == results[1][1]
    again = b.services.handoffs.receive_folder(b.supervisor, folder)
    assert [ok for _, _, ok in again] == [False, False]  # the good one is a replay now


def test_erasing_the_case_erases_its_hand_offs_words(lines: tuple[Line, Line]) -> None:
    """Retention: the package's body and the receiver's words go with the case."""
    from caseintake.services.audit.details import open_details
    from caseintake.store.models import HandoffReceiptRow

    a, b = lines
    number = case_number(a)
    package = a.path("p.cih")
    a.services.handoffs.send(a.supervisor, number, "line-hn", "legal_duty", package)
    handoff = b.services.handoffs.receive(b.supervisor, package)
    words = "Lý do từ chối riêng tư 7788"
    b.services.handoffs.reject(b.supervisor, handoff, words, b.path("r.cir"))
    a.services.handoffs.take_receipt(a.supervisor, b.path("r.cir"))
    with a.services.db.read() as s:
        case_id = s.execute(select(Case.id).where(Case.number == number)).scalar_one()
    a.services.cases.transition(a.supervisor, case_id, "closed", "Trùng lặp")
    a.services.retention.erase(a.admin, number)
    with a.services.db.read() as s:
        assert s.execute(select(HandoffRow.payload)).scalars().all() == [None]
        assert s.execute(select(HandoffReceiptRow.words)).scalars().all() == [None]
        details = [
            open_details(s, a.admin.keys, seq, blob)
            for seq, blob in s.execute(select(AuditEvent.seq, AuditEvent.details))
        ]
    assert not any(words in (d or "") for d in details)
    assert a.services.audit.verify(a.admin).ok
