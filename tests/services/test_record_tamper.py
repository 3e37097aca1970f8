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
