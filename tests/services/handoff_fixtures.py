"""Two lines, each its own SQLite database, keys and state folder (issue 24): line 111 and
line HN have pinned each other's cards, and 111 has a case referred to HN. Built once per
test module by the real services, then copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseintake.domain.intake.validation import parse_intake
from caseintake.store.models import Referral
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CHEAP_KDF_ARGS,
    SUPERVISOR,
    SUPERVISOR_PW,
    FrozenClock,
)
from tests.samples import design_example

NAME, PHONE = "Nguyễn Thị Canary", "0912345678"
PIN = "079317001234"  # Hồ Chí Minh City (079), a girl born in the 2000s (3), 2017, serial
NARRATIVE = "Canary narrative: hàng xóm nghe tiếng trẻ khóc mỗi đêm."


@dataclass
class Line:
    code: str
    folder: Path
    services: Any
    supervisor: Any
    admin: Any

    def path(self, name: str) -> Path:
        return self.folder / name


def _open(folder: Path, clock: FrozenClock) -> Any:
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    url = f"sqlite:///{folder / 'line.db'}"
    return Services(Settings(db_url=url, state_dir=folder / "state", clock=clock))


def _build(folder: Path, code: str, clock: FrozenClock) -> Any:
    folder.mkdir(parents=True)
    svc = _open(folder, clock)
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW, line=code, line_name=f"Đường dây {code}")
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    return svc


def build_pair(root: Path, clock: FrozenClock) -> None:
    """111 and HN with each other's cards; at 111 a case referred to HN's entry."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))
        a = _build(root / "111", "111", clock)
        b = _build(root / "HN", "HN", clock)
    a_admin, b_admin = a.auth.login(ADMIN, ADMIN_PW), b.auth.login(ADMIN, ADMIN_PW)
    b_card, a_card = b.line.card(), a.line.card()
    a.line_cards.add_line(a_admin, b_card.to_bytes(), b_card.fingerprint, province_code=79)
    b.line_cards.add_line(b_admin, a_card.to_bytes(), a_card.fingerprint)
    sup = a.auth.login(SUPERVISOR, SUPERVISOR_PW)
    data = design_example(
        caller={"relationship": "neighbour", "phone": PHONE, "name": "Người Gọi Canary"},
        narrative=NARRATIVE,
    )
    data["children"][0]["name"] = NAME
    data["children"][0]["personal_id"] = PIN
    saved = a.intake.save(sup, parse_intake(data))
    with a.db.read() as s:
        first = s.execute(select(Referral.id).where(Referral.case_id == saved.case_id)).scalar()
    a.referrals.rerefer(sup, first, "line-hn", "Trẻ đang ở Hà Nội")
    a.close()
    b.close()


@pytest.fixture(scope="module")
def pair_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test session (per worker): each module that uses it finds it there."""
    from datetime import UTC, datetime

    root = tmp_path_factory.getbasetemp() / "handoff-lines"
    if not (root / "built").exists():
        shutil.rmtree(root, ignore_errors=True)
        build_pair(root, FrozenClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)))
        (root / "built").touch()
    return root


@pytest.fixture
def lines(pair_template: Path, tmp_path: Path, clock: FrozenClock) -> Iterator[tuple[Line, Line]]:
    """Fresh copies of both lines for one test, on the test's clock."""
    made = []
    for code in ("111", "HN"):
        folder = tmp_path / code
        shutil.copytree(pair_template / code, folder)
        svc = _open(folder, clock)
        sup = svc.auth.login(SUPERVISOR, SUPERVISOR_PW)
        made.append(Line(code, folder, svc, sup, svc.auth.login(ADMIN, ADMIN_PW)))
    yield made[0], made[1]
    for line in made:
        line.services.close()


def case_number(line: Line) -> str:
    from caseintake.store.models import Case

    with line.services.db.read() as s:
        return str(s.execute(select(Case.number)).scalar())
