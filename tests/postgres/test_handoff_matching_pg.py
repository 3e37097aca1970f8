"""Issue 24 item 4 on PostgreSQL: line HP finds its own case of the child a package from line
111 (SQLite) carries, by the personal identification number's blind index, and the package is
added to that case when the supervisor chooses it (erasure is left to the SQLite tests)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from caseintake.store.models import Case, Child, Contact, HandoffRow, Referral
from tests.conftest import FrozenClock
from tests.postgres.test_handoff_pg import _pg_line
from tests.services.handoff_fixtures import PIN, Line, case_number, lines, pair_template
from tests.services.handoff_matching_fixtures import OTHER_PHONE, local_case, number_of

__all__ = ["lines", "pair_template"]


def test_matched_and_merged_on_postgresql(
    lines: tuple[Line, Line], pg_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    a, _ = lines
    hp = _pg_line(pg_url, tmp_path / "HP", clock)
    try:
        hp_card, a_card = hp.services.line.card(), a.services.line.card()
        entry = a.services.line_cards.add_line(a.admin, hp_card.to_bytes(), hp_card.fingerprint)
        hp.services.line_cards.add_line(hp.admin, a_card.to_bytes(), a_card.fingerprint)
        with a.services.db.read() as s:
            first = s.execute(
                select(Referral.id).where(Referral.directory_entry_id == "line-hn")
            ).scalar_one()
        a.services.referrals.rerefer(a.supervisor, first, entry, "Trẻ đang ở Hải Phòng")
        mine = local_case(hp, pin=PIN, phone=OTHER_PHONE)
        package = tmp_path / "to-hp.cih"
        a.services.handoffs.send(a.supervisor, case_number(a), entry, "legal_duty", package)
        handoff = hp.services.handoffs.receive(hp.supervisor, package)
        [match] = hp.services.handoffs.matches(hp.supervisor, handoff)
        assert (match.case_number, match.matched_by) == (number_of(hp, mine), ("personal_id",))
        sent = hp.services.handoffs.accept(
            hp.supervisor, handoff, tmp_path / "r.cir", into=match.case_number
        )
        assert sent.merged
        with hp.services.db.read() as s:
            count = s.execute(select(func.count()).select_from(Case)).scalar_one()
            assert count == 1  # HP's own; none opened from the package
            assert s.execute(select(HandoffRow.case_id)).scalar_one() == mine
            kids = select(func.count()).select_from(Child).where(Child.case_id == mine)
            assert s.execute(kids).scalar_one() == 1
            calls = select(func.count()).select_from(Contact).where(Contact.case_id == mine)
            assert s.execute(calls).scalar_one() == 2
        assert hp.services.audit.verify(hp.admin).ok
    finally:
        hp.services.close()
