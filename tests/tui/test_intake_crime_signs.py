"""The operator's "signs of a crime" on the intake form (issue 22): a detail row beside the
concerns (Tab), which the routing pane reads at once and the save sends to the police."""

from __future__ import annotations

from caseintake.i18n import t
from tests.tui.intake_helpers import (
    BEN_THANH,
    IntakeHost,
    fill,
    pick,
    routed,
    sql,
    wait_until,
)


async def test_a_crime_sign_heard_on_the_call_goes_to_the_police_at_once(services, operator):
    """Emotional violence by a step-parent is no crime sign by itself; the operator heard that
    the child is locked up and starved for days (cruelty): the police are told at once."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        pick(screen, "#concerns", ("violence.emotional",))
        pick(screen, "#relationship", "step_parent")
        await routed(pilot)
        panel = screen.query_one("#routing")
        assert "commune_police" not in {r.plan.body for r in panel.view.routed.referrals}
        row = screen.query_one("#crime-signs").parent.parent
        assert row.has_class("detail")  # Tab reaches it; Enter walks on to the setting
        pick(screen, "#crime-signs", ("cruelty",))
        await routed(pilot)
        head = panel.render_head().plain
        assert f"{t('law.crime_signs')}: {t('crime_sign.cruelty')}" in head
        police = next(r for r in panel.view.routed.referrals if r.plan.body == "commune_police")
        assert police.plan.due_spec == "immediately" and "blhs.art140" in police.plan.basis
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    rows = sql(
        services,
        "select body, ward_code, due_spec, rule_ids from referrals where body = 'commune_police'",
    )
    assert [r[:3] for r in rows] == [("commune_police", BEN_THANH, "immediately")]
    assert "cruelty_police" in rows[0][3]


async def test_a_bad_crime_sign_in_a_draft_is_named_and_nothing_is_saved(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        await routed(pilot)
        screen.form.query_one("#crime-signs").value = ("cruelty", "bogus")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen._saving)
        assert screen.form.rows()["crime_signs"].has_class("-error")
        assert not app.dismissed
    assert sql(services, "select count(*) from contacts") == [(0,)]
