"""A package or a receipt as a browser download (issue 24f item 2): the services hand back
its bytes and write nothing on this machine; the audit event names the download; the bytes
are the same package and receipt the other line takes. A send refused keeps no bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.services.handoffs import Download
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template
from tests.tui.conftest import sql

__all__ = ["lines", "pair_template"]


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def event_details(line: Line, action: str) -> dict[str, object]:
    [(seq,)] = sql(line.services, "select seq from audit_events where action = :a", a=action)
    return dict(SupervisorDesk(line.services).audit_trail.details(line.supervisor, seq))


def test_a_package_and_its_receipt_as_downloads(lines: tuple[Line, Line]) -> None:
    a, b = lines
    before = files(a.folder)
    sent = a.services.handoffs.send(
        a.supervisor, case_number(a), "line-hn", "legal_duty", Download("to-hn.cih")
    )
    assert sent.path == Path("to-hn.cih") and sent.data is not None
    assert files(a.folder) == before  # nothing written beside the database
    assert event_details(a, "handoff_sent")["download"] == "to-hn.cih"

    carried = b.folder / "to-hn.cih"
    carried.write_bytes(sent.data)
    handoff_id = b.services.handoffs.receive(b.supervisor, carried)
    answered = b.services.handoffs.accept(b.supervisor, handoff_id, Download("r.cir"))
    assert answered.data is not None and answered.case_number
    assert event_details(b, "handoff_accepted")["download"] == "r.cir"
    receipt = a.folder / "r.cir"
    receipt.write_bytes(answered.data)
    assert a.services.handoffs.take_receipt(a.supervisor, receipt)[1] == "accepted"


def test_a_refused_send_leaves_no_bytes_and_nothing_stored(lines: tuple[Line, Line]) -> None:
    """Bad input: consent with nobody agreeing for the child. Refused in one sentence."""
    a, _b = lines
    out = Download("refused.cih")
    with pytest.raises(DomainError) as refused:
        a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "consent", out)
    assert refused.value.message("vi").count(".") == 1
    assert out.data is None
    assert sql(a.services, "select count(*) from handoffs") == [(0,)]
