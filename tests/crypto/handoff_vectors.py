"""Fixed keys and contents of the hand-off test vectors (``docs/handoff-format.md``).

``python -m tests.crypto.handoff_vectors`` writes ``handoff_vectors.json`` beside this file: the
keys, the canonical header and content, the signed inner bytes (deterministic: Ed25519 is) and
one sealed file of each kind (HPKE is randomised: another implementation opens it with the
recipient's private key and checks it yields the inner bytes). The tests hold our code to it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from caseintake.crypto.handoff import SUITE
from caseintake.domain.handoff.header import Header, Party
from caseintake.domain.handoff.package import PackageBody, Routing
from caseintake.domain.handoff.receipt import ReceiptBody

FILE = Path(__file__).with_name("handoff_vectors.json")
CREATED = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
PACKAGE_ID = "5b0e2a8e-6c1f-4d0b-9a52-3f7c1d2e4a10"
RECEIPT_ID = "9d4c7b3a-1e2f-4a5b-8c6d-7e8f9a0b1c2d"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def seed(label: str) -> bytes:
    return hashlib.sha256(f"caseintake handoff test vector: {label}".encode()).digest()


@dataclass(frozen=True)
class RawLine:
    """A line from raw private keys (the vectors' and the benchmark's; a database's line
    keeps its keys in its identity service and lends only these two operations)."""

    code: str
    fingerprint: str
    signing: Ed25519PrivateKey
    hpke: X25519PrivateKey

    @property
    def party(self) -> Party:
        return Party(self.code, self.fingerprint)

    def sign(self, message: bytes) -> bytes:
        return self.signing.sign(message)

    def open_hpke(self, sealed: bytes, info: bytes) -> bytes:
        return SUITE.decrypt(sealed, self.hpke, info=info)


@dataclass(frozen=True)
class RawCard:
    code: str
    fingerprint: str
    signing: Ed25519PublicKey
    hpke: X25519PublicKey

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.signing.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def seal(self, plaintext: bytes, info: bytes) -> bytes:
        return SUITE.encrypt(plaintext, self.hpke, info=info)


def line(code: str, fingerprint: str) -> RawLine:
    return RawLine(
        code=code,
        fingerprint=fingerprint,
        signing=Ed25519PrivateKey.from_private_bytes(seed(f"{code} signing")),
        hpke=X25519PrivateKey.from_private_bytes(seed(f"{code} hpke")),
    )


def card(keys: RawLine) -> RawCard:
    return RawCard(keys.code, keys.fingerprint, keys.signing.public_key(), keys.hpke.public_key())


SENDER = line("111", "0111 0000 0000 0000 0000 0001")
RECIPIENT = line("HN01", "0201 0000 0000 0000 0000 0002")


def package_header() -> Header:
    return Header(
        "package", PACKAGE_ID, SENDER.party, RECIPIENT.party, CREATED, CREATED + timedelta(days=7)
    )


def package_body() -> dict[str, Any]:
    subject = {
        "priority": "high",
        "protection_level": "intervention",
        "immediate_danger": False,
        "location": {"province_code": 1, "ward_code": 4},
        "concerns": ["violence"],
        "setting": "family",
        "children": [
            {
                "age": 9,
                "age_basis": "stated",
                "sex": "female",
                "name": "Trẻ Thử Nghiệm",
                "address": "Số 1, phố Thử",
            }
        ],
        "perpetrators": [{"relationship": "step_parent"}],
        "caller": {"relationship": "neighbour"},
        "narrative": "Hàng xóm nghe tiếng trẻ khóc nhiều đêm (dữ liệu thử).",
    }
    return PackageBody(
        case_number="111-2026-000123",
        sender_line="111",
        recipient_line="HN01",
        directory_id="hn-line",
        routing=Routing(
            "violence_family_commune",
            "commune_committee",
            ("Nghị định 56/2017/NĐ-CP ch. III",),
            CREATED + timedelta(hours=12),
        ),
        basis={
            "citation": "Luật 91/2025/QH15 Art. 24",
            "code": "legal_duty",
            "duty": "Luật Trẻ em 2016 Art. 52",
        },
        profile_id="line",
        profile_source="test vector",
        subject=subject,
        audit_seq=42,
        audit_mac="00" * 32,
        authored=CREATED,
    ).to_json()


def receipt_header() -> Header:
    return Header(
        "receipt",
        RECEIPT_ID,
        RECIPIENT.party,
        SENDER.party,
        CREATED + timedelta(hours=1),
        CREATED + timedelta(days=7, hours=1),
    )


def receipt_body() -> dict[str, Any]:
    return ReceiptBody(
        package_id=PACKAGE_ID,
        sender_case_number="111-2026-000123",
        status="accepted",
        owner_line="HN01",
        owner_case_number="HN01-2026-000007",
        reason=None,
        outcome=None,
        authored=CREATED + timedelta(hours=1),
    ).to_json()


def _private(keys: RawLine) -> dict[str, str]:
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    return {
        "code": keys.code,
        "fingerprint": keys.fingerprint,
        "ed25519_private": keys.signing.private_bytes(*raw).hex(),
        "ed25519_public": keys.signing.public_key().public_bytes(*_RAW).hex(),
        "x25519_private": keys.hpke.private_bytes(*raw).hex(),
        "x25519_public": keys.hpke.public_key().public_bytes(*_RAW).hex(),
    }


def build() -> dict[str, Any]:
    from caseintake.crypto.handoff import seal, signed_inner

    out: dict[str, Any] = {"keys": {"sender": _private(SENDER), "recipient": _private(RECIPIENT)}}
    cases = (
        ("package", package_header(), package_body(), SENDER, RECIPIENT),
        ("receipt", receipt_header(), receipt_body(), RECIPIENT, SENDER),
    )
    for name, header, body, me, to in cases:
        out[name] = {
            "header": header.to_bytes().decode("utf-8"),
            "inner_hex": signed_inner(header, body, me).hex(),
            "file_hex": seal(header, body, me, card(to)).hex(),
        }
    return out


if __name__ == "__main__":
    FILE.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(FILE)
