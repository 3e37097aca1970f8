"""Key slots and recovery keys, sealed boxes, checkpoints."""

from __future__ import annotations

import time

import pytest

from caseintake.crypto.checkpoint import Checkpoint, load_checkpoint
from caseintake.crypto.errors import CryptoError
from caseintake.crypto.keys import DataKey
from caseintake.crypto.sealing import open_sealed, public_bytes, seal
from caseintake.crypto.slots import new_recovery_key, unwrap, wrap_with_password, wrap_with_recovery


def test_password_slot_round_trip_and_wrong_password() -> None:
    key = DataKey.generate()
    slot = wrap_with_password(key, "mật khẩu đúng 1", "slot-1")
    assert unwrap(slot, "mật khẩu đúng 1", "slot-1").secret == key.secret
    with pytest.raises(CryptoError) as err:
        unwrap(slot, "sai rồi", "slot-1")
    assert err.value.message("en") == "The password or recovery key is wrong."
    with pytest.raises(CryptoError):  # a slot copied to another user's row does not open
        unwrap(slot, "mật khẩu đúng 1", "slot-2")


def test_default_key_derivation_costs_half_a_second_to_a_second() -> None:
    """Issue 10 item 7: offline guessing costs ~0.5-1 s per guess and core (was 48 ms).
    CPU time, not wall time: lanes = 1 runs on one core, and other load on the machine must
    not make the figure lie either way. Only the floor is held here (a regression to a cheap
    derivation): on a shared machine even CPU time stretches (1.18 s and 1.55 s seen in CI
    with the other worker busy), so the 1 s ceiling is ``bench/bench_crypto.py``'s."""
    key = DataKey.generate()
    spent = []
    for _ in range(2):
        start = time.process_time()
        wrap_with_password(key, "pw-for-timing", "s")
        spent.append(time.process_time() - start)
    assert min(spent) >= 0.4, spent


def test_recovery_key_is_forgiving_about_format_only() -> None:
    key = DataKey.generate()
    recovery = new_recovery_key()
    slot = wrap_with_recovery(key, recovery, "rec")
    loose = recovery.replace("-", " ").lower()
    assert unwrap(slot, loose, "rec").secret == key.secret
    with pytest.raises(CryptoError):
        unwrap(slot, new_recovery_key(), "rec")


def test_sealed_box() -> None:
    key = DataKey.generate()
    blob = seal(public_bytes(key.sealing_key), b'{"name": "lan"}', "ctx")
    assert open_sealed(key.sealing_key, blob, "ctx") == b'{"name": "lan"}'
    with pytest.raises(CryptoError):
        open_sealed(key.sealing_key, blob, "other")
    with pytest.raises(CryptoError):
        open_sealed(DataKey.generate().sealing_key, blob, "ctx")


def test_checkpoint_signature() -> None:
    key = DataKey.generate()
    text = Checkpoint("db-1", 42, b"\x01" * 32, "2026-03-02T02:00:00+00:00").sign(key.signing_key)
    cp = load_checkpoint(text, key.signing_key)
    assert (cp.db_id, cp.seq, cp.mac) == ("db-1", 42, b"\x01" * 32)
    with pytest.raises(CryptoError):
        load_checkpoint(text.replace('"seq": 42', '"seq": 43'), key.signing_key)
    with pytest.raises(CryptoError):
        load_checkpoint(text, DataKey.generate().signing_key)
    with pytest.raises(CryptoError):
        load_checkpoint("not json", key.signing_key)
