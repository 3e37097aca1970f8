"""The admin's directory: add, edit, retire, search, CSV import with a preview; a referral
already sent keeps the desk as it was; control characters and bad values refused."""

from __future__ import annotations

from typing import Any

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.follow_up import FollowUp
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar

NEW = {
    "id": "ubnd-test-1",
    "body": "commune_committee",
    "name": "UBND phường Thử",
    "province_code": "79",
    "phones": "02838123456",
    "email": "ubnd@example.vn",
    "hours": "7:30-17:00",
}


def desk_of(services: Any, referral_id: str) -> tuple[str, str]:
    with services.db.read() as s:
        from sqlalchemy import text

        return tuple(  # type: ignore[return-value]
            s.execute(
                text(
                    "SELECT d.name, d.phones FROM referrals r JOIN directory_entries d"
                    " ON d.id = r.directory_entry_id WHERE r.id = :id"
                ),
                {"id": referral_id},
            ).one()
        )


def test_add_search_edit_retire_each_audited(services: Any, admin: Any) -> None:
    d = services.directory_admin
    d.add(admin, NEW)
    found = d.search("thử")
    assert [e.entry.id for e in found] == ["ubnd-test-1"] and found[0].version == 1
    assert d.search("02838123456")[0].entry.name == "UBND phường Thử"
    edited = d.edit(admin, "ubnd-test-1", {"hours": "24/7"})
    assert edited.version == 2 and edited.entry.hours == "24/7"
    d.retire(admin, "ubnd-test-1")
    assert d.search("thử") == []
    retired = d.search("thử", include_retired=True)
    assert retired[0].retired and retired[0].entry.hours == "24/7"
    assert "ubnd-test-1" not in {e.id for e in services.directory.list()}  # no longer routed to
    assert actions(services)[-3:] == [
        "directory_entry_added",
        "directory_entry_edited",
        "directory_entry_retired",
    ]


def test_bad_input_is_refused_and_nothing_written(services: Any, admin: Any, operator: Any) -> None:
    d = services.directory_admin
    before = scalar(services, "SELECT count(*) FROM directory_entries")
    cases = [
        ({**NEW, "name": "UBND \x1b]0;PWNED\x07"}, "admin.directory.bad_text"),
        ({**NEW, "name": "UBND \u202eevil"}, "admin.directory.bad_text"),
        ({**NEW, "hours": "8h\n17h"}, "admin.directory.bad_text"),
        ({**NEW, "name": "x" * 301}, "admin.directory.bad_text"),
        ({**NEW, "body": "no_such_body"}, "admin.directory.bad_field"),
        ({**NEW, "phones": "not a phone"}, "admin.directory.bad_field"),
        ({**NEW, "email": "nobody"}, "admin.directory.bad_field"),
        ({**NEW, "province_code": "999"}, "admin.directory.bad_field"),
        ({**NEW, "id": "Bad Id!"}, "admin.directory.bad_field"),
        ({**NEW, "name": ""}, "admin.directory.bad_field"),
    ]
    for fields, key in cases:
        with pytest.raises(DomainError) as err:
            d.add(admin, fields)
        assert err.value.key == key, fields
        assert "\x1b" not in err.value.message()
    with pytest.raises(DomainError) as err:
        d.add(operator, NEW)
    assert err.value.key == "auth.forbidden"
    d.add(admin, NEW)
    with pytest.raises(DomainError) as err:
        d.add(admin, NEW)
    assert err.value.key == "admin.directory.exists"
    for entry_id, changes, key in (
        ("ubnd-test-1", {"id": "other"}, "admin.directory.not_editable"),
        ("ubnd-test-1", {"hours": "7:30-17:00"}, "admin.directory.no_change"),
        ("nope", {"hours": "x"}, "admin.directory.no_entry"),
        ("ubnd-test-1", {"name": "[b]x[/b]\x07"}, "admin.directory.bad_text"),
    ):
        with pytest.raises(DomainError) as err:
            d.edit(admin, entry_id, changes)
        assert err.value.key == key
    d.retire(admin, "ubnd-test-1")
    with pytest.raises(DomainError) as err:
        d.retire(admin, "ubnd-test-1")
    assert err.value.key == "admin.directory.already_retired"
    assert scalar(services, "SELECT count(*) FROM directory_entries") == before + 1


