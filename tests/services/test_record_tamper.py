"""Issue 20 item 1 on SQLite: the records bound to the trail, each attack of
``record_tamper`` named by ``audit verify`` on both paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from caseintake.services.container import Services
from tests.services.audit_tamper import Tamper, verifier
from tests.services.record_tamper import RECORD_ATTACKS, world


@pytest.mark.parametrize("path", ["serial", "parallel"])
@pytest.mark.parametrize("attack", RECORD_ATTACKS, ids=lambda a: a.__name__)
def test_record_attack_is_named(services: Services, path: str, attack: Callable[..., Any]) -> None:
    w = world(services)
    tamper = Tamper(services.settings.db_url)
    try:
        attack(w, tamper, verifier(services, path))
    finally:
        tamper.close()


def test_opening_a_case_says_when_its_rows_were_changed(services: Services) -> None:
    """Issue 20 item 2: the detail of a case carries the warning the screens show."""
    w = world(services)
    assert services.cases.detail(w.supervisor, w.first.case_id).tampered is None
    tamper = Tamper(services.settings.db_url)
    try:
        tamper.run("UPDATE referrals SET status = 'done' WHERE case_id = :c", c=w.first.case_id)
        found = services.cases.detail(w.supervisor, w.first.case_id).tampered
        assert found is not None and found.tables == ("referrals",) and found.seq is not None
        # The other case is untouched and says nothing.
        assert services.cases.detail(w.supervisor, w.second.case_id).tampered is None
        tamper.run("DELETE FROM referrals WHERE case_id = :c", c=w.second.case_id)
        gone = services.cases.detail(w.supervisor, w.second.case_id).tampered
        assert gone is not None and "referrals" in gone.tables
    finally:
        tamper.close()


def test_a_case_worked_on_by_everyone_stays_clean(services: Services) -> None:
    """No false alarm: a case moved along, noted, linked to a new call and its referrals
    followed up reads as intact, and the full verify agrees."""
    from caseintake.domain.intake.validation import parse_intake
    from tests.samples import design_example

    w = world(services)
    case_id = w.first.case_id
    services.cases.add_note(w.supervisor, case_id, "Đã gọi lại cho người báo tin.")
    for ref in services.cases.detail(w.supervisor, case_id).referrals:
        services.referrals.transition(w.supervisor, ref.id, "sent")
    linked = design_example(case_id=case_id, narrative="Gọi lại: bé đã an toàn.")
    services.intake.save(w.operator, parse_intake(linked))
    assert services.cases.detail(w.supervisor, case_id).tampered is None
    result = services.audit.verify(w.admin)
    assert result.ok and result.record_count == 0, result
