"""The routing pane names what the record implied (issue 7, item 6), without rule ids."""

from __future__ import annotations

from caseintake.domain.intake.record import Child, Intake, Location
from caseintake.domain.routing.engine import route_intake
from caseintake.services.routing.decisions import RoutedDecision
from caseintake.tui.widgets.intake.routing_panel import RoutingView
from tests.domain.routing_support import CAL, MONDAY, RULES, TAN_DINH
from tests.tui.intake_helpers import IntakeHost, routed


async def test_what_the_record_implied_is_listed_with_the_notes(services, operator):
    """A married 14-year-old: the pane says why the police are on the list, in the language
    of the screen, and names the police among the referrals."""
    intake = Intake(
        received_at=MONDAY,
        contact_type="report",
        children=(Child(age=14, sex="female"),),
        location=Location(79, TAN_DINH),
        concerns=("child_marriage",),
    )
    decision = route_intake(intake, RULES, CAL)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        await routed(pilot)
        panel = app.intake.query_one("#routing")
        panel.show(RoutingView(RoutedDecision(decision, ())))
        await pilot.pause()
        notes = panel.render_notes().plain
        assert notes.startswith("Suy ra từ hồ sơ\n→ Trẻ dưới 16 tuổi tảo hôn")
        assert "child_marriage_under_16" not in notes  # the id only in the details
        assert "Chuyển" in panel.render_head().plain