def test_a_sent_referral_keeps_its_desk_a_pending_one_follows(
    services: Any, admin: Any, operator: Any
) -> None:
    for body in ("commune_committee", "commune_police"):
        services.directory_admin.add(
            admin,
            {**NEW, "id": f"{body}-26740", "body": body, "ward_code": "26740", "name": body},
        )
    case = save_report(services, operator)
    refs = referrals(services, case.case_id)
    with_desk = [r for r in refs.values() if r.directory_entry_id is not None]
    assert len(with_desk) >= 2, refs
    sent, pending = with_desk[0], with_desk[1]
    services.referrals.record(operator, sent.id, FollowUp("sent", via="phone"))
    was = desk_of(services, sent.id)
    d = services.directory_admin
    d.edit(admin, sent.directory_entry_id, {"name": "Tên mới", "phones": "02838111111"})
    assert desk_of(services, sent.id) == was  # the desk the referral was sent to, unchanged
    live = d.search(sent.directory_entry_id)[0]
    assert live.entry.name == "Tên mới" and live.version == 2
    d.edit(admin, pending.directory_entry_id, {"phones": "02838999999"})
    assert desk_of(services, pending.id)[1] == "+842838999999"  # not sent yet: follows the edit
    assert referrals(services, case.case_id)[pending.body].directory_entry_id == (
        pending.directory_entry_id
    )
    d.edit(admin, sent.directory_entry_id, {"name": "Tên mới hơn"})  # a third version
    assert desk_of(services, sent.id) == was
    d.retire(admin, sent.directory_entry_id)
    assert desk_of(services, sent.id) == was
    # The kept version is not a live entry: not listed, not editable, not importable.
    kept_id = referrals(services, case.case_id)[sent.body].directory_entry_id
    assert kept_id != sent.directory_entry_id
    assert kept_id not in {e.entry.id for e in d.search("", include_retired=True)}
    with pytest.raises(DomainError):
        d.edit(admin, kept_id, {"hours": "x"})


CSV = """id,body,name,province_code,phones,hours
ubnd-test-1,commune_committee,UBND phường Thử,79,02838123456,24/7
ubnd-test-2,commune_committee,UBND phường Hai,79,02838222222,
"""


def test_import_preview_then_apply(services: Any, admin: Any) -> None:
    d = services.directory_admin
    d.add(admin, NEW)
    preview = d.preview_import(CSV)
    assert [e.id for e in preview.added] == ["ubnd-test-2"]
    assert [(o.hours, n.hours) for o, n in preview.changed] == [("7:30-17:00", "24/7")]
    assert d.search("Hai") == []  # a preview writes nothing
    applied = d.import_csv(admin, CSV, "dir.csv")
    assert len(applied.added) == 1 and len(applied.changed) == 1
    assert d.search("ubnd-test-1")[0].entry.hours == "24/7"
    again = d.preview_import(CSV)
    assert again.unchanged == 2 and not again.added and not again.changed
    assert actions(services)[-1] == "directory_imported"


def test_import_refuses_control_characters_whole(services: Any, admin: Any) -> None:
    d = services.directory_admin
    bad = CSV + "ubnd-test-3,commune_committee,UBND \x1b[31mĐỏ,79,,\n"
    with pytest.raises(DomainError) as err:
        d.import_csv(admin, bad, "bad.csv")
    assert err.value.key == "admin.directory.in_entry" and "ubnd-test-3" in err.value.message()
    assert d.search("ubnd-test") == []  # all rows or none
