"""Issue 19 item 3 under Pilot: words typed on the "Nguy hiểm ngay" row go on to the narrative
(nothing vanishes), an answer letter still answers, and the Enter typed after ``c`` adds no
blank first line. The tmux test (test_seams_typing_tmux.py) sends the same keys in one burst."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.tui.conftest import settle
from tests.tui.intake_helpers import IntakeHost


async def test_words_on_the_danger_row_reach_the_narrative(services, operator) -> None:  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.set_focus(screen.query_one("#danger"))
        await pilot.press("H", "à", "n", "g")  # "n" is typed in the narrative once there
        await settle(pilot)
        assert screen.query_one("#narrative", TextArea).text == "Hàng"
        assert screen.query_one("#danger").value is False


async def test_enter_after_c_adds_no_blank_first_line(services, operator) -> None:  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.set_focus(screen.query_one("#danger"))
        await pilot.press("c", "enter", "B", "é")
        await settle(pilot)
        assert screen.query_one("#danger").value is True
        assert screen.query_one("#narrative", TextArea).text == "Bé"
