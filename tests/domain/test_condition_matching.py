"""``conditions.matches`` checks a rule's conditions one by one and reads concern prefixes from
a set: it must agree, on any facts and conditions, with the plain reading of the rule language
(every condition given holds; a list holds when any item does; a concern prefix matches the
code and its sub-types)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from caseintake.domain.routing.conditions import IntakeFacts, concern_matches, matches
from caseintake.domain.routing.rules import Conditions

CODES = ["violence", "sexual_abuse", "sexual_abuse.online", "sexual_abuse.rape", "neglect",
         "sexual", "trafficking", "trafficking.labour", "online_risk"]  # fmt: skip
TYPES = ["report", "follow_up", "counselling"]
SETTINGS = ["family", "school", "online"]
PEOPLE = ["parent", "step_parent", "teacher"]
CIRCUMSTANCES = ["orphan", "disability", "street"]
maybe_bool = st.none() | st.booleans()


def plain(when: Conditions, facts: IntakeFacts) -> bool:
    low = when.min_age if when.min_age is not None else -1
    high = when.max_age if when.max_age is not None else 10**9
    ages_ok = (when.min_age is None and when.max_age is None) or any(
        low <= a <= high for a in facts.ages
    )
    return all(
        (
            not when.contact_type or facts.contact_type in when.contact_type,
            not when.any_concern
            or any(concern_matches(c, p) for c in facts.concerns for p in when.any_concern),
            when.has_concern is None or when.has_concern == bool(facts.concerns),
            when.is_abuse is None or when.is_abuse == facts.is_abuse,
            when.crime_sign is None or when.crime_sign == facts.crime_sign,
            not when.setting or facts.setting in when.setting,
            when.immediate_danger is None or when.immediate_danger == facts.immediate_danger,
            ages_ok,
            not when.special_circumstances
            or bool(facts.special_circumstances & set(when.special_circumstances)),
            not when.perpetrator_relationship
            or bool(facts.perpetrators & set(when.perpetrator_relationship)),
            not when.line or facts.line in when.line,
        )
    )


facts_strategy = st.builds(
    IntakeFacts,
    contact_type=st.sampled_from(TYPES),
    concerns=st.lists(st.sampled_from(CODES), max_size=3, unique=True).map(tuple),
    is_abuse=st.booleans(),
    crime_sign=st.booleans(),
    setting=st.none() | st.sampled_from(SETTINGS),
    immediate_danger=st.booleans(),
    ages=st.lists(st.integers(0, 17), max_size=2).map(tuple),
    special_circumstances=st.frozensets(st.sampled_from(CIRCUMSTANCES), max_size=2),
    perpetrators=st.frozensets(st.sampled_from(PEOPLE), max_size=2),
    line=st.sampled_from(["111", "provincial"]),
)


def subset(items: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), max_size=2, unique=True).map(tuple)


conditions_strategy = st.builds(
    Conditions,
    contact_type=subset(TYPES),
    any_concern=subset([*CODES, "sexual_abuse.online.x", "traffic"]),
    has_concern=maybe_bool,
    is_abuse=maybe_bool,
    crime_sign=maybe_bool,
    setting=subset(SETTINGS),
    immediate_danger=maybe_bool,
    min_age=st.none() | st.integers(0, 17),
    max_age=st.none() | st.integers(0, 17),
    special_circumstances=subset(CIRCUMSTANCES),
    perpetrator_relationship=subset(PEOPLE),
    line=subset(["111", "provincial"]),
)


@settings(max_examples=800, deadline=None)  # was 3,000: a quarter of the CI budget
@given(conditions_strategy, facts_strategy)
def test_matches_is_the_plain_reading_of_the_conditions(when: Conditions, facts: IntakeFacts):
    assert matches(when, facts) == plain(when, facts)


def test_a_prefix_matches_sub_types_and_not_lookalikes() -> None:
    none: frozenset[str] = frozenset()
    online = ("sexual_abuse.online",)
    facts = IntakeFacts("report", online, True, True, None, False, (), none, none, "111")
    assert matches(Conditions(any_concern=("sexual_abuse",)), facts)
    assert not matches(Conditions(any_concern=("sexual",)), facts)
    assert not matches(Conditions(any_concern=("sexual_abuse.online.x",)), facts)
