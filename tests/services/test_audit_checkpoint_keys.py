"""Issue 10 item 2: checkpoints are signed with their writer's own key, so an insider who
rewrites the chain with the shared data key cannot forge the checkpoint that would make
``audit verify`` say intact (events are signed per user too: test_audit_signatures.py)."""

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

FIELDS = "seq, at_us, actor, action, entity, entity_id, details, states"


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
        states = None if row[7] is None else bytes(row[7])
        mac = next_mac(key, prev, canonical(seq, *row[1:6], bytes(row[6]), states))
        tamper.run(
            "INSERT INTO audit_events (seq, at_us, actor, action, entity, entity_id, details,"
            " states, mac) VALUES (:s, :a, :b, :c, :d, :e, :f, :r, :m)",
            s=seq, a=row[1], b=row[2], c=row[3], d=row[4], e=row[5], f=row[6], r=row[7], m=mac,
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
    # Since per-user signatures (test_audit_signatures.py) the rewrite is named even before the
    # checkpoint is consulted: the rewritten events carry no signature their users made.
    assert not result.ok and result.problem in (
        "audit.checkpoint_mismatch",
        "audit.truncated",
        "audit.unknown_signer",
        "audit.bad_signature",
    )
    tamper.close()


def test_checkpoint_forged_with_the_data_key_counts_as_damage(
    services: Services, admin: Any
) -> None:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    tamper = Tamper(services.settings.db_url)
    head = tamper.last()  # the trail as it is: only the checkpoint is forged
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


def test_an_operators_checkpoint_counts_and_shows_a_cut_tail(
    services: Services, admin: Any, tmp_path: Any
) -> None:
    """Since every event is signed by its writer, an operator's checkpoint (written when their
    session ends) is proof too: another insider who cuts the operator's last events is caught."""
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    out = tmp_path / "op.json"
    _, seq = services.audit.write_checkpoint(operator, out)
    assert services.audit.latest_checkpoint(admin, db_id_of(services)).seq == seq  # type: ignore[union-attr]
    assert services.audit.verify(admin, out).ok
    tamper = Tamper(services.settings.db_url)
    tamper.run("DELETE FROM audit_events WHERE seq >= :s", s=seq - 1)
    result = services.audit.verify(admin)
    assert (result.ok, result.problem) == (False, "audit.truncated")
    tamper.close()


def test_a_checkpoint_by_an_uncertified_key_is_refused(
    services: Services, admin: Any, tmp_path: Any
) -> None:
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    out = tmp_path / "op.json"
    services.audit.write_checkpoint(operator, out)
    tamper = Tamper(services.settings.db_url)
    tamper.run("UPDATE users SET certificate = NULL WHERE name = :n", n=OPERATOR)
    with pytest.raises(CryptoError) as err:
        services.audit.verify(admin, out)
    assert err.value.key == "crypto.checkpoint_signature"
    tamper.close()
