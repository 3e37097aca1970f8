"""Issue 24 on PostgreSQL: a line's identity made at init and by migration 0018 for a database
made before, a partner's card pinned (bound to the trail), a child's personal identification
number saved and matched by its blind index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from caseintake.crypto.line_identity import LineKeys, make_card
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.cases.child_pins import children_with_pin
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store import migrate
from tests.samples import design_example

PIN = "079316123456"


def test_line_identity_cards_and_pins_on_postgres(pg_url: str, tmp_path: Path, clock: Any) -> None:
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    svc.setup.init("root", "amber-violet-72", line="HCM", line_name="Đường dây TP. Hồ Chí Minh")
    assert svc.line.show().code == "HCM"
    migrate.downgrade(svc.db.engine, "0014")  # as a database made before issue 24
    migrate.upgrade(svc.db.engine)
    assert svc.line.show().code == "HCM"  # meta.line kept: a valid code
    admin = svc.auth.login("root", "amber-violet-72")
    line = svc.line.identity(admin)  # the migration's sealed keys wrapped now
    card = svc.line.card()
    assert card.verify(b"x", line.sign(b"x"))
    assert line.open_hpke(card.seal(b"secret", b"hdr"), b"hdr") == b"secret"

    other = make_card("HN", "Đường dây Hà Nội", LineKeys.generate())
    assert svc.line_cards.add_line(admin, other.to_bytes(), other.fingerprint) == "line-hn"
    assert svc.line_cards.partner_by_sign_key(other.sign_public).card == other

    svc.users.add(admin, "lan", "operator", "one-time-pass-1")
    svc.auth.change_password("lan", "one-time-pass-1", "quiet-harbour-41")
    operator = svc.auth.login("lan", "quiet-harbour-41")
    child = {"age": 9, "age_basis": "stated", "sex": "female", "personal_id": PIN}
    saved = svc.intake.save(operator, parse_intake(design_example(children=[child])))
    assert svc.cases.detail(operator, saved.case_id).children[0].personal_id == PIN
    with svc.db.read() as s:
        (child_id,) = s.execute(text("SELECT id FROM children")).scalars()
        assert children_with_pin(s, admin.keys, PIN) == [child_id]
    assert svc.audit.verify(admin).ok
    svc.close()
