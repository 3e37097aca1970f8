"""Issue 24: sealing and opening hand-off files. Each attack is a test: a changed byte
anywhere, a forged signature, a package for another line or key, an expired or oversize file,
a receipt given as a package; and the fixed vectors of docs/handoff-format.md still open."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from caseintake.crypto.handoff import (
    MAX_FILE,
    SIGNING_CONTEXT,
    open_file,
    read_header,
    seal,
    signed_inner,
)
from caseintake.domain.handoff.header import HandoffRefused
from caseintake.domain.handoff.package import PackageBody
from caseintake.domain.handoff.receipt import ReceiptBody
from tests.crypto import handoff_vectors as v

LATER = v.CREATED + timedelta(hours=2)


@pytest.fixture(scope="module")
def sealed() -> bytes:
    return seal(v.package_header(), v.package_body(), v.SENDER, v.card(v.RECIPIENT))


def _open(data: bytes, me: v.RawLine = v.RECIPIENT, **kw: object) -> object:
    return open_file(data, "package", me, v.card(v.SENDER), LATER, **kw)  # type: ignore[arg-type]


def test_a_package_opens_to_its_body_and_header(sealed: bytes) -> None:
    opened = open_file(sealed, "package", v.RECIPIENT, v.card(v.SENDER), LATER)
    assert opened.header == v.package_header() == read_header(sealed)
    assert opened.body == v.package_body()
    body = PackageBody.from_json(opened.body)
    assert body.case_number == "111-2026-000123" and body.audit_seq == 42


def test_the_header_is_in_clear_and_nothing_else_is(sealed: bytes) -> None:
    assert v.package_header().to_bytes() in sealed
    for secret in ("Trẻ Thử Nghiệm", "Hàng xóm", "111-2026-000123", "step_parent", "violence"):
        assert secret.encode() not in sealed


def test_every_changed_byte_is_refused(sealed: bytes) -> None:
    for at in range(len(sealed)):
        changed = bytearray(sealed)
        changed[at] ^= 0x01
        with pytest.raises(HandoffRefused):
            _open(bytes(changed))
    for cut in (0, 5, len(sealed) // 2, len(sealed) - 1):
        with pytest.raises(HandoffRefused):
            _open(sealed[:cut])
    with pytest.raises(HandoffRefused):
        _open(sealed + b"\x00")


def test_a_forged_signature_is_refused() -> None:
    """Anyone can seal to the recipient's public key; only the sender's card key signs."""
    forger = v.RawLine("111", v.SENDER.fingerprint, Ed25519PrivateKey.generate(), v.SENDER.hpke)
    forged = seal(v.package_header(), v.package_body(), forger, v.card(v.RECIPIENT))
    with pytest.raises(HandoffRefused) as err:
        _open(forged)
    assert err.value.key == "handoff.error.bad_signature"


def test_a_header_swapped_onto_another_ciphertext_is_refused(sealed: bytes) -> None:
    """HPKE's info binds the header: one package's header on another's ciphertext fails."""
    header = v.package_header()
    other = v.Header(header.kind, "0" * 8 + header.id[8:], *list(header.__dict__.values())[2:])
    second = seal(other, v.package_body(), v.SENDER, v.card(v.RECIPIENT))
    head = len(header.to_bytes()) + 6
    assert len(other.to_bytes()) + 6 == head
    with pytest.raises(HandoffRefused) as err:
        _open(second[:head] + sealed[head:])
    assert err.value.key == "handoff.error.tampered"


def test_inner_content_must_repeat_the_clear_header() -> None:
    """A sender signing one header and sealing under another is refused as tampered."""
    header = v.package_header()
    inner = signed_inner(header, v.package_body(), v.SENDER)
    other = v.Header(header.kind, "1" * 8 + header.id[8:], *list(header.__dict__.values())[2:])
    prefix = b"CIH1" + len(other.to_bytes()).to_bytes(2, "big") + other.to_bytes()
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    data = prefix + suite.encrypt(inner, v.RECIPIENT.hpke.public_key(), info=prefix)
    with pytest.raises(HandoffRefused) as err:
        _open(data)
    assert err.value.key == "handoff.error.tampered"


