"""Deadlines in Viet Nam time: weekends, lunar holidays, substitute days, late-night receipts."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import deadlines
from caseintake.domain.referrals.deadlines import (
    VN_TZ,
    Deadline,
    WorkingCalendar,
    due_at,
    format_local,
    is_valid_spec,
    to_local,
)

CAL = WorkingCalendar()


def vn(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def due_local(received: datetime, spec: str, cal: WorkingCalendar = CAL) -> datetime:
    due = due_at(received, spec, cal)
    assert due.tzinfo is UTC
    return to_local(due).replace(tzinfo=None)


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind", "n"),
    [
        ("immediately", "immediately", 0),
        ("12h", "hours", 12),
        ("5wd", "working_days", 5),
        ("7wd", "working_days", 7),
        ("15d", "days", 15),
        (" 5WD ", "working_days", 5),
    ],
)
def test_parse(spec: str, kind: str, n: int) -> None:
    parsed = Deadline.parse(spec)
    assert (parsed.kind, parsed.n) == (kind, n)
    assert Deadline.parse(parsed.spec) == parsed


@pytest.mark.parametrize(
    "spec",
    ["", "0h", "5", "h", "5w", "5 wd", "-3d", "1.5h", "05d", "9999d", "now", "5wdd", "x" * 99],
)
def test_bad_specs_are_refused_with_the_spec_named(spec: str) -> None:
    assert not is_valid_spec(spec)
    with pytest.raises(DomainError) as info:
        Deadline.parse(spec)
    assert info.value.key == "deadline.bad_spec"


def test_non_string_spec_is_refused() -> None:
    with pytest.raises(DomainError):
        Deadline.parse(["5wd"])  # type: ignore[arg-type]


def test_labels() -> None:
    assert Deadline.parse("5wd").label("en") == "5 working days"
    assert Deadline.parse("12h").label("vi") == "12 giờ"


# --- hours and calendar days ------------------------------------------------------------------


def test_immediately_is_the_receipt_in_utc() -> None:
    received = vn(2026, 3, 6, 23, 30)
    assert due_at(received, "immediately", CAL) == received
    assert due_at(received, "immediately", CAL).tzinfo is UTC


def test_twelve_hours_after_a_friday_night_receipt() -> None:
    # Decree 56/2017 ch. III: emergency measures within 12 h of receipt, weekend or not.
    assert due_local(vn(2026, 3, 6, 23, 30), "12h") == datetime(2026, 3, 7, 11, 30)


def test_hours_are_dst_free_even_if_received_in_a_dst_zone() -> None:
    # 8 March 2026 is the US DST switch; Viet Nam arithmetic must not care.
    received = datetime(2026, 3, 8, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    assert due_at(received, "12h", CAL) - received == timedelta(hours=12)
    assert to_local(due_at(received, "12h", CAL)).utcoffset() == timedelta(hours=7)


def test_fifteen_calendar_days_ignore_holidays() -> None:
    assert due_local(vn(2026, 2, 13, 10), "15d") == datetime(2026, 2, 28, 10, 0)


# --- working days ----------------------------------------------------------------------------


def test_holiday_package_dates_we_rely_on() -> None:
    vn_h = holidays.country_holidays("VN", years=[2026, 2027])
    assert all(date(2026, 2, d) in vn_h for d in range(16, 21))  # Tết Bính Ngọ
    assert all(date(2027, 2, d) in vn_h for d in range(4, 11))  # Tết Đinh Mùi
    assert date(2026, 4, 27) in vn_h  # Giỗ Tổ observed (26/4 is a Sunday)
    assert date(2026, 8, 31) in vn_h  # swapped with Saturday 22/8


def test_five_working_days_across_a_weekend() -> None:
    assert due_local(vn(2026, 3, 2, 8, 15), "5wd") == datetime(2026, 3, 9, 17, 0)


def test_friday_2330_counts_from_monday() -> None:
    # The day of receipt is not counted (Civil Code Art. 147), whatever the hour.
    late = due_local(vn(2026, 3, 6, 23, 30), "5wd")
    early = due_local(vn(2026, 3, 6, 8, 0), "5wd")
    assert late == early == datetime(2026, 3, 13, 17, 0)


def test_receipt_on_a_saturday_starts_on_monday() -> None:
    assert due_local(vn(2026, 3, 7, 10), "1wd") == datetime(2026, 3, 9, 17, 0)


def test_tet_2026() -> None:
    # Tết 16–20/2/2026 (Mon–Fri): a Friday report before Tết waits two weeks.
    assert due_local(vn(2026, 2, 13, 10), "5wd") == datetime(2026, 2, 27, 17, 0)
    assert due_local(vn(2026, 2, 13, 10), "7wd") == datetime(2026, 3, 3, 17, 0)


def test_receipt_on_a_holiday() -> None:
    assert due_local(vn(2026, 2, 17, 10), "1wd") == datetime(2026, 2, 23, 17, 0)


def test_tet_2027() -> None:
    # Tết 4–10/2/2027 (Thu–Wed).
    assert due_local(vn(2027, 2, 3, 9), "1wd") == datetime(2027, 2, 11, 17, 0)
    assert due_local(vn(2027, 2, 3, 9), "5wd") == datetime(2027, 2, 17, 17, 0)


def test_hung_kings_and_30_4_1_5_2026() -> None:
    # 27/4 (Giỗ Tổ observed), 30/4 and 1/5 are off.
    assert due_local(vn(2026, 4, 24, 9), "5wd") == datetime(2026, 5, 6, 17, 0)
    assert due_local(vn(2026, 4, 29, 9), "1wd") == datetime(2026, 5, 4, 17, 0)


def test_national_day_2026_and_its_swapped_saturday() -> None:
    # 31/8 is off in exchange for Saturday 22/8, which is a working day.
    assert due_local(vn(2026, 8, 21, 9), "1wd") == datetime(2026, 8, 22, 17, 0)
    assert due_local(vn(2026, 8, 21, 9), "5wd") == datetime(2026, 8, 27, 17, 0)
    assert due_local(vn(2026, 8, 28, 9), "1wd") == datetime(2026, 9, 3, 17, 0)


def test_extra_closures_and_working_days_and_office_close_are_configurable() -> None:
    cal = WorkingCalendar(
        office_close=time(16, 30),
        extra_closures=frozenset({date(2026, 3, 9)}),
        extra_working_days=frozenset({date(2026, 3, 7)}),
    )
    assert not cal.is_working_day(date(2026, 3, 9))
    assert cal.is_working_day(date(2026, 3, 7))
    assert due_local(vn(2026, 3, 6, 9), "2wd", cal) == datetime(2026, 3, 10, 16, 30)


def test_naive_times_are_refused() -> None:
    with pytest.raises(DomainError) as info:
        due_at(datetime(2026, 3, 2, 8, 0), "5wd", CAL)
    assert info.value.key == "deadline.naive_time"


def test_overflow_is_a_domain_error() -> None:
    with pytest.raises(DomainError):
        due_at(datetime(9999, 12, 30, tzinfo=UTC), "366d", CAL)


def test_format_local() -> None:
    assert format_local(datetime(2026, 3, 2, 1, 15, tzinfo=UTC)) == "02/03/2026 08:15"


def test_fixed_offset_fallback_without_tzdata(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(key: str) -> ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    tz = deadlines._viet_nam_tz()
    assert tz.utcoffset(datetime(2026, 7, 1)) == timedelta(hours=7)
    assert isinstance(tz, timezone)


# --- properties ------------------------------------------------------------------------------

SPECS = st.one_of(
    st.just("immediately"),
    st.integers(1, 72).map(lambda n: f"{n}h"),
    st.integers(1, 30).map(lambda n: f"{n}wd"),
    st.integers(1, 60).map(lambda n: f"{n}d"),
)
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=1000, deadline=None)
@given(received=MOMENTS, spec=SPECS)
def test_due_is_never_before_receipt_nor_on_a_day_off(received: datetime, spec: str) -> None:
    due = due_at(received, spec, CAL)
    assert due >= received
    assert due.tzinfo is UTC
    if spec.endswith("wd"):
        local = to_local(due)
        assert CAL.is_working_day(local.date())
        assert local.time() == time(17, 0)
        assert local.date() > to_local(received).date()
