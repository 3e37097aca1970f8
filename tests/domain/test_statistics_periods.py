"""Reporting periods in Viet Nam time, the directives' calendar and the indicator definitions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.calendar import data_basis, rules, upcoming
from caseintake.domain.statistics.indicators import IDS, age_group, indicator, select, top_code
from caseintake.domain.statistics.periods import Period, parse_day


def test_month_six_months_year_and_month_of_action() -> None:
    assert Period.month(2028, 2) == Period(date(2028, 2, 1), date(2028, 2, 29), "month")
    assert Period.six_months(2026, 1).end == date(2026, 6, 30)
    assert Period.six_months(2026, 2).start == date(2026, 7, 1)
    assert Period.year(2026).days == 365
    action = Period.month_of_action(2026)
    assert (action.start, action.end, action.days) == (date(2026, 6, 1), date(2026, 6, 30), 30)


def test_bounds_are_viet_nam_midnights() -> None:
    first, after = Period.year(2026).utc_bounds()
    assert first == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert after == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    june = Period.month(2026, 6)
    # 23:30 on 30 June in Hà Nội is in June; 00:30 on 1 July is not, though UTC says June.
    assert june.contains(datetime(2026, 6, 30, 16, 30, tzinfo=UTC))
    assert not june.contains(datetime(2026, 6, 30, 17, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        ("2026-07-01", "2026-06-30", "stats.period_reversed"),
        ("2026-02-30", "2026-03-01", "stats.bad_date"),
        ("31/02/2026", "01/03/2026", "stats.bad_date"),
        ("2026/01/01", "2026-03-01", "stats.bad_date"),
        ("2000-01-01", "2026-03-01", "stats.period_too_long"),
    ],
)
def test_bad_periods_are_refused_with_a_sentence(start: str, end: str, key: str) -> None:
    with pytest.raises(DomainError) as err:
        Period.parse(start, end)
    assert err.value.key == key
    assert err.value.message("en").endswith(".")


def test_days_as_people_write_them() -> None:
    """dd/mm/yyyy, as the case search takes it (issue 19, item 9); ISO still works."""
    assert Period.parse("01/11/2026", "30/11/2026") == Period.parse("2026-11-01", "2026-11-30")
    assert parse_day("01/11/2026") == date(2026, 11, 1)


def test_bad_half_and_bad_day() -> None:
    with pytest.raises(DomainError):
        Period.six_months(2026, 3)
    with pytest.raises(DomainError):
        parse_day("2026-1-1")


def test_calendar_next_reports_with_their_periods_and_sources() -> None:
    due = upcoming(date(2026, 3, 2))
    assert [(r.id, r.due) for r in due] == [
        ("six_months", date(2026, 6, 5)),
        ("month_of_action", date(2026, 7, 5)),
        ("yearly", date(2026, 11, 5)),
    ]
    six, action, year = due
    assert (six.period.start, six.period.end) == (date(2026, 1, 1), date(2026, 5, 31))
    assert (action.period.start, action.period.end) == (date(2026, 6, 1), date(2026, 6, 30))
    assert (year.period.start, year.period.end) == (date(2026, 1, 1), date(2026, 10, 31))
    # Cited by what each document is, never by a file name (DOMAIN "How to cite the seeds").
    assert six.source.startswith(
        "Công văn của Ban Thường vụ Hội LHPN tỉnh Sóc Trăng ngày 06/4/2023"
    )
    assert action.source_short == "CV Sở LĐTBXH Lạng Sơn 25/4/2019"
    assert all(".txt" not in r.source and "seed" not in r.source for r in due)
    assert "Văn Yên" in data_basis()[0]


def test_calendar_rolls_to_next_year_once_a_report_is_past() -> None:
    due = upcoming(date(2026, 11, 6))
    assert [r.due for r in due] == [date(2027, 6, 5), date(2027, 7, 5), date(2027, 11, 5)]
    assert upcoming(date(2026, 6, 5))[0].due == date(2026, 6, 5)  # due today is still next
    assert {r.id for r in rules()} == {"six_months", "yearly", "month_of_action"}


def test_indicators_are_the_issue_table() -> None:
    assert IDS == (
        "contacts_by_type",
        "contacts_by_channel",
        "counselling_by_topic",
        "children_by_concern_sex",
        "children_by_age_group_sex",
        "abused_children_0101",
        "cases_by_province",
        "contact_children_by_age_sex_province",
        "referrals_by_body_status",
        "referrals_first_step_on_time",
    )
    assert indicator("abused_children_0101").dimensions == ("abuse_form", "sex", "setting")
    assert [
        i.id for i in select(["cases_by_province", "contacts_by_type", "cases_by_province"])
    ] == [
        "cases_by_province",
        "contacts_by_type",
    ]
    with pytest.raises(DomainError) as err:
        indicator("children_by_name")
    assert "children_by_name" in err.value.message("en")


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, "0-5"),
        (5, "0-5"),
        (6, "6-10"),
        (10, "6-10"),
        (11, "11-15"),
        (15, "11-15"),
        (16, "16-17"),
        (17, "16-17"),
        (None, "unknown"),
        (18, "unknown"),
        (-1, "unknown"),
    ],
)
def test_age_groups(age: int | None, group: str) -> None:
    assert age_group(age) == group


def test_top_code() -> None:
    assert top_code("violence.physical") == "violence"
    assert top_code("neglect") == "neglect"
