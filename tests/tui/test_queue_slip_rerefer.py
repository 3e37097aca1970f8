"""From the queue: a referral slip written by name in the export folder (audited), and a re-referral
to another directory entry (issue 8, items 2 and 7), asserting on the database and the file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from tests.tui.conftest import settle, sql
from tests.tui.test_referral_queue import move_to, open_queue, ref_id, save


async def test_slip_from_the_queue(app, services, operator, export_folder: Path) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    out = export_folder / "phieu.txt"  # a name in the export folder, never a path
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        move_to(screen, ref_id(services, "commune_committee"))
        await pilot.press("p")
        await settle(pilot)
        dialog = pilot.app.screen
        assert dialog.query_one("#choices", OptionList).option_count == 4  # supervisor: + caller
        await pilot.press("enter")  # plain text
        await settle(pilot)
        dialog.query_one("#decision-text", Input).value = "phieu.txt"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
    assert "111-2026-000001" in out.read_text(encoding="utf-8")
    assert sql(
        services, "select count(*) from audit_events where action = 'referral_slip_written'"
    ) == [(1,)]


async def test_rerefer_from_the_queue(app, services, operator) -> None:  # type: ignore[no-untyped-def]
    save(services, operator)
    commune = ref_id(services, "commune_committee")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await open_queue(pilot)
        move_to(screen, commune)
        await pilot.press("g")
        await settle(pilot)
        dialog = pilot.app.screen
        choices = dialog.query_one("#choices", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        # national entries and the case's province's are offered, never another province's
        assert ids and not {"bn-provincial-hotline", "ls-child-protection-office"} & set(ids)
        target = ids[0]
        choices.highlighted = ids.index(target)
        await pilot.press("enter")
        await settle(pilot)
        dialog.query_one("#decision-text", Input).value = "Xã không nghe máy cả buổi"
        await pilot.press("enter")
        await settle(pilot)
    assert sql(services, "select status from referrals where id = :i", i=commune) == [("revoked",)]
    assert sql(services, "select directory_entry_id from referrals where status = 'pending' "
               "and id != :i and body != 'commune_police'", i=commune) == [(target,)]  # fmt: skip
