"""The hand-off desk in the terminal (issue 24 part C), on two real databases (line 111 and
line HN, from the hand-off service tests' template): sent from 111's case detail, received and
accepted in HN's inbox, the receipt back moving 111's referral; refusals said in the dialog."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.handoff.inbox_screen import HandoffInboxScreen
from caseintake.tui.screens.supervisor.decision_dialog import DecisionDialog
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template
from tests.tui.conftest import settle, sql

__all__ = ["lines", "pair_template"]


@asynccontextmanager
async def desk(line: Line, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The app on ``line``'s database with its supervisor (logged in already: the login and
    the queue's "h" have their own tests), and the line's own export folder."""
    from caseintake.tui.app import CaseIntakeApp

    monkeypatch.setenv("CASEINTAKE_EXPORT_DIR", str(exports(line)))
    app = CaseIntakeApp(line.services.settings, lambda: line.services)
    async with app.run_test(size=(100, 30)) as pilot:
        pilot.app.principal = line.supervisor  # logged in already (the login has its tests)
        yield pilot


def exports(line: Line) -> Path:
    return line.folder / "exports"


async def choose(pilot: Any, choice: str, text: str | None = None) -> DecisionDialog:
    """Pick ``choice`` in the dialog on top; type ``text`` when it asks for one."""
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionDialog), dialog
    options = dialog.query_one("#choices", OptionList)
    options.highlighted = options.get_option_index(choice)
    await pilot.press("enter")
    if text is not None:
        dialog.query_one("#decision-text", Input).value = text
        await pilot.press("enter")
    await settle(pilot)
    return dialog


def said(dialog: DecisionDialog) -> str:
    return str(dialog.query_one("#decision-error", Static).render())


def referral_status(line: Line) -> str:
    query = "select status from referrals where directory_entry_id = 'line-hn'"
    return str(sql(line.services, query)[0][0])


async def send_from_case_detail(pilot: Any, line: Line, name: str) -> None:
    app = pilot.app
    case_id = sql(line.services, "select id from cases")[0][0]
    await app.push_screen(CaseDetailScreen(line.services, app.principal, case_id))
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    await choose(pilot, "line-hn")
    await choose(pilot, "legal_duty", name)


async def open_inbox(pilot: Any, line: Line) -> HandoffInboxScreen:
    await pilot.app.push_screen(HandoffInboxScreen(line.services, line.supervisor))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HandoffInboxScreen)
    return screen


