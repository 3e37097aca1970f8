"""The taxonomy: codes as DOMAIN.md §2 gives them, flags for routing, a label for every code."""

from __future__ import annotations

import pytest

from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.record import DATA_CONTACT_TYPES, NON_DATA_CONTACT_TYPES
from caseintake.i18n import LANGUAGES, has

ABUSE_FORMS = {"violence", "sexual_abuse", "exploitation", "trafficking", "neglect", "other_harm"}
OTHER_RISKS = {
    "injury_drowning",
    "injury_traffic",
    "injury_other",
    "online_harm",
    "child_marriage",
    "dropout",
    "disaster_epidemic",
    "alternative_care",
    "custody_dispute",
    "financial_need",
    "rights_violation",
}


def test_every_code_has_a_label_in_every_language() -> None:
    missing = [
        (lang, f"{kind}.{code}")
        for kind in taxonomy.kinds()
        for code in taxonomy.codes(kind)
        for lang in LANGUAGES
        if not has(f"{kind}.{code}", lang)
    ]
    assert missing == []


def test_labels_are_translated_with_diacritics() -> None:
    assert taxonomy.label("concern", "violence", "vi") == "Bạo lực"
    assert taxonomy.label("concern", "violence.physical", "vi") == "Bạo lực thể chất"
    assert taxonomy.label("concern", "violence.physical", "en") == "Physical violence"
    assert taxonomy.label("line", "111", "en") == "Hotline 111"
    assert taxonomy.label("ethnicity", "e_de", "vi") == "Ê Đê"


def test_kinds_cover_the_intake_vocabulary() -> None:
    expected = {
        "contact_type",
        "channel",
        "line",
        "concern",
        "counselling_topic",
        "setting",
        "perpetrator_relationship",
        "caller_relationship",
        "caller_age_group",
        "special_circumstance",
        "ethnicity",
        "sex",
        "age_basis",
        "protection_level",
        "priority",
        "body",
        "crime_sign",
    }
    assert set(taxonomy.kinds()) == expected
    assert all(taxonomy.source(kind) for kind in expected)


def test_unknown_kind_raises_value_error() -> None:
    with pytest.raises(ValueError):
        taxonomy.codes("colour")
    with pytest.raises(ValueError):
        taxonomy.label("colour", "red")
    with pytest.raises(ValueError):
        taxonomy.is_code("colour", "red")


def test_contact_types_match_the_intake_shape() -> None:
    assert taxonomy.codes("contact_type") == set(DATA_CONTACT_TYPES) | set(NON_DATA_CONTACT_TYPES)
    assert taxonomy.non_data_contact_types() == set(NON_DATA_CONTACT_TYPES)


def test_concerns_split_into_abuse_forms_and_other_risks() -> None:
    assert set(taxonomy.top_concerns(abuse=True)) == ABUSE_FORMS
    assert set(taxonomy.top_concerns(abuse=False)) == OTHER_RISKS
    for code in taxonomy.codes("concern"):
        info = taxonomy.concern_info(code)
        assert info.is_abuse == (info.root in ABUSE_FORMS)


def test_sub_types_are_valid_and_inherit_flags() -> None:
    assert taxonomy.is_code("concern", "violence.physical")
    assert taxonomy.is_code("concern", "sexual_abuse.online")
    assert not taxonomy.is_code("concern", "violence.invented")
    assert not taxonomy.is_code("concern", "violence.")
    assert not taxonomy.is_code("concern", 3)
    info = taxonomy.concern_info("sexual_abuse.online")
    assert (info.parent, info.is_abuse, info.crime_sign) == ("sexual_abuse", True, True)
    assert "sexual_abuse.rape" in taxonomy.concern_info("sexual_abuse").subtypes


def test_crime_signs() -> None:
    crime = {c for c in taxonomy.codes("concern") if taxonomy.concern_info(c).crime_sign}
    assert {"sexual_abuse", "trafficking", "exploitation.commercial_sexual"} <= crime
    assert "exploitation" not in crime
    assert "exploitation.child_labour" not in crime
    assert not crime & OTHER_RISKS
    with pytest.raises(ValueError):
        taxonomy.concern_info("nothing")


def test_fifty_four_ethnic_groups_plus_foreign_and_unknown() -> None:
    groups = taxonomy.ordered_codes("ethnicity")
    assert len(groups) == 56 and len(set(groups)) == 56
    assert groups[-2:] == ("foreign", "unknown")
    assert {"kinh", "hmong", "e_de", "bru_van_kieu", "o_du", "ro_mam"} <= set(groups)


@pytest.mark.parametrize(
    ("kind", "size"),
    [
        ("special_circumstance", 14),
        ("sex", 4),
        ("age_basis", 3),
        ("setting", 8),
        ("perpetrator_relationship", 14),
        ("channel", 8),
        ("body", 15),
        ("protection_level", 4),
        ("priority", 5),
    ],
)
def test_group_sizes(kind: str, size: int) -> None:
    assert len(taxonomy.codes(kind)) == size


def test_counselling_topics_follow_the_helpline_framework() -> None:
    topics = taxonomy.codes("counselling_topic")
    assert 15 <= len(topics) <= 20
    assert {"family_relationships", "physical_health", "legal", "mental_health"} <= topics


def test_caller_relationship_adds_self_and_anonymous() -> None:
    callers = taxonomy.codes("caller_relationship")
    assert {"self", "neighbour", "teacher", "health_worker", "official", "anonymous"} <= callers


def test_codes_are_slugs() -> None:
    for kind in taxonomy.kinds():
        for code in taxonomy.codes(kind):
            assert code == code.strip().lower() and " " not in code
