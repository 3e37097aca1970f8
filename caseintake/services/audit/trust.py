"""Roles, disabled flags and slot owners bound by admin signatures (issue 10 item 3).

The trust anchor (the first admin's and the recovery key's public keys) is stored in ``meta``
and pinned at ``init`` in the state folder beside the checkpoints; ``init`` prints its
fingerprint to be written down. A user is *certified* when their certificate verifies under
the anchor, the recovery key, or an admin who is certified in turn. Login refuses an account
whose certificate does not match the row, and ``audit verify`` names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseintake.crypto.user_certs import (
    RECOVERY_SIGNER,
    Identity,
    certify,
    fingerprint,
    signed_by,
    split_certificate,
)
from caseintake.domain.errors import DomainError
from caseintake.services.audit.checkpoints import CheckpointStore
from caseintake.services.core.principal import Principal
from caseintake.services.core.private_files import private_dir, write_private
from caseintake.store.models import KeySlotRow, Meta, User

ANCHOR_FORMAT = "caseintake-anchor/1"


@dataclass(frozen=True)
class Anchor:
    admin_id: str
    admin_public: bytes
    recovery_public: bytes
    # The first audit event that must be signed (issue 10 item 2), pinned with the keys so
    # that moving it in the file shows; None for a database made before event signatures.
    audit_signed_from: int | None = None

    def to_json(self) -> str:
        doc: dict[str, object] = {
            "format": ANCHOR_FORMAT,
            "admin_id": self.admin_id,
            "admin_public": self.admin_public.hex(),
            "recovery_public": self.recovery_public.hex(),
        }
        if self.audit_signed_from is not None:
            doc["audit_signed_from"] = self.audit_signed_from
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: object) -> Anchor | None:
        try:
            doc = json.loads(str(text))
            if doc.get("format") != ANCHOR_FORMAT:
                return None
            signed_from = doc.get("audit_signed_from")
            if signed_from is not None and (
                not isinstance(signed_from, int) or isinstance(signed_from, bool)
            ):
                return None
            return cls(
                str(doc["admin_id"]),
                bytes.fromhex(doc["admin_public"]),
                bytes.fromhex(doc["recovery_public"]),
                signed_from,
            )
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.admin_public + self.recovery_public)


def anchor_file(state_dir: Path, db_id: str) -> Path:
    return CheckpointStore(state_dir, db_id).folder / "trust-anchor.pin"


def pin_anchor(state_dir: Path, db_id: str, anchor: Anchor) -> None:
    store = CheckpointStore(state_dir, db_id)
    private_dir(store.root)
    private_dir(store.folder)
    write_private(anchor_file(state_dir, db_id), anchor.to_json())


def current_anchor(s: Session, state_dir: Path) -> Anchor | None:
    """The database's anchor, checked against the pinned copy when this machine has one.
    None only for a database made before certificates existed."""
    meta = s.execute(select(Meta.db_id, Meta.trust_anchor)).one()
    if meta.trust_anchor is None:
        return None
    stored = Anchor.from_json(meta.trust_anchor)
    pinned_path = anchor_file(state_dir, meta.db_id)
    if pinned_path.is_file():
        pinned = Anchor.from_json(pinned_path.read_text(encoding="utf-8"))
        if pinned is None or pinned != stored:
            raise DomainError("security.anchor_mismatch", path=str(pinned_path))
    if stored is None:
        raise DomainError("security.anchor_mismatch", path="meta")
    return stored


def identity(db_id: str, user: User, slot_id: str) -> Identity:
    return Identity(
        db_id,
        user.id,
        user.name,
        user.role,
        bool(user.disabled),
        slot_id,
        bytes(user.public_key or b""),
    )


def sign_user(s: Session, signer: Principal, user: User, slot_id: str) -> None:
    """The acting admin (or the recovery key) signs the user's row as it now is."""
    if signer.keys.signing is None:
        raise DomainError("security.no_signing_key")
    db_id = s.execute(select(Meta.db_id)).scalar_one()
    signer_id = RECOVERY_SIGNER if signer.user_id == "-" else signer.user_id
    user.certificate = certify(identity(db_id, user, slot_id), signer_id, signer.keys.signing)


def certified(s: Session, anchor: Anchor) -> dict[str, bool]:
    """Each user's standing: certified by the anchor, the recovery key, or a certified admin."""
    db_id = s.execute(select(Meta.db_id)).scalar_one()
    users = {u.id: u for u in s.execute(select(User)).scalars()}
    slots = {
        str(uid): str(sid)
        for uid, sid in s.execute(
            select(KeySlotRow.user_id, KeySlotRow.id).where(KeySlotRow.user_id.is_not(None))
        )
    }
    ok = dict.fromkeys(users, False)
    changed = True
    while changed:
        changed = False
        for uid, user in users.items():
            parsed = split_certificate(user.certificate)
            if ok[uid] or parsed is None or uid not in slots:
                continue
            signer, signature = parsed
            public = _signer_key(signer, uid, user, users, ok, anchor)
            if public and signed_by(identity(db_id, user, slots[uid]), signer, signature, public):
                ok[uid] = changed = True
    return ok


def _signer_key(
    signer: str, uid: str, user: User, users: dict[str, User], ok: dict[str, bool], anchor: Anchor
) -> bytes | None:
    if signer == RECOVERY_SIGNER:
        return anchor.recovery_public
    if signer == uid == anchor.admin_id:
        return anchor.admin_public if user.public_key == anchor.admin_public else None
    other = users.get(signer)
    if other is None or not ok.get(signer) or other.role != "admin" or other.disabled:
        return None
    return bytes(other.public_key or b"")


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def checkpoint_signers(s: Session, anchor: Anchor) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Public keys of everyone certified, and of those whose checkpoints are proof: every
    certified user and the recovery key (issue 10 item 2). Since each user signs their own
    events, a checkpoint can only add a constraint: a false one raises an alarm, it cannot hide
    a change. Counting operators' checkpoints is what shows a cut tail of their own events."""
    ok = certified(s, anchor)
    every: dict[str, bytes] = {RECOVERY_SIGNER: anchor.recovery_public}
    for user in s.execute(select(User)).scalars():
        if ok.get(user.id) and user.public_key:
            every[user.id] = bytes(user.public_key)
    return every, dict(every)
