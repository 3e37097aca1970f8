"""The dashboard's figures from SQL aggregates (issue 8, item 5)."""

from __future__ import annotations

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.services.container import Services
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.supervisor_fixtures import referrals, save_report


def test_dashboard_figures(services: Services, operator, supervisor, clock) -> None:  # type: ignore[no-untyped-def]
    late = save_report(services, operator)  # 08:15: commune overdue at 09:00, police due 20:15
    on_time = save_report(services, operator, received_at="2026-03-02T08:58:00+07:00")
    services.intake.log_non_data(operator, "silent", clock(), 5)
    refs = referrals(services, on_time.case_id)
    services.referrals.record(operator, refs["commune_committee"].id, FollowUp("sent", via="phone"))
    board = SupervisorDesk(services).dashboard.read(supervisor)
    assert board.contacts_today == {"report": 2, "silent": 1}
    assert board.contacts_month == board.contacts_today
    assert sum(board.open_cases_by_priority.values()) == 2
    assert board.referrals_overdue == 1  # the late commune referral, never sent
    assert board.referrals_open == 4
    # both police referrals (20:15); the overdue commune one is counted once, as overdue
    assert board.referrals_due_today == 2
    assert board.escalations_waiting == 1
    # first steps decided this month: one sent in time, one overdue; the police ones are open
    assert (board.first_step_met, board.first_step_due) == (1, 2)
    assert board.on_time_share == 0.5
    assert referrals(services, late.case_id)["commune_committee"].status == "pending"


def test_dashboard_is_the_supervisors_and_reads_zeros_when_empty(
    services: Services, operator, admin, supervisor
) -> None:  # type: ignore[no-untyped-def]
    desk = SupervisorDesk(services)
    for who in (operator, admin):
        with pytest.raises(DomainError):
            desk.dashboard.read(who)
    board = desk.dashboard.read(supervisor)
    assert (board.contacts_today, board.referrals_overdue, board.first_step_due) == ({}, 0, 0)
    assert board.on_time_share is None  # no division by zero on a quiet month
