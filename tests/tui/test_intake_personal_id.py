"""The child's personal identification number on the intake form (issue 24 item 6): a number
of the wrong shape is said inline while typing, one that does not fit the child's sex or age is
said inline on save with nothing saved and every typed value kept; a right one is saved
encrypted with its blind index."""

from __future__ import annotations

from textual.widgets import Input

from caseintake.crypto.blind_index import personal_id_index
from tests.tui.intake_helpers import IntakeHost, fill, pick, set_text, sql, wait_until

PIN = "079316123456"  # Hồ Chí Minh City, a girl born in 2016 (the form's child is 9, female)


async def test_personal_id_checked_inline_then_saved(services, operator):  # type: ignore[no-untyped-def]
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen)
        rows = screen.form.rows()
        row = rows["children[0].personal_id"]
        set_text(screen, "#personal-id", "07931612")
        await pilot.pause()
        assert row.has_class("-error")  # too short: said while typing

        pick(screen, "#sex", "male")
        set_text(screen, "#personal-id", PIN)  # a girl's number for a boy
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen._saving)
        assert row.has_class("-error")
        assert screen.query_one("#personal-id", Input).value == PIN
        assert sql(services, "select count(*) from contacts") == [(0,)]

        pick(screen, "#sex", "female")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    [(child_id,)] = sql(services, "select id from children")
    [(pin, index)] = sql(services, "select pin, pin_index from child_pins")
    assert operator.keys.cipher.decrypt("child_pins", "pin", child_id, pin) == PIN
    assert index == personal_id_index(operator.keys.blind_key, PIN)
