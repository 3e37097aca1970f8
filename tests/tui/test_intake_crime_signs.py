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


async def test_the_pane_says_what_is_to_be_confirmed_and_who_gets_health_data(services, operator):
    """A school refuses a child with HIV: the education authority's one working day is marked
    "to be confirmed", and each referral says whether the HIV status goes with it."""
    from caseintake.domain.directory import load_directory
    from caseintake.domain.intake.record import Child, Intake, Location
    from caseintake.domain.routing.engine import route_intake
    from caseintake.services.routing import RoutedDecision, RoutingService
    from caseintake.tui.widgets.intake.routing_panel import RoutingView
    from tests.domain.routing_support import CAL, MONDAY, RULES, TAN_DINH

    intake = Intake(
        received_at=MONDAY,
        contact_type="report",
        children=(Child(age=8, special_circumstances=("hiv",)),),
        location=Location(79, TAN_DINH),
        concerns=("rights_violation.education",),
        crime_signs=("other",),
    )
    decision = route_intake(intake, RULES, CAL)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(120, 40)) as pilot:
        await routed(pilot)
        panel = app.intake.query_one("#routing")
        proposed = RoutingService.attach(decision, load_directory())
        panel.show(RoutingView(RoutedDecision(decision, proposed)))
        await pilot.pause()
        statics = list(panel.query(".referral"))
        rows = {
            p.plan.body: str(static.render()) for p, static in zip(proposed, statics, strict=True)
        }
    assert t("law.due_to_confirm") in rows["education"]
    assert t("law.due_to_confirm") not in rows["commune_police"]
    hiv = t("special_circumstance.hiv")
    assert t("law.health_shared", data=hiv) in rows["education"]
    assert t("law.health_withheld", data=hiv) in rows["commune_police"]