def test_a_package_for_another_line_or_key_is_refused(sealed: bytes) -> None:
    other_line = v.RawLine("HCM1", v.RECIPIENT.fingerprint, v.RECIPIENT.signing, v.RECIPIENT.hpke)
    with pytest.raises(HandoffRefused) as err:
        _open(sealed, other_line)
    assert err.value.key == "handoff.error.wrong_recipient"
    assert "HN01" in err.value.message("en")
    new_key = v.RawLine("HN01", "0201 9999", v.RECIPIENT.signing, X25519PrivateKey.generate())
    with pytest.raises(HandoffRefused) as err:
        _open(sealed, new_key)
    assert err.value.key == "handoff.error.wrong_key"


def test_an_expired_or_oversize_package_is_refused_before_opening(sealed: bytes) -> None:
    with pytest.raises(HandoffRefused) as err:
        open_file(sealed, "package", v.RECIPIENT, v.card(v.SENDER), v.CREATED + timedelta(days=8))
    assert err.value.key == "handoff.error.expired"
    with pytest.raises(HandoffRefused) as err:
        _open(sealed, limit=len(sealed) - 1)
    assert err.value.key == "handoff.error.too_large"
    with pytest.raises(HandoffRefused) as err:
        _open(b"CIH1" + b"\x00" * (MAX_FILE + 1))
    assert err.value.key == "handoff.error.too_large"


def test_an_unknown_sender_card_is_refused(sealed: bytes) -> None:
    stranger = v.card(v.line("HCM1", "0301 0000"))
    with pytest.raises(HandoffRefused) as err:
        open_file(sealed, "package", v.RECIPIENT, stranger, LATER)
    assert err.value.key == "handoff.error.unknown_sender"


def test_a_receipt_is_not_a_package_and_opens_as_a_receipt() -> None:
    receipt = seal(v.receipt_header(), v.receipt_body(), v.RECIPIENT, v.card(v.SENDER))
    with pytest.raises(HandoffRefused) as err:
        open_file(receipt, "package", v.SENDER, v.card(v.RECIPIENT), LATER)
    assert err.value.key == "handoff.error.not_a_package"
    opened = open_file(receipt, "receipt", v.SENDER, v.card(v.RECIPIENT), LATER)
    assert ReceiptBody.from_json(opened.body).status == "accepted"


def test_other_files_are_refused_in_one_sentence() -> None:
    for junk in (b"", b"PK\x03\x04zip", b"CIH1\xff\xff" + b"x" * 100):
        with pytest.raises(HandoffRefused) as err:
            _open(junk)
        assert err.value.key == "handoff.error.not_handoff"


def test_the_fixed_vectors_still_hold() -> None:
    """docs/handoff-format.md: the inner bytes are deterministic; the sealed files open."""
    vectors = json.loads(v.FILE.read_text(encoding="utf-8"))
    assert vectors == {**vectors, "keys": json.loads(json.dumps(v.build()["keys"]))}
    cases = (
        ("package", v.package_header(), v.package_body(), v.SENDER, v.RECIPIENT),
        ("receipt", v.receipt_header(), v.receipt_body(), v.RECIPIENT, v.SENDER),
    )
    for name, header, body, me, to in cases:
        vector = vectors[name]
        assert vector["header"].encode() == header.to_bytes()
        inner = bytes.fromhex(vector["inner_hex"])
        assert signed_inner(header, body, me) == inner
        me.signing.public_key().verify(inner[:64], SIGNING_CONTEXT + inner[64:])
        data = bytes.fromhex(vector["file_hex"])
        assert open_file(data, name, to, v.card(me), LATER).inner == inner


def test_the_vector_opens_by_the_document_alone() -> None:
    """Another implementation, from docs/handoff-format.md and the vector file only."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    vectors = json.loads(v.FILE.read_text(encoding="utf-8"))
    data = bytes.fromhex(vectors["package"]["file_hex"])
    assert data[:4] == b"CIH1"
    length = int.from_bytes(data[4:6], "big")
    info, sealed = data[: 6 + length], data[6 + length :]
    private = X25519PrivateKey.from_private_bytes(
        bytes.fromhex(vectors["keys"]["recipient"]["x25519_private"])
    )
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    inner = suite.decrypt(sealed, private, info=info)
    public = bytes.fromhex(vectors["keys"]["sender"]["ed25519_public"])
    Ed25519PublicKey.from_public_bytes(public).verify(
        inner[:64], b"caseintake/handoff/1\x00" + inner[64:]
    )
    content = json.loads(inner[64:])
    assert (
        json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        == inner[64:]
    )
    assert content["header"] == json.loads(data[6 : 6 + length])
    assert content["body"]["requester"]["case_number"] == "111-2026-000123"
