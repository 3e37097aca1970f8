"""Directory: seed entries, most-local lookup, CSV import errors naming line and column."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.directory import (
    DirectoryEntry,
    load_directory,
    parse_directory_csv,
    resolve_entry,
)
from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography

HEADER = "id,body,name,province_code,ward_code,phones,email,hours,source,note\n"
CT_WARD = geography.wards_of(92)[0].code  # a commune of Thành phố Cần Thơ
HN_WARD = geography.wards_of(1)[0].code


def test_seed_has_the_national_numbers_and_the_seed_contacts() -> None:
    entries = {e.id: e for e in load_directory()}
    by_phone = {p: e for e in entries.values() for p in e.phones}
    assert by_phone["111"].body == "hotline_111" and by_phone["111"].hours == "24/7"
    assert by_phone["113"].body == "emergency_113"
    assert by_phone["114"].body == "emergency_114"
    assert by_phone["115"].body == "emergency_115"
    soc_trang = by_phone["+84377672444"]  # seeds/000: Hội LHPN Sóc Trăng, today in Cần Thơ
    assert (soc_trang.body, soc_trang.province_code) == ("womens_union", 92)
    assert soc_trang.source.startswith("Công văn của Ban Thường vụ Hội LHPN tỉnh Sóc Trăng")
    bac_ninh = by_phone["+84911020021"]  # seeds/003
    assert (
        bac_ninh.province_code == 24 and "Hội LHPN tỉnh Bắc Ninh ngày 13/4/2023" in bac_ninh.source
    )
    assert all(e.source for e in entries.values())


def _e(id_: str, body: str, province: int | None = None, ward: int | None = None) -> DirectoryEntry:
    return DirectoryEntry(id=id_, body=body, name=id_, province_code=province, ward_code=ward)


ENTRIES = [
    _e("national", "womens_union"),
    _e("ct-province", "womens_union", 92),
    _e("ct-commune", "womens_union", 92, CT_WARD),
    _e("hn-police", "commune_police", 1, HN_WARD),
]


@pytest.mark.parametrize(
    ("body", "province", "ward", "expected"),
    [
        ("womens_union", 92, CT_WARD, "ct-commune"),
        ("womens_union", 92, None, "ct-province"),
        ("womens_union", 92, CT_WARD + 1, "ct-province"),
        ("womens_union", 1, HN_WARD, "national"),
        ("womens_union", None, None, "national"),
        ("commune_police", 1, HN_WARD, "hn-police"),
        ("commune_police", 92, CT_WARD, None),
        ("legal_aid", 92, CT_WARD, None),
    ],
)
def test_resolve_prefers_commune_then_province_then_national(
    body: str, province: int | None, ward: int | None, expected: str | None
) -> None:
    found = resolve_entry(ENTRIES, body, province, ward)
    assert (found.id if found else None) == expected


def test_resolve_with_the_seed_directory() -> None:
    seed = load_directory()
    assert resolve_entry(seed, "womens_union", 92, CT_WARD).phones == ("+84377672444",)  # type: ignore[union-attr]
    assert resolve_entry(seed, "emergency_113", 79, None).phones == ("113",)  # type: ignore[union-attr]


def test_csv_import() -> None:
    text = HEADER + (
        f'ct-xa,commune_committee,UBND xã,92,{CT_WARD},"0292 3821 234; 0912345678",'
        "ubnd@example.vn,7:00–17:00,Quyết định 12/QĐ-UBND,\n"
        "\n"
        "vn-legal,legal_aid,Trung tâm TGPL,,,,,,,\n"
    )
    a, b = parse_directory_csv("\ufeff" + text)
    assert a.level == "commune" and a.ward_code == CT_WARD and a.province_code == 92
    assert a.phones == ("+842923821234", "+84912345678")
    assert a.email == "ubnd@example.vn"
    assert b.level == "national" and b.phones == ()


def test_csv_ward_alone_gives_its_province() -> None:
    (entry,) = parse_directory_csv(HEADER + f"x,education,Phòng GD,,{HN_WARD},,,,,\n")
    assert entry.province_code == 1


@pytest.mark.parametrize(
    ("row", "key", "column"),
    [
        ("a,police,Công an,92,,,,,,", "directory.error.csv_body", "body"),
        ("a,education,Sở GD,93,,,,,,", "directory.error.csv_province", "province_code"),
        ("a,education,Sở GD,abc,,,,,,", "directory.error.csv_province", "province_code"),
        ("a,education,Sở GD,92,999999,,,,,", "directory.error.csv_ward", "ward_code"),
        (f"a,education,Sở GD,1,{CT_WARD},,,,,", "directory.error.csv_ward_province", "ward_code"),
        ("a,education,Sở GD,92,,12345,,,,", "directory.error.csv_phone", "phones"),
        ("a,education,Sở GD,92,,0912345678;call me,,,,", "directory.error.csv_phone", "phones"),
        ("a,education,Sở GD,92,,,not-an-email,,,", "directory.error.csv_email", "email"),
        ("a,education,,92,,,,,,", "directory.error.csv_required", "name"),
        ("A B,education,Sở GD,92,,,,,,", "directory.error.csv_required", "id"),
    ],
)
def test_csv_errors_name_line_and_column(row: str, key: str, column: str) -> None:
    text = HEADER + "ok,education,Sở GD,92,,,,,,\n" + row + "\n"
    with pytest.raises(DomainError) as info:
        parse_directory_csv(text)
    assert info.value.key == key
    assert info.value.params["line"] == 3
    assert info.value.params["column"] == column
    assert "3" in info.value.message("en") and column in info.value.message("en")


def test_csv_duplicate_id_and_wrong_column_count_and_header() -> None:
    with pytest.raises(DomainError) as info:
        parse_directory_csv(HEADER + "a,education,X,,,,,,,\na,education,Y,,,,,,,\n")
    assert info.value.key == "directory.error.csv_duplicate" and info.value.params["line"] == 3
    with pytest.raises(DomainError) as info:
        parse_directory_csv(HEADER + "a,education,X\n")
    assert info.value.key == "directory.error.csv_columns" and info.value.params["line"] == 2
    for bad in ("", "name,phones\n", "id,body,name,colour\n"):
        with pytest.raises(DomainError) as info:
            parse_directory_csv(bad)
        assert info.value.key == "directory.error.csv_header"


def test_bad_toml_directory() -> None:
    with pytest.raises(DomainError):
        load_directory("entry = 3")
    with pytest.raises(DomainError):
        load_directory("[[entry]\n")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_csv_text_parses_or_is_refused_with_a_message(text: str) -> None:
    try:
        entries = parse_directory_csv(HEADER + text)
    except DomainError as exc:
        assert exc.message("en")
    else:
        assert all(e.body and e.name for e in entries)
