"""No legal basis a user reads cites internal notes, and each reads in the chosen language
(issue 7, item 8; DOMAIN §4 "How to cite the seeds to a user").

Checked: every rule's and every implication's basis (full and short form, Vietnamese and
English), every action and referral the engine can produce for a set of calls, and the source
of every shipped directory entry.
"""

from __future__ import annotations

import pytest

from caseintake.domain.directory import load_directory
from caseintake.domain.intake import taxonomy
from caseintake.domain.routing.citations import (
    basis_text,
    basis_texts,
    internal_markers,
    is_citation,
)
from caseintake.domain.routing.rules import parse_rules
from caseintake.domain.routing.rules_check import check_rules
from caseintake.i18n import LANGUAGES
from tests.domain.routing_support import CRIME_RULES, RULES, call

FORBIDDEN = ("DOMAIN", "seeds/", ".txt", "[check]")
# English that crept into Vietnamese texts before ("Mẫu 04 in 5 working days", "per DOMAIN").
ENGLISH_IN_VIETNAMESE = ("working days", "per ", " in ", "Art.", " ch. ", "approval", "within")
VIETNAMESE_IN_ENGLISH = ("Điều ", "Chương ", "ngày làm việc", "Công văn", "Kế hoạch")
CRIME_SIGNS = taxonomy.ordered_codes("crime_sign")
CONCERNS = (
    *("violence", "sexual_abuse.online", "exploitation", "trafficking", "neglect"),
    *("injury_drowning", "online_harm", "child_marriage", "dropout", "disaster_epidemic"),
    *("alternative_care", "custody_dispute", "financial_need", "neglect.abandonment"),
)


def _keys() -> list[str]:
    keys = [b for r in RULES.rules for b in r.basis]
    keys += [b for i in RULES.implications for b in i.basis]
    return list(dict.fromkeys(keys))


def _clean(text: str, lang: str) -> None:
    assert text.strip()
    assert not [m for m in FORBIDDEN if m in text], text
    foreign = ENGLISH_IN_VIETNAMESE if lang == "vi" else VIETNAMESE_IN_ENGLISH
    assert not [w for w in foreign if w in text], (lang, text)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("short", [False, True])
def test_every_rule_basis_reads_clean_in_each_language(lang: str, short: bool) -> None:
    keys = _keys()
    assert len(keys) > 30
    for key in keys:
        assert is_citation(key), key  # a key with a text in every language, never raw text
        _clean(basis_text(key, lang, short=short), lang)


def test_the_seeds_are_cited_by_what_they_are() -> None:
    """DOMAIN §4: full form in the details, short form where space is tight."""
    full = basis_text("bac_ninh_2023.drowning", "vi")
    assert full.startswith("Kế hoạch của Ban Thường vụ Hội LHPN tỉnh Bắc Ninh ngày 13/4/2023")
    assert basis_text("bac_ninh_2023.drowning", "vi", short=True).startswith(
        "KH Hội LHPN Bắc Ninh 13/4/2023"
    )
    assert basis_text("van_yen_2023.disaster", "vi").startswith(
        "Công văn số 43/UBND ngày 28/6/2023 của UBND phường Văn Yên (Hà Tĩnh)"
    )
    assert basis_text("soc_trang_2023.family_care", "vi", short=True).startswith(
        "CV Hội LHPN Sóc Trăng 06/4/2023"
    )
    assert "Lạng Sơn" in basis_text("lang_son_2019.dropout", "en")
    assert basis_text("line.113", "vi") == "Số điện thoại khẩn cấp quốc gia 113 (Cảnh sát)"
    assert basis_text("line.115", "en") == "National emergency line 115 (ambulance)"


