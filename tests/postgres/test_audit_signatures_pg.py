"""The per-user signature attacks of ``tests/services/test_audit_signatures.py`` on a real
PostgreSQL server, against both verify paths (issue 10 item 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, SUPERVISOR, SUPERVISOR_PW
from tests.services.test_audit_signatures import (  # noqa: F401 (fixtures and tests reused)
    test_altering_another_users_event_is_named,
    test_deleting_another_users_event_is_named,
    test_every_event_is_signed_by_its_writer,
    test_moving_the_signed_era_is_named,
    test_stripping_a_signature_leaves_the_event_uncovered,
    test_writing_in_another_users_name_is_named,
    trail,
    verify,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def services(pg_url: str, tmp_path: Path, clock: Any) -> Iterator[Services]:
    svc = Services(Settings(db_url=pg_url, state_dir=tmp_path / "state", clock=clock))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    for name, role, password in (
        (OPERATOR, "operator", OPERATOR_PW),
        (SUPERVISOR, "supervisor", SUPERVISOR_PW),
    ):
        svc.users.add(admin, name, role, "one-time-pass-1")
        svc.auth.change_password(name, "one-time-pass-1", password)
    yield svc
    svc.close()
