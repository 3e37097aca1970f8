"""Issue 20 item 8: after the admin changes the key-derivation cost, an unknown name still
costs the derivation a known user's wrong password costs (the slots keep their old cost until
each owner logs in again), so the time of a refusal does not tell whether a name exists."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.crypto import slots
from caseintake.services.access.auth import AuthError
from caseintake.services.access.security_settings import SecuritySettingsService
from tests.conftest import OPERATOR


@pytest.mark.parametrize("memory_kib", [512, 128])  # raised, then lowered
def test_unknown_and_known_cost_the_same_after_a_cost_change(
    services: Any, admin: Any, monkeypatch: Any, memory_kib: int
) -> None:
    policy = SecuritySettingsService(services.db, services.settings, services.audit_log)
    policy.change(admin, kdf_memory_kib=memory_kib, lockout_failures=20)
    seen: list[tuple[int, int, int]] = []
    real = slots.derive_key

    def spy(password: str, params: Any) -> bytes:
        seen.append((params.cost.memory_kib, params.cost.iterations, params.cost.lanes))
        return real(password, params)

    monkeypatch.setattr(slots, "derive_key", spy)
    for name in ("nobody-here", OPERATOR):
        with pytest.raises(AuthError):
            services.auth.login(name, "wrong-password")
    assert len(seen) == 2 and seen[0] == seen[1], seen