async def test_send_receive_accept_and_the_receipt_back(lines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    number = case_number(a)
    async with desk(a, monkeypatch) as pilot:
        await send_from_case_detail(pilot, a, "to-hn.cih")
        assert isinstance(pilot.app.screen, CaseDetailScreen)  # the dialogs closed
    assert referral_status(a) == "sent"
    assert sql(a.services, "select direction, partner_line from handoffs") == [("out", "HN")]

    exports(b).mkdir()  # carried across, as on a USB stick
    shutil.copy(exports(a) / "to-hn.cih", exports(b) / "to-hn.cih")
    async with desk(b, monkeypatch) as pilot:
        inbox = await open_inbox(pilot, b)
        await pilot.press("i")
        await settle(pilot)
        await choose(pilot, "file", "to-hn.cih")
        assert isinstance(pilot.app.screen, HandoffInboxScreen)
        [(status, partner_case)] = sql(
            b.services, "select status, partner_case_number from handoffs"
        )
        assert (status, partner_case) == ("received", number)
        assert "Đến" in str(inbox.query_one("#handoffs").get_row_at(0))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        await choose(pilot, "accepted")
        [(local,)] = sql(b.services, "select number from cases")
        assert local.startswith("PL-")
        assert local in str(inbox.query_one("#inbox-status", Static).render())  # its number
        assert sql(b.services, "select status from handoffs") == [("accepted",)]
        viewed = "select count(*) from audit_events where action = 'handoff_viewed'"
        assert sql(b.services, viewed) == [(1,)]  # read before deciding, audited
    [receipt] = exports(b).glob("*.cir")

    shutil.copy(receipt, exports(a) / receipt.name)
    async with desk(a, monkeypatch) as pilot:
        await open_inbox(pilot, a)
        await pilot.press("b")
        await settle(pilot)
        await choose(pilot, "file", receipt.name)
        assert isinstance(pilot.app.screen, HandoffInboxScreen)
    assert referral_status(a) == "acknowledged"
    assert sql(a.services, "select status from handoffs") == [("accepted",)]


async def test_refusals_are_said_in_the_dialog_and_what_was_typed_stays(lines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    async with desk(a, monkeypatch) as pilot:
        case_id = sql(a.services, "select id from cases")[0][0]
        await pilot.app.push_screen(CaseDetailScreen(a.services, pilot.app.principal, case_id))
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await choose(pilot, "line-hn")
        await choose(pilot, "consent")  # who agreed first (tests/tui/test_handoff_consent.py)
        await choose(pilot, "parent")
        dialog = await choose(pilot, "not", "to-hn.cih")  # the child of 9 did not agree
        assert pilot.app.screen is dialog and "đồng ý" in said(dialog)
        assert dialog.query_one("#decision-text", Input).value == "to-hn.cih"
        assert sql(a.services, "select count(*) from handoffs") == [(0,)]
    async with desk(b, monkeypatch) as pilot:
        await open_inbox(pilot, b)
        await pilot.press("i")
        await settle(pilot)
        dialog = await choose(pilot, "file", "missing.cih")
        assert pilot.app.screen is dialog and "missing.cih" in said(dialog)
        assert dialog.query_one("#decision-text", Input).value == "missing.cih"
        assert sql(b.services, "select count(*) from handoffs") == [(0,)]


async def test_reject_with_a_reason_from_the_drop_folder(lines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    exports(b).mkdir()
    a.services.handoffs.send(
        a.supervisor, case_number(a), "line-hn", "legal_duty", exports(b) / "to-hn.cih"
    )
    (exports(b) / "junk.cih").write_bytes(b"not a package")
    async with desk(b, monkeypatch) as pilot:
        inbox = await open_inbox(pilot, b)
        await pilot.press("i")
        await settle(pilot)
        await choose(pilot, "folder")  # every package there: one taken, one refused
        status = str(inbox.query_one("#inbox-status", Static).render())
        assert "junk.cih" in status and "1" in status
        await pilot.press("a")
        await settle(pilot)
        dialog = await choose(pilot, "rejected", "Trẻ không ở Hà Nội")
        assert pilot.app.screen is inbox, said(dialog)
    assert sql(b.services, "select status from handoffs") == [("rejected",)]
    assert sql(b.services, "select count(*) from cases") == [(0,)]
    [receipt] = exports(b).glob("*.cir")
    assert a.services.handoffs.take_receipt(a.supervisor, receipt)[1] == "rejected"


async def test_later_steps_send_receipts_that_move_the_sender(lines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    exports(b).mkdir()
    package = exports(b) / "to-hn.cih"
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", package)
    handoff_id = b.services.handoffs.receive(b.supervisor, package)
    b.services.handoffs.accept(b.supervisor, handoff_id, exports(b) / "r1.cir")
    async with desk(b, monkeypatch) as pilot:
        inbox = await open_inbox(pilot, b)
        await pilot.press("u")
        await settle(pilot)
        await choose(pilot, "in_progress")
        await pilot.press("u")
        await settle(pilot)
        dialog = await choose(pilot, "done", "Trẻ đã an toàn")
        assert pilot.app.screen is inbox, said(dialog)
    assert sql(b.services, "select status from handoffs") == [("done",)]
    [step] = exports(b).glob("receipt-*-in_progress.cir")
    [done] = exports(b).glob("receipt-*-done.cir")
    for receipt in (exports(b) / "r1.cir", step, done):  # in the order they were written
        a.services.handoffs.take_receipt(a.supervisor, receipt)
    assert referral_status(a) == "done"
