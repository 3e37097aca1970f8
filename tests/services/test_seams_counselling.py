"""Issue 19 item 2: a counselling call keeps the child and the place. Whatever the form offers
for a contact without a case (child age, sex, province and commune, setting, concerns, danger)
is stored, the child's name and address encrypted, shown on the contact, and counted in the
statistics by the child's age group, sex and province."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services

HA_NOI, CAU_GIAY = 1, 167
CHILD_NAME, CHILD_ADDRESS = "Lê Thị Hồng Nhung", "Ngõ 12 Trần Thái Tông"


def counselling(clock: Any, **changes: Any) -> Any:
    data = {
        "received_at": (clock() - timedelta(minutes=5)).isoformat(),
        "contact_type": "counselling",
        "counselling_topics": ["bullying"],
        "caller": {"relationship": "self", "age_group": "11-15", "sex": "female"},
        "children": [{"age": 14, "sex": "female", "name": CHILD_NAME, "address": CHILD_ADDRESS}],
        "location": {"province_code": HA_NOI, "ward_code": CAU_GIAY},
        "setting": "school",
        "concerns": ["violence"],
        "narrative": "Em bị bạn cùng lớp bắt nạt.",
    }
    data.update(changes)
    return parse_intake(data, now=clock())


def rows(services: Services, query: str) -> list[tuple[Any, ...]]:
    with services.db.read() as s:
        return [tuple(r) for r in s.execute(text(query))]


def test_a_counselling_call_keeps_the_child_and_the_place(
    services: Services, operator: Any, clock: Any
) -> None:
    saved = services.intake.save(operator, counselling(clock))
    assert saved.case_id is None  # counselling opens no case
    assert rows(services, "select setting, province_code, ward_code, concerns from contacts") == [
        ("school", HA_NOI, CAU_GIAY, "violence")
    ]
    (child,) = rows(services, "select age, sex, name, address from contact_children")
    assert child[:2] == (14, "female")
    for clear in (CHILD_NAME, CHILD_ADDRESS):  # encrypted at rest
        assert clear.encode() not in child[2] + child[3]
    with services.db.read() as s:
        raw = s.connection().exec_driver_sql("select * from contact_children").fetchall()
    assert not any(CHILD_NAME in str(r) for r in raw)
    shown = services.contacts.detail(operator, saved.contact_id)
    assert shown.setting == "school"
    assert (shown.province_code, shown.ward_code) == (HA_NOI, CAU_GIAY)
    assert [(c.age, c.sex, c.name, c.address) for c in shown.children] == [
        (14, "female", CHILD_NAME, CHILD_ADDRESS)
    ]


def test_counselled_children_are_counted_by_age_sex_and_province(
    services: Services, operator: Any, supervisor: Any, clock: Any
) -> None:
    for _ in range(3):
        services.intake.save(operator, counselling(clock))
    from caseintake.services.statistics import queries

    start = clock() - timedelta(days=1)
    bounds = (start, clock() + timedelta(days=1))
    with services.db.read() as s:
        counts = queries.contact_children_by_age_sex_province(s, bounds, True)
    assert counts == {("11-15", "female", str(HA_NOI)): 3}
