"""A line's identity (issue 24 item 1): its code and name, an Ed25519 key that signs what the
line sends, and an X25519 key other lines seal packages to with HPKE (RFC 9180).

The *public card* is what a line gives its partners: canonical JSON (keys sorted, no spaces,
UTF-8, integers and strings only, as RFC 8785 canonicalises such a value: the one encoder,
``domain.handoff.canonical``, that the hand-off format uses) of

    {"format": "caseintake-line-card/1", "code": ..., "name": ...,
     "sign_key": base64url(Ed25519 public, 32 bytes), "hpke_key": base64url(X25519 public),
     "hpke_suite": "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM",
     "signature": base64url(Ed25519 signature)}

The signature covers ``CARD_CONTEXT`` followed by the canonical JSON of every other member.
The *fingerprint* is read out by phone before a partner's card is trusted: the SHA-256 of
``FINGERPRINT_CONTEXT`` and the same signed bytes, its first 10 bytes as a number, printed as
24 decimal digits in six groups of four (about 80 bits: finding a second card with the same
fingerprint costs about 2^80 hashes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.sealing import open_sealed, seal
from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.canonical import canonical

CARD_FORMAT = "caseintake-line-card/1"
CARD_CONTEXT = b"caseintake/line-card/1\n"
FINGERPRINT_CONTEXT = b"caseintake/line-fingerprint/1\n"
HPKE_SUITE_NAME = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"
MAX_CARD_BYTES = 4096
MAX_NAME = 200
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
KEYS_BYTES = 64  # the Ed25519 private seed, then the X25519 private key
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw
_RAW_PRIVATE = (
    serialization.Encoding.Raw,
    serialization.PrivateFormat.Raw,
    serialization.NoEncryption(),
)
_CARD_MEMBERS = {"format", "code", "name", "sign_key", "hpke_key", "hpke_suite", "signature"}


def hpke_suite() -> hpke.Suite:
    """The one suite every line uses (RFC 9180 base mode)."""
    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def check_code(code: str) -> str:
    """A line code: 2 to 8 capital letters or digits ("111", "HN", "WUHCM1")."""
    if not isinstance(code, str) or CODE_PATTERN.fullmatch(code) is None:
        raise DomainError("line.bad_code", code=code)
    return code


def check_name(name: str) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > MAX_NAME or any(not c.isprintable() for c in text):
        raise DomainError("line.bad_name", n=MAX_NAME)
    return text


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64(data) != text:  # unused low bits set: one value, one spelling
        raise ValueError("not canonical base64url")
    return data


@dataclass(frozen=True)
class LineKeys:
    """The two private keys of a line; they live in memory only (stored wrapped)."""

    signing: Ed25519PrivateKey = field(repr=False)
    hpke: X25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> LineKeys:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, raw: bytes) -> LineKeys:
        if len(raw) != KEYS_BYTES:
            raise CryptoError("line.keys_damaged")
        return cls(
            Ed25519PrivateKey.from_private_bytes(raw[:32]),
            X25519PrivateKey.from_private_bytes(raw[32:]),
        )

    def to_bytes(self) -> bytes:
        return self.signing.private_bytes(*_RAW_PRIVATE) + self.hpke.private_bytes(*_RAW_PRIVATE)

    @property
    def sign_public(self) -> bytes:
        return self.signing.public_key().public_bytes(*_RAW)

    @property
    def hpke_public(self) -> bytes:
        return self.hpke.public_key().public_bytes(*_RAW)


@dataclass(frozen=True)
class LineCard:
    """A line's public card, its self-signature checked."""

    code: str
    name: str
    sign_public: bytes
    hpke_public: bytes
    signature: bytes

    def body(self) -> dict[str, str]:
        return {
            "format": CARD_FORMAT,
            "code": self.code,
            "name": self.name,
            "sign_key": b64(self.sign_public),
            "hpke_key": b64(self.hpke_public),
            "hpke_suite": HPKE_SUITE_NAME,
        }

    def signed_bytes(self) -> bytes:
        return CARD_CONTEXT + canonical(self.body())

    def to_bytes(self) -> bytes:
        """The card file: canonical JSON and a final newline."""
        return canonical({**self.body(), "signature": b64(self.signature)}) + b"\n"

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.signed_bytes())

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this line's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.sign_public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def seal(self, plaintext: bytes, info: bytes) -> bytes:
        """HPKE base mode to this line (encapsulated key, then ciphertext)."""
        public = X25519PublicKey.from_public_bytes(self.hpke_public)
        return hpke_suite().encrypt(plaintext, public, info=info)


