"""The public card of a line (issue 24 item 1): canonical, self-signed; every change refused in
one sentence; the fingerprint ignores how the admin typed the spaces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseintake.crypto.errors import CryptoError
from caseintake.crypto.line_identity import (
    MAX_CARD_BYTES,
    LineKeys,
    b64,
    make_card,
    parse_card,
    same_fingerprint,
)
from caseintake.domain.handoff.canonical import canonical

KEYS = LineKeys.from_bytes(bytes(range(64)))


def card_bytes() -> bytes:
    return make_card("HN", "Đường dây Hà Nội", KEYS).to_bytes()


def test_card_round_trips_and_is_canonical() -> None:
    data = card_bytes()
    card = parse_card(data)
    assert card.to_bytes() == data and data.endswith(b"}\n")
    raw = json.loads(data)
    assert canonical(raw) + b"\n" == data
    assert set(raw) == {"format", "code", "name", "sign_key", "hpke_key", "hpke_suite", "signature"}
    # Deterministic: the same keys and words give the same card (Ed25519 signs deterministically).
    assert card_bytes() == data


def test_fingerprint_as_typed() -> None:
    fp = parse_card(card_bytes()).fingerprint
    assert same_fingerprint(fp, fp)
    assert same_fingerprint(fp.replace(" ", "-"), fp)
    assert same_fingerprint(fp.replace(" ", ""), fp)
    assert not same_fingerprint(fp[:-1] + str((int(fp[-1]) + 1) % 10), fp)
    assert not same_fingerprint("", fp)


def _edited(**changes: object) -> bytes:
    raw = json.loads(card_bytes())
    raw.update(changes)
    return json.dumps(raw).encode()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (_edited(name="Đường dây Hà Nam"), "line.card_signature"),
        (_edited(code="HCM"), "line.card_signature"),
        (_edited(hpke_key=b64(bytes(32))), "line.card_signature"),
        (_edited(extra="x"), "line.card_shape"),
        (_edited(format="caseintake-line-card/9"), "line.card_format"),
        (_edited(code="hn"), "line.card_shape"),
        (_edited(sign_key="not base64!"), "line.card_shape"),
        (_edited(signature=b64(bytes(63))), "line.card_shape"),
        (_edited(name=7), "line.card_shape"),
        (b"\xff\xfe", "line.card_not_json"),
        (b"[1, 2]", "line.card_shape"),
        (b"{" * 5000, "line.card_too_big"),
    ],
)
def test_changed_cards_refused(data: bytes, key: str) -> None:
    with pytest.raises(CryptoError) as err:
        parse_card(data)
    assert err.value.key == key and "\n" not in err.value.message()
    assert len(b"{" * 5000) > MAX_CARD_BYTES


def test_every_flipped_byte_is_refused() -> None:
    data = card_bytes()
    for i in range(len(data) - 1):  # the final newline is not part of the JSON
        flipped = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
        with pytest.raises(CryptoError):
            parse_card(flipped)


def test_worked_example() -> None:
    """The example of docs/line-card.md, byte for byte."""
    card = make_card("HN", "Đường dây Hà Nội", KEYS)
    assert card.sign_public.hex() == (
        "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    )
    assert card.hpke_public.hex() == (
        "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254"
    )
    assert card.fingerprint == "4705 5835 0231 9947 9627 0040"
    doc = (Path(__file__).resolve().parents[2] / "docs" / "line-card.md").read_text("utf-8")
    assert card.to_bytes().decode().strip() in doc and card.fingerprint in doc
