"""Issue 20 item 3: an event's actor is the user whose key signed it, or the one system actor
``-`` (attempts chained from before any login). An insider who re-MACs the chain and signs an
event with their own key under a look-alike name (Cyrillic ``ѕ``, another case, a name that is
no user's) is named by ``audit verify`` on both paths, with the signer."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.services.container import Services
from tests.conftest import ADMIN, OPERATOR, SUPERVISOR
from tests.services.audit_tamper import Tamper
from tests.services.test_audit_checkpoint_keys import db_id_of
from tests.services.test_audit_signatures import read_rows, rewrite, trail, verify

__all__ = ["trail", "verify"]  # fixtures used below


@pytest.mark.parametrize("shown", ["mіnh", "MINH", "Minh", "giám đốc", ADMIN + " "])
def test_an_event_under_a_look_alike_name_is_named(
    services: Services, trail: Any, verify: Any, shown: str
) -> None:
    assert SUPERVISOR == "minh" and shown != SUPERVISOR
    attacker = trail[OPERATOR]
    tamper = Tamper(services.settings.db_url)
    rows = read_rows(tamper)
    closing = [0, rows[-1][1] + 1, shown, "case_status_changed", "case", "c-1", rows[-1][6]]
    rows.append([*closing, attacker.user_id, b"-", None])  # signed with the attacker's own key
    rewrite(tamper, attacker, db_id_of(services), rows)
    result = verify(trail[ADMIN])
    assert (result.ok, result.first_bad_seq, result.problem) == (
        False,
        len(rows),
        "audit.forged_actor",
    )
    assert result.detail == shown
    tamper.close()


def test_the_system_actor_and_own_name_pass(services: Services, trail: Any, verify: Any) -> None:
    """Failed logins chained by the next login are written as ``-``: they verify."""
    from caseintake.domain.errors import DomainError

    with pytest.raises(DomainError):
        services.auth.login(OPERATOR, "wrong-password-9")
    services.auth.login(SUPERVISOR, "cedar-window-63")
    tamper = Tamper(services.settings.db_url)
    assert any(r[2] == "-" for r in read_rows(tamper))
    tamper.close()
    assert verify(trail[ADMIN]).ok
