"""Each line has an identity (issue 24 item 1): a new database gets its code, name and keys at
init; a database made before gets line "111" from migration 0018, its private keys sealed until
the first login wraps them under the data key; a key rotation re-encrypts them; the public card
is self-signed and its fingerprint reads out by phone; a row changed in the file is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.crypto import key_ring
from caseintake.crypto.errors import CryptoError
from caseintake.crypto.fields import FieldCipher
from caseintake.crypto.line_identity import DEFAULT_NAME, parse_card
from caseintake.domain.errors import DomainError
from caseintake.services.keys.rotation import KeyRotationService
from caseintake.store import migrate
from tests.conftest import ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW

FINGERPRINT = re.compile(r"^\d{4}( \d{4}){5}$")


def identity_row(services: Any) -> Any:
    with services.db.read() as s:
        return s.execute(text("SELECT * FROM line_identity")).mappings().one()


def actions(services: Any) -> list[str]:
    with services.db.read() as s:
        return list(s.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars())


def test_init_gives_the_line_its_code_name_and_keys(services: Any, admin: Any) -> None:
    info = services.line.show()
    assert (info.code, info.name) == ("111", DEFAULT_NAME)
    assert FINGERPRINT.match(info.fingerprint)
    card = services.line.card()
    assert parse_card(card.to_bytes()) == card  # self-signed, canonical, round-trips
    assert card.fingerprint == info.fingerprint
    row = identity_row(services)
    assert row["sealed_keys"] is None and FieldCipher.version_of(row["private_keys"]) == 1
    line = services.line.identity(admin)
    assert card.verify(b"package bytes", line.sign(b"package bytes"))
    sealed = card.seal(b"for the line only", b"header")
    assert line.open_hpke(sealed, b"header") == b"for the line only"
    with pytest.raises(CryptoError) as err:
        line.open_hpke(sealed, b"another header")  # the header is bound into HPKE's info
    assert err.value.key == "line.hpke_failed"
    assert not hasattr(line, "to_bytes") and "signing" not in repr(line)


def test_init_with_a_code_and_name(settings: Any) -> None:
    from caseintake.services.container import Services

    svc = Services(settings)
    svc.setup.init(ADMIN, ADMIN_PW, line="HN", line_name="Đường dây Hà Nội")
    assert (svc.line.show().code, svc.line.show().name) == ("HN", "Đường dây Hà Nội")
    svc.close()


@pytest.mark.parametrize(
    ("code", "name", "key"),
    [("hn", "Hà Nội", "line.bad_code"), ("A", "x", "line.bad_code"),
     ("ABCDEFGHI", "x", "line.bad_code"), ("H N", "x", "line.bad_code"),
     ("HN", None, "line.name_required"), ("HN", "a\x1bb", "line.bad_name")],
)  # fmt: skip
def test_bad_line_code_or_name_refused_and_nothing_made(
    settings: Any, code: str, name: str | None, key: str
) -> None:
    from caseintake.services.container import Services

    svc = Services(settings)
    with pytest.raises(DomainError) as err:
        svc.setup.init(ADMIN, ADMIN_PW, line=code, line_name=name)
    assert err.value.key == key and "\n" not in err.value.message()
    assert not svc.setup.is_initialised()
    svc.close()


def test_an_existing_database_gets_line_111_and_the_first_login_wraps_its_keys(
    services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.downgrade(services.db.engine, "0014")  # as made before issue 24
    migrate.upgrade(services.db.engine)
    row = identity_row(services)
    assert (row["code"], row["name"]) == ("111", DEFAULT_NAME)
    assert row["private_keys"] is None and row["sealed_keys"] is not None
    card = services.line.card()  # public: readable before anyone logs in
    operator = services.auth.login(OPERATOR, OPERATOR_PW)
    line = services.line.identity(operator)
    assert card.verify(b"m", line.sign(b"m"))
    row = identity_row(services)
    assert row["sealed_keys"] is None and FieldCipher.version_of(row["private_keys"]) == 1
    assert actions(services).count("line_keys_wrapped") == 1
    services.line.identity(operator)  # wrapped once only
    assert actions(services).count("line_keys_wrapped") == 1
    admin = services.auth.login(ADMIN, ADMIN_PW)
    assert services.audit.verify(admin).ok

    # A key rotation re-encrypts the line's private keys under the new version.
    monkeypatch.setattr(key_ring, "CHECK_EVERY_S", 0.05)
    KeyRotationService(services.db, services.settings, services.audit_log).rotate(admin)
    assert FieldCipher.version_of(identity_row(services)["private_keys"]) == 2
    again = services.line.identity(services.auth.login(OPERATOR, OPERATOR_PW))
    assert again.card == card and card.verify(b"n", again.sign(b"n"))


def test_keys_swapped_in_the_file_are_refused(services: Any, admin: Any) -> None:
    # The attack: someone with the file puts their own public key in the row, so partners
    # would seal to them. The card's self-signature no longer matches: refused, not shown.
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from caseintake.crypto.sealing import public_bytes

    theirs = public_bytes(X25519PrivateKey.generate())
    with services.db.write() as s:
        s.execute(text("UPDATE line_identity SET hpke_public = :p"), {"p": theirs})
    for call in (services.line.show, services.line.card, lambda: services.line.identity(admin)):
        with pytest.raises(CryptoError) as err:
            call()
        assert err.value.key == "line.identity_damaged"


def test_private_keys_of_another_database_are_refused(services: Any, admin: Any) -> None:
    # The attack: the private keys blob copied from another row or column: the field cipher's
    # associated data (table, column, row) refuses it.
    cipher = admin.keys.cipher
    forged = cipher.encrypt("line_identity", "private_keys", "other", "00" * 64)
    with services.db.write() as s:
        s.execute(text("UPDATE line_identity SET private_keys = :p"), {"p": forged})
    with pytest.raises(CryptoError):
        services.line.identity(admin)
