"""Today's 34 provinces and 3,321 communes, search without diacritics, pre-2025 aliases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.intake import geography as geo

HCMC = 79


def test_counts_of_the_two_level_system() -> None:
    assert len(geo.provinces()) == 34
    assert sum(len(geo.wards_of(p.code)) for p in geo.provinces()) == 3321


def test_lookup_by_code() -> None:
    saigon = geo.ward(26740)
    assert saigon is not None
    assert (saigon.name, saigon.province_code, saigon.division_type) == (
        "Phường Sài Gòn",
        HCMC,
        "phường",
    )
    assert saigon.short_name == "Sài Gòn"
    hcmc = geo.province(HCMC)
    assert hcmc is not None and hcmc.short_name == "Hồ Chí Minh"


def test_unknown_and_odd_codes_give_none() -> None:
    assert geo.province(99) is None
    assert geo.ward(-5) is None
    assert geo.ward("26740") is None
    assert geo.province(True) is None
    assert geo.wards_of(99) == ()


def test_fold_removes_diacritics_and_case() -> None:
    assert geo.fold("Phường  BẾN Thành") == "phuong ben thanh"
    assert geo.fold("Đắk Lắk") == "dak lak"


def test_search_without_diacritics() -> None:
    hits = geo.search_wards("ben thanh")
    assert hits and hits[0].name == "Phường Bến Thành" and hits[0].former_name is None
    assert geo.search_wards("BẾN THÀNH")[0].code == hits[0].code


def test_prefix_of_short_name_ranks_first() -> None:
    hits = geo.search_wards("sai", province_code=HCMC)
    assert hits[0].short_name.startswith("Sài")
    assert geo.search_provinces("thanh")[0].name == "Thanh Hóa"
    assert [p.code for p in geo.search_provinces("ho chi minh")] == [HCMC]
    assert geo.search_provinces("dak lak")[0].name == "Đắk Lắk"


def test_search_limit_and_province_filter() -> None:
    assert len(geo.search_wards("a", limit=5)) == 5
    assert geo.search_wards("a", limit=0) == []
    assert all(w.province_code == HCMC for w in geo.search_wards("phuong", province_code=HCMC))
    assert geo.search_wards("   ") == []
    assert geo.search_provinces("") == []


def test_former_name_leads_to_todays_ward() -> None:
    hits = geo.search_wards("ben nghe")
    assert [(w.code, w.former_name) for w in hits] == [(26740, "Phường Bến Nghé")]
    split = {w.code for w in geo.search_wards("da kao")}
    assert split == {26737, 26740}  # Tân Định and Sài Gòn
    assert geo.search_wards("ben nghe", province_code=1) == []


def test_resolve_legacy_codes() -> None:
    tan_dinh = geo.resolve_legacy_ward(26734)  # old Phường Tân Định, Quận 1
    assert tan_dinh is not None and tan_dinh.new_codes == (26737,) and not tan_dinh.is_split
    nguyen_thai_binh = geo.resolve_legacy_ward(26746)
    assert nguyen_thai_binh is not None and nguyen_thai_binh.is_split
    assert geo.resolve_legacy_ward(26740) is None  # today's code wins
    assert geo.resolve_legacy_ward(12345678) is None


def test_legacy_targets_exist_and_cite_the_resolution() -> None:
    for legacy in geo.legacy_wards():
        assert "1685/NQ-UBTVQH15" in legacy.source
        for code in legacy.new_codes:
            target = geo.ward(code)
            assert target is not None and target.province_code == legacy.province_code


def test_importing_geography_does_not_load_the_package() -> None:
    import subprocess
    import sys

    code = "import sys; import caseintake.domain.intake.geography; print('vietnam_provinces' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.sampled_from([1, 79, 99])))
def test_search_never_raises(query: str, province_code: int | None) -> None:
    hits = geo.search_wards(query, province_code=province_code, limit=7)
    assert len(hits) <= 7
    assert len({w.code for w in hits}) == len(hits)
    geo.search_provinces(query)