def fingerprint_of(signed: bytes) -> str:
    digest = hashlib.sha256(FINGERPRINT_CONTEXT + signed).digest()
    digits = f"{int.from_bytes(digest[:10], 'big') % 10**24:024d}"
    return " ".join(digits[i : i + 4] for i in range(0, 24, 4))


def same_fingerprint(typed: str, fingerprint: str) -> bool:
    """Digits compared, spaces, dashes and dots as the admin typed them ignored."""
    wanted = re.sub(r"[\s.\-]", "", typed or "")
    return wanted.isdigit() and wanted == fingerprint.replace(" ", "")


def make_card(code: str, name: str, keys: LineKeys) -> LineCard:
    unsigned = LineCard(check_code(code), check_name(name), keys.sign_public, keys.hpke_public, b"")
    return LineCard(
        unsigned.code,
        unsigned.name,
        unsigned.sign_public,
        unsigned.hpke_public,
        keys.signing.sign(unsigned.signed_bytes()),
    )


def parse_card(data: bytes) -> LineCard:
    """A card from a file, its shape and self-signature checked; one sentence otherwise."""
    if len(data) > MAX_CARD_BYTES:
        raise CryptoError("line.card_too_big", n=MAX_CARD_BYTES)
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CryptoError("line.card_not_json") from None
    if not isinstance(raw, dict) or set(raw) != _CARD_MEMBERS:
        raise CryptoError("line.card_shape")
    if raw["format"] != CARD_FORMAT or raw["hpke_suite"] != HPKE_SUITE_NAME:
        raise CryptoError("line.card_format")
    if not all(isinstance(raw[k], str) for k in _CARD_MEMBERS):
        raise CryptoError("line.card_shape")
    try:
        sign_public, hpke_public = unb64(raw["sign_key"]), unb64(raw["hpke_key"])
        signature = unb64(raw["signature"])
    except (ValueError, binascii.Error):
        raise CryptoError("line.card_shape") from None
    if len(sign_public) != 32 or len(hpke_public) != 32 or len(signature) != 64:
        raise CryptoError("line.card_shape")
    try:
        card = LineCard(
            check_code(raw["code"]), check_name(raw["name"]), sign_public, hpke_public, signature
        )
    except DomainError:
        raise CryptoError("line.card_shape") from None
    if card.name != raw["name"] or not card.verify(card.signed_bytes(), signature):
        raise CryptoError("line.card_signature")
    return card


def open_hpke(keys: LineKeys, sealed: bytes, info: bytes) -> bytes:
    """What ``LineCard.seal`` sealed to this line with this ``info``; one sentence otherwise."""
    try:
        return hpke_suite().decrypt(sealed, keys.hpke, info=info)
    except (InvalidTag, ValueError):
        raise CryptoError("line.hpke_failed") from None


DEFAULT_CODE = "111"
DEFAULT_NAME = "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111"


def _sealed_context(db_id: str) -> str:
    return f"caseintake/line-keys/1|{db_id}"


def seal_keys(sealing_public: bytes, keys: LineKeys, db_id: str) -> bytes:
    """The private keys sealed to the database's sealing key (migration 0018 has no data key)."""
    return seal(sealing_public, keys.to_bytes(), _sealed_context(db_id))


def open_sealed_keys(sealing: X25519PrivateKey, blob: bytes, db_id: str) -> LineKeys:
    try:
        return LineKeys.from_bytes(open_sealed(sealing, blob, _sealed_context(db_id)))
    except CryptoError:
        raise CryptoError("line.keys_damaged") from None
