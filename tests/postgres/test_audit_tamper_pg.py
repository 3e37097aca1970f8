"""The attacks of ``tests/services/audit_tamper.py`` on PostgreSQL, against both verify paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW
from tests.services.audit_tamper import ATTACKS, Tamper, events, verifier

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_services(pg_url: str, tmp_path: Path, clock: Any) -> Iterator[Services]:
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    svc.auth.change_password(OPERATOR, "one-time-pass-1", OPERATOR_PW)
    yield svc
    svc.close()


@pytest.mark.parametrize("path", ["serial", "parallel"])
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_attack_is_named_on_postgres(
    pg_services: Services, path: str, attack: Callable[..., None]
) -> None:
    admin = pg_services.auth.login(ADMIN, ADMIN_PW)
    events(pg_services, 3)
    tamper = Tamper(pg_services.settings.db_url)
    try:
        attack(pg_services, admin, tamper, verifier(pg_services, path))
    finally:
        tamper.close()
