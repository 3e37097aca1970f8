"""What the walk through the desks after the issue 19 merges found (issue 19, "Done means")."""

from __future__ import annotations

from datetime import timedelta

from caseintake.domain.intake.validation import parse_intake
from tests.tui.intake_helpers import REFERENCE_PHONE, IntakeHost, set_text, wait_until


async def test_a_repeat_callers_earlier_call_reads_its_viet_nam_day(services, operator, clock):
    """A call at 04:13 on 8 December in Viet Nam is 21:13 on the 7th in UTC: the caller's
    history said "07/12 04:13", the day of one clock and the hour of the other."""
    received = clock() - timedelta(hours=7, minutes=47)  # 18:13 UTC on 1 March: 01:13 on the 2nd
    intake = parse_intake(
        {
            "received_at": received.isoformat(),
            "contact_type": "report",
            "caller": {"relationship": "neighbour", "phone": "+84 912 345 678"},
            "children": [{"age": 9, "sex": "female"}],
            "location": {"province_code": 79, "ward_code": 26743},
            "concerns": ["violence"],
            "setting": "family",
        },
        now=clock(),
    )
    services.intake.save(operator, intake)
    app = IntakeHost(services, operator, contact_type="follow_up")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.intake.query_one("#caller-history")
        set_text(app.intake, "#caller-phone", REFERENCE_PHONE)
        await wait_until(pilot, lambda: panel.display)
        lines = str(panel.query_one("#history-contacts").render())
    assert lines.startswith("02/03 01:13"), lines
