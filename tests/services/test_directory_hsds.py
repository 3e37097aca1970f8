"""The directory as Open Referral HSDS 3.0 (issue 24 item 2): the export follows the schema
subset (domain/hsds.py) and carries a line's card as an extension; another database imports it
through the directory's own checks (all or none, audited) and never pins a card by importing;
a document off the schema is refused in one sentence, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from caseintake.crypto.line_identity import LineKeys, make_card, parse_card
from caseintake.domain import hsds
from caseintake.domain.errors import DomainError
from tests.conftest import ADMIN, ADMIN_PW

HN = make_card("HN", "Đường dây Hà Nội", LineKeys.generate())


def count(services: Any, table: str) -> int:
    with services.db.read() as s:
        return int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_export_then_import_into_another_line(
    services: Any, admin: Any, tmp_path: Path, settings: Any
) -> None:
    services.line_cards.add_line(admin, HN.to_bytes(), HN.fingerprint, province_code=1)
    out = tmp_path / "directory.hsds.json"
    exported = services.hsds.export(out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert exported == len(document) == count(services, "directory_entries")
    assert hsds.problems(document) == []
    (line,) = [s for s in document if hsds.CARD_MEMBER in s]
    assert line["status"] == "active" and line["x_caseintake"]["id"] == "line-hn"
    assert parse_card(json.dumps(line[hsds.CARD_MEMBER]).encode()) == HN
    assert line["service_areas"][0]["name"] == "Thành phố Hà Nội"

    from dataclasses import replace

    from caseintake.services.container import Services

    other = Services(replace(settings, db_url=f"sqlite:///{tmp_path / 'other.db'}",
                             state_dir=tmp_path / "other-state"))  # fmt: skip
    other_admin, _ = other.setup.init(ADMIN, ADMIN_PW, line="HN", line_name="Đường dây Hà Nội")
    data = out.read_bytes()
    preview = other.hsds.preview(data)
    assert [e.id for e in preview.preview.added] == ["line-hn"] and preview.cards_seen == 1
    done = other.hsds.import_document(other_admin, data, out.name)
    assert len(done.preview.added) == 1
    assert count(other, "line_cards") == 0  # a card is pinned only with its fingerprint
    assert any(e.id == "line-hn" for e in other.directory.list())
    assert other.audit.verify(other_admin).ok
    other.close()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"{not json", "line.hsds_not_json"),
        (b'{"id": "x"}', "line.hsds_invalid"),
        (
            json.dumps([{"id": "not-a-uuid", "name": "X", "status": "active"}]).encode(),
            "line.hsds_invalid",
        ),
        (
            json.dumps([{"id": hsds.stable_id("a"), "name": "X", "status": "closed"}]).encode(),
            "line.hsds_invalid",
        ),
        (
            json.dumps([{"id": hsds.stable_id("a"), "name": "X", "status": "active"}]).encode(),
            "directory.error.csv_required",
        ),  # no body code: the directory's own check
    ],
    ids=["not-json", "not-a-list", "bad-id", "bad-status", "no-body-code"],
)
def test_documents_off_the_schema_are_refused(
    services: Any, admin: Any, data: bytes, key: str
) -> None:
    before = count(services, "directory_entries")
    with pytest.raises(DomainError) as err:
        services.hsds.import_document(admin, data, "x.json")
    assert err.value.key == key and "\n" not in err.value.message()
    assert count(services, "directory_entries") == before
