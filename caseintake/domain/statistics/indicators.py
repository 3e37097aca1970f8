"""The indicators an export can hold, as data: id, dimensions, what is counted, which codes.

Each indicator is one count table (``statistics_tables``). Where a dimension can hold several
codes for one contact or child (a contact's counselling topics, a case's concerns), the unit
counted is a *mention*: the contact or child counts once under each of its codes, so the
margins add up to mentions, not to contacts or children, and the export says so
(``unit = "mentions"``; DOMAIN §5: "category counts do not add up to contacts"). The number of
distinct children of a period is the grand total of ``children_by_age_group_sex``.

What "in the period" means, per unit:

* contacts: received in the period (Viet Nam days);
* children and cases: the case had at least one contact received in the period; a child is
  counted once however many contacts mention it (its row belongs to the case, and repeat
  contacts are linked to the case);
* referrals: created (the report forwarded by the hotline) in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from caseintake.domain.errors import DomainError

Unit = Literal["contacts", "children", "cases", "referrals", "mentions"]

AGE_GROUPS = ("0-5", "6-10", "11-15", "16-17", "unknown")
# Luật Trẻ em 2016 Art. 1: a child (trẻ em) is a person under 16; 16–17 are shown apart.
CHILD_AGE_LIMIT = 16
ON_TIME = ("yes", "no", "pending")
SEXES = ("female", "male", "other", "unknown")
UNKNOWN = "unknown"

# Where each dimension's labels live in the catalogues (taxonomy kinds, states, or stats).
LABEL_KINDS: dict[str, str] = {
    "contact_type": "contact_type",
    "channel": "channel",
    "topic": "counselling_topic",
    "concern": "concern",
    "abuse_form": "concern",
    "sex": "sex",
    "age_group": "stats.age_group",
    "setting": "setting",
    "province": "province",  # today's provinces, named from the geography data
    "commune": "commune",  # today's communes and wards, likewise
    "body": "body",
    "status": "state.referral",
    "on_time": "stats.on_time",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    dimensions: tuple[str, ...]
    unit: Unit
    source: str  # where the indicator comes from, cited as DOMAIN says
    note_key: str  # catalogue key of the one-sentence explanation shown with the table

    @property
    def title_key(self) -> str:
        return f"stats.indicator.{self.id}"


_TT13 = "Thông tư 13/2021/TT-BLĐTBXH, chỉ tiêu 0101 (Số trẻ em bị xâm hại)"
_HELPLINE = "Child Helpline International data framework; DOMAIN §5"

INDICATORS: tuple[Indicator, ...] = (
    Indicator("contacts_by_type", ("contact_type",), "contacts", _HELPLINE, "stats.note.contacts"),
    Indicator("contacts_by_channel", ("channel",), "contacts", _HELPLINE, "stats.note.contacts"),
    Indicator("counselling_by_topic", ("topic",), "mentions", _HELPLINE, "stats.note.topics"),
    Indicator(
        "children_by_concern_sex", ("concern", "sex"), "mentions", _HELPLINE, "stats.note.concerns"
    ),
    Indicator(
        "children_by_age_group_sex",
        ("age_group", "sex"),
        "children",
        _TT13,
        "stats.note.children",
    ),
    Indicator(
        "abused_children_0101",
        ("abuse_form", "sex", "setting"),
        "mentions",
        _TT13,
        "stats.note.abused",
    ),
    Indicator("cases_by_province", ("province",), "cases", _TT13, "stats.note.cases"),
    # Counselling and information calls tell about a child too (issue 19 item 2).
    Indicator(
        "contact_children_by_age_sex_province",
        ("age_group", "sex", "province"),
        "children",
        _HELPLINE,
        "seams.stats.note_contact_children",
    ),
    Indicator(
        "referrals_by_body_status",
        ("body", "status"),
        "referrals",
        "Nghị định 56/2017/NĐ-CP ch. III",
        "stats.note.referrals",
    ),
    Indicator(
        "referrals_first_step_on_time",
        ("body", "on_time"),
        "referrals",
        "Nghị định 56/2017/NĐ-CP ch. III",
        "stats.note.on_time",
    ),
)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}
IDS: tuple[str, ...] = tuple(BY_ID)

# Cases by commune: only when asked by name, never by default, and only published when every
# cell passes the threshold (issue 9: no area smaller than the province leaves otherwise).
COMMUNES = Indicator(
    "cases_by_commune", ("province", "commune"), "cases", _TT13, "stats.note.communes"
)
OPT_IN: dict[str, Indicator] = {COMMUNES.id: COMMUNES}

# The median hours from receipt to acknowledgement per body: a statistic, not a count table.
MEDIAN_ACK_ID = "median_hours_to_acknowledgement"


def indicator(indicator_id: str) -> Indicator:
    try:
        return BY_ID.get(indicator_id) or OPT_IN[indicator_id]
    except KeyError:
        raise DomainError(
            "stats.unknown_indicator", value=indicator_id[:60], known=", ".join(IDS)
        ) from None


def select(ids: list[str] | tuple[str, ...] | None) -> tuple[Indicator, ...]:
    """The asked indicators in the order asked (duplicates dropped); all when none is asked."""
    if not ids:
        return INDICATORS
    return tuple(indicator(i) for i in dict.fromkeys(ids))


def age_group(age: int | None) -> str:
    """0-5, 6-10, 11-15, 16-17, or unknown (no age, or an age outside 0–17)."""
    if age is None or age < 0 or age > 17:
        return UNKNOWN
    if age <= 5:
        return "0-5"
    if age <= 10:
        return "6-10"
    if age < CHILD_AGE_LIMIT:
        return "11-15"
    return "16-17"


def top_code(code: str) -> str:
    """``violence`` for ``violence.physical``: tables count top-level concerns."""
    return code.split(".", 1)[0]
