"""Issue 24 on two kinds of database: line 111 on SQLite sends a package to line HP on
PostgreSQL, HP accepts it (a case opened there) and 111 takes the receipt; a replay is refused
on PostgreSQL by the package id's unique index, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseintake.domain.errors import DomainError
from caseintake.store.models import HandoffRow, Referral
from tests.conftest import ADMIN, ADMIN_PW, SUPERVISOR, SUPERVISOR_PW, FrozenClock
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template

__all__ = ["lines", "pair_template"]


def _pg_line(pg_url: str, folder: Path, clock: FrozenClock) -> Line:
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    svc = Services(Settings(db_url=pg_url, state_dir=folder / "state", clock=clock))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW, line="HP", line_name="Đường dây Hải Phòng")
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    return Line("HP", folder, svc, svc.auth.login(SUPERVISOR, SUPERVISOR_PW), admin)


def test_a_case_crosses_from_sqlite_to_postgresql_and_back(
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
        package = tmp_path / "to-hp.cih"
        a.services.handoffs.send(a.supervisor, case_number(a), entry, "legal_duty", package)
        handoff = hp.services.handoffs.receive(hp.supervisor, package)
        with pytest.raises(DomainError) as err:
            hp.services.handoffs.receive(hp.supervisor, package)
        assert err.value.key == "handoff.error.replay"
        with hp.services.db.read() as s:
            assert s.execute(select(func.count()).select_from(HandoffRow)).scalar_one() == 1
        accepted = hp.services.handoffs.accept(hp.supervisor, handoff, tmp_path / "r.cir")
        assert accepted.case_number and accepted.case_number.startswith("PL-")
        assert a.services.handoffs.take_receipt(a.supervisor, tmp_path / "r.cir")[1] == "accepted"
        [out] = [r for r in a.services.handoffs.rows(a.supervisor) if r.partner == "HP"]
        assert (out.status, out.partner_case_number) == ("accepted", accepted.case_number)
        assert hp.services.audit.verify(hp.admin).ok
    finally:
        hp.services.close()
