"""Issue 24 item 4 in the supervisor's inbox (two real databases): accepting a package whose
child this line may already have asks first, "Gắn vào hồ sơ … (trùng mã định danh)" or "Tạo hồ
sơ mới"; choosing the case adds the package to it, no new case."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from caseintake.tui.screens.supervisor.decision_dialog import DecisionDialog
from tests.services.handoff_fixtures import PIN, lines, pair_template
from tests.services.handoff_matching_fixtures import (
    OTHER_PHONE,
    local_case,
    number_of,
    sent_package,
)
from tests.tui.conftest import settle, sql
from tests.tui.test_handoff_desk import choose, desk, exports, open_inbox

__all__ = ["lines", "pair_template"]


async def test_the_accept_step_asks_before_adding_to_a_matching_case(lines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = lines
    mine = local_case(b, pin=PIN, phone=OTHER_PHONE)
    number = number_of(b, mine)
    exports(b).mkdir()
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, exports(b) / "p.cih"))
    async with desk(b, monkeypatch) as pilot:
        inbox = await open_inbox(pilot, b)
        await pilot.press("enter")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, DecisionDialog)
        options = dialog.query_one("#choices", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [f"into:{number}", "accepted", "rejected"]
        label = str(options.get_option_at_index(0).prompt)
        assert number in label and "trùng mã định danh" in label and "Đã đánh giá" in label
        assert str(options.get_option_at_index(1).prompt) == "Tạo hồ sơ mới"
        assert sql(b.services, "select count(*) from cases") == [(1,)]  # nothing merged yet
        await choose(pilot, f"into:{number}")
        assert pilot.app.screen is inbox
        assert number in str(inbox.query_one("#inbox-status", Static).render())
    assert sql(b.services, "select count(*) from cases") == [(1,)]  # added, not opened
    assert sql(b.services, f"select case_id, status from handoffs where id = '{handoff}'") == [
        (mine, "accepted")
    ]
    assert sql(b.services, f"select count(*) from contacts where case_id = '{mine}'") == [(2,)]
    assert len(list(exports(b).glob("receipt-111-*-accepted.cir"))) == 1
