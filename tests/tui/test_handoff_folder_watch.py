"""Issue 24, transport, at the desk: with a shared drop folder configured, the send flow writes
the package there with no file name asked, the inbox reads the folder as it opens (the package
is in the table, announced), its receipt goes back into the folder; the supervisor's queue
reads the folder by itself on its interval (short here), and a folder gone is one sentence on
its status line, not a crash. (The sender taking the receipt from the folder:
tests/services/test_handoff_drop_folders.py.)"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from textual.widgets import Static

from caseintake.tui.screens.supervisor.referral_queue_screen import ReferralQueueScreen
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template
from tests.tui.conftest import settle, sql
from tests.tui.test_handoff_desk import choose, desk, open_inbox, referral_status, said

__all__ = ["lines", "pair_template"]


def _shared(a: Line, b: Line, root: Path) -> Path:
    folder = root / "shared"
    folder.mkdir()
    a.services.drop_folders.set_folder(a.admin, "line-hn", str(folder))
    b.services.drop_folders.set_folder(b.admin, "line-111", str(folder))
    return folder


def _quick_polls(line: Line) -> None:
    """The desk's interval, short enough for a test (the setting is 60 s by default)."""
    line.services.settings = dataclasses.replace(
        line.services.settings, drop_poll=timedelta(seconds=0.2)
    )


async def test_the_desks_loop_through_the_drop_folder(lines, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen

    a, b = lines
    folder = _shared(a, b, tmp_path)
    async with desk(a, monkeypatch) as pilot:
        case_id = sql(a.services, "select id from cases")[0][0]
        await pilot.app.push_screen(CaseDetailScreen(a.services, pilot.app.principal, case_id))
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await choose(pilot, "line-hn")
        dialog = await choose(pilot, "legal_duty")  # no file name asked: the drop folder
        assert isinstance(pilot.app.screen, CaseDetailScreen), said(dialog)
    [package] = folder.glob("111-to-HN-*.cih")
    assert referral_status(a) == "sent"

    async with desk(b, monkeypatch) as pilot:
        inbox = await open_inbox(pilot, b)  # opening it reads the folder
        await settle(pilot)
        assert sql(b.services, "select status, partner_case_number from handoffs") == [
            ("received", case_number(a))
        ]
        assert inbox.query_one("#handoffs").row_count == 1  # type: ignore[attr-defined]
        assert (folder / "done" / package.name).exists() and not package.exists()
        shown = [n.message for n in pilot.app._notifications]
        assert "1 gói mới từ 111." in shown
        await pilot.press("enter")
        await settle(pilot)
        dialog = await choose(pilot, "accepted")
        assert pilot.app.screen is inbox, said(dialog)
    assert len(list(folder.glob("HN-to-111-*.cir"))) == 1  # the receipt, back by the folder


async def _until(pilot, check, rounds: int = 60) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        if check():
            return True
        await pilot.pause(0.05)
    return bool(check())


async def test_the_queue_polls_by_itself_and_says_a_folder_gone(
    lines, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    folder = _shared(a, b, tmp_path)
    folder.rmdir()
    _quick_polls(b)
    async with desk(b, monkeypatch) as pilot:
        queue = ReferralQueueScreen(b.services, b.supervisor)
        await pilot.app.push_screen(queue)

        def status() -> str:
            return str(queue.query_one("#queue-status", Static).render())

        assert await _until(pilot, lambda: str(folder) in status())  # one sentence, no crash
        assert pilot.app.screen is queue
        folder.mkdir()  # back, and a package arrives: the next poll takes it
        a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
        assert await _until(
            pilot, lambda: sql(b.services, "select count(*) from handoffs") == [(1,)]
        )
        assert await _until(pilot, lambda: str(folder) not in status())
        assert "1 gói mới từ 111." in [n.message for n in pilot.app._notifications]
