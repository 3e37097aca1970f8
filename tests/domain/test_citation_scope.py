"""A provincial document is a legal basis only in its own province (found on the issue 19
walk: a Hồ Chí Minh City school case's slip cited Bắc Ninh's Women's Union plan as its basis).
The rules keep their national law everywhere; the province's own directive joins it at home."""

from __future__ import annotations

from caseintake.domain.routing.citation_scope import applies, provincial
from caseintake.domain.routing.rules import load_rules
from tests.domain.routing_support import call, plan

KINH_BAC = 9187  # Phường Kinh Bắc, Bắc Ninh (24)


def test_every_rule_keeps_a_basis_that_holds_in_every_province() -> None:
    rules = load_rules()
    for rule in rules.rules:
        if rule.basis:
            assert any(applies(key, None) for key in rule.basis), rule.id


def test_a_school_case_cites_bac_ninh_only_in_bac_ninh() -> None:
    concern = ("violence",)
    hcmc = call(concerns=concern, setting="school", ages=(10,))  # Phường Tân Định, HCMC
    home = call(concerns=concern, setting="school", ages=(10,), province=24, ward=KINH_BAC)
    assert "ltre.art4" in plan(hcmc, "education").basis
    assert not any(k.startswith("bac_ninh_2023.") for k in plan(hcmc, "education").basis)
    assert "bac_ninh_2023.school_violence" in plan(home, "education").basis


def test_the_scoped_families_are_the_seeds_provinces() -> None:
    assert provincial() == {
        "soc_trang_2023": 92,
        "van_yen_2023": 42,
        "bac_ninh_2023": 24,
        "lang_son_2019": 20,
    }
    assert not applies("bac_ninh_2023.online", None)  # place unknown: no province's directive
    assert applies("ltre.art4", None) and applies("bac_ninh_2023.online", 24)
