"""Issue 10 item 2, the part that is done: checkpoints are signed with their writer's own key and
only an admin's or supervisor's count, so an operator who rewrites the whole chain with the
shared data key cannot forge the checkpoint that would make ``audit verify`` say intact."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from caseintake.crypto.audit_chain import canonical, genesis_mac, next_mac
from caseintake.crypto.checkpoint import Checkpoint
from caseintake.crypto.errors import CryptoError
from caseintake.services.container import Services
from caseintake.store.models import Meta
from tests.conftest import OPERATOR, OPERATOR_PW
from tests.services.audit_tamper import Tamper, events

FIELDS = "seq, at_us, actor, action, entity, entity_id, details"


def rewrite_chain_without(tamper: Tamper, operator: Any, db_id: str, actor: str) -> int:
    """The attack of issue 10 #2: drop every event of ``actor``, renumber, re-MAC from genesis
    with the audit key every user derives. Returns the new head's seq."""
    rows = [
        r for r in tamper.run(f"SELECT {FIELDS} FROM audit_events ORDER BY seq") if r[2] != actor
    ]
    tamper.run("DELETE FROM audit_events")
    key = operator.keys.audit_key
    prev = genesis_mac(key, db_id)
    for seq, row in enumerate(rows, 1):
        mac = next_mac(key, prev, canonical(seq, *row[1:6], bytes(row[6])))
        tamper.run(
            "INSERT INTO audit_events (seq, at_us, actor, action, entity, entity_id, details, mac)"
            " VALUES (:s, :a, :b, :c, :d, :e, :f, :m)",
            s=seq, a=row[1], b=row[2], c=row[3], d=row[4], e=row[5], f=row[6], m=mac,
        )  # fmt: skip
        prev = mac
    return len(rows)


def db_id_of(services: Services) -> str:
    with services.db.read() as s:
        return str(s.execute(select(Meta.db_id)).scalar_one())


def test_rewritten_chain_is_caught_by_the_admins_checkpoint(services: Services, admin: Any) -> None:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    events(services, 3)
    services.audit.write_checkpoint(admin)
    tamper = Tamper(services.settings.db_url)
    head = rewrite_chain_without(tamper, operator, db_id_of(services), OPERATOR)
    # ... and a checkpoint forged with the key every user derives from the data key:
    forged = Checkpoint(
        db_id_of(services),
        head,
        tamper.run("SELECT mac FROM audit_events WHERE seq = :s", s=head)[0][0],
        "2026-03-02T02:00:00+00:00",
    )
    store = services.audit.store(db_id_of(services))
    store.keep(head, forged.sign(operator.keys.data_key.signing_key))
    result = services.audit.verify(admin)
    assert not result.ok and result.problem in ("audit.checkpoint_mismatch", "audit.truncated")
    tamper.close()


def test_checkpoint_forged_with_the_data_key_counts_as_damage(
    services: Services, admin: Any
) -> None:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    tamper = Tamper(services.settings.db_url)
    head = rewrite_chain_without(tamper, operator, db_id_of(services), OPERATOR)
    mac = tamper.run("SELECT mac FROM audit_events WHERE seq = :s", s=head)[0][0]
    forged = Checkpoint(db_id_of(services), head, mac, "2026-03-02T02:00:00+00:00")
    services.audit.store(db_id_of(services)).keep(
        head, forged.sign(operator.keys.data_key.signing_key)
    )
    result = services.audit.verify(admin)
    assert (result.ok, result.problem, result.first_bad_seq) == (
        False,
        "audit.checkpoint_damaged",
        head,
    )
    tamper.close()


def test_an_operators_checkpoint_is_kept_but_proves_nothing(
    services: Services, admin: Any, tmp_path: Any
) -> None:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    out = tmp_path / "op.json"
    services.audit.write_checkpoint(operator, out)
    assert services.audit.latest_checkpoint(admin, db_id_of(services)) is None
    assert services.audit.verify(admin).ok
    with pytest.raises(CryptoError) as err:
        services.audit.verify(admin, out)
    assert err.value.key == "audit.checkpoint_untrusted"
    _, seq = services.audit.write_checkpoint(admin)
    assert services.audit.latest_checkpoint(admin, db_id_of(services)).seq == seq  # type: ignore[union-attr]