def test_laws_are_cited_by_article() -> None:
    assert basis_text("ltre.art4", "vi") == "Luật Trẻ em 2016, Điều 4 (xâm hại trẻ em)"
    assert basis_text("ltre.art4", "en") == "Law on Children 2016, Art. 4 (child abuse)"
    assert "Mẫu 04 trong 5 ngày làm việc" in basis_text("nd56.support_plan", "vi")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_action_and_referral_of_many_calls_reads_clean(lang: str) -> None:
    """What the engine actually hands the screen and the CLI, for calls that fire every rule
    with an action or a referral, and every implication."""
    calls = [
        call(concerns=(c,), danger=danger, setting=s, perpetrators=p, line=line, ages=ages)
        for c in CONCERNS
        for danger in (False, True)
        for s, p in ((None, ()), ("school", ("teacher",)), ("online", ("partner", "parent")))
        for line in ("111", "provincial")
        for ages in ((14,), (17,))
    ]
    calls += [call(circumstances=(sc,)) for sc in RULES.rules[1].when.special_circumstances]
    calls += [
        call("follow_up", circumstances=("trafficked",)),
        call("counselling", concerns=("violence",)),
    ]
    calls += [call(concerns=("other_harm",), crime_signs=(c,)) for c in CRIME_SIGNS]
    calls += [
        call(concerns=("neglect",), ages=(0,), circumstances=("abandoned",)),
        call(concerns=("neglect.medical",)),
        call(concerns=("violence",), perpetrators=("peer",), ages=(12,)),
        call(concerns=("online_harm.bullying",), perpetrators=("peer",), ages=(12,)),
        call(concerns=("rights_violation.education",), circumstances=("hiv",)),
        call(concerns=("rights_violation",), setting="school"),
        call(concerns=("rights_violation",), perpetrators=("teacher",)),
        call(concerns=("violence",), perpetrators=("carer",)),
        call(concerns=("violence",), setting="care_institution", perpetrators=("unknown",)),
        call(concerns=("violence",), perpetrators=("teacher",), ages=(4,)),
        call(concerns=("violence",), perpetrators=("official",), ages=(15,)),
        call(concerns=("exploitation",), circumstances=("drug_use",)),
        call(concerns=("exploitation.commercial_sexual",)),
    ]
    fired = {r for d in calls for r in d.matched_rules} | {i.id for d in calls for i in d.implied}
    assert fired >= {r.id for r in RULES.rules} | {i.id for i in RULES.implications}
    for d in calls:
        out = d.to_json(lang)
        items = [*out["actions_now"], *out["referrals"], *out["implied"]]
        for item in items:
            for text in item["basis_texts"]:
                _clean(text, lang)
        for action in d.actions_now:
            for text in basis_texts(action.basis, lang, short=True):
                _clean(text, lang)
        assert all(item["rule_ids"] for item in out["referrals"])  # ids stay in the JSON


def test_directory_sources_cite_documents_not_files() -> None:
    entries = load_directory()
    assert entries
    for entry in entries:
        if entry.source:
            assert not internal_markers(entry.source), entry.source
            assert not [w for w in ENGLISH_IN_VIETNAMESE if w in entry.source], entry.source


def test_a_stored_line_that_is_not_a_key_is_shown_as_written() -> None:
    """Referrals saved before citations had keys keep their text; nothing is lost."""
    legacy = "Nghị định 56/2017/NĐ-CP ch. III (biện pháp khẩn cấp trong 12 giờ)"
    assert basis_text(legacy, "vi") == legacy and basis_text(legacy, "en", short=True) == legacy
    assert basis_texts(["nd56.emergency", legacy, "nd56.emergency"], "vi") == [
        basis_text("nd56.emergency", "vi"),
        legacy,
    ]


def test_rules_check_refuses_a_basis_that_is_not_a_citation() -> None:
    """A rules file citing a file name or raw text is an error that names the rule."""
    text = """
[[rule]]
id = "raw_basis"
basis = ["seeds/003_f1c20877c2fe5af9.txt (đuối nước)"]
description = "routing.rule.injury_risk_commune"
[rule.when]
any_concern = ["injury_drowning"]
[rule.then]
priority = "low"
"""
    problems = check_rules(parse_rules(text + CRIME_RULES))
    assert [(p.rule_id, p.key) for p in problems] == [
        ("raw_basis", "rules.problem.unknown_citation")
    ]
    assert "seeds/003" in problems[0].message("en")
    assert problems[0].message("vi").startswith("quy tắc raw_basis: căn cứ")


def test_reasons_and_milestones_read_in_each_language() -> None:
    """The reasons beside a referral (rule and implication descriptions) and the milestones."""
    from caseintake.i18n import catalogue

    keys = [r.description for r in RULES.rules] + [i.description for i in RULES.implications]
    keys += [k for k in catalogue("vi") if k.startswith("routing.milestone.")]
    for lang in LANGUAGES:
        for key in keys:
            text = catalogue(lang)[key]  # present in both languages, no fallback
            _clean(text, lang)


def test_the_taxonomy_source_is_never_shown() -> None:
    """taxonomy.toml keeps provenance (DOMAIN sections, seed files) in ``source``: allowed only
    while no screen, command or service shows it. Showing it means citing it like a basis."""
    import re
    from pathlib import Path

    import caseintake

    root = Path(caseintake.__file__).parent
    pattern = re.compile(
        r"taxonomy\.source\(|from caseintake\.domain\.intake\.taxonomy import[^\n]*\bsource\b"
    )
    users = [
        p.relative_to(root).as_posix()
        for folder in ("tui", "cli", "services")
        for p in (root / folder).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert users == []
