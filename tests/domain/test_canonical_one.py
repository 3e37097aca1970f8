"""One canonical JSON encoder (issue 24g item 2): the line cards and the hand-off format both
use ``domain.handoff.canonical``. Before the cards' own encoder was folded into it, both were
held to the same bytes here; ``_card_encoder_as_it_was`` is that encoder, kept as the
reference, so the bytes of every card already signed stay the ones it gave."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caseintake.crypto.line_identity import LineKeys, make_card, parse_card
from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.canonical import MAX_INT, canonical, parse

VECTORS = json.loads(
    (Path(__file__).parents[1] / "crypto" / "handoff_vectors.json").read_text("utf-8")
)


def _card_encoder_as_it_was(value: Any) -> bytes:
    """``crypto.line_identity.canonical_json`` before the fold, verbatim but for its float
    check (the cards carry strings only)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _contents() -> list[bytes]:
    """The canonical content of each vector file: the signed inner bytes after the signature."""
    return [bytes.fromhex(VECTORS[kind]["inner_hex"])[64:] for kind in ("package", "receipt")]


TRICKY: list[tuple[Any, bytes]] = [
    ({"b": 1, "a": [True, False, None]}, b'{"a":[true,false,null],"b":1}'),
    ({"tên": "x"}, None),  # a non-ASCII key: refused, below
    ({"k": "Nguyễn Thị Hà — “trẻ” 💡"}, '{"k":"Nguyễn Thị Hà — “trẻ” 💡"}'.encode()),
    ({"k": 'quote " back \\ slash /'}, b'{"k":"quote \\" back \\\\ slash /"}'),
    ({"k": "\b\t\n\f\r\x00\x1f\x7f"}, b'{"k":"\\b\\t\\n\\f\\r\\u0000\\u001f\x7f"}'),
    ({"k": "\u2028\u2029"}, '{"k":"\u2028\u2029"}'.encode()),
    (
        {"z": {"y": {"x": [[], {}, [{"b": 2, "a": 1}]]}}},
        b'{"z":{"y":{"x":[[],{},[{"a":1,"b":2}]]}}}',
    ),
    (
        {"big": MAX_INT, "small": -MAX_INT, "zero": 0},
        b'{"big":9007199254740991,"small":-9007199254740991,"zero":0}',
    ),
    ({"B": 1, "a": 2, "_": 3, "1": 4}, b'{"1":4,"B":1,"_":3,"a":2}'),
    ([], b"[]"),
    ("", b'""'),
]


@pytest.mark.parametrize("content", _contents(), ids=["package", "receipt"])
def test_the_vectors_bytes_come_out_of_the_one_encoder(content: bytes) -> None:
    value = parse(content)
    assert canonical(value) == content == _card_encoder_as_it_was(value)


@pytest.mark.parametrize(("value", "expected"), [t for t in TRICKY if t[1] is not None])
def test_tricky_values_give_the_same_bytes_as_before(value: Any, expected: bytes) -> None:
    assert canonical(value) == expected == _card_encoder_as_it_was(value)
    assert parse(expected) == value


def test_a_card_is_canonicalised_by_the_one_encoder_byte_for_byte() -> None:
    keys = LineKeys.from_bytes(bytes(range(64)))
    card = make_card("HN", 'Đường dây Hà Nội "1" \\ 💡', keys)
    data = card.to_bytes()
    raw = json.loads(data)
    assert canonical(raw) + b"\n" == data == _card_encoder_as_it_was(raw) + b"\n"
    assert parse_card(data).to_bytes() == data


@pytest.mark.parametrize(
    "value",
    [{"tên": "x"}, {"n": MAX_INT + 1}, {"f": 1.5}, {"t": (1, 2)}, {1: "x"}, {"s": b"x"}],
    ids=["non-ascii-key", "big-int", "float", "tuple", "int-key", "bytes"],
)
def test_what_is_outside_the_subset_is_refused_in_one_sentence(value: Any) -> None:
    with pytest.raises(DomainError):
        canonical(value)
