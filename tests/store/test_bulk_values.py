"""The bulk build's quick values are the ordinary path's values (issue 11 item 1)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from caseintake.domain.ids import new_id
from caseintake.services.audit.log import details_json
from caseintake.services.bulk.values import Binder, sqlite_utc
from caseintake.store.models import Contact
from caseintake.store.types import UTCDateTime

HANOI = timezone(timedelta(hours=7))


def test_new_id_is_a_version_4_uuid_in_its_usual_text() -> None:
    ids = {new_id() for _ in range(500)}
    assert len(ids) == 500
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2016, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 1, 1, 6, 30, 0, 5, tzinfo=HANOI),  # the day before, in UTC
    ],
)
def test_sqlite_utc_binds_as_the_two_processors_do(at: datetime) -> None:
    dialect = sqlite.dialect()
    ordinary = UTCDateTime()._cached_bind_processor(dialect)
    assert ordinary is not None
    assert sqlite_utc(at) == ordinary(at)
    assert sqlite_utc(None) is None


def test_sqlite_utc_refuses_a_naive_time() -> None:
    """Bad input: a time without a zone is refused, as the column type refuses it."""
    with pytest.raises(ValueError):
        sqlite_utc(datetime(2026, 1, 1))


def test_details_json_is_the_audit_logs_json() -> None:
    details = {"reason": "Ngoài thẩm quyền của cơ quan.", "case": None, "b": [1, 2], "at": UTC}
    expected = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    assert details_json(details) == expected


def test_binder_binds_times_and_keeps_bytes() -> None:
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    rows = [{"id": "a", "received_at": at, "caller_phone": b"\x01\x02", "case_id": None}]
    names, values = Binder(sqlite.dialect()).bind(Contact, rows)
    assert names == ["id", "received_at", "caller_phone", "case_id"]
    assert values == [("a", "2026-03-02 02:00:00.000000", b"\x01\x02", None)]
