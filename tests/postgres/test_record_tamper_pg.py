"""Issue 20 item 1 on PostgreSQL: each attack of ``tests/services/record_tamper.py`` (plain
SQL edits, deletions, an inserted row, a colleague's re-encrypted narrative) named by
``audit verify`` on both paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.audit_tamper import Tamper, verifier
from tests.services.record_tamper import RECORD_ATTACKS, world

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_services(pg_url: str, tmp_path: Path, clock: Any) -> Iterator[Services]:
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    svc.users.add(admin, OPERATOR, "operator", "one-time-pass-1")
    svc.auth.change_password(OPERATOR, "one-time-pass-1", OPERATOR_PW)
    svc.users.add(admin, SUPERVISOR, "supervisor", "one-time-pass-2")
    svc.auth.change_password(SUPERVISOR, "one-time-pass-2", SUPERVISOR_PW)
    yield svc
    svc.close()


@pytest.mark.parametrize("path", ["serial", "parallel"])
@pytest.mark.parametrize("attack", RECORD_ATTACKS, ids=lambda a: a.__name__)
def test_record_attack_is_named_on_postgres(
    pg_services: Services, path: str, attack: Callable[..., Any]
) -> None:
    w = world(pg_services)
    tamper = Tamper(pg_services.settings.db_url)
    try:
        attack(w, tamper, verifier(pg_services, path))
    finally:
        tamper.close()
